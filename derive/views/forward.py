"""View model of the forward pass and the loss: equations, substituted numbers, values."""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..core.activations import ACTIVATIONS
from ..core.activations import alpha as alpha_sym
from ..core.evaluate import Evaluation
from ..core.gradients import Gradients, layer_symbols, symbols
from ..core.names import NAMES
from ..core.spec import Spec
from .formatting import as_factor, factor, given, tex
from .printer import DerivePrinter


def given_factor(x: float) -> str:
    """A spec number, as written, as a factor in a product."""
    return as_factor(given(x))


def input_value(spec: Spec, ev: Evaluation, l: int, n: int, k: int, digits: int) -> str:
    """a^{(l)}_k of example n as a factor: inputs as written, activations rounded."""
    if l == 0:
        return given_factor(spec.inputs[n][k])
    return factor(ev.layers[l - 1].a[n][k], digits)


def activation_definition(p: DerivePrinter, act_name: str, alpha: float) -> dict[str, str]:
    """f(z) and its textbook derivative f'(z), in the generic symbols z and a."""
    act = ACTIVATIONS[act_name]
    if act.vector:
        return {"f": "", "derivative": ""}
    values = {alpha_sym: sp.Float(alpha, 15)} if act.has_parameter else {}
    return {"f": p.doprint(act.f.subs(values)), "derivative": p.doprint(act.textbook_derivative.subs(values))}


def forward_example(spec: Spec, ev: Evaluation, p: DerivePrinter, n: int, digits: int) -> list[dict[str, Any]]:
    """Every layer of example n, neuron by neuron."""
    layers = []
    for l, (layer, lv) in enumerate(zip(spec.layers, ev.layers), start=1):
        act = ACTIVATIONS[layer.activation]
        units = []
        for j in range(layer.units):
            terms = [{"w": p.name(NAMES.w(l, j + 1, k + 1)), "a": p.name(NAMES.a(l - 1, k + 1)),
                      "w_val": given_factor(layer.weights[j][k]),
                      "a_val": input_value(spec, ev, l - 1, n, k, digits)}
                     for k in range(spec.widths[l - 1])]
            units.append({
                "z": p.name(NAMES.z(l, j + 1)), "a": p.name(NAMES.a(l, j + 1)),
                "b": p.name(NAMES.b(l, j + 1)), "b_val": given_factor(layer.bias[j]), "terms": terms,
                "z_val": tex(lv.z[n][j], digits), "z_factor": factor(lv.z[n][j], digits),
                "a_val": tex(lv.a[n][j], digits),
            })
        layers.append({"l": l, "activation": layer.activation, "f": act.tex, "softmax": act.vector,
                       "units": units, "z_factors": [factor(v, digits) for v in lv.z[n]],
                       "z": [tex(v, digits) for v in lv.z[n]], "a": [tex(v, digits) for v in lv.a[n]]})
    return layers


def loss_view(spec: Spec, ev: Evaluation, grads: Gradients, p: DerivePrinter, digits: int) -> dict[str, Any]:
    """The per-example loss formula, each example's numbers, and the mean."""
    L, K = len(spec.layers), spec.layers[-1].units
    a_out, t = layer_symbols("a", L, K), symbols("t", K)
    examples = []
    for n in range(len(spec.inputs)):
        values = {s.name: factor(v, digits) for s, v in zip(a_out, ev.layers[-1].a[n])}
        values.update({s.name: given_factor(v) for s, v in zip(t, spec.targets[n])})
        examples.append({"n": n + 1, "substituted": p.substituted(grads.loss, values),
                         "value": tex(ev.example_losses[n], digits),
                         "targets": [given(v) for v in spec.targets[n]]})
    return {"formula": p.doprint(grads.loss), "examples": examples, "mean": tex(ev.loss, digits),
            "terms": [factor(v, digits) for v in ev.example_losses], "batch": len(spec.inputs),
            "targets": [p.name(s.name) for s in t]}
