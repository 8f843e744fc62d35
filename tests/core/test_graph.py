"""The step graph: each value is its formula evaluated; documents show those values; recompute carries errors forward."""
from __future__ import annotations

from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.core.graph import build_graph, recompute
from derive.core.quantities import Quantity as Q
from derive.errors import AddressError
from derive.io.validate import parse_spec, spec_from_data
from derive.pipeline import derive
from derive.views.document import Options
from derive.views.formatting import tex
from tests.conftest import MAZUR

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _sympy_value(step, graph):
    """The step's formula evaluated by SymPy itself (not the compiled graph), from the values it reads."""
    values = {s: sp.Float(mpmath.nstr(graph.value(q), 45), 45) for s, q in step.reads}
    values.update({s: sp.Float(mpmath.nstr(v, 45), 45) for s, v in graph.constants})
    return step.formula.xreplace(values).evalf(40)


def test_every_value_is_its_formula_evaluated(seed):
    graph = build_graph(seed)
    computed = [s for s in graph.steps if not s.given]
    assert computed
    for step in computed:
        expected = _sympy_value(step, graph)
        assert abs(float(expected) - float(step.value)) <= 1e-25 * (1 + abs(float(step.value))), step.quantity


def test_every_value_is_its_formula_evaluated_in_a_batch_with_leaky_relu():
    graph = build_graph(parse_spec((GOLDEN / "batch.yaml").read_text(), "batch.yaml"))
    for step in graph.steps:
        if not step.given:
            assert abs(float(_sympy_value(step, graph)) - float(step.value)) <= 1e-25 * (1 + abs(float(step.value)))


def test_steps_come_in_computation_order_and_read_only_earlier_steps(seed):
    graph = build_graph(seed)
    for i, step in enumerate(graph.steps):
        assert all(graph.index[q] < i for _, q in step.reads), step.quantity
    kinds = [s.quantity.kind for s in graph.steps]
    assert kinds.index("loss") < kinds.index("dl_da") < kinds.index("W_new")


def test_every_formula_symbol_is_a_read_quantity_or_a_constant(seed):
    graph = build_graph(seed)
    constants = {s for s, _ in graph.constants}
    for step in graph.steps:
        if not step.given:
            assert step.formula.free_symbols <= {s for s, _ in step.reads} | constants


def test_the_document_shows_the_values_of_the_graph_steps():
    """Every chain-rule number printed comes from its step: dl/da, f'(z), delta, z, a, gradient, update."""
    spec = parse_spec((GOLDEN / "batch.yaml").read_text(), "batch.yaml")
    example = derive(spec)
    doc = example.document(Options(detail="full"))
    graph, digits = example.graph, 6
    for layer in doc["backward"]:
        l = layer["l"]
        for unit in layer["units"]:
            for e in unit["examples"]:
                q = dict(layer=l, example=e["n"], unit=unit["j"])
                assert e["dL_da_val"] == tex(graph.value(Q("dl_da", **q)), digits)
                assert e["delta_val"] == tex(graph.value(Q("delta", **q)), digits)
                if e["da_dz_val"]:
                    assert e["da_dz_val"] == tex(graph.value(Q("da_dz", **q)), digits)
        for w, (j, k) in zip(layer["weights"], [(j, k) for j in range(1, spec.widths[l] + 1)
                                                 for k in range(1, spec.widths[l - 1] + 1)]):
            assert w["value"] == tex(graph.value(Q("dW", l, 0, j, k)), digits)
            assert w["new"] == tex(graph.value(Q("W_new", l, 0, j, k)), digits)
    for ex in doc["forward"]:
        for layer in ex["layers"]:
            for j, unit in enumerate(layer["units"], 1):
                assert unit["z_val"] == tex(graph.value(Q("z", layer["l"], ex["n"], j)), digits)
                assert unit["a_val"] == tex(graph.value(Q("a", layer["l"], ex["n"], j)), digits)
    assert doc["loss"]["mean"] == tex(graph.value(Q("loss")), digits)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_recompute_carries_an_overridden_hidden_activation_forward():
    """A person who wrote a^(1)_1 = 0.6: every later number follows from 0.6, computed apart in numpy."""
    spec = parse_spec(MAZUR, "mazur.yaml")
    graph = recompute(build_graph(spec), {Q("a", 1, 1, 1): 0.6})
    x, t = np.array(spec.inputs[0]), np.array(spec.targets[0])
    W1, W2 = np.array(spec.layers[0].weights), np.array(spec.layers[1].weights)
    b1, b2 = np.array(spec.layers[0].bias), np.array(spec.layers[1].bias)
    z1 = W1 @ x + b1
    a1 = _sigmoid(z1)
    a1[0] = 0.6
    a2 = _sigmoid(W2 @ a1 + b2)
    delta2 = (a2 - t) * a2 * (1 - a2)
    dl_da1 = W2.T @ delta2
    delta1 = dl_da1 * a1 * (1 - a1)  # f'(z) as a(1 - a), from the person's own a
    expected = {Q("z", 1, 1, 1): z1[0], Q("loss"): 0.5 * ((t - a2) ** 2).sum(),
                Q("delta", 2, 1, 1): delta2[0], Q("dl_da", 1, 1, 1): dl_da1[0], Q("delta", 1, 1, 1): delta1[0],
                Q("dW", 2, 0, 1, 1): delta2[0] * a1[0], Q("dW", 1, 0, 1, 2): delta1[0] * x[1],
                Q("W_new", 1, 0, 1, 1): W1[0, 0] - 0.5 * delta1[0] * x[0]}
    for q, value in expected.items():
        assert float(graph.value(q)) == pytest.approx(value, rel=1e-12, abs=1e-15), q
    assert float(build_graph(spec).value(Q("loss"))) != pytest.approx(float(graph.value(Q("loss"))), rel=1e-6)


