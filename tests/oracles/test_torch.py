"""Agreement with PyTorch autograd in float64 on every JSON number (PyTorch is a test extra)."""
from __future__ import annotations

import os

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.io.validate import spec_from_data
from derive.pipeline import derive

torch = pytest.importorskip("torch")

ACTIVATE = {
    "identity": lambda z, al: z, "sigmoid": lambda z, al: torch.sigmoid(z), "tanh": lambda z, al: torch.tanh(z),
    "relu": lambda z, al: torch.relu(z), "leaky_relu": lambda z, al: torch.nn.functional.leaky_relu(z, al),
    "softmax": lambda z, al: torch.softmax(z, dim=1),
}


def _loss(name, a, t, reduction="mean"):
    per_example = _example_losses(name, a, t)
    return per_example.sum() if reduction == "sum" else per_example.mean()


def _example_losses(name, a, t):
    K = a.shape[1]
    per_example = {
        "half_sse": lambda: 0.5 * ((t - a) ** 2).sum(1),
        "mse": lambda: ((t - a) ** 2).sum(1) / K,
        "cross_entropy": lambda: -(t * torch.log(a)).sum(1),
        "binary_cross_entropy": lambda: -(t * torch.log(a) + (1 - t) * torch.log(1 - a)).sum(1) / K,
    }[name]()
    return per_example


def _local(layer, z, a, acts, per_example):
    """dl_n/da (per example, not the mean) and f'(z), or the softmax Jacobian [n][j][m], by autograd."""
    dl_da = torch.autograd.grad(per_example.sum(), a, retain_graph=True)[0].numpy()
    if layer.activation == "softmax":
        rows = [torch.autograd.functional.jacobian(lambda row: torch.softmax(row, dim=0), zn.detach()) for zn in z]
        return dl_da, np.array([r.numpy() for r in rows])
    return dl_da, torch.autograd.grad(a.sum(), z, retain_graph=True)[0].numpy()


def torch_run(spec):
    """Every JSON quantity by autograd and plain gradient descent, from the spec alone."""
    x = torch.tensor(spec.inputs, dtype=torch.float64)
    t = torch.tensor(spec.targets, dtype=torch.float64)
    Ws = [torch.tensor(layer.weights, dtype=torch.float64) for layer in spec.layers]
    bs = [torch.tensor(layer.bias, dtype=torch.float64) for layer in spec.layers]
    first, history = None, []
    for step in range(spec.steps):
        for p in Ws + bs:
            p.requires_grad_(True)
        a, zs, acts = x, [], []
        for layer, W, b in zip(spec.layers, Ws, bs):
            z = a @ W.T + b
            a = ACTIVATE[layer.activation](z, layer.alpha)
            zs.append(z)
            acts.append(a)
        per_example = _example_losses(spec.loss, a, t)
        loss = per_example.sum() if spec.reduction == "sum" else per_example.mean()
        if step == 0:
            local = [_local(layer, z, a_l, acts, per_example) for layer, z, a_l in zip(spec.layers, zs, acts)]
        loss.backward()
        history.append(loss.item())
        with torch.no_grad():
            new_Ws = [W - spec.learning_rate * W.grad for W in Ws]
            new_bs = [b - spec.learning_rate * b.grad if spec.train_bias else b.detach().clone() for b in bs]
        if step == 0:
            first = {"loss": loss.item(), "z": [z.detach().numpy() for z in zs], "a": [a.detach().numpy() for a in acts],
                     "dW": [W.grad.numpy().copy() for W in Ws], "db": [b.grad.numpy().copy() for b in bs],
                     "W_new": [W.numpy() for W in new_Ws], "b_new": [b.numpy() for b in new_bs],
                     "dl_da": [d for d, _ in local], "da_dz": [j for _, j in local]}
        Ws, bs = [W.detach() for W in new_Ws], [b.detach() for b in new_bs]
    with torch.no_grad():
        a = x
        for layer, W, b in zip(spec.layers, Ws, bs):
            a = ACTIVATE[layer.activation](a @ W.T + b, layer.alpha)
        history.append(_loss(spec.loss, a, t, spec.reduction).item())
    return first, history, [W.numpy() for W in Ws], [b.numpy() for b in bs]


