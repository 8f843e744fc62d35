"""A circuit's worked example: every maths span typesets in MathJax, the numbers are the lecture's, the picture's too."""
from __future__ import annotations

import json

import pytest

from derive.circuits import derive_circuit
from markdown_math import scan
from node_tools import typeset_errors

NEURON = """name: a sigmoid neuron as gates
graph: [a = w0 * x0, b = w1 * x1, c = a + b, d = c + w2, f = sigmoid(d)]
at: {w0: 2, x0: -1, w1: -3, x1: -2, w2: -3}
"""
# every gate, forks (x feeds four gates), a tie at max (q's kink)
EVERY_GATE = """graph:
  - p = x * y
  - q = max(x, y) + min(p, z) - abs(z)
  - r = relu(q - q0) + exp(x) / sqrt(y) + log(y) ^ 2 + tanh(z)
  - s = sigmoid(r) * x
at: {x: 1, y: 1, z: -0.5, q0: -1.5}
"""


def test_the_forward_and_backward_lines_show_the_lectures_numbers():
    text = derive_circuit("graph: [q = x + y, f = q * z]\nat: {x: -2, y: 5, z: -4}\n").markdown()
    assert r"q &= x + y = \left(-2\right) + 5 = 3" in text and r"f &= q\, z = 3 \cdot \left(-4\right) = -12" in text
    assert r"\frac{\partial f}{\partial z} = \frac{\partial f}{\partial f}\, \frac{\partial f}{\partial z} = 1 \cdot 3 = 3" \
        in text
    assert "multiply gate swaps its inputs" in text and "add gate distributes the gradient" in text


def test_a_fork_sums_what_each_gate_passes_back():
    text = derive_circuit(EVERY_GATE).markdown()
    assert "$`x`$ feeds 4 gates, $`p`$, $`q`$, $`r`$, $`s`$" in text and "gradients add at a fork" in text
    words = " ".join(text.split())
    assert "the finite differences check was not run" in words and "Not run: stage q is at a kink" in words


def test_the_json_holds_every_value_gradient_and_local_gradient_by_name():
    data = derive_circuit(NEURON).data
    assert data["values"]["f"] == pytest.approx(0.7310585786300049, rel=1e-15)
    assert data["gradients"]["x1"] == pytest.approx(-0.5898357997244456, rel=1e-15)
    assert data["local"]["b"] == {"w1": -2.0, "x1": -3.0} and data["local"]["c"] == {"a": 1.0, "b": 1.0}
    assert json.loads(json.dumps(data)) == data


def test_the_picture_labels_every_wire_with_its_value_and_gradient():
    svg = derive_circuit(NEURON).svg()
    # cs231n's figure: the wire out of w0 carries 2 forward and -0.2 back; out of x1, -2 and -0.59
    for label in (">2<", ">−0.1966<", ">−2<", ">−0.5898<", ">0.7311<", ">σ<", ">×<"):
        assert label in svg, label


@pytest.mark.parametrize("spec", [NEURON, EVERY_GATE])
def test_every_maths_span_typesets(nodejs, spec):
    spans = scan(derive_circuit(spec).markdown())[0]
    assert spans and typeset_errors(spans) == []


def test_a_circuit_exams_sheets_typeset(nodejs, tmp_path):
    from click.testing import CliRunner

    from derive.cli import main
    result = CliRunner().invoke(main, ["exam", "cs231n-staged", "--variants", "2", "-o", str(tmp_path / "e"),
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    spans = [sp for name in ("questions.md", "answers.md") for sp in scan((tmp_path / "e" / name).read_text())[0]]
    assert spans and typeset_errors(spans) == []
