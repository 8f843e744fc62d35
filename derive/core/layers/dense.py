"""The dense layer: z = W a + b, a = f(z); its local derivatives, deltas and gradients, as steps of the graph."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from ..activations import ACTIVATIONS
from ..activations import alpha as alpha_sym
from ..activations import z as z_sym
from ..axes import LayerShape, dense_layer
from ..gradients import hidden_gradient, layer_rule, output_gradient, softmax_jacobian
from ..quantities import KINDS
from ..quantities import Quantity as Q
from ..symbol_names import NAMES, alpha_symbol, derivative_name, with_example
from . import LayerKind

if TYPE_CHECKING:
    from ..graph_build import Builder
    from ..spec import Spec

def forward(build: Builder, l: int, after: bool = False) -> None:
    """z^{(l)}_j = sum_k w_jk a_k + b_j (b, shared) and a^{(l)}_j = f(z_j), for every example.

    after: the same pass with the updated parameters, into z_after and a_after.
    """
    layer, widths = build.spec.layers[l - 1], build.spec.widths
    act = ACTIVATIONS[layer.activation]
    z = [sp.Symbol(NAMES.z(l, j)) for j in range(1, layer.units + 1)]
    # every example's steps have the same formulas: only what their symbols mean differs
    sums = [sp.Add(*[sp.Symbol(NAMES.w(l, j, k)) * sp.Symbol(NAMES.a(l - 1, k)) for k in range(1, widths[l - 1] + 1)],
                   sp.Symbol(NAMES.b(l, 0 if layer.shared_bias else j))) for j in range(1, layer.units + 1)]
    if act.vector:
        # shifted by the largest z: the same value, and finite in floats for any z
        top = sp.Max(*z)
        outputs = [sp.exp(z[j - 1] - top) / sp.Add(*[sp.exp(zk - top) for zk in z]) for j in range(1, layer.units + 1)]
    else:
        outputs = [act.f.subs({z_sym: z[j - 1], alpha_sym: alpha_symbol(l)}) for j in range(1, layer.units + 1)]
    for n in range(1, build.N + 1):
        # the forward pass after the step reads the updated parameters and its own earlier layers
        meaning = {name: q.after() if after and KINDS[q.kind].after else q
                   for name, q in build.example_meaning(n, l).items()}
        for j, formula in enumerate(sums, 1):
            z_q = Q("z", l, n, j)
            build.add(z_q.after() if after else z_q, formula, meaning)
        for j, formula in enumerate(outputs, 1):
            a_q = Q("a", l, n, j)
            build.add(a_q.after() if after else a_q, formula, meaning)


def backward(build: Builder, l: int) -> None:
    """dl/da, da/dz and delta of layer l for every example, then the layer's gradients."""
    spec = build.spec
    layer = spec.layers[l - 1]
    dL_da = output_gradient(spec)[1] if l == len(spec.layers) else hidden_gradient(spec, l)
    rule = layer_rule(spec, l, dL_da)
    vector = ACTIVATIONS[layer.activation].vector
    units = range(1, layer.units + 1)
    # the same formulas for every example, built once
    da_dz = [[softmax_jacobian(l, j, m) for m in units] for j in units] if vector else \
        [rule.units[j - 1].da_dz for j in units]
    # softmax: the Jacobian sum itself, not its a - t form, which holds only when the
    # targets sum to exactly 1 (written as decimals, 1/3 + 2/3 may miss by 1e-16)
    deltas = [rule.softmax_sum[j - 1] if vector else
              sp.Symbol(derivative_name("dl_da", l, j)) * sp.Symbol(derivative_name("da_dz", l, j)) for j in units]
    # printed: a - t for softmax with cross-entropy, the product multiplied out where it is shorter
    shown = [unit.delta if rule.softmax_simplified else unit.closed for unit in rule.units]
    for n in range(1, build.N + 1):
        meaning = build.example_meaning(n, l)
        for j in units:
            build.add(Q("dl_da", l, n, j), dL_da[j - 1], meaning)
        for j in units:
            if vector:
                for m in units:
                    build.add(Q("da_dz", l, n, j, m), da_dz[j - 1][m - 1], meaning)
            else:
                build.add(Q("da_dz", l, n, j), da_dz[j - 1], meaning)
        for j in units:
            build.add(Q("delta", l, n, j), deltas[j - 1], meaning, display=shown[j - 1])
    gradients(build, l)


