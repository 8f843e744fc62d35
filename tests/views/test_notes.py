"""Teaching notes: each kind appears exactly when the numbers call for it, with the numbers that do."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

import derive
from derive.render.environment import template_folder
from derive.views.notes import NOTE_KINDS


def worked(**fields):
    """A spec from its fields, derived; every example here is small enough for every check."""
    return derive.derive(derive.load(fields))


def notes(example, kind: str) -> list[dict]:
    return [note for note in example.data["notes"] if note["kind"] == kind]


def one_layer(activation: str, weight: float, x: float = 1.0, t: float = 0.5, **extra):
    """A single unit a = f(w x) with half squared error: its z is w x by construction."""
    spec = {"inputs": [[x]], "targets": [[t]], "loss": "half_sse", "learning_rate": 0.1,
            "layers": [{"units": 1, "activation": activation, "weights": [[weight]]}]}
    spec.update(extra)
    return worked(**spec)


def test_the_registry_holds_every_kind_the_documents_promise():
    assert set(NOTE_KINDS) >= {"dead_relu", "saturated", "vanishing_gradient", "small_inputs", "symmetric_units",
                               "ce_without_softmax", "idle_shared_bias", "loss_increased"}


def test_a_relu_unit_whose_input_is_never_positive_is_dead_and_learns_nothing():
    # unit 1: z = -0.5*1 - 0.25*2 = -1 (example 1) and z = 0.5*1 - 0.25*4 = -0.5 (example 2);
    # unit 2: z = 0.5*1 - 0.25*2 = 0 exactly, and 0.5 - 1 = -0.5: ReLU'(0) = 0, so it is dead too;
    # unit 3: z = 0.3 + 0.2 = 0.5 > 0 in example 1, alive
    ex = worked(inputs=[[1, 2], [-1, 4]], targets=[[1], [0]], loss="half_sse", learning_rate=0.1,
                layers=[{"units": 3, "activation": "relu",
                         "weights": [[-0.5, -0.25], [0.5, -0.25], [0.3, 0.1]]},
                        {"units": 1, "activation": "identity", "weights": [[0.7, 0.2, 0.4]]}])
    dead = notes(ex, "dead_relu")
    assert [(n["layer"], n["unit"]) for n in dead] == [(1, 1), (1, 2)]
    assert "z^{(1)}_{1} = -1,\\ -0.5" in dead[0]["text"]
    layer = ex.data["layers"][0]
    # nothing reaches a dead unit's weights and bias; the live unit's first weight does move
    assert layer["dW"][0] == [0, 0] and layer["dW"][1] == [0, 0] and layer["db"][:2] == [0, 0]
    assert layer["dW"][2][0] != 0


def test_a_relu_unit_positive_for_some_example_is_not_dead():
    # z = -1 for the first example and +1 for the second: the second example teaches it
    ex = worked(inputs=[[1, 2], [-1, -2]], targets=[[1], [0]], loss="half_sse", learning_rate=0.1,
                layers=[{"units": 1, "activation": "relu", "weights": [[-0.5, -0.25]]},
                        {"units": 1, "activation": "identity", "weights": [[0.7]]}])
    assert notes(ex, "dead_relu") == []


@pytest.mark.parametrize("activation, z, slope", [
    ("sigmoid", 6.0, lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
    ("tanh", 3.0, lambda z: 1 - math.tanh(z) ** 2),
])
def test_a_unit_far_out_on_its_flat_tail_is_saturated(activation, z, slope):
    assert slope(z) < 0.01  # sigma'(6) = 0.00247, tanh'(3) = 0.00987
    ex = one_layer(activation, z)
    [note] = notes(ex, "saturated")
    assert (note["layer"], note["unit"]) == (1, 1)
    assert f"= {slope(z):.3g}$" in note["text"] and f"z^{{(1)}}_{{1}} = {z:g}$" in note["text"]


@pytest.mark.parametrize("activation, z, slope", [
    ("sigmoid", 4.0, lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
    ("tanh", 2.5, lambda z: 1 - math.tanh(z) ** 2),
])
def test_a_unit_on_the_steep_part_of_its_curve_is_not_saturated(activation, z, slope):
    assert slope(z) > 0.01  # sigma'(4) = 0.0177, tanh'(2.5) = 0.0266
    assert notes(one_layer(activation, z), "saturated") == []


def test_relu_and_identity_are_never_called_saturated():
    assert notes(one_layer("identity", 50.0, t=50.0), "saturated") == []


def chain(*w: float):
    """x = 1 -> a1 = w1 x -> a2 = w2 a1 -> ..., loss 1/2 a_L^2 (t = 0), identity units, no bias.

    delta_L = a_L = w1 ... wL, and each layer back multiplies delta by the weight above it:
    delta_l = delta_L w_L ... w_{l+1}.
    """
    return worked(inputs=[[1]], targets=[[0]], loss="half_sse", learning_rate=0.1,
                  layers=[{"units": 1, "activation": "identity", "weights": [[v]]} for v in w])


def test_a_delta_twenty_five_times_smaller_two_layers_back_vanishes():
    ex = chain(2, 0.2, 0.2)
    [note] = notes(ex, "vanishing_gradient")
    assert (note["layer"], note["unit"]) == (1, None)
    # a = 2, 0.4, 0.08; delta3 = 0.08, delta2 = 0.08 * 0.2 = 0.016, delta1 = 0.016 * 0.2 = 0.0032: 25 times
    # smaller; dL/dw1 = delta1 x = 0.0032 and dL/dw3 = delta3 a2 = 0.032
    assert "shrinks by a factor of about $25$" in note["text"]
    assert "\\lVert \\delta^{(1)} \\rVert = 0.0032$, $\\lVert \\delta^{(2)} \\rVert = 0.016$, $" in note["text"]
    assert "W^{(1)} \\rVert = 0.0032$ against $" in note["text"] and "W^{(3)} \\rVert = 0.032$" in note["text"]
    assert notes(ex, "small_inputs") == []


def test_one_layer_back_is_no_depth_however_much_delta_shrinks():
    # delta1 = delta2 w2: 20 times smaller than delta2, and dL/dw1 = delta1 x = 2 * 0.05^2 = 0.005 is 40 times
    # below dL/dw2 = delta2 a1 = 0.1 * 2 = 0.2, but across one layer only
    ex = chain(2, 0.05)
    assert notes(ex, "vanishing_gradient") == [] and notes(ex, "small_inputs") == []


def test_a_delta_five_times_smaller_does_not_vanish():
    assert notes(chain(1, 0.5, 0.4), "vanishing_gradient") == []  # delta1 / delta3 = 0.5 * 0.4 = 1 / 5


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def reference(x, t, weights, biases):
    """Every layer's deltas (a row per example) and weight gradients of a sigmoid net with 1/2 sum of squares.

    Written apart from derive: a plain numpy forward and backward pass, the gradient summed over the examples.
    """
    a = [np.array(x, float)]
    for W, b in zip(weights, biases):
        a.append(sigmoid(a[-1] @ np.array(W, float).T + b))
    delta = [(a[-1] - np.array(t, float)) * a[-1] * (1 - a[-1])]
    for W, out in zip(weights[:0:-1], a[-2:0:-1]):
        delta.insert(0, (delta[0] @ np.array(W, float)) * out * (1 - out))
    return a, delta, [d.T @ prev for d, prev in zip(delta, a)]


def sigmoid_net(x, t, weights, biases):
    return worked(inputs=x, targets=t, loss="half_sse", learning_rate=0.1,
                  layers=[{"units": len(W), "activation": "sigmoid", "weights": W, "bias": b}
                          for W, b in zip(weights, biases)])


def shown(v: float) -> str:
    """v to 3 significant figures with its trailing zeros, as the documents show a computed number."""
    return np.format_float_positional(v, precision=3, unique=False, fractional=False, trim="k")


def factor(text: str) -> float:
    return float(re.search(r"by a factor of about \$([0-9.]+)\$", text).group(1))


DEEP = [[[0.9, -1.1], [1.2, 0.8]], [[1.1, 0.7], [-0.9, 1.2]], [[0.8, -1.0], [1.1, 0.9]],
        [[-1.2, 0.9], [1.0, 0.8]], [[1.0, -0.9], [0.7, 1.1]]]


@pytest.mark.parametrize("x, t", [([[1.0, -0.5]], [[1, 0]]), ([[1.0, -0.5], [0.4, 0.9]], [[1, 0], [0, 1]])])
def test_a_deep_sigmoid_net_with_inputs_near_one_has_a_vanishing_gradient(x, t):
    biases = [[0.1, -0.1]] * 5
    ex = sigmoid_net(x, t, DEEP, biases)
    _, delta, grads = reference(x, t, DEEP, biases)
    norms = [np.linalg.norm(d) for d in delta]
    assert norms[0] * 10 < norms[-1]  # the deltas themselves shrink, four layers back
    [note] = notes(ex, "vanishing_gradient")
    symbol = "\\delta" if len(x) == 1 else "\\Delta"
    for l, n in enumerate(norms, start=1):
        assert f"\\lVert {symbol}^{{({l})}} \\rVert = {shown(n)}" in note["text"]
    assert factor(note["text"]) == pytest.approx(norms[-1] / norms[0], rel=0.05)
    if len(x) == 1:
        assert f"W^{{(1)}} \\rVert = {shown(np.linalg.norm(grads[0]))}$ against $" in note["text"]
    assert "over 4 layers" in note["text"] and notes(ex, "small_inputs") == []


def test_the_classic_2_2_2_blames_neither_depth_nor_its_inputs():
    spec = derive.load("classic-2-2-2")
    x, t = [[0.05, 0.10]], [[0.01, 0.99]]
    weights, biases = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]], [0.35, 0.60]
    a, delta, grads = reference(x, t, weights, biases)
    # the weight gradients shrink 82 times, 10.8 of it delta's one layer back, 7.5 the inputs' size (|x| = 0.11)
    g = np.linalg.norm(grads[1]) / np.linalg.norm(grads[0])
    d = np.linalg.norm(delta[1]) / np.linalg.norm(delta[0])
    i = np.linalg.norm(a[1]) / np.linalg.norm(a[0])
    assert g == pytest.approx(d * i) and 80 < g < 84 and 10.5 < d < 11 and 7 < i < 8
    ex = derive.derive(spec)
    assert notes(ex, "vanishing_gradient") == [] and notes(ex, "small_inputs") == []


def test_tiny_inputs_to_a_shallow_net_are_blamed_and_depth_is_not():
    x, t = [[0.01, -0.02]], [[1, 0]]
    weights, biases = [[[0.9, -1.1], [1.2, 0.8]], [[1.1, 0.7], [-0.9, 1.2]]], [[0.1, -0.1], [0.1, -0.1]]
    ex = sigmoid_net(x, t, weights, biases)
    a, delta, grads = reference(x, t, weights, biases)
    inputs = np.linalg.norm(a[1]) / np.linalg.norm(a[0])
    deltas = np.linalg.norm(delta[1]) / np.linalg.norm(delta[0])
    assert inputs > deltas  # most of the weight gradients' shrink is the inputs'
    assert notes(ex, "vanishing_gradient") == []
    [note] = notes(ex, "small_inputs")
    assert (note["layer"], note["unit"]) == (1, None) and "not because of depth" in note["text"]
    assert f"\\lVert x \\rVert = {shown(np.linalg.norm(a[0]))}" in note["text"]
    assert f"\\lVert a^{{(1)}} \\rVert = {shown(np.linalg.norm(a[1]))}" in note["text"]
    assert f"about ${inputs:.2g}$ times smaller" in note["text"]
    assert f"only by a factor of about ${deltas:.2g}$" in note["text"]
    assert factor(note["text"]) == pytest.approx(np.linalg.norm(grads[1]) / np.linalg.norm(grads[0]), rel=0.05)


def test_a_first_layer_fed_zeros_has_a_gradient_that_shrinks_to_zero_for_its_inputs():
    # x = 0: dL/dw1 = delta1 * x = 0, while a1 = b1 = 1 gives dL/dw2 = delta2 * a1 = w2 = 0.5
    ex = worked(inputs=[[0]], targets=[[0]], loss="half_sse", learning_rate=0.1,
                layers=[{"units": 1, "activation": "identity", "weights": [[2]], "bias": 1},
                        {"units": 1, "activation": "identity", "weights": [[0.5]]}])
    [note] = notes(ex, "small_inputs")
    assert "shrinks to zero" in note["text"] and "W^{(1)} \\rVert = 0$ against $" in note["text"]
    assert "inputs are zero, against those of layer 2" in note["text"] and "\\lVert x \\rVert = 0$" in note["text"]


def twins(outgoing: list[float], steps: int = 3):
    """Two hidden units with the same incoming weights and bias, and the given outgoing weights."""
    return worked(inputs=[[0.5, -0.4]], targets=[[0.9]], loss="half_sse", learning_rate=0.5, steps=steps,
                  layers=[{"units": 3, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.1, 0.2], [0.3, -0.1]],
                           "bias": [0.3, 0.3, 0.3]},
                          {"units": 1, "activation": "sigmoid", "weights": [outgoing]}])


def test_units_with_the_same_weights_in_and_out_are_symmetric_and_stay_so():
    ex = twins([0.5, 0.5, 0.2])
    [note] = notes(ex, "symmetric_units")
    assert (note["layer"], note["unit"]) == (1, [1, 2])
    layer = ex.data["layers"][0]
    # the same inputs, weights and outgoing paths give the same gradients, so the twins never part
    assert layer["dW"][0] == layer["dW"][1] and layer["W_final"][0] == layer["W_final"][1]
    assert layer["W_final"][0] != layer["W"][0]


def test_units_whose_outgoing_weights_differ_are_not_symmetric():
    assert notes(twins([0.5, 0.4, 0.2]), "symmetric_units") == []


def outputs(activation: str, loss: str):
    return worked(inputs=[[2, 4, -2]], targets=[[1, 0]], loss=loss, learning_rate=0.01,
                  layers=[{"units": 2, "activation": activation,
                           "weights": [[0.5, -0.2, 0.1], [-0.3, 0.8, 0.4]]}])


def test_cross_entropy_on_sigmoid_outputs_leaves_zero_targets_without_gradient():
    ex = outputs("sigmoid", "cross_entropy")
    [note] = notes(ex, "ce_without_softmax")
    assert (note["layer"], note["unit"]) == (1, [2])
    assert "binary_cross_entropy" in note["text"] and "softmax" in note["text"]
    # l = -(1 log a1 + 0 log a2) does not contain a2: every gradient into unit 2 is zero
    layer = ex.data["layers"][0]
    assert layer["dW"][1] == [0, 0, 0] and layer["db"][1] == 0 and layer["dW"][0][0] != 0


@pytest.mark.parametrize("activation, loss", [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")])
def test_cross_entropy_with_softmax_or_binary_cross_entropy_gets_no_such_note(activation, loss):
    assert notes(outputs(activation, loss), "ce_without_softmax") == []


@pytest.mark.parametrize("shared", [True, False])
def test_a_softmax_layer_s_shared_bias_is_noted_as_ignored_and_its_gradient_is_exactly_zero(shared):
    bias = {"bias": 0.2, "shared_bias": True} if shared else {"bias": [0.2, 0.2]}
    ex = worked(inputs=[[1.0, -0.5]], targets=[[0, 1]], loss="cross_entropy", learning_rate=0.5,
                layers=[{"units": 2, "activation": "softmax", "weights": [[0.3, 0.1], [-0.2, 0.4]], **bias}])
    found = notes(ex, "idle_shared_bias")
    db = ex.data["layers"][0]["db"]
    if shared:
        [note] = found
        assert note["layer"] == 1 and "softmax ignores it" in note["text"]
        # softmax - t sums to 1 - 1 over the units: exactly 0, which the 40-digit sum keeps
        assert db == 0.0 and ex.data["layers"][0]["b_new"] == 0.2
    else:
        assert found == [] and db[0] == -db[1] != 0


def test_seed_003_is_told_about_its_cross_entropy_on_sigmoid_outputs():
    [note] = notes(derive.derive(derive.load("sigmoid-cross-entropy-3-2")), "ce_without_softmax")
    assert note["unit"] == [2]


def test_a_step_that_raises_the_loss_is_noted_with_both_losses():
    # l = 1/2 w^2 at x = 1, t = 0, bias fixed at 0: dL/dw = w = 1, so eta = 3 moves w to -2 and the
    # loss from 0.5 to 2
    [note] = notes(one_layer("identity", 1.0, t=0.0, learning_rate=3, train_bias=False), "loss_increased")
    assert (note["layer"], note["unit"]) == (None, None)
    assert "from $0.5$ to $2$" in note["text"] and "\\eta = 3" in note["text"]


def test_a_step_that_lowers_the_loss_gets_no_such_note():
    # eta = 0.5 moves w to 0.5: the loss falls from 0.5 to 0.125
    ex = one_layer("identity", 1.0, t=0.0, learning_rate=0.5, train_bias=False)
    assert ex.data["loss_history"] == [0.5, 0.125] and notes(ex, "loss_increased") == []


def test_every_document_has_a_notes_section_with_the_notes_text():
    ex = one_layer("identity", 1.0, t=0.0, learning_rate=3, train_bias=False)
    md, latex = ex.markdown(), ex.latex()
    assert "## Notes" in md and "\\section*{Notes}" in latex
    assert "**The loss went up.** Step 1 raised the loss from $`0.5`$ to $`2`$" in md
    assert "\\textbf{The loss went up.} Step 1 raised the loss from $0.5$ to $2$" in latex
    # the Notes come just before the published numbers (or the cross-checks, where there are none)
    assert md.index("## Notes") < md.index("## Appendix: cross-checks")
    quiet = one_layer("identity", 1.0, t=0.0, learning_rate=0.5)
    assert "Nothing in these numbers calls for a note" in quiet.markdown()


def test_notes_maths_in_markdown_is_never_bare_dollars():
    md = derive.derive(derive.load("sigmoid-cross-entropy-3-2")).markdown()
    section = md[md.index("## Notes"):md.index("## Appendix: cross-checks")]
    assert "$`a^{(1)}_{2}`$" in section
    assert section.count("$") == 2 * section.count("$`")


def test_every_note_kind_is_worded_in_a_template_macro_of_its_name():
    text = (template_folder() / "note_words.j2").read_text()
    assert re.findall(r"\(\(\* macro (\w+)\(v\) \*\)\)", text) == list(NOTE_KINDS)