def test_recompute_of_a_given_weight_is_a_new_variant():
    spec = parse_spec(MAZUR, "mazur.yaml")
    changed = recompute(build_graph(spec), {Q("W", 2, 0, 1, 1): 0.3})
    other = parse_spec(MAZUR.replace("[[0.40, 0.45]", "[[0.30, 0.45]"), "other.yaml")
    fresh = build_graph(other)
    for step in fresh.steps:
        assert float(changed.value(step.quantity)) == pytest.approx(float(step.value), rel=1e-30, abs=1e-35)


def test_recompute_refuses_a_quantity_the_graph_does_not_have():
    with pytest.raises(AddressError, match="not a quantity of this network"):
        recompute(build_graph(parse_spec(MAZUR, "m.yaml")), {Q("a", 5, 1, 1): 0.1})


def test_dependencies_name_the_chain_rule_factors():
    graph = build_graph(parse_spec(MAZUR, "m.yaml"))
    assert set(graph.dependencies(Q("delta", 2, 1, 1))) == {Q("dl_da", 2, 1, 1), Q("da_dz", 2, 1, 1)}
    assert set(graph.dependencies(Q("dl_da", 1, 1, 1))) == {Q("delta", 2, 1, 1), Q("delta", 2, 1, 2),
                                                            Q("W", 2, 0, 1, 1), Q("W", 2, 0, 2, 1)}


def test_softmax_cross_entropy_deltas_are_exact_when_decimal_targets_miss_one():
    """1/3 and 2/3 as decimals sum to 0.9999999999999999: delta must be the Jacobian sum, not a - t."""
    spec = spec_from_data({"inputs": [[0.0]], "targets": [[1 / 3, 2 / 3]], "loss": "cross_entropy",
                           "learning_rate": 0.01, "layers": [{"units": 2, "activation": "softmax",
                                                              "weights": [[0.0], [0.0]], "bias": 0.0}]}, "x")
    checks = derive(spec, full_check_limit=40).checks  # raises CheckFailed if a check that ran disagrees
    assert all(c.ran for c in checks.checks)


def _sigmoid_mp(z):
    return 1 / (1 + mpmath.exp(-z))


def test_an_output_saturated_towards_0_beyond_float64_is_refused_naming_the_output_and_remedy():
    """sigmoid-bce-2-2-1 with an output bias of -1000: a is about 1e-435, and dl/da = -1/a leaves float64."""
    from derive.errors import NumericalError
    from derive.io.examples import example_text

    spec = parse_spec(example_text("sigmoid-bce-2-2-1").replace("bias: 0.05", "bias: -1000"), "x.yaml")
    with mpmath.workdps(40):  # the forward pass by hand: x = (0.5, 0.8), t = 1
        h = [_sigmoid_mp(0.1 + 0.2 * 0.5 - 0.4 * 0.8), _sigmoid_mp(-0.2 + 0.7 * 0.5 + 0.1 * 0.8)]
        a = _sigmoid_mp(0.6 * h[0] - 0.3 * h[1] - 1000)
        expected = (f"output a(2)_1 of example 1 is {mpmath.nstr(a, 3)}, nearer 0 than float64's 2.2e-308, "
                    f"so dl/da(2)_1 is {mpmath.nstr(-1 / a, 3)}, beyond float64's 1.8e+308, in the "
                    "binary_cross_entropy loss: use smaller weights or inputs into layer 2")
    with pytest.raises(NumericalError) as caught:  # before any document or JSON is made
        derive(spec)
    assert str(caught.value).startswith(expected)


def test_a_value_beyond_float64_without_a_saturated_output_names_the_value():
    """Sixty identity layers of weight 1e6 reach 1e312 at layer 52."""
    from derive.errors import NumericalError

    layers = [{"units": 1, "activation": "identity", "weights": [[1e6]], "bias": 0} for _ in range(60)]
    spec = spec_from_data({"inputs": [[1.0]], "targets": [[0.5]], "loss": "half_sse", "learning_rate": 0.1,
                           "layers": layers}, "x")
    with pytest.raises(NumericalError, match=r"^z\(52\)_1 is 1\.0e\+312, beyond float64"):
        build_graph(spec)
