"""Numbers at the point: the step graph evaluated, gathered per layer, and the loss history of later steps."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import mpmath

from ..errors import NumericalError
from .activations import ACTIVATIONS
from .codegen import DIGITS, FLOAT, MP
from .graph import StepGraph, build_graph, runner
from .quantities import Quantity as Q
from .spec import Spec

__all__ = ["DIGITS", "MP_WORK_LIMIT", "Evaluation", "LayerValues", "evaluate"]

Matrix = list[list[Any]]


@dataclass(frozen=True)
class LayerValues:
    """Every number of one layer; per-example rows are indexed [n][j]."""

    W: Matrix
    b: list
    z: Matrix
    a: Matrix
    dL_da: Matrix  # dl_n/da_j: from the loss (last layer) or sum_m delta_m w_mj (hidden)
    da_dz: Matrix | None  # f'(z_j) for elementwise activations; None for softmax
    jacobian: list[Matrix] | None  # softmax: [n][j][m] = da_j/dz_m; None for elementwise
    delta: Matrix  # dl_n/dz_j
    dW: Matrix
    db: list
    W_new: Matrix | None  # None in a gradient-only example
    b_new: list | None


@dataclass(frozen=True)
class Evaluation:
    """One gradient-descent step worked in numbers, plus the loss history of all steps."""

    graph: StepGraph
    x: Matrix
    t: Matrix
    layers: tuple[LayerValues, ...]
    example_losses: list
    loss: Any
    loss_history: list
    final_W: tuple[Matrix, ...]
    final_b: tuple[list, ...]


def _finite(value: Any, what: str) -> Any:
    """Refuse a NaN or infinity instead of showing it silently."""
    # also refuse what float64 cannot hold: the JSON carries every number as a float
    if isinstance(value, mpmath.mpc) or not math.isfinite(float(value)):
        raise NumericalError(f"{what} is {mpmath.nstr(value, 6)}, beyond what can be shown (an output "
                             "saturated, or the steps diverged: try a smaller learning_rate or other weights)")
    return value


def _grid(value: Callable[[Q], Any], kind: str, l: int, rows: int, cols: int, per_example: bool) -> Matrix:
    """Values of one kind of layer l as rows: [n][j] per example, or [j][k] for parameters."""
    if per_example:
        return [[value(Q(kind, l, n, j)) for j in range(1, cols + 1)] for n in range(1, rows + 1)]
    return [[value(Q(kind, l, 0, j, k)) for k in range(1, cols + 1)] for j in range(1, rows + 1)]


def layer_values(graph: StepGraph, l: int) -> LayerValues:
    """Every number of layer l, read off the graph."""
    spec = graph.spec
    N, n_out, n_in = len(spec.inputs), spec.widths[l], spec.widths[l - 1]
    vector = ACTIVATIONS[spec.layers[l - 1].activation].vector
    rows = {kind: _grid(graph.value, kind, l, N, n_out, True) for kind in ("z", "a", "dl_da", "delta")}
    updated = ("W_new",) if spec.updates else ()
    params = {kind: _grid(graph.value, kind, l, n_out, n_in, False) for kind in ("W", "dW", *updated)}
    biases = {kind: [graph.value(Q(kind, l, 0, j)) for j in range(1, n_out + 1)]
              for kind in ("b", "db", *(("b_new",) if spec.updates else ()))}
    jacobian = [[[graph.value(Q("da_dz", l, n, j, m)) for m in range(1, n_out + 1)] for j in range(1, n_out + 1)]
                for n in range(1, N + 1)] if vector else None
    da_dz = None if vector else _grid(graph.value, "da_dz", l, N, n_out, True)
    return LayerValues(params["W"], biases["b"], rows["z"], rows["a"], rows["dl_da"], da_dz, jacobian,
                       rows["delta"], params["dW"], biases["db"], params.get("W_new"), biases.get("b_new"))


def evaluate(spec: Spec) -> Evaluation:
    """Work the first step in 40-digit numbers, then run the remaining steps for the loss history."""
    graph = build_graph(spec)
    loss = _finite(graph.value(Q("loss")), "the loss")
    for step in graph.steps:
        if step.quantity.kind in ("dW", "db"):
            _finite(step.value, "a gradient")
    layers = tuple(layer_values(graph, l) for l in range(1, len(spec.layers) + 1))
    history, final_W, final_b = _history(graph, loss)
    x = [[graph.value(Q("x", 0, n, k)) for k in range(1, spec.widths[0] + 1)] for n in range(1, len(spec.inputs) + 1)]
    t = [[graph.value(Q("t", 0, n, k)) for k in range(1, spec.widths[-1] + 1)] for n in range(1, len(spec.inputs) + 1)]
    losses = [graph.value(Q("example_loss", 0, n)) for n in range(1, len(spec.inputs) + 1)]
    return Evaluation(graph, x, t, layers, losses, loss, history, final_W, final_b)


# Steps beyond this much work (steps x parameters x examples) run in floats, not 40 digits.
MP_WORK_LIMIT = 20_000


def _history(graph: StepGraph, loss0: Any) -> tuple[list, tuple[Matrix, ...], tuple[list, ...]]:
    """Loss before every step and after the last, and the final parameters: the graph run once per step."""
    spec = graph.spec
    be = MP if spec.steps * spec.n_parameters * len(spec.inputs) <= MP_WORK_LIMIT else FLOAT
    index = graph.index
    moves = [(index[s.quantity], index[Q(s.quantity.kind + "_new", *_place(s.quantity))])
             for s in graph.steps if s.quantity.kind in ("W", "b") and spec.updates]
    loss_slot = index[Q("loss")]
    history = [loss0]
    with mpmath.workdps(DIGITS):
        run = runner(graph, be)
        values = [be.number(s.value) for s in graph.steps]
        for step in range(1, spec.steps + 1):
            for old, new in moves:
                values[old] = values[new]
            try:
                values = run(values)
            except OverflowError:
                raise NumericalError(f"the steps diverged: a number overflowed {_when(step, spec.steps)}; "
                                     "try a smaller learning_rate") from None
            except (ZeroDivisionError, ValueError):
                raise NumericalError(f"the steps diverged: an output saturated to exactly 0 or 1 "
                                     f"{_when(step, spec.steps)}; try a smaller learning_rate") from None
            what = f"the loss at step {step + 1}" if step < spec.steps else "the loss"
            history.append(_finite(values[loss_slot], what))
    params = {s.quantity: values[i] for i, s in enumerate(graph.steps) if s.quantity.kind in ("W", "b")}
    final_W = tuple(_grid(params.__getitem__, "W", l, spec.widths[l], spec.widths[l - 1], False)
                    for l in range(1, len(spec.layers) + 1))
    final_b = tuple([params[Q("b", l, 0, j)] for j in range(1, spec.widths[l] + 1)] for l in range(1, len(spec.layers) + 1))
    return history, final_W, final_b


def _when(step: int, steps: int) -> str:
    return f"at step {step + 1}" if step < steps else "after the last step"


def _place(q: Q) -> tuple[int, int, int, int]:
    return q.layer, q.example, q.unit, q.input

