"""View model of the backward pass: deltas by the chain rule, every weight's gradient, matrix form."""
from __future__ import annotations

from typing import Any

from ..core.evaluate import Evaluation
from ..core.gradients import Gradients
from ..core.names import NAMES
from ..core.spec import Spec
from .formatting import factor, tex
from .forward import given_factor, input_value
from .printer import DerivePrinter


def _values(spec: Spec, ev: Evaluation, l: int, n: int, digits: int) -> dict[str, str]:
    """Formatted numbers of every symbol a rule of layer l can mention, for example n."""
    layer, lv = spec.layers[l - 1], ev.layers[l - 1]
    values = {NAMES.a(l, j + 1): factor(lv.a[n][j], digits) for j in range(layer.units)}
    values.update({NAMES.z(l, j + 1): factor(lv.z[n][j], digits) for j in range(layer.units)})
    if l == len(spec.layers):
        values.update({NAMES.t(k + 1): given_factor(v) for k, v in enumerate(spec.targets[n])})
    else:
        nxt, nv = spec.layers[l], ev.layers[l]
        values.update({NAMES.delta(l + 1, m + 1): factor(nv.delta[n][m], digits) for m in range(nxt.units)})
        values.update({NAMES.w(l + 1, m + 1, k + 1): given_factor(nxt.weights[m][k])
                       for m in range(nxt.units) for k in range(layer.units)})
    return values


def _unit(spec: Spec, ev: Evaluation, grads: Gradients, p: DerivePrinter, l: int, j: int, digits: int) -> dict:
    """delta_j of layer l: its factors, symbolic and substituted, for every example."""
    rule = grads.layers[l - 1].units[j]
    lv = ev.layers[l - 1]
    examples = []
    for n in range(len(spec.inputs)):
        values = _values(spec, ev, l, n, digits)
        examples.append({
            "n": n + 1,
            "dL_da_num": p.substituted(rule.dL_da, values), "dL_da_val": tex(lv.dL_da[n][j], digits),
            "dL_da_factor": factor(lv.dL_da[n][j], digits),
            "da_dz_num": p.substituted(rule.da_dz, values) if rule.da_dz is not None else "",
            "da_dz_val": tex(lv.da_dz[n][j], digits) if lv.da_dz is not None else "",
            "da_dz_factor": factor(lv.da_dz[n][j], digits) if lv.da_dz is not None else "",
            "delta_num": p.substituted(rule.delta, values),
            "delta_val": tex(lv.delta[n][j], digits), "delta_factor": factor(lv.delta[n][j], digits),
        })
    return {
        "j": j + 1, "delta": p.name(NAMES.delta(l, j + 1)), "a": p.name(NAMES.a(l, j + 1)),
        "z": p.name(NAMES.z(l, j + 1)), "dL_da": p.doprint(rule.dL_da),
        "da_dz": p.doprint(rule.da_dz) if rule.da_dz is not None else "",
        "delta_expr": p.doprint(rule.delta), "examples": examples,
    }


def _parameter(name: str, unit: dict, a_name: str, factors: list[tuple[str, str]],
               g: Any, old: str, new: Any, rate: str, digits: int) -> dict:
    """One weight or bias: its chain-rule factors per example, gradient and updated value."""
    return {"name": name, "delta": unit["delta"], "a": unit["a"], "z": unit["z"], "input": a_name,
            "factors": factors, "value": tex(g, digits), "value_factor": factor(g, digits),
            "old": old, "new": tex(new, digits), "rate": rate}


def backward_layer(spec: Spec, ev: Evaluation, grads: Gradients, p: DerivePrinter, l: int,
                   digits: int) -> dict[str, Any]:
    """Layer l of the backward pass: its deltas, then every weight's and bias's gradient."""
    layer, lv, rule = spec.layers[l - 1], ev.layers[l - 1], grads.layers[l - 1]
    units = [_unit(spec, ev, grads, p, l, j, digits) for j in range(layer.units)]
    rate = factor(spec.learning_rate, digits)
    N = len(spec.inputs)
    weights, biases = [], []
    for j, unit in enumerate(units):
        for k in range(spec.widths[l - 1]):
            a_name = p.name(NAMES.a(l - 1, k + 1))
            factors = [(unit["examples"][n]["delta_factor"], input_value(spec, ev, l - 1, n, k, digits))
                       for n in range(N)]
            weights.append(_parameter(p.name(NAMES.w(l, j + 1, k + 1)), unit, a_name, factors, lv.dW[j][k],
                                      given_factor(layer.weights[j][k]), lv.W_new[j][k], rate, digits))
        factors = [(unit["examples"][n]["delta_factor"], "") for n in range(N)]
        biases.append(_parameter(p.name(NAMES.b(l, j + 1)), unit, "", factors, lv.db[j],
                                 given_factor(layer.bias[j]), lv.b_new[j], rate, digits))
    softmax = None
    if rule.softmax_sum is not None:
        softmax = {"simplified": rule.softmax_simplified,
                   "sums": [p.doprint(s) for s in rule.softmax_sum]}
    return {"l": l, "output": l == len(spec.layers), "activation": layer.activation, "units": units,
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
            {"name": f"b^{{({l})}}", "meaning": f"biases of layer {l}", "dims": f"{n_out}"},
            {"name": f"Z^{{({l})}}", "meaning": f"weighted inputs of layer {l}", "dims": f"{N} \\times {n_out}"},
            {"name": f"A^{{({l})}}", "meaning": f"activations of layer {l}", "dims": f"{N} \\times {n_out}"},
            {"name": f"\\Delta^{{({l})}}", "meaning": f"deltas of layer {l}", "dims": f"{N} \\times {n_out}"},
            {"name": f"\\partial L / \\partial W^{{({l})}}", "meaning": f"weight gradient of layer {l}",
             "dims": f"{n_out} \\times {n_in}"},
        ]
        layers.append({"l": l, "activation": layer.activation, "output": l == len(spec.layers),
                       "delta": matrix(lv.delta, digits), "dW": matrix(lv.dW, digits),
                       "db": [tex(v, digits) for v in lv.db], "W_new": matrix(lv.W_new, digits),
                       "b_new": [tex(v, digits) for v in lv.b_new]})
    return {"table": table, "layers": layers, "batch": N, "L": len(spec.layers)}