def assert_agrees(spec):
    data = derive(spec, full_check_limit=40).data
    first, history, W_final, b_final = torch_run(spec)
    close = dict(rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(data["loss"], first["loss"], **close)
    # a ReLU input at exactly 0 in exact arithmetic (0.1 + 0.2 - 0.3) is 1e-17 in float64, where
    # torch takes ReLU' = 1 and derive 0: only the forward pass is comparable then
    exact_kink = any(layer["activation"] in ("relu", "leaky_relu") and 0.0 in np.array(layer["z"])
                     for layer in data["layers"])
    keys = ("z", "a") if exact_kink else ("z", "a", "dl_da", "da_dz", "dW", "db", "W_new", "b_new")
    if not exact_kink:
        np.testing.assert_allclose(data["loss_history"], history, **close)
    for l, layer in enumerate(data["layers"]):
        for key in keys:
            np.testing.assert_allclose(np.array(layer[key]), first[key][l], err_msg=f"layer {l} {key}", **close)
        if not exact_kink:
            np.testing.assert_allclose(np.array(layer["W_final"]), W_final[l], **close)
            np.testing.assert_allclose(np.array(layer["b_final"]), b_final[l], **close)
    # the three built-in checks agree with each other too
    assert data["passed"] and all(c["passed"] in (True, None) for c in data["checks"])


def test_an_exact_kink_agrees_with_pytorch_where_float64_can_tell():
    from tests.oracles.test_checks import KINK_SPEC
    assert_agrees(spec_from_data(yaml.safe_load(KINK_SPEC), "kink.yaml"))


def test_every_seed_agrees_with_pytorch(seed):
    assert_agrees(seed)


HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUTS = {"half_sse": HIDDEN + ["softmax"], "mse": HIDDEN + ["softmax"],
           "cross_entropy": ["softmax", "sigmoid"], "binary_cross_entropy": ["sigmoid"]}


@st.composite
def networks(draw):
    """Depth 1-4, widths 1-5, every activation, every loss with a valid output, batch 1-4, both
    layouts, biases trained or fixed, a mean or summed loss, 1-3 steps."""
    depth = draw(st.integers(1, 4))
    widths = draw(st.lists(st.integers(1, 5), min_size=depth + 1, max_size=depth + 1))
    batch = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(sorted(OUTPUTS)))
    out_act = draw(st.sampled_from(OUTPUTS[loss]))
    layout = draw(st.sampled_from(["out_in", "in_out"]))
    num = st.floats(-1.5, 1.5, allow_nan=False).map(lambda v: round(v, 3))
    layers = []
    for i in range(1, len(widths)):
        act = out_act if i == len(widths) - 1 else draw(st.sampled_from(HIDDEN))
        rows, cols = (widths[i], widths[i - 1]) if layout == "out_in" else (widths[i - 1], widths[i])
        layer = {"units": widths[i], "activation": act,
                 "weights": draw(st.lists(st.lists(num, min_size=cols, max_size=cols), min_size=rows, max_size=rows)),
                 "bias": draw(st.lists(num, min_size=widths[i], max_size=widths[i]))}
        if act == "leaky_relu":
            layer["alpha"] = draw(st.sampled_from([0.01, 0.1, 0.2]))
        layers.append(layer)
    K = widths[-1]
    if loss == "cross_entropy":
        raw = [draw(st.lists(st.integers(0, 4), min_size=K, max_size=K).filter(any)) for _ in range(batch)]
        targets = [[v / sum(r) for v in r] for r in raw]
    else:
        lo = -1.0 if loss in ("half_sse", "mse") else 0.0
        targets = [draw(st.lists(st.floats(lo, 1).map(lambda v: round(v, 3)), min_size=K, max_size=K))
                   for _ in range(batch)]
    inputs = [draw(st.lists(num, min_size=widths[0], max_size=widths[0])) for _ in range(batch)]
    return spec_from_data({"inputs": inputs, "targets": targets, "layers": layers, "loss": loss,
                           "learning_rate": draw(st.sampled_from([0.01, 0.1, 0.5])),
                           "steps": draw(st.integers(1, 3)), "train_bias": draw(st.booleans()),
                           "weight_layout": layout, "reduction": draw(st.sampled_from(["mean", "sum"]))}, "drawn")


# DERIVE_TORCH_EXAMPLES raises the count for a soak run (bench/soak.sh)
@settings(max_examples=int(os.environ.get("DERIVE_TORCH_EXAMPLES", "1000")), deadline=None)
@given(networks())
def test_random_networks_agree_with_pytorch(spec):
    assert_agrees(spec)
