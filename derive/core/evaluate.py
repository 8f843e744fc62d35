"""Numbers at the point: forward pass, deltas by the chain rule, gradients and the update."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import mpmath
import sympy as sp

from ..errors import NumericalError
from .activations import ACTIVATIONS
from .losses import loss_form
from .spec import Spec

DIGITS = 40  # working precision; documents show far fewer
Matrix = list[list[Any]]


@dataclass(frozen=True)
class Backend:
    """How to compute: on mpmath numbers at DIGITS digits, or on Python floats."""

    name: str
    number: Callable[[float], Any]
    exp: Callable[[Any], Any]
    # a sum this small against the sum of its terms' sizes is rounding left by cancellation
    cancellation: float

    def total(self, terms: list, start: Any = 0) -> Any:
        """Sum of terms plus start; exactly 0 where the terms cancel to within the working precision."""
        s = sum(terms, start)
        if self.cancellation and abs(s) <= self.cancellation * (sum(abs(t) for t in terms) + abs(start)):
            return s * 0
        return s


MP = Backend("mpmath", lambda v: mpmath.mpf(repr(v)) if isinstance(v, float) else mpmath.mpf(v), mpmath.exp,
             mpmath.mpf(10) ** (5 - DIGITS))
FLOAT = Backend("float", float, math.exp, 0.0)


@dataclass(frozen=True)
class LayerValues:
    """Every number of one layer; per-example rows are indexed [n][j]."""

    W: Matrix
    b: list
    z: Matrix
    a: Matrix
    dL_da: Matrix  # dl_n/da_j: from the loss (last layer) or sum_m delta_m w_mj (hidden)
    da_dz: Matrix | None  # f'(z_j) for elementwise activations; None for softmax
    delta: Matrix  # dl_n/dz_j
    dW: Matrix
    db: list
    W_new: Matrix
    b_new: list


@dataclass(frozen=True)
class Evaluation:
    """One gradient-descent step worked in numbers, plus the loss history of all steps."""

    x: Matrix
    t: Matrix
    layers: tuple[LayerValues, ...]
    example_losses: list
    loss: Any
    loss_history: list
    final_W: tuple[Matrix, ...]
    final_b: tuple[list, ...]


def parameters(spec: Spec, be: Backend) -> tuple[list[Matrix], list[list]]:
    """The spec's weights and biases as numbers of the backend."""
    Ws = [[[be.number(v) for v in row] for row in layer.weights] for layer in spec.layers]
    bs = [[be.number(v) for v in layer.bias] for layer in spec.layers]
    return Ws, bs


def _loss_symbols(k: int) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    return tuple(sp.Symbol(f"a_{i}") for i in range(k)), tuple(sp.Symbol(f"t_{i}") for i in range(k))


def _activate(act_name: str, alpha: Any, z_row: list, be: Backend) -> list:
    """a = f(z) for one example's layer; softmax shifted by the max for stability."""
    act = ACTIVATIONS[act_name]
    if act.vector:
        top = max(z_row)
        e = [be.exp(zj - top) for zj in z_row]
        total = sum(e)
        return [ej / total for ej in e]
    f = act.numeric_f if be is MP else act.float_f
    return [f(zj, alpha) for zj in z_row]


def forward(spec: Spec, Ws: list[Matrix], bs: list[list], x: Matrix, be: Backend) -> tuple[list[Matrix], list[Matrix]]:
    """z and a of every layer for every example: z_j = sum_k w_jk a_k + b_j, a_j = f(z_j)."""
    zs, as_, prev = [], [], x
    for layer, W, b in zip(spec.layers, Ws, bs):
        alpha = be.number(layer.alpha)
        z = [[be.total([w * ak for w, ak in zip(row, a_row)], bj) for row, bj in zip(W, b)] for a_row in prev]
        a = [_activate(layer.activation, alpha, z_row, be) for z_row in z]
        zs.append(z)
        as_.append(a)
        prev = a
    return zs, as_


