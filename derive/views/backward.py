"""View model of the backward pass: deltas by the chain rule, every weight's gradient, matrix form."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.activations import ACTIVATIONS
from ..core.graph import StepGraph
from ..core.quantities import Quantity as Q
from ..core.symbol_names import NAMES, with_example
from .formatting import factor, given, tex
from .forward import given_factor, input_value, is_identity
from .printer import DerivePrinter
from .shown import evaluated_on_shown, relation


def _numbers(graph: StepGraph, l: int, n: int) -> dict[str, Any]:
    """The value of every symbol a rule of layer l can mention, for example n (canonical names)."""
    spec, value = graph.spec, graph.value
    units = range(1, spec.widths[l] + 1)
    values: dict[str, Any] = {NAMES.a(l, j): value(Q("a", l, n, j)) for j in units}
    values.update({NAMES.z(l, j): value(Q("z", l, n, j)) for j in units})
    if l == len(spec.layers):
        # the spec's numbers as written (floats), the computed ones as the graph holds them
        values.update({NAMES.t(k): float(value(Q("t", 0, n, k))) for k in units})
    else:
        following = range(1, spec.widths[l + 1] + 1)
        values.update({NAMES.delta(l + 1, m): value(Q("delta", l + 1, n, m)) for m in following})
        values.update({NAMES.w(l + 1, m, k): float(value(Q("W", l + 1, 0, m, k))) for m in following for k in units})
    return values


def _shown(values: dict[str, Any], digits: int) -> dict[str, str]:
    """The same numbers as factors in a product: spec numbers as written, computed ones rounded."""
    return {name: factor(v, digits) if not isinstance(v, (int, float)) else given_factor(v)
            for name, v in values.items()}


def _factor_of(p: DerivePrinter, expr: sp.Expr) -> str:
    """expr printed as a factor of a product: a sum in parentheses."""
    return rf"\left({p.doprint(expr)}\right)" if isinstance(expr, sp.Add) else p.doprint(expr)


@dataclass(frozen=True)
class UnitForms:
    """The formulas one unit's delta is printed with: dl/da, da/dz (None for softmax), a short form or None."""

    dL_da: sp.Expr
    da_dz: sp.Expr | None
    closed: sp.Expr | None


def unit_forms(graph: StepGraph, l: int, j: int) -> UnitForms:
    """Unit j's steps of layer l as printed (every example's alike): a leaky slope written as its number."""
    layer = graph.spec.layer(l)
    numbers = {s: sp.Float(layer.alpha, 15) for s, _ in graph.constants if s.name == rf"\alpha^{{({l})}}"}
    shown = (lambda expr: None if expr is None else expr.subs(numbers) if numbers else expr)
    da_dz = None if ACTIVATIONS[layer.activation].vector else graph.step(Q("da_dz", l, 1, j)).formula
    return UnitForms(graph.step(Q("dl_da", l, 1, j)).formula, shown(da_dz), shown(graph.step(Q("delta", l, 1, j)).display))


def _unit(graph: StepGraph, rule: UnitForms, printers: list[DerivePrinter], l: int, j: int,
          digits: int, rel: dict[Q, str], ell: str, layer_numbers: dict[int, dict]) -> dict:
    """delta_j of layer l: its factors, symbolic and substituted, for every example.

    layer_numbers[n] holds example n's values of every symbol the layer's rules can mention.
    """
    spec, value, N, closed = graph.spec, graph.value, len(graph.spec.inputs), rule.closed
    # only the numbers this unit's rules mention are formatted (a wide layer's rules mention few)
    used = {s.name for expr in (rule.dL_da, rule.da_dz, closed) if expr is not None for s in expr.free_symbols}
    examples = []
    for n, pn in enumerate(printers, start=1):
        numbers = {name: v for name, v in layer_numbers[n].items() if name in used}
        values = _shown(numbers, digits)
        dL_da, delta = value(Q("dl_da", l, n, j)), value(Q("delta", l, n, j))
        e = {"n": n, "a": pn.name(NAMES.a(l, j)), "z": pn.name(NAMES.z(l, j)),
             "delta": pn.name(NAMES.delta(l, j)), "ell": with_example(ell, n, N),
             "dL_da": pn.doprint(rule.dL_da), "dL_da_num": pn.substituted(rule.dL_da, values),
             "dL_da_val": tex(dL_da, digits), "dL_da_factor": factor(dL_da, digits),
             "dL_da_rel": rel[Q("dl_da", l, n, j)],
             "delta_val": tex(delta, digits), "delta_factor": factor(delta, digits),
             "delta_rel": rel[Q("delta", l, n, j)], "closed": "", "closed_num": "", "product": ""}
        if rule.da_dz is not None:
            # a piecewise derivative (ReLU) picks a branch: its value says which, no substitution needed
            da_dz = value(Q("da_dz", l, n, j))
            e.update({"da_dz": pn.doprint(rule.da_dz),
                      "da_dz_num": "" if rule.da_dz.has(sp.Piecewise) else pn.substituted(rule.da_dz, values),
                      "da_dz_val": tex(da_dz, digits), "da_dz_factor": factor(da_dz, digits),
                      "da_dz_rel": rel[Q("da_dz", l, n, j)]})
        if closed is not None:
            # the two factors side by side, so the reader sees what cancels before the short form;
            # the identity's factor is 1, and its delta is its dL/da: nothing to multiply out
            product = "" if rule.da_dz is None or is_identity(spec.layer(l).activation) else \
                f"{_factor_of(pn, rule.dL_da)} \\cdot {_factor_of(pn, rule.da_dz)}"
            e.update({"closed": pn.doprint(closed), "product": product, "closed_num": pn.substituted(closed, values),
                      "delta_rel": relation(delta, evaluated_on_shown(closed, numbers, digits), digits)})
        examples.append(e)
    return {"j": j, "examples": examples}


