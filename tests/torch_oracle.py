"""PyTorch autograd and torch.optim in float64 as an oracle: every JSON number of a spec, and the comparison."""
from __future__ import annotations

import numpy as np
import pytest

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
        "sse": lambda: ((a - t) ** 2).sum(dim=1),
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


def torch_optimizer(spec, Ws, bs):
    """torch.optim's optimizer for the spec: weight decay on the weights only, a parameter group per kind."""
    o = spec.optimizer.values
    groups = [{"params": Ws, "weight_decay": spec.weight_decay}]
    if spec.train_bias:
        groups.append({"params": bs, "weight_decay": 0.0})
    make = {
        "sgd": lambda: torch.optim.SGD(groups, lr=spec.learning_rate),
        "momentum": lambda: torch.optim.SGD(groups, lr=spec.learning_rate, momentum=o["momentum"],
                                            nesterov=o["nesterov"]),
        "adam": lambda: torch.optim.Adam(groups, lr=spec.learning_rate, betas=tuple(o["betas"]), eps=o["eps"]),
        "adamw": lambda: torch.optim.AdamW(groups, lr=spec.learning_rate, betas=tuple(o["betas"]), eps=o["eps"]),
    }
    return make[spec.optimizer.name]()


def torch_state(spec, optimizer, p, kind):
    """The optimizer's state of parameter p after its first step, named as derive's JSON names it."""
    state, o = optimizer.state[p], spec.optimizer.values
    if spec.optimizer.name == "momentum":
        return {f"velocity_{kind}": state["momentum_buffer"].numpy().copy()}
    if spec.optimizer.name in ("adam", "adamw"):
        (beta1, beta2), t = o["betas"], float(state["step"])
        m, v = state["exp_avg"].numpy().copy(), state["exp_avg_sq"].numpy().copy()
        # Adam's bias corrections, as torch's step applies them (lr / (1 - beta1^t), sqrt(1 - beta2^t))
        return {f"m_{kind}": m, f"v_{kind}": v, f"m_hat_{kind}": m / (1 - beta1 ** t),
                f"v_hat_{kind}": v / (1 - beta2 ** t)}
    return {}


def _final_state(spec, optimizer, Ws, bs):
    """The carried state after the last step (velocity, or the two moments), by derive's JSON names."""
    out = [{} for _ in Ws]
    keys = {"momentum": {"momentum_buffer": "velocity"}, "adam": {"exp_avg": "m", "exp_avg_sq": "v"}}
    keys["adamw"] = keys["adam"]
    for kind, params in (("W", Ws), ("b", bs if spec.train_bias else [])):
        for l, p in enumerate(params):
            for key, name in keys.get(spec.optimizer.name, {}).items():
                out[l][f"{name}_{kind}_final"] = optimizer.state[p][key].numpy().copy()
    return out