def example_losses(spec: Spec, out: Matrix, t: Matrix, be: Backend) -> list:
    """The per-example loss of every example."""
    form = loss_form(spec.loss, *_loss_symbols(len(t[0])))
    fn = form.numeric if be is MP else form.float_numeric
    try:
        return [fn(*a_row, *t_row) for a_row, t_row in zip(out, t)]
    except (ValueError, ZeroDivisionError):
        raise NumericalError(f"loss {spec.loss}: log(0): an output saturated to exactly 0 or 1") from None


def _finite(value: Any, what: str) -> Any:
    """Refuse a NaN or infinity instead of showing it silently."""
    # also refuse what float64 cannot hold: the JSON carries every number as a float
    if isinstance(value, mpmath.mpc) or not math.isfinite(float(value)):
        raise NumericalError(f"{what} is {mpmath.nstr(value, 6)}, beyond what can be shown (an output "
                             "saturated, or the steps diverged: try a smaller learning_rate or other weights)")
    return value


def _output_gradient(spec: Spec, out: Matrix, t: Matrix, be: Backend) -> Matrix:
    """dl_n/da_k of the per-example loss, from sympy.diff of the loss."""
    form = loss_form(spec.loss, *_loss_symbols(len(t[0])))
    grads = form.numeric_gradient if be is MP else form.float_gradient
    try:
        return [[g(*a_row, *t_row) for g in grads] for a_row, t_row in zip(out, t)]
    except ZeroDivisionError:
        raise NumericalError(f"loss {spec.loss}: an output saturated to exactly 0 or 1") from None


def _local_derivative(act_name: str, alpha: Any, z_row: list, a_row: list, be: Backend) -> list:
    """f'(z_j) for each unit, from the activation's textbook derivative."""
    act = ACTIVATIONS[act_name]
    d = act.numeric_derivative if be is MP else act.float_derivative
    return [d(zj, aj, alpha) for zj, aj in zip(z_row, a_row)]


def backward(spec: Spec, Ws: list[Matrix], zs: list[Matrix], as_: list[Matrix], t: Matrix, be: Backend):
    """Per layer (dL/da, f'(z), delta) per example, from the last layer back."""
    L = len(spec.layers)
    out: list = [None] * L
    dL_da = _output_gradient(spec, as_[-1], t, be)
    for l in reversed(range(L)):
        layer = spec.layers[l]
        if layer.activation == "softmax":
            # softmax Jacobian a_j (delta_jk - a_k): delta_j = a_j (g_j - sum_k g_k a_k)
            da_dz = None
            delta = [[aj * be.total([gj] + [-g * a for g, a in zip(g_row, a_row)]) for aj, gj in zip(a_row, g_row)]
                     for a_row, g_row in zip(as_[l], dL_da)]
        else:
            alpha = be.number(layer.alpha)
            da_dz = [_local_derivative(layer.activation, alpha, z_row, a_row, be)
                     for z_row, a_row in zip(zs[l], as_[l])]
            delta = [[g * d for g, d in zip(g_row, d_row)] for g_row, d_row in zip(dL_da, da_dz)]
        out[l] = (dL_da, da_dz, delta)
        if l > 0:
            # dl/da^{(l-1)}_k = sum_j delta^{(l)}_j w^{(l)}_{jk}: every path through layer l
            W = Ws[l]
            dL_da = [[be.total([d_row[j] * W[j][k] for j in range(len(W))]) for k in range(len(W[0]))]
                     for d_row in delta]
    return out


def gradients(deltas: list[Matrix], prev: list[Matrix], be: Backend) -> tuple[list[Matrix], list[list]]:
    """dL/dW_jk = mean_n delta_j a_k and dL/db_j = mean_n delta_j, for every layer."""
    dWs, dbs = [], []
    for delta, a_prev in zip(deltas, prev):
        n = len(delta)
        dWs.append([[be.total([delta[i][j] * a_prev[i][k] for i in range(n)]) / n for k in range(len(a_prev[0]))]
                    for j in range(len(delta[0]))])
        dbs.append([be.total([delta[i][j] for i in range(n)]) / n for j in range(len(delta[0]))])
    return dWs, dbs


