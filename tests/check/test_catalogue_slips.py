"""The catalogue's slips of sign and factor, each made on purpose in a numpy backprop written here, then marked.

Every answers file is worked apart from derive (numpy, one example at a time, the mean over the
batch), written to 6 decimals as a person would, and marked through derive's own reader: the
checker must name the mistake at the first wrong step, in words with the document's names.
"""
from __future__ import annotations

import functools

import numpy as np
import pytest

from derive.check.catalogue import MISTAKES, describe
from derive.check.marking import mark
from derive.check.slips import slips
from derive.render.check_summary import summary
from derive.core.graph import build_graph
from derive.io.answers import parse_answers
from derive.io.validate import spec_from_data

F = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "identity": lambda z: z}
DF = {"sigmoid": lambda z, a: a * (1 - a), "tanh": lambda z, a: 1 - a ** 2, "identity": lambda z, a: np.ones_like(z)}


def _spec(layers, loss, inputs, targets, rate=0.5):
    return spec_from_data({"name": "slips", "inputs": inputs, "targets": targets, "layers": layers, "loss": loss,
                           "learning_rate": rate}, "slips.yaml")


def by_hand(spec, drop_sign=None, sigmoid_of_minus_z=False, gradient_flipped=False, extra_sigma_prime=False,
            hidden_without_weights=False, half_added=False) -> dict[str, float]:
    """Every computed number by JSON path, worked in numpy with the mistakes asked for."""
    L, N = len(spec.layers), len(spec.inputs)
    Ws = [np.array(layer.weights, float) for layer in spec.layers]
    bs = [np.array(layer.bias, float) * np.ones(layer.units) for layer in spec.layers]
    acts = [layer.activation for layer in spec.layers]
    out: dict[str, float] = {}
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in zip(Ws, bs)]
    losses = []
    for n, (x, t) in enumerate(zip(np.array(spec.inputs, float), np.array(spec.targets, float))):
        a_s, zs = [x], []
        for l, (W, b, act) in enumerate(zip(Ws, bs, acts), 1):
            W_used = W.copy()
            if drop_sign and drop_sign[0] == l:
                W_used[drop_sign[1], drop_sign[2]] = -W_used[drop_sign[1], drop_sign[2]]
            z = W_used @ a_s[-1] + b
            a = F[act](-z) if act == "sigmoid" and sigmoid_of_minus_z else F[act](z)
            zs.append(z)
            a_s.append(a)
        a, K = a_s[-1], len(t)
        half = 0.5 if half_added else 1.0
        if spec.loss == "half_sse":
            loss, dl_da = 0.5 * ((t - a) ** 2).sum(), a - t
        elif spec.loss == "sse":
            loss, dl_da = half * ((t - a) ** 2).sum(), half * 2 * (a - t)
        else:  # binary cross-entropy, the mean over the K outputs
            loss = -(t * np.log(a) + (1 - t) * np.log(1 - a)).sum() / K
            dl_da = (a - t) / (K * a * (1 - a))
        losses.append(loss)
        if gradient_flipped:
            dl_da = -dl_da
        for l in range(L, 0, -1):
            z, a = zs[l - 1], a_s[l]
            fprime = DF[acts[l - 1]](z, a)
            delta = dl_da * fprime
            if l == L and extra_sigma_prime:
                delta = delta * a * (1 - a)
            for j in range(len(z)):
                out[f"layers[{l - 1}].z[{n}][{j}]"], out[f"layers[{l - 1}].a[{n}][{j}]"] = z[j], a[j]
                out[f"layers[{l - 1}].dl_da[{n}][{j}]"], out[f"layers[{l - 1}].delta[{n}][{j}]"] = dl_da[j], delta[j]
            dW, db = grads[l - 1]
            dW += np.outer(delta, a_s[l - 1]) / N
            db += delta / N
            dl_da = delta.sum() * np.ones(len(a_s[l - 1])) if hidden_without_weights else Ws[l - 1].T @ delta
    out["loss"] = float(np.mean(losses))
    for l, ((dW, db), W, b) in enumerate(zip(grads, Ws, bs)):
        for j in range(dW.shape[0]):
            out[f"layers[{l}].db[{j}]"], out[f"layers[{l}].b_new[{j}]"] = db[j], b[j] - spec.learning_rate * db[j]
            for k in range(dW.shape[1]):
                out[f"layers[{l}].dW[{j}][{k}]"] = dW[j, k]
                out[f"layers[{l}].W_new[{j}][{k}]"] = W[j, k] - spec.learning_rate * dW[j, k]
    return out


