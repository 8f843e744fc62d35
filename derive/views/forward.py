"""View model of the forward pass and the loss: equations, substituted numbers, values."""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..core.activations import ACTIVATIONS
from ..core.activations import alpha as alpha_sym
from ..core.activations import z as z_sym
from ..core.graph import StepGraph
from ..core.losses import LOSSES
from ..core.quantities import Quantity as Q
from ..core.symbol_names import NAMES, layer_symbols, symbols, with_example
from .formatting import factor, given, tex
from .model import ForwardLayer, Loss
from .printer import DerivePrinter, ScaledSum
from .shown import shown_line, shown_number, shown_terms


def input_value(graph: StepGraph, l: int, n: int, k: int, digits: int) -> str:
    """a^{(l)}_k of example n as a factor: inputs as written, activations rounded."""
    return shown_number(graph, Q("x" if l == 0 else "a", l, n, k), digits)


def is_identity(act_name: str) -> bool:
    """True for an activation that passes z through unchanged: a = z, f' = 1."""
    return ACTIVATIONS[act_name].f == z_sym


def activation_definition(p: DerivePrinter, act_name: str, alpha: float) -> dict[str, str]:
    """f(z) and its textbook derivative f'(z), in the generic symbols z and a."""
    act = ACTIVATIONS[act_name]
    if act.vector:
        return {"f": "", "derivative": ""}
    values = {alpha_sym: sp.Float(alpha, 15)} if act.has_parameter else {}
    f = p.doprint(act.f.subs(values))
    # name the function where its formula does not (sigma, ReLU): the forward pass writes it by name
    named = "" if is_identity(act_name) or f.startswith(act.tex) else rf"{act.tex}(z) = "
    return {"f": named + f, "derivative": p.doprint(act.textbook_derivative.subs(values))}


def forward_example(graph: StepGraph, p: DerivePrinter, n: int, digits: int, rel: dict[Q, str],
                    lines: bool = True) -> list[ForwardLayer]:
    """Every layer of example n (1-based), neuron by neuron; names carry the example index in a batch.

    lines False leaves out each unit's printed z and a lines, which only the full detail shows.
    """
    spec, layers = graph.spec, []
    for l, layer in enumerate(spec.layers, start=1):
        act = ACTIVATIONS[layer.activation]
        z = {j: graph.value(Q("z", l, n, j)) for j in range(1, layer.units + 1)}
        a = {j: graph.value(Q("a", l, n, j)) for j in z}
        units = []
        for j in z:
            units.append({
                "z": p.name(NAMES.z(l, j)), "a": p.name(NAMES.a(l, j)),
                **(_unit_lines(graph, p, l, n, j, digits, rel) if lines else _NO_LINES),
                "z_val": tex(z[j], digits), "z_factor": factor(z[j], digits),
                "z_rel": rel[Q("z", l, n, j)], "a_rel": rel[Q("a", l, n, j)],
                "a_val": tex(a[j], digits),
            })
        exps = _softmax_terms(graph, p, l, n, digits) if act.vector and lines else []
        layers.append({"l": l, "kind": layer.kind, "exps": exps, "activation": act.words, "f": act.tex,
                       "softmax": act.vector,
                       "identity": is_identity(layer.activation), "shared_bias": layer.shared_bias,
                       "units": units, "z_factors": [factor(v, digits) for v in z.values()],
                       "z": [tex(v, digits) for v in z.values()], "a": [tex(v, digits) for v in a.values()]})
    return layers


def _softmax_terms(graph: StepGraph, p: DerivePrinter, l: int, n: int, digits: int) -> list[str]:
    """The terms e^{z_m} of a softmax's denominator with z's numbers, m in order: the sum its a steps divide by
    (their formula shifts every z by the largest, which changes no a)."""
    z = [(sp.Symbol(NAMES.z(l, m)), Q("z", l, n, m)) for m in range(1, graph.spec.layers[l - 1].units + 1)]
    ranks = {s.name: m for m, (s, _) in enumerate(z, 1)}
    return list(shown_terms(graph, Q("a", l, n, 1), digits, p.ranked(ranks), sp.Add(*[sp.exp(s) for s, _ in z]),
                            tuple(z)))


_NO_LINES = {"z_formula": "", "z_substituted": "", "a_formula": "", "a_substituted": "", "b": "", "b_val": "",
             "terms": []}


