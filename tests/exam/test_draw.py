"""The grids numbers are drawn from, the rules that refuse a draw, and the questions each kind asks."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from derive.core.graph import build_graph
from derive.core.quantities import Quantity
from derive.core.tolerance import Digits
from derive.exam.degenerate import Asked, Draw, refusal
from derive.exam.draw import GRIDS, possible_draws
from derive.exam.questions import QUESTION_KINDS, pick_questions
from derive.exam.shape import parse_activations, shape_from_flags
from derive.io.load import load
from derive.io.validate import spec_from_data


def test_the_grids_hold_the_documented_numbers():
    assert GRIDS["input"].values == tuple(x / 10 for x in range(-10, 11) if x)
    assert GRIDS["weight"].values == tuple(w / 20 for w in range(-20, 21) if abs(w) >= 2)
    assert GRIDS["bias"].values == tuple(b / 20 for b in range(-10, 11))
    assert GRIDS["target_unit_interval"].values == tuple(t / 10 for t in range(1, 10))


def test_possible_draws_counts_every_number_of_a_one_one_network():
    shape = shape_from_flags("1,1", "sigmoid", "half_sse", None)
    assert possible_draws(shape) == 20 * 9 * 38 * 21  # x, t in 0.1..0.9, w, b
    one_hot = shape_from_flags("2,3", "softmax", None, None)
    assert possible_draws(one_hot) == 20 ** 2 * 3 * 38 ** 6 * 21 ** 3


def _draw(data: dict) -> Draw:
    graph = build_graph(spec_from_data({"learning_rate": 0.5, **data}, "test"))
    return Draw(graph, [float(s.value) for s in graph.steps])


def test_a_relu_input_near_its_kink_is_refused():
    near = _draw({"inputs": [[1.0]], "targets": [[0.5]], "loss": "half_sse",
                  "layers": [{"units": 1, "activation": "relu", "weights": [[0.3]], "bias": -0.25}]})
    assert refusal(near, None, 4) == "kink"
    clear = _draw({"inputs": [[1.0]], "targets": [[0.5]], "loss": "half_sse",
                   "layers": [{"units": 1, "activation": "relu", "weights": [[0.3]], "bias": -0.15}]})
    assert refusal(clear, None, 4) is None


def test_a_saturated_sigmoid_and_a_softmax_tie_are_refused():
    saturated = _draw({"inputs": [[1.0]], "targets": [[0.5]], "loss": "half_sse",
                       "layers": [{"units": 1, "activation": "sigmoid", "weights": [[1.0]], "bias": 2.0}]})
    assert refusal(saturated, None, 4) == "saturated"  # sigma'(3) = 0.045
    tie = _draw({"inputs": [[1.0]], "targets": [[1, 0]], "loss": "cross_entropy",
                 "layers": [{"units": 2, "activation": "softmax", "weights": [[0.3], [0.35]], "bias": 0}]})
    assert refusal(tie, None, 4) == "tie"


def test_a_vanishing_or_ambiguous_answer_is_refused():
    draw = _draw({"inputs": [[1.0]], "targets": [[0.5]], "loss": "half_sse",
                  "layers": [{"units": 1, "activation": "identity", "weights": [[0.3]], "bias": 0}]})
    tiny = Asked("gradient", Quantity("db", 1, 0, 1), 0.0004, 0.0001, None)
    assert refusal(draw, [tiny], Digits(4)) == "vanishing"
    wide = Asked("gradient", Quantity("db", 1, 0, 1), 0.002, 0.0006, None)
    assert refusal(draw, [wide], Digits(4)) == "ambiguous"
    assert refusal(draw, [Asked("gradient", wide.quantity, 0.002, 0.0004, None)], Digits(4)) is None
    # to 4 significant figures 0.0004 keeps its figures (0.0004000); an update's change of 3 units
    # of the new value's last figure (0.5003 from 0.5) is too small to see
    assert refusal(draw, [replace(tiny, tolerance=1e-7)], Digits(4, significant=True)) is None
    step = Asked("update", Quantity("W_new", 1, 0, 1, 1), 0.5003, 1e-5, 0.0003)
    assert refusal(draw, [step], Digits(4, significant=True)) == "vanishing"
    assert refusal(draw, [replace(step, value=0.503, change=0.003)], Digits(4, significant=True)) is None


def test_gradient_asks_one_parameter_per_layer_output_first_and_hidden_gradient_only_hidden_layers():
    shape = shape_from_flags("2,3,3,2", "tanh,sigmoid", None, None)
    rng = random.Random(1)
    for _ in range(50):
        asked = [q for _, q in pick_questions(shape, ("gradient", "hidden_gradient", "update"), rng)]
        assert [q.layer for q in asked[:3]] == [3, 2, 1] and all(q.kind in ("dW", "db") for q in asked[:3])
        assert [q.layer for q in asked[3:5]] == [2, 1]
        assert asked[5].kind == "W_new"
    assert QUESTION_KINDS["hidden_gradient"].needs_hidden and not QUESTION_KINDS["gradient"].needs_hidden


def test_fixed_biases_are_never_asked_about_and_trained_ones_are():
    fixed = load("seed-001")  # the classic 2-2-2: its shared biases stay fixed
    assert not fixed.train_bias
    rng = random.Random(3)
    kinds = ("gradient", "output_gradient", "hidden_gradient", "update")
    asked = [q.kind for _ in range(200) for _, q in pick_questions(fixed, kinds, rng)]
    assert asked.count("dW") == 200 * 4 and "db" not in asked  # 2 + 1 + 1 gradients a draw
    trained = replace(fixed, train_bias=True)
    assert "db" in [q.kind for _ in range(200) for _, q in pick_questions(trained, kinds, rng)]


@pytest.mark.parametrize("text, n, expected", [("relu", 3, ["relu"] * 3), ("relu,softmax", 3, ["relu", "relu", "softmax"]),
                                               ("tanh,relu,identity", 3, ["tanh", "relu", "identity"])])
def test_activations_name_every_layer_each_layer_or_hidden_and_output(text, n, expected):
    assert parse_activations(text, n) == expected
