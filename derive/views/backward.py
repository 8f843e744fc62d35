"""View model of the backward pass: deltas by the chain rule, every weight's gradient, matrix form."""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..core.evaluate import Evaluation
from ..core.gradients import Gradients, UnitRule
from ..core.symbol_names import NAMES, with_example
from ..core.quantities import Quantity as Q
from ..core.spec import Spec
from .formatting import factor, given, tex
from .forward import given_factor, input_value, is_identity
from .printer import DerivePrinter
from .shown import evaluated_on_shown, relation


def _numbers(spec: Spec, ev: Evaluation, l: int, n: int) -> dict[str, Any]:
    """The value of every symbol a rule of layer l can mention, for example n (canonical names)."""
    layer, lv = spec.layers[l - 1], ev.layers[l - 1]
    values: dict[str, Any] = {NAMES.a(l, j + 1): lv.a[n][j] for j in range(layer.units)}
    values.update({NAMES.z(l, j + 1): lv.z[n][j] for j in range(layer.units)})
    if l == len(spec.layers):
        values.update({NAMES.t(k + 1): spec.targets[n][k] for k in range(layer.units)})
    else:
        nxt, nv = spec.layers[l], ev.layers[l]
        values.update({NAMES.delta(l + 1, m + 1): nv.delta[n][m] for m in range(nxt.units)})
        values.update({NAMES.w(l + 1, m + 1, k + 1): nxt.weights[m][k]
                       for m in range(nxt.units) for k in range(layer.units)})
    return values


def _shown(values: dict[str, Any], digits: int) -> dict[str, str]:
    """The same numbers as factors in a product: spec numbers as written, computed ones rounded."""
    return {name: factor(v, digits) if not isinstance(v, (int, float)) else given_factor(v)
            for name, v in values.items()}


def _factor_of(p: DerivePrinter, expr: sp.Expr) -> str:
    """expr printed as a factor of a product: a sum in parentheses."""
    return rf"\left({p.doprint(expr)}\right)" if isinstance(expr, sp.Add) else p.doprint(expr)


def _closed(rule: UnitRule, softmax_simplified: bool) -> sp.Expr | None:
    """delta in its short textbook form where one exists: a - t for softmax with cross-entropy."""
    return rule.delta if softmax_simplified else rule.closed


def _unit(spec: Spec, ev: Evaluation, rule: UnitRule, printers: list[DerivePrinter], l: int, j: int,
          digits: int, rel: dict[Q, str], ell: str, closed: sp.Expr | None, layer_numbers: list[dict]) -> dict:
    """delta_j of layer l: its factors, symbolic and substituted, for every example.

    layer_numbers[n] holds example n's values of every symbol the layer's rules can mention.
    """
    lv, N = ev.layers[l - 1], len(spec.inputs)
    # only the numbers this unit's rules mention are formatted (a wide layer's rules mention few)
    used = {s.name for expr in (rule.dL_da, rule.da_dz, closed) if expr is not None for s in expr.free_symbols}
    examples = []
    for n, pn in enumerate(printers):
        numbers = {name: v for name, v in layer_numbers[n].items() if name in used}
        values = _shown(numbers, digits)
        e = {"n": n + 1, "a": pn.name(NAMES.a(l, j + 1)), "z": pn.name(NAMES.z(l, j + 1)),
             "delta": pn.name(NAMES.delta(l, j + 1)), "ell": with_example(ell, n + 1, N),
             "dL_da": pn.doprint(rule.dL_da), "dL_da_num": pn.substituted(rule.dL_da, values),
             "dL_da_val": tex(lv.dL_da[n][j], digits), "dL_da_factor": factor(lv.dL_da[n][j], digits),
             "dL_da_rel": rel[Q("dl_da", l, n + 1, j + 1)],
             "delta_val": tex(lv.delta[n][j], digits), "delta_factor": factor(lv.delta[n][j], digits),
             "delta_rel": rel[Q("delta", l, n + 1, j + 1)], "closed": "", "closed_num": "", "product": ""}
        if rule.da_dz is not None:
            # a piecewise derivative (ReLU) picks a branch: its value says which, no substitution needed
            e.update({"da_dz": pn.doprint(rule.da_dz),
                      "da_dz_num": "" if rule.da_dz.has(sp.Piecewise) else pn.substituted(rule.da_dz, values),
                      "da_dz_val": tex(lv.da_dz[n][j], digits), "da_dz_factor": factor(lv.da_dz[n][j], digits),
                      "da_dz_rel": rel[Q("da_dz", l, n + 1, j + 1)]})
        if closed is not None:
            # the two factors side by side, so the reader sees what cancels before the short form;
            # the identity's factor is 1, and its delta is its dL/da: nothing to multiply out
            product = "" if rule.da_dz is None or is_identity(spec.layers[l - 1].activation) else \
                f"{_factor_of(pn, rule.dL_da)} \\cdot {_factor_of(pn, rule.da_dz)}"
            e.update({"closed": pn.doprint(closed), "product": product, "closed_num": pn.substituted(closed, values),
                      "delta_rel": relation(lv.delta[n][j], evaluated_on_shown(closed, numbers, digits), digits)})
        examples.append(e)
    return {"j": j + 1, "examples": examples}


def _parameter(name: str, chain: dict[str, str], factors: list[tuple[str, str]], g: Any, g_rel: str,
               old: str, new: Any, new_rel: str, digits: int) -> dict:
    """One weight or bias: its chain-rule factors per example, gradient and updated value."""
    return {"name": name, **chain, "factors": factors, "value": tex(g, digits), "rel": g_rel,
            "value_factor": factor(g, digits), "old": old, "new": new if isinstance(new, str) else tex(new, digits),
            "new_rel": new_rel}


