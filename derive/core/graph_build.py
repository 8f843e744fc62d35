"""The steps of the graph in computation order: forward pass, loss, backward pass layer by layer, updates."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .activations import ACTIVATIONS
from .gradients import output_gradient
from .layers import LAYER_KINDS
from .quantities import Quantity as Q
from .spec import Spec
from .symbol_names import NAMES, alpha_symbol, state_name, with_example
from .updates import ETA, LAMBDA, T, UPDATE_RULES, Symbols, UpdateRule, update_constants

Reads = tuple[tuple[sp.Symbol, Q], ...]


@dataclass(frozen=True)
class Draft:
    """A step before evaluation: quantity, formula (None for a given number), reads, given value."""

    quantity: Q
    formula: sp.Expr | None
    reads: Reads
    value: Any = None
    # an optimizer state's formula at the steps after the first, which read the state of the step
    # before (as its own symbol) and the step number t; None where the first step's formula holds
    later: tuple[sp.Expr, Reads] | None = None
    # the formula as a textbook prints it, where that differs, and what its symbols stand for: equal to the
    # formula with its reads' own formulas put in (delta = (a - t)/K where the formula multiplies dl/da by
    # da/dz); None: the formula
    display: tuple[sp.Expr, Reads] | None = None


def _reads(formula: sp.Expr, meaning: dict[str, Q]) -> Reads:
    """The quantity behind each symbol of the formula; symbols not in meaning are constants."""
    return tuple(sorted(((s, meaning[s.name]) for s in formula.free_symbols if s.name in meaning),
                        key=lambda pair: pair[1]))


class Builder:
    """Appends the steps of one spec in order, knowing what every canonical symbol means."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.N = len(spec.inputs)
        self.drafts: list[Draft] = []
        self.constants: dict[sp.Symbol, Any] = {}

    def add(self, q: Q, formula: sp.Expr, meaning: dict[str, Q], later: sp.Expr | None = None,
            display: sp.Expr | None = None) -> None:
        self.drafts.append(Draft(q, formula, _reads(formula, meaning),
                                 later=None if later is None else (later, _reads(later, meaning)),
                                 display=None if display is None else (display, _reads(display, meaning))))

    def example_meaning(self, n: int, l: int) -> dict[str, Q]:
        """What the unindexed symbols of layer l's per-example rules mean for example n: the data, and the
        symbols of layer l and its neighbours, as their kinds name them."""
        spec, m = self.spec, {}
        widths = spec.widths
        for k in range(1, widths[0] + 1):
            m[NAMES.a(0, k)] = Q("x", 0, n, k)
        for k in range(1, widths[-1] + 1):
            m[NAMES.t(k)] = Q("t", 0, n, k)
        for ll in (l - 1, l, l + 1):
            if 1 <= ll <= len(spec.layers):
                m.update(LAYER_KINDS[spec.layers[ll - 1].kind].meaning(spec, ll, n))
        return m

    def given(self) -> None:
        """The data, then each layer's parameters as its kind lists them, and its activation's constant."""
        spec = self.spec
        for n, (x_row, t_row) in enumerate(zip(spec.inputs, spec.targets), 1):
            self.drafts += [Draft(Q("x", 0, n, k), None, (), v) for k, v in enumerate(x_row, 1)]
            self.drafts += [Draft(Q("t", 0, n, k), None, (), v) for k, v in enumerate(t_row, 1)]
        for l, layer in enumerate(spec.layers, 1):
            self.drafts += [Draft(q, None, (), v) for q, v in LAYER_KINDS[layer.kind].given(spec, l)]
            if ACTIVATIONS[layer.activation].has_parameter:
                self.constants[alpha_symbol(l)] = layer.alpha

    def forward(self, l: int, after: bool = False) -> None:
        """Layer l's forward steps for every example, as its kind computes them (after: with the updated parameters)."""
        LAYER_KINDS[self.spec.layers[l - 1].kind].forward(self, l, after)

    def loss(self) -> None:
        """Each example's loss, then their mean."""
        expr, _ = output_gradient(self.spec)
        L = len(self.spec.layers)
        for n in range(1, self.N + 1):
            self.add(Q("example_loss", 0, n), expr, self.example_meaning(n, L))
        terms = {with_example(r"\ell", n, self.N): Q("example_loss", 0, n) for n in range(1, self.N + 1)}
        self.add(Q("loss"), sp.Add(*[sp.Symbol(s) for s in terms]) / self.spec.divisor, terms)

    def backward(self, l: int) -> None:
        """Layer l's backward steps for every example and its gradients, as its kind computes them."""
        LAYER_KINDS[self.spec.layers[l - 1].kind].backward(self, l)

    def updates(self) -> None:
        """Every parameter's optimizer state and new value, all from the original values (none without a rate)."""
        spec = self.spec
        if not spec.updates:
            return
        rule = UPDATE_RULES[spec.optimizer.name]
        settings = {**rule.defaults, **spec.optimizer.values}
        self.constants.update(update_constants(spec))
        for l, layer in enumerate(spec.layers, 1):
            kind = LAYER_KINDS[layer.kind]
            for p, _ in kind.given(spec, l):
                # a bias is fixed where the spec says so
                trained = spec.train_bias or not p.of_bias
                self.parameter(p, kind.symbol(p), kind.symbol(p.gradient()), rule, settings, trained)

    def parameter(self, p: Q, name: str, gradient: str, rule: UpdateRule, settings: dict[str, Any],
                  trained: bool) -> None:
        """One parameter's step: its decayed gradient, each state value, its new value (a fixed one kept).

        name and gradient are the canonical symbols of the parameter and of its gradient.
        """
        old, grad = sp.Symbol(name), sp.Symbol(gradient)
        new = p.updated()
        meaning = {old.name: p, grad.name: p.gradient()}
        if not trained:
            self.add(new, old, meaning)
            return
        # weight decay shrinks weights, not biases
        decayed = not p.of_bias and bool(self.spec.weight_decay)
        if decayed and not rule.decoupled:
            # coupled (L2) decay: the gradient of L + (lambda/2)|w|^2, as torch adds lambda w to the gradient
            g_q, grad_sym = p.state("g"), sp.Symbol(state_name("g", name))
            self.add(g_q, sp.Symbol(grad.name) + LAMBDA * old, meaning)
            meaning[grad_sym.name], grad = g_q, grad_sym
        start = old * (1 - ETA * LAMBDA) if decayed and rule.decoupled else old
        now = {s: sp.Symbol(state_name(s, name)) for s in rule.state}
        # a later step's state reads the step before's under its own symbol; the first step's is 0 at t = 1
        later = rule.formulas(Symbols(start, grad, {s: now[s] for s in rule.carried}, now), settings)
        for s in rule.state:
            q = p.state(s)
            meaning[now[s].name] = q
            first = later[s].xreplace({T: 1, **({now[s]: 0} if s in rule.carried else {})})
            self.add(q, first, meaning, later[s])
        self.add(new, later["new"], meaning)


def build_steps(spec: Spec) -> tuple[list[Draft], dict[sp.Symbol, Any]]:
    """Every step of one gradient-descent step, in computation order, and the spec's constants."""
    b = Builder(spec)
    b.given()
    for l in range(1, len(spec.layers) + 1):
        b.forward(l)
    b.loss()
    for l in range(len(spec.layers), 0, -1):
        b.backward(l)
    b.updates()
    for l in range(1, len(spec.layers) + 1) if spec.updates else ():
        b.forward(l, after=True)
    return b.drafts, b.constants