def torch_run(spec):
    """Every JSON quantity by autograd and torch.optim's step, from the spec alone."""
    x = torch.tensor(spec.inputs, dtype=torch.float64)
    t = torch.tensor(spec.targets, dtype=torch.float64)
    Ws = [torch.tensor(layer.weights, dtype=torch.float64, requires_grad=True) for layer in spec.layers]
    # a fixed bias has a gradient too, but is not in the optimizer; a shared bias is a (1,) tensor,
    # which broadcasting adds to every unit, so that autograd sums its gradient over the units
    bs = [torch.tensor(layer.bias, dtype=torch.float64, requires_grad=True) for layer in spec.layers]
    optimizer = torch_optimizer(spec, Ws, bs)
    first, history, margin, amplification = None, [], [1.0], 1.0
    for step in range(spec.steps):
        for p in Ws + bs:
            p.grad = None
        a, zs, acts = x, [], []
        for layer, W, b in zip(spec.layers, Ws, bs):
            z = a @ W.T + b
            a = ACTIVATE[layer.activation](z, layer.alpha)
            zs.append(z)
            acts.append(a)
        margin.append(_margin(spec, a))
        per_example = _example_losses(spec.loss, a, t)
        loss = per_example.sum() if spec.reduction == "sum" else per_example.mean()
        if step == 0:
            local = [_local(layer, z, a_l, acts, per_example) for layer, z, a_l in zip(spec.layers, zs, acts)]
        loss.backward()
        history.append(loss.item())
        if step == 0:
            first = {"loss": loss.item(), "z": [z.detach().numpy() for z in zs], "a": [a.detach().numpy() for a in acts],
                     "dW": [W.grad.numpy().copy() for W in Ws],
                     "db": [b.grad.numpy().copy() for b in bs],
                     "dl_da": [d for d, _ in local], "da_dz": [j for _, j in local],
                     # the gradient with coupled weight decay, as torch's step adds it
                     "g_W": [W.grad.numpy() + spec.weight_decay * W.detach().numpy() for W in Ws]}
        optimizer.step()
        amplification *= max(1.0, _amplification(spec, optimizer, Ws + (bs if spec.train_bias else [])))
        if step == 0:
            first["W_new"] = [W.detach().numpy().copy() for W in Ws]
            first["b_new"] = [b.detach().numpy().copy() for b in bs]
            with torch.no_grad():  # the forward pass again with the updated parameters
                a_after, first["z_after"], first["a_after"] = x, [], []
                for layer, W, b in zip(spec.layers, Ws, bs):
                    z_after = a_after @ W.T + b
                    a_after = ACTIVATE[layer.activation](z_after, layer.alpha)
                    first["z_after"].append(z_after.numpy().copy())
                    first["a_after"].append(a_after.numpy().copy())
            for kind, params in (("W", Ws), ("b", bs if spec.train_bias else [])):
                for l, p in enumerate(params):
                    for key, value in torch_state(spec, optimizer, p, kind).items():
                        first.setdefault(key, [None] * len(Ws))[l] = value
    with torch.no_grad():
        a = x
        for layer, W, b in zip(spec.layers, Ws, bs):
            a = ACTIVATE[layer.activation](a @ W.T + b, layer.alpha)
        margin.append(_margin(spec, a))
        history.append(_loss(spec.loss, a, t, spec.reduction).item())
    return (first, history, [W.detach().numpy() for W in Ws], [b.detach().numpy() for b in bs],
            _final_state(spec, optimizer, Ws, bs), {"margin": min(margin), "amplification": amplification})


def _amplification(spec, optimizer, params) -> float:
    """How much the step just taken multiplied an error in a nonzero gradient: lr eps / (sqrt(v_hat) + eps)^2."""
    if spec.optimizer.name not in ("adam", "adamw"):
        return 1.0
    (_, beta2), eps = spec.optimizer.values["betas"], spec.optimizer.values["eps"]
    factors = [0.0]
    for p in params:
        state = optimizer.state[p]
        v_hat = state["exp_avg_sq"].numpy() / (1 - beta2 ** float(state["step"]))
        moved = p.grad.numpy() != 0  # an exactly zero gradient stays exact in float64 too
        factors.extend((spec.learning_rate * eps / (np.sqrt(v_hat[moved]) + eps) ** 2).tolist())
    return max(factors)


def _margin(spec, a):
    """How far outputs under a logarithm stay from 0 and 1 (1 where no loss takes their log)."""
    if spec.loss not in ("cross_entropy", "binary_cross_entropy"):
        return 1.0
    values = a.detach().numpy()
    return float(min(values.min(), (1 - values).min()))


def well_conditioned(spec) -> bool:
    """float64 loses at most about 1e-10: no output under a log within 1e-6 of 0 or 1, no weight blown up.

    Closer to saturation float64 rounds 1 - a to a few digits or to 0 (an infinite loss), where the
    40-digit values here are still right, so PyTorch is no oracle there: such draws are discarded.
    """
    _, history, W_final, _, _, conditioning = torch_run(spec)
    margin = conditioning["margin"]
    # A step that blows the weights up by 10^4 divides by a tiny rounded number (Adam with beta2 = 0 and a
    # vanishing g_t, say): float64 keeps only about 1e-8 of the result there, so such draws are discarded too.
    start = max(1.0, *(abs(w) for layer in spec.layers for row in layer.weights for w in row))
    grown = max(float(np.abs(W).max()) for W in W_final) / start
    return margin >= 1e-6 and bool(np.all(np.isfinite(history))) and grown < 1e4