GRAPHS: dict[int, tuple] = {}


def marked(spec, values: dict[str, float]):
    text = "".join(f'"{path}": {value:.6f}\n' for path, value in values.items())
    # one graph per spec, kept with it: its mistakes are worked once for every test that marks on it
    spec, graph = GRAPHS.setdefault(id(spec), (spec, build_graph(spec)))
    return mark(graph, parse_answers(text, "answers.yaml", spec))


def first_named(spec, values: dict[str, float], notation: str = "layer") -> tuple[str, tuple[str, ...], list[str]]:
    """The first wrong step's JSON path, the ids named there, and the terminal summary."""
    marking = marked(spec, values)
    first = marking.first_wrong
    assert first is not None, "the mistake changed no number"
    return first.quantity.json_path, first.mistakes, summary(marking, spec, notation)


SIGMOID_232 = [
    {"units": 3, "activation": "sigmoid", "weights": [[0.15, -0.4, 0.3], [0.25, 0.5, -0.2], [-0.35, 0.1, 0.6]][:3],
     "bias": [0.1, -0.2, 0.3]},
    {"units": 2, "activation": "sigmoid", "weights": [[0.4, -0.7, 0.2], [0.9, 0.3, -0.5]], "bias": [0.2, -0.1]},
]


@functools.lru_cache(maxsize=None)
def sigmoid_232(loss="half_sse", targets=((0.1, 0.9),), inputs=((0.6, -0.3, 0.8),)):
    return _spec(SIGMOID_232, loss, [list(x) for x in inputs], [list(t) for t in targets])


def test_the_catalogue_words_every_new_mistake_in_one_plain_line():
    for name in ("hidden_delta_without_weights", "weight_sign_dropped", "sigmoid_of_negative_z",
                 "extra_sigmoid_derivative", "gradient_sign_flipped", "half_added"):
        assert name in MISTAKES and "\n" not in MISTAKES[name].title


@pytest.mark.parametrize("weights", ["unequal", "all 0.5"])
def test_a_hidden_delta_without_the_outgoing_weights_is_named(weights):
    layers = SIGMOID_232 if weights == "unequal" else [
        {"units": 2, "activation": "sigmoid", "weights": [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], "bias": 0.5},
        {"units": 2, "activation": "sigmoid", "weights": [[0.5, 0.5], [0.5, 0.5]], "bias": 0.5}]
    spec = _spec(layers, "half_sse", [[0.6, -0.3, 0.8]], [[0.1, 0.9]])
    path, named, lines = first_named(spec, by_hand(spec, hidden_without_weights=True))
    assert path == "layers[0].dl_da[0][0]" and "hidden_delta_without_weights" in named
    assert any("δ summed without their weights" in line for line in lines)


def test_the_dropped_sign_of_one_weight_names_that_weight_by_its_printed_name():
    spec = sigmoid_232()
    path, named, lines = first_named(spec, by_hand(spec, drop_sign=(2, 1, 2)))  # w^(2)_{2,3} = -0.5
    assert path == "layers[1].z[0][1]" and named == ("weight_sign_dropped:layers[1].W[1][2]",)
    assert any("the minus sign of the weight w(2)_23 dropped" in line for line in lines), lines
    assert "w^{(" not in " ".join(lines) and "layers[1].W" not in " ".join(lines[2:])
    numbered = describe(named[0], spec, "numbered")
    assert "the weight w" in numbered and "w(2)" not in numbered


def test_only_a_negative_weight_can_lose_its_sign():
    spec = sigmoid_232()
    negative = {q.json_path for q in MISTAKES["weight_sign_dropped"].subjects(spec)}
    assert negative == {"layers[0].W[0][1]", "layers[0].W[1][2]", "layers[0].W[2][0]", "layers[1].W[0][1]",
                        "layers[1].W[1][2]"}
    positive = _spec([{"units": 1, "activation": "sigmoid", "weights": [[0.3, 0.2]], "bias": 0.0}], "half_sse",
                     [[1.0, 2.0]], [[0.5]])
    assert not MISTAKES["weight_sign_dropped"].applies(positive)


def test_sigma_of_minus_z_is_named():
    spec = sigmoid_232()
    path, named, lines = first_named(spec, by_hand(spec, sigmoid_of_minus_z=True))
    assert path == "layers[0].a[0][0]" and "sigmoid_of_negative_z" in named
    assert any("σ(−z) = 1 − σ(z)" in line for line in lines)


