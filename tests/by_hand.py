"""The classic 2-2-2 network (Mazur 2015) worked apart in numpy."""
from __future__ import annotations

import numpy as np

from derive.io.validate import parse_spec
from tests.conftest import MAZUR


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def classic_gradients(W1, b1, W2, b2):
    """The classic network's gradients, worked apart in numpy."""
    x, t = np.array([0.05, 0.10]), np.array([0.01, 0.99])
    a1 = _sigmoid(W1 @ x + b1)
    a2 = _sigmoid(W2 @ a1 + b2)
    d2 = (a2 - t) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    return np.outer(d1, x), d1, np.outer(d2, a1), d2


def classic_parameters():
    """The classic network's W1, b1, W2 and b2."""
    return (np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]),
            np.array([[0.40, 0.45], [0.50, 0.55]]), np.array([0.60, 0.60]))


def mazur_by_hand(a11: float | None = None) -> dict:
    """Every number of the classic 2-2-2 step, worked apart in numpy (a11 replaces a^(1)_1 if given)."""
    spec = parse_spec(MAZUR, "mazur.yaml")
    x, t = np.array(spec.inputs[0]), np.array(spec.targets[0])
    W1, W2 = np.array(spec.layers[0].weights), np.array(spec.layers[1].weights)
    b1, b2 = np.array(spec.layers[0].bias), np.array(spec.layers[1].bias)
    z1 = W1 @ x + b1
    a1 = _sigmoid(z1)
    if a11 is not None:
        a1[0] = a11
    z2 = W2 @ a1 + b2
    a2 = _sigmoid(z2)
    dl_da2 = a2 - t
    delta2 = dl_da2 * a2 * (1 - a2)
    dl_da1 = W2.T @ delta2
    delta1 = dl_da1 * a1 * (1 - a1)
    dW2, dW1 = np.outer(delta2, a1), np.outer(delta1, x)
    return {"loss": 0.5 * ((t - a2) ** 2).sum(), "layers": {
        1: {"z": [z1], "a": [a1], "dl_da": [dl_da1], "delta": [delta1], "dW": dW1, "W_new": W1 - 0.5 * dW1},
        2: {"z": [z2], "a": [a2], "dl_da": [dl_da2], "delta": [delta2], "dW": dW2, "W_new": W2 - 0.5 * dW2}}}