def rounding_allowed(amplification: float) -> dict:
    """Tolerances for the values after the steps, where the optimizer multiplied float64's rounding.

    A gradient's float64 rounding is ~1e-16 of its largest term (1 - tanh(z)^2 near saturation
    loses more); Adam divides a gradient by its own size plus eps, so its step passes that on
    times up to lr / eps (500 at lr = 0.5, eps = 1e-3), and the next step does so again. After two
    such steps torch keeps ~1e-10 of a weight where derive's 40 digits keep all, so the tolerance
    grows with the product of the steps' factors, from 1e-15 of a gradient's rounding.
    """
    return dict(rtol=1e-9, atol=max(1e-11, 1e-15 * amplification))


def assert_agrees(spec):
    data = derive(spec, full_check_limit=40).data
    first, history, W_final, b_final, state_final, conditioning = torch_run(spec)
    close = dict(rtol=1e-9, atol=1e-11)
    after = rounding_allowed(conditioning["amplification"])
    np.testing.assert_allclose(data["loss"], first["loss"], **close)
    # a ReLU input at exactly 0 in exact arithmetic (0.1 + 0.2 - 0.3) is 1e-17 in float64, where
    # torch takes ReLU' = 1 and derive 0: only the forward pass is comparable then
    exact_kink = any(layer["activation"] in ("relu", "leaky_relu") and 0.0 in np.array(layer["z"])
                     for layer in data["layers"])
    state = sorted(k for k in first if k.endswith(("_W", "_b")) and k[0] in "gmv")
    if spec.optimizer.name == "adamw" or not spec.weight_decay:
        state.remove("g_W")
    keys = ("z", "a") if exact_kink else ("z", "a", "dl_da", "da_dz", "dW", "db", "W_new", "b_new", *state,
                                          "z_after", "a_after")
    if not exact_kink:
        np.testing.assert_allclose(data["loss_history"], history, **after)
    for l, layer in enumerate(data["layers"]):
        assert not ({k for k in layer if k.endswith(("_W", "_b"))} - set(state) - {"W_new", "b_new"}), layer.keys()
        # softmax(z + c) = softmax(z): a softmax layer's shared bias has a gradient of exactly 0, which
        # float64 leaves at 1e-17 and Adam divides by its own size, so torch moves it by eta * g / (|g| + eps)
        idle = (layer.get("shared_bias") and layer["activation"] == "softmax" and layer["units"] > 1
                and spec.optimizer.name in ("adam", "adamw"))
        if idle:
            assert layer["db"] == 0.0 and abs(first["db"][l][0]) < 1e-12
            assert layer["b_new"] == layer["b_final"] == spec.layers[l].bias[0] or not spec.train_bias
        for key in keys:
            if idle and (key in ("b_new", "z_after") or key.endswith("_b")):
                continue
            np.testing.assert_allclose(np.array(layer[key]), first[key][l], err_msg=f"layer {l} {key}", **close)
        if not exact_kink:
            np.testing.assert_allclose(np.array(layer["W_final"]), W_final[l], **after)
            if not idle:
                np.testing.assert_allclose(np.array(layer["b_final"]), b_final[l], **after)
            assert {k for k in layer if k.endswith("_final") and k[0] in "mv"} == set(state_final[l])
            for key, value in state_final[l].items():
                if not (idle and key.endswith("_b_final")):
                    np.testing.assert_allclose(np.array(layer[key]), value, err_msg=f"layer {l} {key}", **after)
    # derive() above raised CheckFailed had the built-in checks disagreed with each other
