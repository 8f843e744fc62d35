"""The steps of the graph in computation order: forward pass, loss, backward pass layer by layer, updates."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .activations import ACTIVATIONS
from .activations import alpha as alpha_sym
from .activations import z as z_sym
from .gradients import (
    alpha_symbol,
    hidden_gradient,
    layer_rule,
    output_gradient,
    softmax_jacobian,
)
from .names import NAMES, derivative_name, state_name, with_example
from .quantities import Quantity as Q
from .spec import Spec
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


def _reads(formula: sp.Expr, meaning: dict[str, Q]) -> Reads:
    """The quantity behind each symbol of the formula; symbols not in meaning are constants."""
    return tuple(sorted(((s, meaning[s.name]) for s in formula.free_symbols if s.name in meaning),
                        key=lambda pair: pair[1]))


class _Builder:
    """Appends the steps of one spec in order, knowing what every canonical symbol means."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.N = len(spec.inputs)
        self.drafts: list[Draft] = []
        self.constants: dict[sp.Symbol, Any] = {}

    def add(self, q: Q, formula: sp.Expr, meaning: dict[str, Q], later: sp.Expr | None = None) -> None:
        self.drafts.append(Draft(q, formula, _reads(formula, meaning),
                                 later=None if later is None else (later, _reads(later, meaning))))

    def example_meaning(self, n: int, l: int) -> dict[str, Q]:
        """What the unindexed symbols of layer l's per-example rules mean for example n."""
        spec, m = self.spec, {}
        widths = spec.widths
        for k in range(1, widths[0] + 1):
            m[NAMES.a(0, k)] = Q("x", 0, n, k)
        for k in range(1, widths[-1] + 1):
            m[NAMES.t(k)] = Q("t", 0, n, k)
        for ll in (l - 1, l, l + 1):
            if not 1 <= ll <= len(spec.layers):
                continue
            for j in range(1, widths[ll] + 1):
                for kind, name in (("z", NAMES.z), ("a", NAMES.a), ("delta", NAMES.delta)):
                    m[name(ll, j)] = Q(kind, ll, n, j)
                m[derivative_name("dl_da", ll, j)] = Q("dl_da", ll, n, j)
                m[derivative_name("da_dz", ll, j)] = Q("da_dz", ll, n, j)
                for k in range(1, widths[ll - 1] + 1):
                    m[NAMES.w(ll, j, k)] = Q("W", ll, 0, j, k)
            for j in spec.layers[ll - 1].bias_units:
                m[NAMES.b(ll, j)] = Q("b", ll, 0, j)
        return m

    def given(self) -> None:
        spec = self.spec
        for n, (x_row, t_row) in enumerate(zip(spec.inputs, spec.targets), 1):
            self.drafts += [Draft(Q("x", 0, n, k), None, (), v) for k, v in enumerate(x_row, 1)]
            self.drafts += [Draft(Q("t", 0, n, k), None, (), v) for k, v in enumerate(t_row, 1)]
        for l, layer in enumerate(spec.layers, 1):
            self.drafts += [Draft(Q("W", l, 0, j, k), None, (), w)
                            for j, row in enumerate(layer.weights, 1) for k, w in enumerate(row, 1)]
            self.drafts += [Draft(Q("b", l, 0, j), None, (), b) for j, b in zip(layer.bias_units, layer.bias)]
            if ACTIVATIONS[layer.activation].has_parameter:
                self.constants[alpha_symbol(l)] = layer.alpha

    def forward(self, l: int, after: bool = False) -> None:
        """z^{(l)}_j = sum_k w_jk a_k + b_j (b, shared) and a^{(l)}_j = f(z_j), for every example.

        after: the same pass with the updated parameters, into z_after and a_after.
        """
        layer, widths = self.spec.layers[l - 1], self.spec.widths
        act = ACTIVATIONS[layer.activation]
        z = [sp.Symbol(NAMES.z(l, j)) for j in range(1, layer.units + 1)]
        kind = AFTER if after else {}
        for n in range(1, self.N + 1):
            meaning = {name: Q(kind.get(q.kind, q.kind), *_place(q)) for name, q in self.example_meaning(n, l).items()}
            for j in range(1, layer.units + 1):
                terms = [sp.Symbol(NAMES.w(l, j, k)) * sp.Symbol(NAMES.a(l - 1, k)) for k in range(1, widths[l - 1] + 1)]
                bias = NAMES.b(l, 0 if layer.shared_bias else j)
                self.add(Q(kind.get("z", "z"), l, n, j), sp.Add(*terms, sp.Symbol(bias)), meaning)
            for j in range(1, layer.units + 1):
                if act.vector:
                    # shifted by the largest z: the same value, and finite in floats for any z
                    top = sp.Max(*z)
                    formula = sp.exp(z[j - 1] - top) / sp.Add(*[sp.exp(zk - top) for zk in z])
                else:
                    formula = act.f.subs({z_sym: z[j - 1], alpha_sym: alpha_symbol(l)})
                self.add(Q(kind.get("a", "a"), l, n, j), formula, meaning)

    def loss(self) -> None:
        """Each example's loss, then their mean."""
        expr, _ = output_gradient(self.spec)
        L = len(self.spec.layers)
        for n in range(1, self.N + 1):
            self.add(Q("example_loss", 0, n), expr, self.example_meaning(n, L))
        terms = {with_example(r"\ell", n, self.N): Q("example_loss", 0, n) for n in range(1, self.N + 1)}
        self.add(Q("loss"), sp.Add(*[sp.Symbol(s) for s in terms]) / self.spec.divisor, terms)

    def backward(self, l: int) -> None:
        """dl/da, da/dz and delta of layer l for every example, then the layer's gradients."""
        spec = self.spec
        layer = spec.layers[l - 1]
        dL_da = output_gradient(spec)[1] if l == len(spec.layers) else hidden_gradient(spec, l)
        rule = layer_rule(spec, l, dL_da)
        vector = ACTIVATIONS[layer.activation].vector
        for n in range(1, self.N + 1):
            meaning = self.example_meaning(n, l)
            for j in range(1, layer.units + 1):
                self.add(Q("dl_da", l, n, j), dL_da[j - 1], meaning)
            for j in range(1, layer.units + 1):
                if vector:
                    for m in range(1, layer.units + 1):
                        self.add(Q("da_dz", l, n, j, m), softmax_jacobian(l, j, m), meaning)
                else:
                    self.add(Q("da_dz", l, n, j), rule.units[j - 1].da_dz, meaning)
            for j in range(1, layer.units + 1):
                # softmax: the Jacobian sum itself, not its a - t form, which holds only when the
                # targets sum to exactly 1 (written as decimals, 1/3 + 2/3 may miss by 1e-16)
                delta = rule.softmax_sum[j - 1] if vector else (
                    sp.Symbol(derivative_name("dl_da", l, j)) * sp.Symbol(derivative_name("da_dz", l, j)))
                self.add(Q("delta", l, n, j), delta, meaning)
        self.gradients(l)

    def gradients(self, l: int) -> None:
        """dL/dw_jk = (1/N) sum_n delta_j a_k and dL/db_j = (1/N) sum_n delta_j (without 1/N for a summed loss).

        A bias the layer's units share adds to every z of the layer: its gradient sums the deltas of all units.
        """
        widths, N, divisor = self.spec.widths, self.N, self.spec.divisor
        every: dict[str, Q] = {}
        for j in range(1, widths[l] + 1):
            deltas = {with_example(NAMES.delta(l, j), n, N): Q("delta", l, n, j) for n in range(1, N + 1)}
            every.update(deltas)
            for k in range(1, widths[l - 1] + 1):
                inputs = {with_example(NAMES.a(l - 1, k), n, N): Q("x" if l == 1 else "a", l - 1, n, k)
                          for n in range(1, N + 1)}
                terms = [sp.Symbol(d) * sp.Symbol(a) for d, a in zip(deltas, inputs)]
                self.add(Q("dW", l, 0, j, k), sp.Add(*terms) / divisor, {**deltas, **inputs})
            if not self.spec.layers[l - 1].shared_bias:
                self.add(Q("db", l, 0, j), sp.Add(*[sp.Symbol(d) for d in deltas]) / divisor, deltas)
        if self.spec.layers[l - 1].shared_bias:
            self.add(Q("db", l, 0, 0), sp.Add(*[sp.Symbol(d) for d in every]) / divisor, every)

    def updates(self) -> None:
        """Every parameter's optimizer state and new value, all from the original values (none without a rate)."""
        spec = self.spec
        if not spec.updates:
            return
        rule = UPDATE_RULES[spec.optimizer.name]
        settings = {**rule.defaults, **spec.optimizer.values}
        self.constants.update(update_constants(spec))
        for l, layer in enumerate(spec.layers, 1):
            for j in range(1, layer.units + 1):
                for k in range(1, spec.widths[l - 1] + 1):
                    self.parameter(Q("W", l, 0, j, k), Q("dW", l, 0, j, k), NAMES.w(l, j, k), rule, settings, True)
            for j in layer.bias_units:
                self.parameter(Q("b", l, 0, j), Q("db", l, 0, j), NAMES.b(l, j), rule, settings, spec.train_bias)

    def parameter(self, p: Q, g: Q, name: str, rule: UpdateRule, settings: dict[str, Any], trained: bool) -> None:
        """One parameter's step: its decayed gradient, each state value, its new value (a fixed one kept)."""
        old, grad = sp.Symbol(name), sp.Symbol(derivative_name("dL", p.layer, p.unit, p.input, bias=p.kind == "b"))
        new = p.updated()
        meaning = {old.name: p, grad.name: g}
        if not trained:
            self.add(new, old, meaning)
            return
        decayed = p.kind == "W" and bool(self.spec.weight_decay)
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


# the forward pass after the step reads the updated parameters and its own earlier layers
AFTER = {"z": "z_after", "a": "a_after", "W": "W_new", "b": "b_new"}


def _place(q: Q) -> tuple[int, int, int, int]:
    return q.layer, q.example, q.unit, q.input


def build_steps(spec: Spec) -> tuple[list[Draft], dict[sp.Symbol, Any]]:
    """Every step of one gradient-descent step, in computation order, and the spec's constants."""
    b = _Builder(spec)
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
