"""Independent float64 backprop in numpy, used only as a cross-check (long double when given it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SpecError

Arrays = Sequence[np.ndarray]


@dataclass(frozen=True)
class NumpyResult:
    """Forward values and mean-loss gradients of one batch."""

    loss: float
    z: list[np.ndarray]
    a: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]


def _float(arr: Any) -> np.ndarray:
    """A float copy at least as wide as float64 (np.longdouble input stays long double)."""
    arr = np.asarray(arr)
    return np.array(arr, dtype=np.result_type(arr.dtype, np.float64))


def _f64(arrays: Arrays) -> list[np.ndarray]:
    """Copy arrays as floats so callers' inputs are never mutated or downcast."""
    return [_float(arr) for arr in arrays]


# numpy dispatches float64 exp and log to SIMD code chosen by the CPU (AVX-512 or not), and
# matmul to a BLAS kernel chosen the same way: their last bits, and so the checks' reported
# errors, would differ between machines. These helpers round the scalar long-double libm result
# and sum products in a fixed order instead, so every machine gets the same float64 numbers.
def _via_long(fn: Callable[..., np.ndarray], *args: np.ndarray) -> np.ndarray:
    """fn evaluated in long double and rounded back to the arguments' own precision."""
    dtype = np.result_type(*args)
    return fn(*(np.asarray(arg, dtype=np.longdouble) for arg in args)).astype(dtype)


def _exp(x: np.ndarray) -> np.ndarray:
    return _via_long(np.exp, x)


def _log(x: np.ndarray) -> np.ndarray:
    return _via_long(np.log, x)


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with the products summed in order over the shared axis."""
    return (a[:, :, None] * b[None, :, :]).sum(axis=1)


def _softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax; subtracting the row max keeps exp() finite without changing the result."""
    e = _exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Each entry maps (z, alpha) to a; sigmoid uses exp(-log(1+e^-z)), which never overflows.
_ACTIVATE: dict[str, Callable[..., np.ndarray]] = {
    "identity": lambda z, al: z.copy(),
    "sigmoid": lambda z, al: _via_long(lambda v: np.exp(-np.logaddexp(0.0, -v)), z),
    "tanh": lambda z, al: _via_long(np.tanh, z),
    "relu": lambda z, al: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z, al: np.where(z > 0, z, al * z),
    "softmax": lambda z, al: _softmax(z),
}

# Each entry maps (z, a, g = dL/da, alpha) to dL/dz. At z == 0 relu' is 0 and leaky_relu' is
# alpha, as in PyTorch. Softmax uses the full Jacobian-vector product, so no loss is assumed.
_VJP: dict[str, Callable[..., np.ndarray]] = {
    "identity": lambda z, a, g, al: g.copy(),
    "sigmoid": lambda z, a, g, al: g * a * (1.0 - a),
    "tanh": lambda z, a, g, al: g * (1.0 - a * a),
    "relu": lambda z, a, g, al: g * (z > 0),
    "leaky_relu": lambda z, a, g, al: g * np.where(z > 0, 1.0, al),
    "softmax": lambda z, a, g, al: a * (g - (g * a).sum(axis=1, keepdims=True)),
}

# Per-example loss of (a, t, K) as an (N,) array.
_LOSS: dict[str, Callable[..., np.ndarray]] = {
    "half_sse": lambda a, t, k: 0.5 * ((t - a) ** 2).sum(axis=1),
    "sse": lambda a, t, k: ((t - a) ** 2).sum(axis=1),
    "mse": lambda a, t, k: ((t - a) ** 2).sum(axis=1) / k,
    "cross_entropy": lambda a, t, k: -(t * _log(a)).sum(axis=1),
    "binary_cross_entropy": lambda a, t, k: -(t * _log(a) + (1 - t) * _log(1 - a)).sum(axis=1) / k,
}

# Gradient of the per-example loss with respect to a, given (a, t, K); the 1/N is applied later.
_LOSS_GRAD: dict[str, Callable[..., np.ndarray]] = {
    "half_sse": lambda a, t, k: a - t,
    "sse": lambda a, t, k: 2.0 * (a - t),
    "mse": lambda a, t, k: 2.0 * (a - t) / k,
    "cross_entropy": lambda a, t, k: -t / a,
    "binary_cross_entropy": lambda a, t, k: (-t / a + (1 - t) / (1 - a)) / k,
}


def _lookup(table: dict[str, Callable[..., Any]], name: str, kind: str) -> Callable[..., Any]:
    """Fetch a table entry, failing with a clear message for unknown names."""
    if name not in table:
        raise SpecError(f"unknown {kind} {name!r}; valid: {', '.join(sorted(table))}")
    return table[name]


def _mean_loss(out: np.ndarray, t: np.ndarray, loss: str, z: np.ndarray, activation: str,
               reduction: str = "mean") -> float:
    """Mean (or sum, for reduction "sum") over the N examples of the per-example loss."""
    if loss == "cross_entropy" and activation == "softmax":
        # log-softmax from z: finite even where a softmax output underflows to 0
        shifted = z - z.max(axis=1, keepdims=True)
        log_a = shifted - _log(_exp(shifted).sum(axis=1, keepdims=True))
        per_example = -(t * log_a).sum(axis=1)
    else:
        per_example = _lookup(_LOSS, loss, "loss")(out, t, out.shape[1])
    return float(per_example.sum() if reduction == "sum" else per_example.mean())