@pytest.mark.parametrize("targets", [((0.0, 1.0),), ((1.0, 0.0), (0.0, 1.0))])
def test_an_extra_sigma_prime_after_a_log_loss_is_named(targets):
    inputs = ((0.6, -0.3, 0.8), (-0.5, 0.4, 0.2))[:len(targets)]
    spec = sigmoid_232("binary_cross_entropy", targets, inputs)
    path, named, lines = first_named(spec, by_hand(spec, extra_sigma_prime=True))
    assert path == "layers[1].delta[0][0]" and "extra_sigmoid_derivative" in named
    assert not MISTAKES["extra_sigmoid_derivative"].applies(sigmoid_232())


def test_target_minus_output_as_the_gradient_is_named():
    spec = sigmoid_232()
    path, named, lines = first_named(spec, by_hand(spec, gradient_flipped=True))
    assert path == "layers[1].dl_da[0][0]" and "gradient_sign_flipped" in named


def test_a_half_put_in_front_of_the_sum_of_squared_errors_is_named():
    spec = sigmoid_232("sse")
    path, named, lines = first_named(spec, by_hand(spec, half_added=True))
    assert path == "loss" and named == ("half_added",)
    assert not MISTAKES["half_added"].applies(sigmoid_232())


def _one_wrong(spec, path: str, factor: float) -> dict[str, float]:
    """Every number right but one, that one times the factor: a slip no catalogue rule makes."""
    values = by_hand(spec)
    values[path] *= factor
    return values


# η = 0.3, N = 3 examples and K = 4 outputs: every factor a slip can name is a different number.
# No weight is negative, so no weight's sign can be dropped: fewer mistakes to work for each file.
SLIPPED = _spec([{"units": 3, "activation": "tanh", "weights": [[0.2, 0.5], [0.7, 0.3], [0.4, 0.6]], "bias": 0.1},
                 {"units": 4, "activation": "sigmoid", "weights": [[0.3, 0.2, 0.5], [0.6, 0.1, 0.7],
                                                                   [0.3, 0.8, 0.2], [0.4, 0.4, 0.1]], "bias": -0.5}],
                "half_sse", [[0.5, -0.2], [0.9, 0.4], [-0.3, 0.7]],
                [[0.1, 0.2, 0.7, 0.4], [0.9, 0.1, 0.3, 0.6], [0.5, 0.5, 0.2, 0.8]], rate=0.3)


@pytest.mark.parametrize("path, factor, slip, words", [
    ("layers[0].z[0][1]", -1, "sign_slip", "the sign is wrong"),
    ("layers[1].dW[0][2]", 2, "factor_2", "off by a factor of 2"),
    ("layers[0].delta[1][2]", 0.5, "factor_half", "off by a factor of 1/2"),
    ("layers[1].W_new[1][0]", 0.3, "factor_eta", "off by a factor of η = 0.3, the learning rate"),
    ("layers[0].db[1]", 1 / 0.3, "factor_1_over_eta", "1/η"),
    ("layers[1].a[0][0]", 3, "factor_n", "N = 3, the number of examples"),
    ("layers[0].dW[2][1]", 1 / 3, "factor_1_over_n", "1/N = 1/3"),
    ("layers[1].dl_da[2][1]", 4, "factor_k", "K = 4, the number of output units"),
    ("layers[1].delta[0][3]", 0.25, "factor_1_over_k", "1/K = 1/4"),
])
def test_a_slip_of_sign_or_factor_in_any_quantity_is_named_with_its_factor(path, factor, slip, words):
    got, named, lines = first_named(SLIPPED, _one_wrong(SLIPPED, path, factor))
    assert got == path and named == (slip,), named
    assert any(words in line for line in lines), lines


def test_a_slip_is_named_only_where_no_catalogue_mistake_explains_the_number():
    # half_forgotten doubles ∂ℓ/∂a: a ratio of 2 that the catalogue names itself
    spec = sigmoid_232()
    values = by_hand(spec)
    values["layers[1].dl_da[0][0]"] *= 2
    values["layers[1].dl_da[0][1]"] *= 2
    assert marked(spec, values).first_wrong.mistakes == ("half_forgotten",)


def test_every_title_prints_in_tex_with_no_character_left_as_a_placeholder():
    from derive.render.tex_text import escape_tex
    titles = [m.title for m in MISTAKES.values()] + [s.title for s in slips(SLIPPED)]
    assert all("[U+" not in escape_tex(title) for title in titles)
