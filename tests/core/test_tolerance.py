"""Tolerances: a hand calculation that rounds every intermediate is accepted, a wrong sign is not."""
from __future__ import annotations

import math
import random

import pytest

from derive.core.graph import recompute
from derive.exam.generate import make_exam
from derive.exam.questions import DEFAULT_KINDS
from derive.exam.shape import shape_from_flags
from derive.core.tolerance import Rounding, round_up

DECIMALS = 4


def hand_calculation(spec, rounding) -> dict[str, float]:
    """One sigmoid network's step worked as a person does, each number written down passed through rounding.

    Written apart from derive: the textbook formulas, σ' = a(1 - a), for half_sse, sse or binary cross-entropy.
    """
    r = rounding
    acts = [list(spec.inputs[0])]
    for layer in spec.layers:
        z = [r(sum(w * x for w, x in zip(row, acts[-1])) + b) for row, b in zip(layer.weights, layer.bias)]
        acts.append([r(1 / (1 + math.exp(-v))) for v in z])
    out, t, K = acts[-1], spec.targets[0], len(spec.targets[0])
    if spec.loss == "half_sse":
        loss = r(sum(r(0.5 * (tk - ak) ** 2) for tk, ak in zip(t, out)))
        dl_da = [r(ak - tk) for tk, ak in zip(t, out)]
    elif spec.loss == "sse":
        loss = r(sum(r((tk - ak) ** 2) for tk, ak in zip(t, out)))
        dl_da = [r(2 * (ak - tk)) for tk, ak in zip(t, out)]
    else:  # binary cross-entropy, the mean over the K outputs
        loss = r(-sum(r(tk * math.log(ak) + (1 - tk) * math.log(1 - ak)) for tk, ak in zip(t, out)) / K)
        dl_da = [r((ak - tk) / (ak * (1 - ak)) / K) for tk, ak in zip(t, out)]
    values = {"loss": loss}
    L = len(spec.layers)
    for l in range(L, 0, -1):
        a = acts[l]
        delta = [r(g * r(aj * (1 - aj))) for g, aj in zip(dl_da, a)]
        layer = spec.layers[l - 1]
        for j, row in enumerate(layer.weights):
            values[f"layers[{l - 1}].a[0][{j}]"] = a[j]
            values[f"layers[{l - 1}].db[{j}]"] = delta[j]
            values[f"layers[{l - 1}].b_new[{j}]"] = r(layer.bias[j] - r(spec.learning_rate * delta[j]))
            for k, w in enumerate(row):
                grad = r(delta[j] * acts[l - 1][k])
                values[f"layers[{l - 1}].dW[{j}][{k}]"] = grad
                values[f"layers[{l - 1}].W_new[{j}][{k}]"] = r(w - r(spec.learning_rate * grad))
        # the delta of the layer below: the sum over every unit it feeds
        dl_da = [r(sum(layer.weights[j][k] * delta[j] for j in range(len(delta)))) for k in range(len(acts[l - 1]))]
    return values


SHAPES = [("2,2,2", "sigmoid", "half_sse"), ("2,2,1", "sigmoid", "binary_cross_entropy"),
          ("3,3,2", "sigmoid", "half_sse"), ("2,2,2", "sigmoid", "sse")]


@pytest.fixture(scope="module", params=SHAPES, ids=[s[0] + "-" + s[2] for s in SHAPES])
def drawn(request):
    layers, activations, loss = request.param
    shape = shape_from_flags(layers, activations, loss, None)
    return make_exam(shape, 40, 1, DEFAULT_KINDS, DECIMALS)


def test_a_hand_calculation_rounding_every_intermediate_is_accepted(drawn):
    nearest = lambda x: round(x, DECIMALS)  # noqa: E731
    for v in drawn.variants:
        hand = hand_calculation(v.spec, nearest)
        for q in v.questions:
            assert abs(hand[q.quantity.json_path] - q.value) <= q.tolerance, (v.id, q)


def test_any_rounding_within_half_a_unit_is_accepted(drawn):
    # a person may round each number either way by up to half a unit of its last decimal
    rng = random.Random(3)
    unit = 0.5 * 10 ** -DECIMALS
    for v in drawn.variants:
        for _ in range(20):
            hand = hand_calculation(v.spec, lambda x: x + rng.uniform(-unit, unit))
            for q in v.questions:
                assert abs(hand[q.quantity.json_path] - q.value) <= q.tolerance, (v.id, q)


def test_a_gradient_with_the_wrong_sign_is_rejected(drawn):
    for v in drawn.variants:
        hand = hand_calculation(v.spec, lambda x: round(x, DECIMALS))
        for q in v.questions:
            path = q.quantity.json_path
            if q.quantity.kind in ("dW", "db"):
                assert abs(-hand[path] - q.value) > q.tolerance, (v.id, q)
            if q.quantity.kind == "W_new":
                # the gradient added instead of subtracted: w + eta g
                grad = hand[path.replace("W_new", "dW")]
                wrong = hand[path] + 2 * v.spec.learning_rate * grad
                assert abs(wrong - q.value) > q.tolerance, (v.id, q)


def test_the_propagated_sensitivity_matches_perturbing_each_step(drawn):
    # sum over steps of |d answer / d step|, found here by nudging each computed step and recomputing
    v = drawn.variants[0]
    graph = v.graph
    rounding = Rounding(graph)
    partials = rounding.partials([float(s.value) for s in graph.steps])
    h = 1e-7
    for q in v.questions:
        total = 0.0
        for step in graph.steps[:graph.index[q.quantity] + 1]:
            if step.given:
                continue
            nudged = recompute(graph, {step.quantity: step.value + h})
            total += abs(float(nudged.value(q.quantity) - graph.value(q.quantity))) / h
        assert rounding.sensitivity(partials, q.quantity) == pytest.approx(total, rel=1e-5)


@pytest.mark.parametrize("x, up", [(0.0001234, 0.00013), (0.00012, 0.00012), (2.01, 2.1), (9.91, 10.0)])
def test_round_up_keeps_two_significant_figures_and_never_rounds_down(x, up):
    assert round_up(x) == up


def _rounded_through_the_graph(graph, rounding):
    """Every step computed from the rounded values of the steps before it, then rounded itself."""
    written = {}
    current = graph
    for step in graph.steps:
        if not step.given:
            written[step.quantity] = rounding(float(current.value(step.quantity)))
            current = recompute(graph, written)
    return current


@pytest.mark.parametrize("source", [("3,4,2", "relu,softmax", "cross_entropy"), ("2,3,2", "tanh,identity", "mse"),
                                    "seed-004", "seed-000"])
def test_other_activations_losses_and_batches_rounded_step_by_step_are_accepted(source):
    from derive.io.load import load
    shape = load(source) if isinstance(source, str) else shape_from_flags(*source, None)
    drawn = make_exam(shape, 6, 2, DEFAULT_KINDS, DECIMALS)
    rng = random.Random(5)
    unit = 0.5 * 10 ** -DECIMALS
    for v in drawn.variants:
        for rounding in (lambda x: round(x, DECIMALS), lambda x: x + rng.uniform(-unit, unit)):
            hand = _rounded_through_the_graph(v.graph, rounding)
            for q in v.questions:
                assert abs(float(hand.value(q.quantity)) - q.value) <= q.tolerance, (v.id, q)
                if q.quantity.kind in ("dW", "db"):
                    assert abs(-float(hand.value(q.quantity)) - q.value) > q.tolerance
