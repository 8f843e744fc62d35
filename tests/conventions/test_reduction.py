"""reduction: sum — the loss is the sum of the examples' losses, E = Σ_n ℓ_n, and so is every gradient."""
from __future__ import annotations

import numpy as np

from derive.io.validate import parse_spec
from derive.pipeline import derive

BATCH = """
inputs: [[0.5, -1.0], [1.0, 0.25], [-0.5, 0.75]]
targets: [[0.2], [0.9], [0.4]]
layers:
  - {units: 2, activation: tanh, weights: [[0.3, -0.2], [0.1, 0.4]], bias: [0.1, -0.1]}
  - {units: 1, activation: sigmoid, weights: [[0.6, -0.5]], bias: 0.2}
loss: half_sse
learning_rate: 0.1
"""


def numpy_sum_loss(W1, b1, W2, b2):
    """The summed half-squared-error loss of the batch, written apart."""
    x = np.array([[0.5, -1.0], [1.0, 0.25], [-0.5, 0.75]])
    t = np.array([[0.2], [0.9], [0.4]])
    a1 = np.tanh(x @ W1.T + b1)
    a2 = 1 / (1 + np.exp(-(a1 @ W2.T + b2)))
    return float((0.5 * (t - a2) ** 2).sum())


def test_a_summed_loss_and_its_gradients_are_n_times_the_mean_ones_and_match_finite_differences():
    mean = derive(parse_spec(BATCH, "mean.yaml"))
    summed = derive(parse_spec(BATCH + "reduction: sum\n", "sum.yaml"))
    assert summed.data["reduction"] == "sum"
    assert abs(summed.data["loss"] - 3 * mean.data["loss"]) < 1e-12
    W1, b1 = np.array([[0.3, -0.2], [0.1, 0.4]]), np.array([0.1, -0.1])
    W2, b2 = np.array([[0.6, -0.5]]), np.array([0.2])
    assert abs(summed.data["loss"] - numpy_sum_loss(W1, b1, W2, b2)) < 1e-12
    h = 1e-6
    for j in range(2):
        for k in range(2):
            up, down = W1.copy(), W1.copy()
            up[j, k] += h
            down[j, k] -= h
            fd = (numpy_sum_loss(up, b1, W2, b2) - numpy_sum_loss(down, b1, W2, b2)) / (2 * h)
            assert abs(summed.data["layers"][0]["dW"][j][k] - fd) < 1e-8
            assert abs(summed.data["layers"][0]["dW"][j][k] - 3 * mean.data["layers"][0]["dW"][j][k]) < 1e-12


def test_the_document_writes_the_sum_without_one_over_n():
    text = derive(parse_spec(BATCH + "reduction: sum\n", "sum.yaml")).markdown()
    assert r"L = \sum_{n=1}^{N} \ell^{[n]}" in text and r"L = \frac{1}{N}" not in text
    assert r"= \sum_{n=1}^{3} \delta^{(2)[n]}_{1}\, a^{(1)[n]}_{1}" in text
    assert r"\frac{1}{3}" not in text
