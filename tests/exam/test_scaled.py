"""derive new and derive run --layers for networks of any width: weights scaled by fan-in, no unit saturated."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from derive.cli import main
from tests.oracle import oracle
from derive.exam.draw import GRIDS
from derive.exam.generate import make_exam
from derive.exam.scaled import weight_grid
from derive.exam.shape import new_spec, shape_from_flags
from derive.pipeline import derive

# the forward pass written here, apart from derive, on the numbers of the spec file itself
FORWARD = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "identity": lambda z: z,
    "softmax": lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _zs(data: dict) -> list[np.ndarray]:
    """Every layer's z for the first example of a spec file's data, by numpy."""
    a, zs = np.array(data["inputs"][0], dtype=float), []
    for layer in data["layers"]:
        z = np.array(layer["weights"], dtype=float) @ a + np.array(layer["bias"], dtype=float)
        zs.append(z)
        a = FORWARD[layer["activation"]](z)
    return zs


def test_a_10_50_50_2_sigmoid_network_is_drawn_unsaturated_and_worked(tmp_path):
    new = invoke("new", "--layers", "10,50,50,2", "--seed", "3", "-o", str(tmp_path / "net.yaml"))
    assert new.exit_code == 0, new.output
    data = yaml.safe_load((tmp_path / "net.yaml").read_text())
    for layer, n_in in zip(data["layers"], (10, 50, 50)):
        weights = np.array(layer["weights"])
        assert weights.shape[1] == n_in and np.abs(weights).max() <= math.sqrt(3 / n_in)
        assert 0.5 < weights.var() * n_in < 1.5  # variance about 1/fan-in
    zs = _zs(data)
    # sigmoid'(3) = 0.045: every unit on the sloped part of its curve, none saturated
    assert all(np.abs(z).max() < 3 for z in zs)
    assert all(0 < t < 1 for t in data["targets"][0])
    run = invoke("run", "--layers", "10,50,50,2", "--seed", "3", "-o", str(tmp_path / "out"), "--format", "json")
    assert run.exit_code == 0, run.output
    worked = json.loads((tmp_path / "out" / "net-10-50-50-2.json").read_text())
    for layer, drawn, z in zip(worked["layers"], data["layers"], zs):  # run --layers worked what new drew
        assert layer["W"] == drawn["weights"]
        assert np.allclose(np.array(layer["z"][0]), z, rtol=1e-12, atol=1e-12)


def test_the_same_seed_draws_the_same_wide_network_and_another_seed_another():
    shape = shape_from_flags("10,50,50,2", "tanh,sigmoid", None, None)
    assert new_spec(shape, 7, "n") == new_spec(shape, 7, "n")
    assert new_spec(shape, 7, "n").layers != new_spec(shape, 8, "n").layers
    first = invoke("new", "--layers", "10,50,50,2", "--seed", "7")
    assert first.exit_code == 0 and first.output == invoke("new", "--layers", "10,50,50,2", "--seed", "7").output


@pytest.mark.parametrize("activations, loss", [("relu,softmax", None), ("tanh", None), ("sigmoid", None),
                                               ("tanh,sigmoid", "binary_cross_entropy"), ("relu", None),
                                               ("leaky_relu,identity", None)])
def test_every_activation_of_a_wide_network_is_drawn_unsaturated_and_its_gradients_check(activations, loss):
    shape = shape_from_flags("20,40,3", activations, loss, None)  # 963 parameters: beyond the exam's grids
    spec = new_spec(shape, 1, "wide")
    zs = _zs({"inputs": spec.inputs, "layers": [{"weights": l.weights, "bias": l.bias, "activation": l.activation}
                                                for l in spec.layers]})
    assert all(np.abs(z).max() < 3 for z in zs)
    output = spec.layers[-1].activation
    for t in spec.targets:
        if output == "softmax":  # one class
            assert sorted(t) == [0, 0, 1]
        elif loss == "binary_cross_entropy":
            assert set(t) <= {0, 1}
        elif output == "sigmoid":
            assert all(0 < x < 1 for x in t)
        elif output == "relu":
            assert all(x >= 0 for x in t)
        else:
            assert all(-1 < x < 1 for x in t)
    assert all(x in GRIDS["input"].values for x in spec.inputs[0])
    # derive() raises unless its own checks agree; the numpy backprop run here is the independent word
    data, theirs = derive(spec).data, oracle(spec)
    for l, layer in enumerate(data["layers"]):
        assert np.allclose(layer["dW"], theirs.dW[l], rtol=1e-9, atol=1e-12)
        assert np.allclose(np.ravel(layer["db"]), np.ravel(theirs.db[l]), rtol=1e-9, atol=1e-12)


def test_shared_biases_of_a_wide_network_are_one_per_layer():
    result = invoke("new", "--layers", "10,50,50,2", "--activations", "tanh,softmax", "--shared-bias", "--seed", "2")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert all(layer["shared_bias"] is True and isinstance(layer["bias"], float) for layer in data["layers"])
    assert all(np.abs(z).max() < 3 for z in _zs(data))


def test_weights_take_two_significant_figures_within_the_root_of_three_over_fan_in():
    assert weight_grid(50).values == tuple(w / 100 for w in range(-24, 25) if w)  # sqrt(0.06) = 0.245
    assert weight_grid(1).values == tuple(w / 10 for w in range(-17, 18) if w)  # sqrt(3) = 1.73
    assert weight_grid(1000).values == tuple(w / 1000 for w in range(-54, 55) if w)  # sqrt(0.003) = 0.0548


def test_a_hand_sized_network_is_drawn_as_the_exams_first_variant_of_the_seed():
    shape = shape_from_flags("3,4,2", "relu,softmax", "cross_entropy", None)
    drawn, variant = new_spec(shape, 5, "n"), make_exam(shape, 1, 5, ("loss",), name="n").variants[0].spec
    assert (drawn.inputs, drawn.targets, drawn.layers) == (variant.inputs, variant.targets, variant.layers)
    assert all(w in GRIDS["weight"].values for layer in drawn.layers for row in layer.weights for w in row)


def test_a_hand_sized_network_every_exam_draw_refuses_is_drawn_scaled():
    # a softmax of one unit gives 1 whatever its input: a loss of 0, which the exam refuses every time
    result = invoke("new", "--layers", "2,1", "--activations", "softmax", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.output)["targets"] == [[1]]


def test_the_parameter_limit_of_new_and_run_holds_for_the_drawn_shape(tmp_path):
    over = invoke("new", "--layers", "80,80")
    assert over.exit_code == 2 and "6480 parameters is over the limit of 5000" in over.output
    assert over.output.count("\n") == 1
    raised = invoke("new", "--layers", "80,80", "--max-parameters", "7000")
    assert raised.exit_code == 0 and "--max-parameters 7000 --seed 0" in raised.output.splitlines()[0]
    lowered = invoke("run", "--layers", "30,30", "--max-parameters", "900", "-o", str(tmp_path / "o"))
    assert lowered.exit_code == 2 and "930 parameters is over the limit of 900" in lowered.output