def _bias(spec: Spec, ev: Evaluation, p: DerivePrinter, l: int, j: int, chain: dict[str, str],
          factors: list[tuple[str, str]], rel: dict[Q, str], digits: int) -> dict:
    """The bias of unit j (0: the layer's shared one): its gradient from the deltas, and its new value."""
    layer, lv = spec.layers[l - 1], ev.layers[l - 1]
    i = layer.bias_units.index(j)
    # a fixed bias as written; a gradient-only example has no new values
    new = "" if not spec.updates else lv.b_new[i] if spec.train_bias else given(layer.bias[i])
    return {**_parameter(p.name(NAMES.b(l, j)), chain, factors, lv.db[i], rel[Q("db", l, 0, j)], given(layer.bias[i]),
                         new, rel.get(Q("b_new", l, 0, j), "="), digits), "shared": not j}


def backward_layer(spec: Spec, ev: Evaluation, grads: Gradients, p: DerivePrinter,
                   printers: list[DerivePrinter], l: int, digits: int, rel: dict[Q, str], ell: str) -> dict[str, Any]:
    """Layer l of the backward pass: its deltas, then every weight's and bias's gradient."""
    layer, lv, rule = spec.layers[l - 1], ev.layers[l - 1], grads.layers[l - 1]
    N = len(spec.inputs)
    layer_numbers = [_numbers(spec, ev, l, n) for n in range(N)]  # once per example, shared by the units
    units = [_unit(spec, ev, u, printers, l, j, digits, rel, ell, _closed(u, rule.softmax_simplified), layer_numbers)
             for j, u in enumerate(rule.units)]
    # inside a sum over the examples, each per-example symbol carries the running index n
    each = (lambda name: with_example(name, "n", N))
    weights, biases = [], []
    for j, unit in enumerate(units):
        chain = {"delta": each(p.name(NAMES.delta(l, j + 1))), "a": each(p.name(NAMES.a(l, j + 1))),
                 "z": each(p.name(NAMES.z(l, j + 1))), "ell": each(ell)}
        deltas = [unit["examples"][n]["delta_factor"] for n in range(N)]
        for k in range(spec.widths[l - 1]):
            factors = [(deltas[n], input_value(spec, ev, l - 1, n, k, digits)) for n in range(N)]
            weights.append(_parameter(p.name(NAMES.w(l, j + 1, k + 1)), {**chain, "input": each(p.name(NAMES.a(l - 1, k + 1)))},
                                      factors, lv.dW[j][k], rel[Q("dW", l, 0, j + 1, k + 1)],
                                      given(layer.weights[j][k]), lv.W_new[j][k] if spec.updates else "",
                                      rel.get(Q("W_new", l, 0, j + 1, k + 1), "="), digits))
        if not layer.shared_bias:
            biases.append(_bias(spec, ev, p, l, j + 1, {**chain, "input": ""}, [(d, "") for d in deltas], rel, digits))
    if layer.shared_bias:
        # the one bias moves every z of the layer: its gradient sums the deltas of every unit (and example)
        chain = {"delta": r"\sum_{j} " + each(p.name(NAMES.delta(l, "j"))), "input": "", "ell": each(ell)}
        factors = [(unit["examples"][n]["delta_factor"], "") for n in range(N) for unit in units]
        biases.append(_bias(spec, ev, p, l, 0, chain, factors, rel, digits))
    softmax = None
    if rule.softmax_sum is not None:
        softmax = {"simplified": rule.softmax_simplified,
                   "jacobians": [{"n": n + 1, "J": matrix(lv.jacobian[n], digits),
                                  "dl_da": [tex(v, digits) for v in lv.dL_da[n]],
                                  "delta": [tex(v, digits) for v in lv.delta[n]]} for n in range(N)]}
    return {"l": l, "output": l == len(spec.layers), "activation": layer.activation, "units": units,
            "identity": is_identity(layer.activation), "closed": any(u.closed is not None for u in rule.units),
            "weights": weights, "biases": biases, "softmax": softmax, "next": l + 1,
            "train_bias": spec.train_bias}


def matrix(rows: list[list[Any]], digits: int) -> list[list[str]]:
    """A matrix of numbers as rows of LaTeX strings."""
    return [[tex(v, digits) for v in row] for row in rows]


def matrix_form(spec: Spec, ev: Evaluation, digits: int) -> dict[str, Any]:
    """The layer-wise matrix equations with each matrix's numbers and dimensions."""
    N, widths = len(spec.inputs), spec.widths
    table = [{"name": "X = A^{(0)}", "meaning": "inputs, one row per example", "dims": f"{N} \\times {widths[0]}"}]
    layers = []
    for l, (layer, lv) in enumerate(zip(spec.layers, ev.layers), start=1):
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
        layers.append({"l": l, "activation": layer.activation, "output": l == len(spec.layers),
                       "shared_bias": layer.shared_bias,
                       "delta": matrix(lv.delta, digits), "dW": matrix(lv.dW, digits),
                       "db": [tex(v, digits) for v in lv.db], "W_new": matrix(lv.W_new or [], digits),
                       "b_new": [] if not spec.updates else [tex(v, digits) for v in lv.b_new] if spec.train_bias
                       else [given(b) for b in layer.bias]})
    return {"table": table, "layers": layers, "batch": N, "L": len(spec.layers), "T_dims": f"{N} \\times {widths[-1]}"}