def _parameter(name: str, chain: dict[str, str], factors: list[tuple[str, str]], g: Any, g_rel: str,
               old: str, new: Any, new_rel: str, digits: int) -> dict:
    """One weight or bias: its chain-rule factors per example, gradient and updated value."""
    return {"name": name, **chain, "factors": factors, "value": tex(g, digits), "rel": g_rel,
            "value_factor": factor(g, digits), "old": old, "new": new if isinstance(new, str) else tex(new, digits),
            "new_rel": new_rel}


def _new(graph: StepGraph, q: Q) -> Any:
    """A parameter's value after the step: the updated one, a fixed bias as written, nothing without updates."""
    spec = graph.spec
    if not spec.updates:
        return ""
    return graph.value(q.updated()) if spec.train_bias or q.kind == "W" else given(float(graph.value(q)))


def _bias(graph: StepGraph, p: DerivePrinter, l: int, j: int, chain: dict[str, str],
          factors: list[tuple[str, str]], rel: dict[Q, str], digits: int) -> dict:
    """The bias of unit j (0: the layer's shared one): its gradient from the deltas, and its new value."""
    q = Q("b", l, 0, j)
    return {**_parameter(p.name(NAMES.b(l, j)), chain, factors, graph.value(q.gradient()), rel[q.gradient()],
                         given(float(graph.value(q))), _new(graph, q), rel.get(q.updated(), "="), digits),
            "shared": not j}


