"""Exams rounded to significant figures: each number's unit from its size, tolerances a hand calculation stays within."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from derive.cli import main
from derive.core.tolerance import Digits
from derive.io.load import load


def exam(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "exam"
    result = CliRunner().invoke(main, ["exam", *args, "--format", "json,md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads((out / "answers.json").read_text())


@pytest.mark.parametrize("digits, value, half, written", [
    (Digits(4, significant=True), -0.0026, 5e-7, "-0.002600"),
    (Digits(4), -0.0026, 5e-5, "-0.0026"),
    (Digits(3, significant=True), 12.345, 0.05, "12.3"),
    (Digits(3, significant=True), 0.0, 0.0, "0.00"),
])
def test_significant_figures_take_their_unit_from_each_value(digits, value, half, written):
    assert digits.half_unit(value) == pytest.approx(half)
    assert digits.written(value) == written


def test_a_pre_activation_s_tolerance_is_its_own_rounding_at_its_own_size(tmp_path):
    # z = w x + b reads only given numbers: its tolerance is 1.5 half units of its own last figure
    answers = exam(tmp_path, "--layers", "1,1", "--activations", "identity", "--questions", "z",
                   "--significant", "3", "--variants", "12")
    for a in answers:
        exponent = math.floor(math.log10(abs(a["value"])))
        assert a["tolerance"] == pytest.approx(1.5 * 0.5 * 10.0 ** (exponent - 2), rel=0.07)
        assert a["rounding"] == "3 significant figures"
        assert a["rounded"] == f"{a['value']:.{max(0, 2 - exponent)}f}"


def _sig(x, figures: int = 4):
    """Rounded to so many significant figures, elementwise (0 stays 0)."""
    x = np.asarray(x, dtype=float)
    exponent = np.floor(np.log10(np.where(x == 0, 1.0, np.abs(x))))
    scale = 10.0 ** (figures - 1 - exponent)
    return np.round(x * scale) / scale


def _by_hand(spec) -> dict:
    """The 2-2-2 sigmoid step worked as a person does: every number written to 4 significant figures."""
    x, t = np.array(spec.inputs[0]), np.array(spec.targets[0])
    (W1, b1), (W2, b2) = [(np.array(l.weights), np.array(l.bias)) for l in spec.layers]
    z1 = _sig(W1 @ x + b1)
    a1 = _sig(1 / (1 + np.exp(-z1)))
    z2 = _sig(W2 @ a1 + b2)
    a2 = _sig(1 / (1 + np.exp(-z2)))
    loss = _sig(0.5 * np.sum((t - a2) ** 2))
    d2 = _sig(_sig(a2 - t) * _sig(a2 * (1 - a2)))
    d1 = _sig(_sig(W2.T @ d2) * _sig(a1 * (1 - a1)))
    dW2, dW1 = _sig(np.outer(d2, a1)), _sig(np.outer(d1, x))
    rate = spec.learning_rate
    return {"loss": loss, "layers": [
        {"z": [z1], "a": [a1], "dW": dW1, "db": d1, "W_new": _sig(W1 - rate * dW1)},
        {"z": [z2], "a": [a2], "dW": dW2, "db": d2, "W_new": _sig(W2 - rate * dW2)}]}


def test_a_hand_calculation_rounding_to_significant_figures_stays_within_the_tolerances(tmp_path):
    answers = exam(tmp_path, "--layers", "2,2,2", "--activations", "sigmoid", "--loss", "half_sse",
                   "--significant", "4", "--variants", "20", "--seed", "3")
    small = 0
    for a in answers:
        spec = load(str(tmp_path / "exam" / "variants" / f"{a['variant']}.yaml"))
        hand = _by_hand(spec)
        for field, index in re.findall(r"(\w+)|\[(\d+)\]", a["quantity"]):
            hand = hand[field] if field else hand[int(index)]
        assert abs(float(hand) - a["value"]) <= a["tolerance"], a
        small += abs(a["value"]) < 0.01
        # four significant figures are asked for, whatever the size: the tolerance is a small part of it
        # (at 4 decimals a gradient of 0.0007 would be accepted within about 0.0001, a seventh of it)
        assert a["tolerance"] < 0.05 * abs(a["value"]) or a["kind"] == "update"
    assert small  # some answer is below 0.01, where 4 decimals would leave two figures


@pytest.mark.parametrize("args, message", [
    (["--decimals", "5", "--significant", "4"], "give --decimals or --significant, not both"),
    (["--significant", "1"], "'--significant': 1 is not in the range 2<=x<=8"),
])
def test_decimals_and_significant_figures_are_exclusive_and_checked(tmp_path, args, message):
    result = CliRunner().invoke(main, ["exam", "--layers", "2,2,2", *args, "-o", str(tmp_path / "e")])
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1


def test_the_sheets_say_significant_figures(tmp_path):
    exam(tmp_path, "seed-001", "--significant", "4", "--variants", "2")
    out = tmp_path / "exam"
    assert "to 4 significant figures" in (out / "questions.md").read_text()
    assert "| to 4 s.f. |" in (out / "answers.md").read_text()
    assert "--significant 4" in (out / "README.md").read_text()