def _unit_lines(graph: StepGraph, p: DerivePrinter, l: int, n: int, j: int, digits: int,
                rel: dict[Q, str]) -> dict[str, Any]:
    """Unit j's z and a lines as shown_line prints them, and the pieces of the sum templates written before them read."""
    spec, layer = graph.spec, graph.spec.layers[l - 1]
    act, fan_in, bias = ACTIVATIONS[layer.activation], spec.widths[l - 1], NAMES.b(l, 0 if layer.shared_bias else j)
    # the textbook's order: w_1 a_1 + w_2 a_2 + ... + b, each weight before its input
    ranks = {bias: 2 * fan_in + 1}
    for k in range(1, fan_in + 1):
        ranks.update({NAMES.w(l, j, k): 2 * k - 1, NAMES.a(l - 1, k): 2 * k})
    z_line = shown_line(graph, Q("z", l, n, j), None, digits, rel[Q("z", l, n, j)], p.ranked(ranks).thin())
    # a = f(z) by the function's name, which the step's formula is (a test checks it); a = z needs no line
    z_read = (sp.Symbol(NAMES.z(l, j)), Q("z", l, n, j))
    a_line = None if act.vector or is_identity(layer.activation) else \
        shown_line(graph, Q("a", l, n, j), None, digits, rel[Q("a", l, n, j)], p, sp.Function(act.tex)(z_read[0]),
                   (z_read,))
    terms = [{"w": p.name(NAMES.w(l, j, k)), "a": p.name(NAMES.a(l - 1, k)),
              "w_val": shown_number(graph, Q("W", l, 0, j, k), digits), "a_val": input_value(graph, l - 1, n, k, digits)}
             for k in range(1, fan_in + 1)]
    return {"z_formula": z_line.formula, "z_substituted": z_line.substituted,
            "a_formula": a_line.formula if a_line else "", "a_substituted": a_line.substituted if a_line else "",
            "b": p.name(bias), "b_val": shown_number(graph, Q("b", l, 0, 0 if layer.shared_bias else j), digits),
            "terms": terms}


def _mean_terms(graph: StepGraph, p: DerivePrinter, digits: int) -> tuple[str, ...]:
    """Each example's loss in the loss's sum, as its number, example by example."""
    N = len(graph.spec.inputs)
    ranks = {with_example(r"\ell", n, N): n for n in range(1, N + 1)}
    return shown_terms(graph, Q("loss"), digits, p.ranked(ranks))


def loss_view(graph: StepGraph, p: DerivePrinter, example_printers: list[DerivePrinter], digits: int,
              rel: dict[Q, str]) -> Loss:
    """The per-example loss as a textbook writes it, each example's numbers, and the mean."""
    spec = graph.spec
    loss = LOSSES[spec.loss]
    L, K = len(spec.layers), spec.layers[-1].units
    a_out, t = layer_symbols("a", L, K), symbols("t", K)
    prefactor = loss.prefactor(K)
    compound = isinstance(loss.term(a_out[0], t[0]), sp.Add)
    # one output unit needs no sum; in a batch each symbol carries the running example index n
    n, k = ("[n]" if len(spec.inputs) > 1 else ""), ("k" if K > 1 else "1")
    k_a, k_t = sp.Symbol(f"a^{{({L}){n}}}_{{{k}}}"), sp.Symbol(f"t^{{{n}}}_{{{k}}}" if n else f"t_{{{k}}}")
    term = p.doprint(loss.term(k_a, k_t))
    # a mean over the output units keeps its 1/K in the general form: 1/2 of two outputs is not half the SSE
    over_units = K > 1 and bool(loss.unit_mean_gradient)
    front = ("-" if prefactor < 0 else "") + r"\frac{1}{K}" if over_units else p.prefactor(prefactor)
    general = (front + (rf" \sum_{{k=1}}^{{{'K' if over_units else K}}} " if K > 1 else " ") + (
        rf"\left[ {term} \right]" if compound else term)).strip()
    a_k, t_k = sp.Symbol("a_k"), sp.Symbol("t_k")
    examples = []
    for n, pn in enumerate(example_printers, start=1):
        targets = [float(graph.value(Q("t", 0, n, k))) for k in range(1, K + 1)]
        # the loss as a textbook writes it, its number in front of the sum of the output units' terms
        line = shown_line(graph, Q("example_loss", 0, n), None, digits, rel[Q("example_loss", 0, n)], pn,
                          ScaledSum(prefactor, *[loss.term(a, tk) for a, tk in zip(a_out, t)]))
        examples.append({"n": n, "value": line.value, "rel": line.relation, "symbolic": line.formula,
                         "substituted": line.substituted, "targets": [given(v) for v in targets]})
    return {"general": general, "examples": examples,
            # K and dl/da_k of a mean over the output units, general and for this K (else K is 0)
            "over_units": K if over_units else 0, "unit_gradient": loss.unit_mean_gradient,
            "unit_gradient_K": p.doprint(loss.gradient(a_k, t_k, K)) if over_units else "", "mean": tex(graph.value(Q("loss")), digits),
            "mean_rel": rel[Q("loss")], "terms": list(_mean_terms(graph, p, digits)), "batch": len(spec.inputs),
            "natural_log": loss.has_log}