def gradients(build: Builder, l: int) -> None:
    """dL/dw_jk = (1/N) sum_n delta_j a_k and dL/db_j = (1/N) sum_n delta_j (without 1/N for a summed loss).

    A bias the layer's units share adds to every z of the layer: its gradient sums the deltas of all units.
    """
    widths, N, divisor = build.spec.widths, build.N, build.spec.divisor
    every: dict[str, Q] = {}
    for j in range(1, widths[l] + 1):
        deltas = {with_example(NAMES.delta(l, j), n, N): Q("delta", l, n, j) for n in range(1, N + 1)}
        every.update(deltas)
        for k in range(1, widths[l - 1] + 1):
            inputs = {with_example(NAMES.a(l - 1, k), n, N): Q("x" if l == 1 else "a", l - 1, n, k)
                      for n in range(1, N + 1)}
            terms = [sp.Symbol(d) * sp.Symbol(a) for d, a in zip(deltas, inputs)]
            build.add(Q("dW", l, 0, j, k), sp.Add(*terms) / divisor, {**deltas, **inputs})
        if not build.spec.layers[l - 1].shared_bias:
            build.add(Q("db", l, 0, j), sp.Add(*[sp.Symbol(d) for d in deltas]) / divisor, deltas)
    if build.spec.layers[l - 1].shared_bias:
        build.add(Q("db", l, 0, 0), sp.Add(*[sp.Symbol(d) for d in every]) / divisor, every)


def given(spec: Spec, l: int) -> list[tuple[Q, float]]:
    """The layer's weights, then its biases (one where its units share it), with the spec's numbers."""
    layer = spec.layers[l - 1]
    return [(Q("W", l, 0, j, k), w) for j, row in enumerate(layer.weights, 1) for k, w in enumerate(row, 1)] + \
        [(Q("b", l, 0, j), b) for j, b in zip(layer.bias_units, layer.bias)]


def meaning(spec: Spec, l: int, n: int) -> dict[str, Q]:
    """What the layer's unindexed symbols mean for example n: z, a, delta, the derivatives, w and b."""
    widths, m = spec.widths, {}
    for j in range(1, widths[l] + 1):
        for kind, name in (("z", NAMES.z), ("a", NAMES.a), ("delta", NAMES.delta)):
            m[name(l, j)] = Q(kind, l, n, j)
        m[derivative_name("dl_da", l, j)] = Q("dl_da", l, n, j)
        m[derivative_name("da_dz", l, j)] = Q("da_dz", l, n, j)
        for k in range(1, widths[l - 1] + 1):
            m[NAMES.w(l, j, k)] = Q("W", l, 0, j, k)
    for j in spec.layers[l - 1].bias_units:
        m[NAMES.b(l, j)] = Q("b", l, 0, j)
    return m


def symbol(q: Q) -> str:
    """The canonical symbol of a weight or bias of the layer, or of its gradient: w^{(l)}_{jk}, dL/db^{(l)}_j."""
    if q.role == "gradient":
        return derivative_name("dL", q.layer, q.unit, q.input, bias=q.of_bias)
    return NAMES.b(q.layer, q.unit) if q.of_bias else NAMES.w(q.layer, q.unit, q.input)


def shape(spec: Spec, l: int) -> LayerShape:
    """Its width and fan-in; a Jacobian where the activation couples the units, a bias per unit unless shared."""
    layer = spec.layers[l - 1]
    return dense_layer(layer.units, spec.widths[l - 1], ACTIVATIONS[layer.activation].vector, layer.shared_bias)


DENSE = LayerKind("dense", "a fully connected layer: z = W a + b, a = f(z)", forward, backward, given, meaning,
                  symbol, shape, parameters=("W", "b"), quantities=("z", "a", "dl_da", "da_dz", "delta", "dW", "db"),
                  after=("z_after", "a_after"))