def backward_layer(graph: StepGraph, p: DerivePrinter,
                   printers: list[DerivePrinter], l: int, digits: int, rel: dict[Q, str], ell: str) -> dict[str, Any]:
    """Layer l of the backward pass: its deltas, then every weight's and bias's gradient."""
    spec = graph.spec
    layer, N = spec.layer(l), len(spec.inputs)
    vector = ACTIVATIONS[layer.activation].vector
    forms = [unit_forms(graph, l, j) for j in range(1, layer.units + 1)]
    examples = range(1, N + 1)
    layer_numbers = {n: _numbers(graph, l, n) for n in examples}  # once per example, shared by the units
    units = [_unit(graph, u, printers, l, j, digits, rel, ell, layer_numbers) for j, u in enumerate(forms, start=1)]
    # inside a sum over the examples, each per-example symbol carries the running index n
    each = (lambda name: with_example(name, "n", N))
    weights, biases = [], []
    for unit in units:
        j = unit["j"]
        chain = {"delta": each(p.name(NAMES.delta(l, j))), "a": each(p.name(NAMES.a(l, j))),
                 "z": each(p.name(NAMES.z(l, j))), "ell": each(ell)}
        deltas = [e["delta_factor"] for e in unit["examples"]]
        for k in range(1, spec.widths[l - 1] + 1):
            q = Q("W", l, 0, j, k)
            factors = [(d, input_value(graph, l - 1, n, k, digits)) for d, n in zip(deltas, examples)]
            weights.append(_parameter(p.name(NAMES.w(l, j, k)), {**chain, "input": each(p.name(NAMES.a(l - 1, k)))},
                                      factors, graph.value(q.gradient()), rel[q.gradient()],
                                      given(float(graph.value(q))), _new(graph, q), rel.get(q.updated(), "="), digits))
        if not layer.shared_bias:
            biases.append(_bias(graph, p, l, j, {**chain, "input": ""}, [(d, "") for d in deltas], rel, digits))
    if layer.shared_bias:
        # the one bias moves every z of the layer: its gradient sums the deltas of every unit (and example)
        chain = {"delta": r"\sum_{j} " + each(p.name(NAMES.delta(l, "j"))), "input": "", "ell": each(ell)}
        factors = [(unit["examples"][n]["delta_factor"], "") for n in range(N) for unit in units]
        biases.append(_bias(graph, p, l, 0, chain, factors, rel, digits))
    softmax = None
    if vector:
        out = range(1, layer.units + 1)
        softmax = {"simplified": forms[0].closed is not None,
                   "jacobians": [{"n": n, "J": matrix([[graph.value(Q("da_dz", l, n, j, m)) for m in out] for j in out],
                                                      digits),
                                  "dl_da": [tex(graph.value(Q("dl_da", l, n, j)), digits) for j in out],
                                  "delta": [tex(graph.value(Q("delta", l, n, j)), digits) for j in out]}
                                 for n in examples]}
    return {"l": l, "output": l == len(spec.layers), "activation": layer.activation, "units": units,
            "identity": is_identity(layer.activation), "closed": not vector and any(u.closed is not None for u in forms),
            "weights": weights, "biases": biases, "softmax": softmax, "next": l + 1,
            "train_bias": spec.train_bias}


def matrix(rows: list[list[Any]], digits: int) -> list[list[str]]:
    """A matrix of numbers as rows of LaTeX strings."""
    return [[tex(v, digits) for v in row] for row in rows]


def matrix_form(graph: StepGraph, digits: int) -> dict[str, Any]:
    """The layer-wise matrix equations with each matrix's numbers and dimensions."""
    spec, value = graph.spec, graph.value
    N, widths = len(spec.inputs), spec.widths
    table = [{"name": "X = A^{(0)}", "meaning": "inputs, one row per example", "dims": f"{N} \\times {widths[0]}"}]
    layers = []
    for l, layer in enumerate(spec.layers, start=1):
        n_out, n_in = widths[l], widths[l - 1]
        table += [
            {"name": f"W^{{({l})}}", "meaning": f"weights of layer {l}", "dims": f"{n_out} \\times {n_in}"},
            {"name": f"b^{{({l})}}", "meaning": f"the bias shared by the units of layer {l}" if layer.shared_bias
             else f"biases of layer {l}", "dims": r"\text{one number}" if layer.shared_bias else f"{n_out}"},
            {"name": f"Z^{{({l})}}", "meaning": f"weighted inputs of layer {l}", "dims": f"{N} \\times {n_out}"},
            {"name": f"A^{{({l})}}", "meaning": f"activations of layer {l}", "dims": f"{N} \\times {n_out}"},
            {"name": f"\\Delta^{{({l})}}", "meaning": f"deltas of layer {l}, one row per example",
             "dims": f"{N} \\times {n_out}"},
            {"name": f"\\partial L / \\partial W^{{({l})}}", "meaning": f"weight gradient of layer {l}",
             "dims": f"{n_out} \\times {n_in}"},
        ]
        units, inputs, examples = range(1, n_out + 1), range(1, n_in + 1), range(1, N + 1)
        grid = (lambda kind: [[value(Q(kind, l, 0, j, k)) for k in inputs] for j in units])
        biases = [Q("b", l, 0, j) for j in layer.bias_units]
        layers.append({"l": l, "activation": layer.activation, "output": l == len(spec.layers),
                       "shared_bias": layer.shared_bias,
                       "delta": matrix([[value(Q("delta", l, n, j)) for j in units] for n in examples], digits),
                       "dW": matrix(grid("dW"), digits),
                       "db": [tex(value(b.gradient()), digits) for b in biases],
                       "W_new": matrix(grid("W_new") if spec.updates else [], digits),
                       "b_new": [] if not spec.updates else [tex(value(b.updated()), digits) for b in biases]
                       if spec.train_bias else [given(float(value(b))) for b in biases]})
    return {"table": table, "layers": layers, "batch": N, "L": len(spec.layers), "T_dims": f"{N} \\times {widths[-1]}"}
