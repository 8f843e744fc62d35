"""The outputs after the step: the forward pass with the updated parameters, addressed like every number."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.core.quantities import Quantity as Q
from tests.conftest import MAZUR

BATCH = """
inputs: [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]]
targets: [[0.2], [0.9], [0.4]]
loss: half_sse
learning_rate: 0.3
layers:
  - {units: 3, activation: tanh, weights: [[0.3, -0.2], [0.5, 0.1], [-0.4, 0.6]], bias: [0.1, -0.1, 0.05]}
  - {units: 1, activation: sigmoid, weights: [[0.7, -0.5, 0.2]], bias: [0.3]}
"""


def forward(W, b, x, acts):
    """The forward pass of a batch (rows are examples), written apart in numpy."""
    a, out = x, []
    for Wl, bl, f in zip(W, b, acts):
        z = a @ Wl.T + bl
        a = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}[f](z)
        out.append((z, a))
    return out


@pytest.mark.parametrize("text", [MAZUR, BATCH])
def test_the_outputs_after_the_step_are_the_forward_pass_with_the_updated_parameters(text):
    data = derive.derive(text).data
    W = [np.array(layer["W_new"]) for layer in data["layers"]]
    b = [np.broadcast_to(np.array(layer["b_new"], dtype=float), (len(layer["W_new"]),)) for layer in data["layers"]]
    passes = forward(W, b, np.array(data["inputs"]), [layer["activation"] for layer in data["layers"]])
    for layer, (z, a) in zip(data["layers"], passes):
        assert np.allclose(layer["z_after"], z, rtol=1e-12, atol=1e-14)
        assert np.allclose(layer["a_after"], a, rtol=1e-12, atol=1e-14)
    # the loss after the step, from the loss history's own loop, is the loss of these outputs
    t, a_out = np.array(data["targets"]), np.array(data["layers"][-1]["a_after"])
    assert data["loss_history"][1] == pytest.approx(np.mean(0.5 * ((t - a_out) ** 2).sum(axis=1)), rel=1e-12)


def test_the_outputs_after_the_step_can_be_answered_and_asked(tmp_path):
    ex = derive.derive("classic-2-2-2")
    after = float(ex.graph.value(Q("a_after", 2, 1, 1)))
    answers = tmp_path / "a.yaml"
    answers.write_text(f"a(2)_1_after: {after:.6f}\n")
    result = CliRunner().invoke(main, ["check", "classic-2-2-2", str(answers), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)[0]["quantity"] == "layers[1].a_after[0][0]"
    out = tmp_path / "ex"
    result = CliRunner().invoke(main, ["exam", "classic-2-2-2", "--variants", "2", "--questions", "output_after",
                                       "--format", "json,md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {e["kind"] for e in json.loads((out / "answers.json").read_text())} == {"output_after"}
    assert "after the step: the forward pass again with the updated weights and biases" in \
        (out / "questions.md").read_text()


def test_a_gradient_only_example_has_no_outputs_after_a_step(tmp_path):
    text = MAZUR.replace("learning_rate: 0.5\n", "")
    data = derive.derive(text).data
    assert "a_after" not in data["layers"][0]
    spec = tmp_path / "g.yaml"
    spec.write_text(text)
    answers = tmp_path / "a.yaml"
    answers.write_text("a(2)_1_after: 0.74\n")
    result = CliRunner().invoke(main, ["check", str(spec), str(answers)])
    assert result.exit_code == 2 and "no learning_rate" in result.output
