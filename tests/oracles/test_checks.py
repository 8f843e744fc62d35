"""The cross-checks: they pass on correct gradients and name the parameter of a wrong one."""
from __future__ import annotations

import dataclasses

import pytest

from derive.core.evaluate import Evaluation, evaluate
from derive.core.quantities import Quantity
from derive.errors import CheckFailed
from derive.io.validate import parse_spec
from derive.oracles.checks import require, run_checks
from tests.specs import KINK_SPEC


def test_every_seed_passes_all_three_checks(seed):
    report = run_checks(seed, evaluate(seed), full_limit=40)
    assert [c.name for c in report.checks] == ["finite differences", "numpy backprop", "full symbolic derivative"]
    assert all(c.ran and c.passed for c in report.checks)
    assert report.checks[1].max_abs_error < 1e-12
    assert report.checks[2].max_abs_error == 0  # below the 40-digit noise floor


def test_a_wrong_gradient_is_caught_and_named(mazur):
    ev = evaluate(mazur)
    wrong = Quantity("dW", 1, 0, 2, 1)
    steps = tuple(dataclasses.replace(s, value=s.value * 1.01) if s.quantity == wrong else s for s in ev.graph.steps)
    broken = Evaluation(dataclasses.replace(ev.graph, steps=steps), ev.loss_history, ev.final)
    assert broken.layers[0].dW[1][0] == ev.layers[0].dW[1][0] * 1.01
    report = run_checks(mazur, broken)
    assert not report.passed
    assert all(not c.passed for c in report.checks)
    with pytest.raises(CheckFailed, match=r"check 'finite differences' disagrees .* at dL/dW1\[2,1\]"):
        require(report)


def test_the_full_check_is_skipped_visibly_above_its_limit(mazur):
    report = run_checks(mazur, evaluate(mazur), full_limit=5)
    full = report.checks[2]
    assert not full.ran and "over the limit of 5" in full.note
    assert report.passed


def test_parameters_upstream_of_a_relu_kink_are_not_compared_by_finite_differences():
    spec = parse_spec("""
inputs: [[1.0, 0.5]]
targets: [[1.0]]
layers:
  - {units: 2, activation: relu, weights: [[1.0, -2.0], [0.5, 0.5]], bias: 0.0}
  - {units: 1, activation: identity, weights: [[2.0, 1.0]], bias: 0.5}
loss: half_sse
learning_rate: 0.1
""", "kink.yaml")
    report = run_checks(spec, evaluate(spec))
    fd = report.checks[0]
    # unit 1 of layer 1 sits exactly at z = 0: its weights and bias are not compared
    assert fd.compared == spec.n_parameters - 3 and "3 parameters" in fd.note
    assert report.passed


def test_a_relu_input_at_exactly_zero_is_left_out_of_the_float_oracles_and_said_so():
    """0.1 + 0.2 - 0.3 is exactly 0 (ReLU' = 0, as PyTorch at 0); float64 makes it 5.6e-17 (ReLU' = 1)."""
    from derive.pipeline import derive
    example = derive(parse_spec(KINK_SPEC, "kink.yaml"), full_check_limit=40)  # raises if a check disagrees
    by_name = {c.name: c for c in example.checks.checks}
    for name in ("numpy backprop", "full symbolic derivative"):
        assert "4 parameters upstream of a ReLU input at exactly 0 not compared" in by_name[name].note
        assert by_name[name].compared == 2  # the output layer's weight and bias still are
    assert example.data["layers"][0]["dW"] == [[0.0, 0.0, 0.0]]
    # a kink that is not exact stays compared by the numpy backprop
    near = derive(parse_spec(KINK_SPEC.replace("-0.3", "-0.29"), "near.yaml"))
    assert next(c for c in near.checks.checks if c.name == "numpy backprop").compared == 6