def step(spec: Spec, Ws: list[Matrix], bs: list[list], x: Matrix, t: Matrix, be: Backend):
    """One full-batch step: returns (zs, as_, backward rows, loss terms, dWs, dbs, new Ws, new bs)."""
    zs, as_ = forward(spec, Ws, bs, x, be)
    losses = example_losses(spec, as_[-1], t, be)
    rows = backward(spec, Ws, zs, as_, t, be)
    dWs, dbs = gradients([r[2] for r in rows], [x] + as_[:-1], be)
    rate = be.number(spec.learning_rate)
    # simultaneous update: every parameter moves from the original values
    new_Ws = [[[w - rate * g for w, g in zip(wr, gr)] for wr, gr in zip(W, dW)] for W, dW in zip(Ws, dWs)]
    new_bs = [[b - rate * g for b, g in zip(bl, gl)] if spec.train_bias else list(bl) for bl, gl in zip(bs, dbs)]
    return zs, as_, rows, losses, dWs, dbs, new_Ws, new_bs


def mean_loss(spec: Spec, Ws: list[Matrix], bs: list[list], x: Matrix, t: Matrix, be: Backend) -> Any:
    """The loss (mean over the examples) at the given parameters."""
    out = forward(spec, Ws, bs, x, be)[1][-1]
    losses = example_losses(spec, out, t, be)
    return _finite(sum(losses) / len(losses), "the loss")


def evaluate(spec: Spec) -> Evaluation:
    """Work the first step in 40-digit numbers, then run the remaining steps for the loss history."""
    with mpmath.workdps(DIGITS):
        Ws, bs = parameters(spec, MP)
        x = [[MP.number(v) for v in row] for row in spec.inputs]
        t = [[MP.number(v) for v in row] for row in spec.targets]
        zs, as_, rows, losses, dWs, dbs, new_Ws, new_bs = step(spec, Ws, bs, x, t, MP)
        loss = _finite(sum(losses) / len(losses), "the loss")
        for dW in dWs:
            for row in dW:
                for g in row:
                    _finite(g, "a gradient")
        history, final_W, final_b = _history(spec, loss, new_Ws, new_bs, x, t)
        layers = tuple(
            LayerValues(Ws[l], bs[l], zs[l], as_[l], *rows[l], dWs[l], dbs[l], new_Ws[l], new_bs[l])
            for l in range(len(spec.layers))
        )
    return Evaluation(x, t, layers, losses, loss, history, final_W, final_b)


# Steps beyond this much work (steps x parameters x examples) run in floats, not 40 digits.
MP_WORK_LIMIT = 20_000


def _history(spec: Spec, loss0: Any, Ws: list[Matrix], bs: list[list], x: Matrix, t: Matrix):
    """Loss before every step and after the last, and the final parameters."""
    be = MP if spec.steps * spec.n_parameters * len(spec.inputs) <= MP_WORK_LIMIT else FLOAT
    if be is FLOAT:
        Ws = [[[float(v) for v in r] for r in W] for W in Ws]
        bs = [[float(v) for v in b] for b in bs]
        x = [[float(v) for v in r] for r in x]
        t = [[float(v) for v in r] for r in t]
    history = [loss0]
    for _ in range(spec.steps - 1):
        try:
            *_, losses, _, _, Ws, bs = step(spec, Ws, bs, x, t, be)
        except OverflowError:
            raise NumericalError(f"the steps diverged: a number overflowed at step {len(history) + 1}; "
                                 "try a smaller learning_rate") from None
        history.append(_finite(sum(losses) / len(losses), f"the loss at step {len(history) + 1}"))
    try:
        history.append(mean_loss(spec, Ws, bs, x, t, be))
    except OverflowError:
        raise NumericalError("the steps diverged: a number overflowed after the last step; "
                             "try a smaller learning_rate") from None
    return history, tuple(Ws), tuple(bs)
