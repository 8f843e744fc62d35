"""Agreement with PyTorch autograd in float64 (PyTorch is a test extra)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from derive.evaluate import evaluate
from derive.spec import spec_from_data

torch = pytest.importorskip("torch")

ACTIVATE = {
    "identity": lambda z, al: z, "sigmoid": lambda z, al: torch.sigmoid(z), "tanh": lambda z, al: torch.tanh(z),
    "relu": lambda z, al: torch.relu(z), "leaky_relu": lambda z, al: torch.nn.functional.leaky_relu(z, al),
    "softmax": lambda z, al: torch.softmax(z, dim=1),
}


def torch_step(spec):
    """Loss, activations and gradients by autograd, from the spec alone."""
    x = torch.tensor(spec.inputs, dtype=torch.float64)
    t = torch.tensor(spec.targets, dtype=torch.float64)
    Ws = [torch.tensor(layer.weights, dtype=torch.float64, requires_grad=True) for layer in spec.layers]
    bs = [torch.tensor(layer.bias, dtype=torch.float64, requires_grad=True) for layer in spec.layers]
    a, acts = x, []
    for layer, W, b in zip(spec.layers, Ws, bs):
        a = ACTIVATE[layer.activation](a @ W.T + b, layer.alpha)
        acts.append(a)
    K = a.shape[1]
    per_example = {
        "half_sse": lambda: 0.5 * ((t - a) ** 2).sum(1),
        "mse": lambda: ((t - a) ** 2).sum(1) / K,
        "cross_entropy": lambda: -(t * torch.log(a)).sum(1),
        "binary_cross_entropy": lambda: -(t * torch.log(a) + (1 - t) * torch.log(1 - a)).sum(1) / K,
    }[spec.loss]()
    loss = per_example.mean()
    loss.backward()
    return loss.item(), [a.detach().numpy() for a in acts], [W.grad.numpy() for W in Ws], [b.grad.numpy() for b in bs]


def assert_agrees(spec):
    ev = evaluate(spec)
    loss, acts, dWs, dbs = torch_step(spec)
    assert float(ev.loss) == pytest.approx(loss, rel=1e-10, abs=1e-12)
    for lv, a, dW, db in zip(ev.layers, acts, dWs, dbs):
        np.testing.assert_allclose(np.array(lv.a, dtype=float), a, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(np.array(lv.dW, dtype=float), dW, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(np.array(lv.db, dtype=float), db, rtol=1e-8, atol=1e-12)


def test_every_seed_agrees_with_pytorch(seed):
    assert_agrees(seed)


HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
PAIRS = [("identity", "half_sse"), ("sigmoid", "mse"), ("tanh", "half_sse"), ("softmax", "cross_entropy"),
         ("sigmoid", "binary_cross_entropy"), ("sigmoid", "cross_entropy")]


@st.composite
def networks(draw):
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    batch = draw(st.integers(1, 3))
    out_act, loss = draw(st.sampled_from(PAIRS))
    num = st.floats(-1.5, 1.5, allow_nan=False).map(lambda v: round(v, 3))
    layers = []
    for i in range(1, len(widths)):
        act = out_act if i == len(widths) - 1 else draw(st.sampled_from(HIDDEN))
        layers.append({"units": widths[i], "activation": act,
                       "weights": draw(st.lists(st.lists(num, min_size=widths[i - 1], max_size=widths[i - 1]),
                                                min_size=widths[i], max_size=widths[i])),
                       "bias": draw(st.lists(num, min_size=widths[i], max_size=widths[i]))})
    K = widths[-1]
    if loss == "cross_entropy":
        raw = [draw(st.lists(st.integers(1, 5), min_size=K, max_size=K)) for _ in range(batch)]
        targets = [[v / sum(r) for v in r] for r in raw]
    else:
        targets = [draw(st.lists(st.floats(0, 1).map(lambda v: round(v, 3)), min_size=K, max_size=K))
                   for _ in range(batch)]
    inputs = [draw(st.lists(num, min_size=widths[0], max_size=widths[0])) for _ in range(batch)]
    return spec_from_data({"inputs": inputs, "targets": targets, "layers": layers, "loss": loss,
                           "learning_rate": 0.1}, "drawn")


@settings(max_examples=60, deadline=None)
@given(networks())
def test_random_networks_agree_with_pytorch(spec):
    assert_agrees(spec)