def _forward(x: np.ndarray, weights: Arrays, biases: Arrays, activations: Sequence[str],
             alphas: Sequence[float]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return per-layer pre-activations z and activations a."""
    if not (len(weights) == len(biases) == len(activations) == len(alphas)):
        raise SpecError("weights, biases, activations and alphas must have equal length")
    zs: list[np.ndarray] = []
    acts: list[np.ndarray] = []
    prev = _float(x)
    for w, b, name, alpha in zip(weights, biases, activations, alphas):
        # Row-per-example layout, so z = a_prev W^T + b (torch.nn.Linear convention).
        z = _matmul(prev, np.asarray(w, dtype=prev.dtype).T) + np.asarray(b, dtype=prev.dtype)
        prev = _lookup(_ACTIVATE, name, "activation")(z, float(alpha))
        zs.append(z)
        acts.append(prev)
    return zs, acts


def forward_loss(x: np.ndarray, t: np.ndarray, weights: Arrays, biases: Arrays,
                 activations: Sequence[str], alphas: Sequence[float], loss: str, reduction: str = "mean") -> float:
    """Mean (or summed) loss of the network on the batch."""
    zs, acts = _forward(x, weights, biases, activations, alphas)
    return _mean_loss(acts[-1], _float(t), loss, zs[-1], activations[-1], reduction)


def backprop(x: np.ndarray, t: np.ndarray, weights: Arrays, biases: Arrays,
             activations: Sequence[str], alphas: Sequence[float], loss: str, reduction: str = "mean") -> NumpyResult:
    """Forward pass plus reverse-mode gradients of the mean (or summed) loss."""
    x64, t64 = _float(x), _float(t)
    ws = _f64(weights)
    zs, acts = _forward(x64, ws, biases, activations, alphas)
    out = acts[-1]
    # Dividing by N here makes every later gradient that of the mean loss; a summed loss divides by 1.
    n = out.shape[0] if reduction == "mean" else 1
    g = _lookup(_LOSS_GRAD, loss, "loss")(out, t64, out.shape[1]) / n
    dW: list[np.ndarray] = [np.empty(0)] * len(ws)
    db: list[np.ndarray] = [np.empty(0)] * len(ws)
    for layer in reversed(range(len(ws))):
        vjp = _lookup(_VJP, activations[layer], "activation")
        if layer == len(ws) - 1 and loss == "cross_entropy" and activations[layer] == "softmax":
            # a * (-t/a) is -t exactly; use it so an output that underflows to 0 gives no 0/0
            delta = (out * t64.sum(axis=1, keepdims=True) - t64) / n
        else:
            delta = vjp(zs[layer], acts[layer], g, float(alphas[layer]))
        prev = acts[layer - 1] if layer > 0 else x64
        # Summing over rows accumulates the per-example contributions (already scaled by 1/N).
        dW[layer] = _matmul(delta.T, prev)
        db[layer] = delta.sum(axis=0)
        if np.size(biases[layer]) == 1:
            # one bias broadcast to every unit (a shared bias): it moves every z, so its gradient sums the units
            db[layer] = db[layer].sum(keepdims=True)
        g = _matmul(delta, ws[layer])
    return NumpyResult(_mean_loss(out, t64, loss, zs[-1], activations[-1], reduction), zs, acts, dW, db)


def train_losses(x: np.ndarray, t: np.ndarray, weights: Arrays, biases: Arrays,
                 activations: Sequence[str], alphas: Sequence[float], loss: str,
                 learning_rate: float, steps: int, train_bias: bool = True, reduction: str = "mean") -> list[float]:
    """Full-batch gradient descent; return the loss before each step and after the last."""
    ws, bs = _f64(weights), _f64(biases)
    history: list[float] = []
    for _ in range(steps):
        res = backprop(x, t, ws, bs, activations, alphas, loss, reduction)
        history.append(res.loss)
        # All gradients come from one backprop call, so the update is simultaneous.
        ws = [w - learning_rate * d for w, d in zip(ws, res.dW)]
        if train_bias:
            bs = [b - learning_rate * d for b, d in zip(bs, res.db)]
    history.append(forward_loss(x, t, ws, bs, activations, alphas, loss, reduction))
    return history


def finite_difference_gradients(x: np.ndarray, t: np.ndarray, weights: Arrays, biases: Arrays,
                                activations: Sequence[str], alphas: Sequence[float], loss: str,
                                reduction: str = "mean", h: float = 1e-6) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central-difference gradients of forward_loss for every weight and bias."""
    ws, bs = _f64(weights), _f64(biases)
    grads: list[np.ndarray] = []
    for p in ws + bs:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            # Perturb in place (on our private copies) and restore, so only one entry moves at a time.
            orig = p[idx]
            p[idx] = orig + h
            up = forward_loss(x, t, ws, bs, activations, alphas, loss, reduction)
            p[idx] = orig - h
            down = forward_loss(x, t, ws, bs, activations, alphas, loss, reduction)
            p[idx] = orig
            g[idx] = (up - down) / (2.0 * h)
        grads.append(g)
    return grads[: len(ws)], grads[len(ws):]
