"""Numbers of the worked step against a published example and an independent numpy backprop."""
from __future__ import annotations

import numpy as np
import pytest

from derive.core.evaluate import MP_WORK_LIMIT, evaluate
from derive.io.validate import parse_spec
from derive.oracles import numpy_backprop
from tests.conftest import MAZUR
from tests.oracle import arrays, oracle


def test_classic_two_two_two_matches_published_values(mazur):
    # M. Mazur, "A Step by Step Backpropagation Example" (2015)
    ev = evaluate(mazur)
    assert float(ev.loss) == pytest.approx(0.298371109, abs=5e-10)
    assert float(ev.layers[0].a[0][0]) == pytest.approx(0.593269992, abs=5e-10)
    assert float(ev.layers[1].a[0][0]) == pytest.approx(0.75136507, abs=5e-9)
    assert float(ev.layers[1].dW[0][0]) == pytest.approx(0.082167041, abs=5e-10)
    assert float(ev.layers[0].dW[0][0]) == pytest.approx(0.000438568, abs=5e-10)
    assert float(ev.layers[1].W_new[0][0]) == pytest.approx(0.35891648, abs=5e-9)
    assert float(ev.layers[0].W_new[0][0]) == pytest.approx(0.149780716, abs=5e-10)


def test_seed_000_softmax_output_is_exact_where_the_post_rounded():
    from tests.conftest import example_spec

    ev = evaluate(example_spec("relu-softmax-3-3-3-3"))
    out = [float(v) for v in ev.layers[-1].a[0]]
    # the post's hand-rounded [0.19858, 0.28559, 0.51583] is close but not equal
    assert out == pytest.approx([0.19858, 0.28559, 0.51583], abs=5e-4)
    assert sum(out) == pytest.approx(1, abs=1e-15)


def test_every_seed_agrees_with_numpy_backprop(seed):
    ev, ref = evaluate(seed), oracle(seed)
    assert float(ev.loss) == pytest.approx(ref.loss, rel=1e-12)
    for lv, z, a, dW, db in zip(ev.layers, ref.z, ref.a, ref.dW, ref.db):
        np.testing.assert_allclose(np.array(lv.z, dtype=float), z, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(np.array(lv.a, dtype=float), a, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(np.array(lv.dW, dtype=float), dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(np.array(lv.db, dtype=float), db, rtol=1e-10, atol=1e-14)


def test_loss_history_matches_numpy_training(seed):
    ev = evaluate(seed)
    ref = numpy_backprop.train_losses(**arrays(seed), learning_rate=seed.learning_rate, steps=seed.steps,
                                      train_bias=seed.train_bias)
    assert len(ev.loss_history) == seed.steps + 1
    np.testing.assert_allclose([float(v) for v in ev.loss_history], ref, rtol=1e-10)


def test_many_steps_switch_to_floats_and_still_match_numpy():
    spec = parse_spec(MAZUR + "steps: 10000\n", "m.yaml")
    assert spec.steps * spec.n_parameters > MP_WORK_LIMIT
    ev = evaluate(spec)
    ref = numpy_backprop.train_losses(**arrays(spec), learning_rate=0.5, steps=10000)
    np.testing.assert_allclose([float(v) for v in ev.loss_history], ref, rtol=1e-9)
    assert float(ev.loss_history[-1]) < 1e-4


def test_relu_derivative_at_zero_is_zero():
    spec = parse_spec("""
inputs: [[1.0]]
targets: [[1.0]]
layers:
  - {units: 1, activation: relu, weights: [[1.0]], bias: -1.0}
  - {units: 1, activation: identity, weights: [[2.0]], bias: 0.5}
loss: half_sse
learning_rate: 0.1
""", "k.yaml")
    ev = evaluate(spec)
    assert ev.layers[0].z[0][0] == 0
    assert ev.layers[0].da_dz[0][0] == 0
    assert ev.layers[0].dW[0][0] == 0


def test_batch_gradient_is_the_mean_of_per_example_gradients():
    text = MAZUR.replace("inputs:  [[0.05, 0.10]]", "inputs: [[0.05, 0.10], [0.3, -0.2]]").replace(
        "targets: [[0.01, 0.99]]", "targets: [[0.01, 0.99], [0.5, 0.2]]")
    both = evaluate(parse_spec(text, "b.yaml"))
    first = evaluate(parse_spec(MAZUR, "a.yaml"))
    second = evaluate(parse_spec(text.replace("[[0.05, 0.10], [0.3, -0.2]]", "[[0.3, -0.2]]").replace(
        "[[0.01, 0.99], [0.5, 0.2]]", "[[0.5, 0.2]]"), "c.yaml"))
    for l in range(2):
        for j in range(2):
            for k in range(2):
                mean = (first.layers[l].dW[j][k] + second.layers[l].dW[j][k]) / 2
                assert float(both.layers[l].dW[j][k]) == pytest.approx(float(mean), rel=1e-14)


def test_fixed_biases_stay_fixed():
    spec = parse_spec(MAZUR + "train_bias: false\n", "m.yaml")
    ev = evaluate(spec)
    assert [float(b) for b in ev.layers[0].b_new] == [0.35, 0.35]
    assert ev.layers[0].db[0] != 0


def test_sums_that_cancel_are_exactly_zero():
    # 0.1 is not exact in binary: 3 * 0.1 - 0.3 leaves rounding noise unless the cancellation is seen
    spec = parse_spec("""
inputs: [[3.0]]
targets: [[1.0]]
layers:
  - {units: 1, activation: relu, weights: [[0.1]], bias: -0.3}
  - {units: 1, activation: identity, weights: [[2.0]], bias: 0.5}
loss: half_sse
learning_rate: 0.1
""", "c.yaml")
    ev = evaluate(spec)
    assert ev.layers[0].z[0][0] == 0
    assert ev.layers[0].dW[0][0] == 0
