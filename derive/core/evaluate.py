"""Numbers at the point: the step graph evaluated, gathered per layer, and the loss history of later steps."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

import mpmath

from ..errors import NumericalError
from .activations import ACTIVATIONS
from .codegen import DIGITS, FLOAT, MP
from .graph import StepGraph, build_graph
from .history import compile_history, start_values
from .quantities import Quantity as Q
from .run import Run
from .spec import Spec
from .updates import example_state

__all__ = ["DIGITS", "MP_WORK_LIMIT", "Evaluation", "LayerValues", "evaluate"]

Matrix = list[list[Any]]


@dataclass(frozen=True)
class LayerValues:
    """Every number of one layer; per-example rows are indexed [n][j]."""

    W: Matrix
    b: list  # one per unit, or the one a layer's units share
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
    # the optimizer's values of the first step by kind (g_W, m_W, v_hat_b, ...): [j][k] for weights, [j] for biases
    state: dict[str, Any] = field(default_factory=dict)


class Evaluation(Run):
    """A run, with its numbers also gathered per layer in 0-based lists (for the oracles and tests)."""

    @cached_property
    def layers(self) -> tuple[LayerValues, ...]:
        return tuple(layer_values(self.graph, l) for l in range(1, len(self.graph.spec.layers) + 1))

    @property
    def loss(self) -> Any:
        return self.graph.value(Q("loss"))


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
    units = spec.layers[l - 1].bias_units
    biases = {kind: [graph.value(Q(kind, l, 0, j)) for j in units]
              for kind in ("b", "db", *(("b_new",) if spec.updates else ()))}
    jacobian = [[[graph.value(Q("da_dz", l, n, j, m)) for m in range(1, n_out + 1)] for j in range(1, n_out + 1)]
                for n in range(1, N + 1)] if vector else None
    da_dz = None if vector else _grid(graph.value, "da_dz", l, N, n_out, True)
    return LayerValues(params["W"], biases["b"], rows["z"], rows["a"], rows["dl_da"], da_dz, jacobian,
                       rows["delta"], params["dW"], biases["db"], params.get("W_new"), biases.get("b_new"),
                       _state(graph.value, spec, l, example_state(spec)))


def _state(value: Callable[[Q], Any], spec: Spec, l: int, kinds: tuple[str, ...]) -> dict[str, Any]:
    """Layer l's values of each optimizer kind: a matrix for the weights' kinds, a list for the biases'."""
    n_out, n_in = spec.widths[l], spec.widths[l - 1]
    return {kind: _grid(value, kind, l, n_out, n_in, False) if kind.endswith("_W")
            else [value(Q(kind, l, 0, j)) for j in spec.layers[l - 1].bias_units] for kind in kinds}


def evaluate(spec: Spec, progress: Callable[[int], None] | None = None) -> Evaluation:
    """Work the first step in 40-digit numbers, then run the remaining steps for the loss history.

    progress, if given, is called with the number of steps done every core.history.PROGRESS_EVERY steps.
    """
    graph = build_graph(spec)
    loss = _finite(graph.value(Q("loss")), "the loss")
    for step in graph.steps:
        if step.quantity.kind in ("dW", "db"):
            _finite(step.value, "a gradient")
    history, last = _history(graph, loss, progress)
    return Evaluation(graph, history, last)


# Steps beyond this much work (steps x parameters x examples) run in floats, not 40 digits.
MP_WORK_LIMIT = 20_000


def _history(graph: StepGraph, loss0: Any, progress: Callable[[int], None] | None = None) -> tuple[list, dict]:
    """Loss before every step and after the last, and every value after the last step (the loop of core.history)."""
    spec = graph.spec
    if not spec.updates:
        return [loss0], {s.quantity: s.value for s in graph.steps}
    be = MP if spec.steps * spec.n_parameters * len(spec.inputs) <= MP_WORK_LIMIT else FLOAT
    with mpmath.workdps(DIGITS):
        history = [loss0]
        try:
            values = compile_history(graph, be)(start_values(graph, be), spec.steps, history, progress)
            if progress is not None:
                progress(spec.steps)
        except OverflowError:
            _check_losses(history, spec.steps)
            raise NumericalError(f"the steps diverged: a number overflowed {_when(len(history), spec.steps)}; "
                                 "try a smaller learning_rate") from None
        except (ZeroDivisionError, ValueError):
            _check_losses(history, spec.steps)
            raise NumericalError(f"the steps diverged: an output saturated to exactly 0 or 1 "
                                 f"{_when(len(history), spec.steps)}; try a smaller learning_rate") from None
        _check_losses(history, spec.steps)
    return history, {s.quantity: v for s, v in zip(graph.steps, values)}


def _check_losses(history: list, steps: int) -> None:
    """Refuse the first loss of the history that is not a finite number."""
    for step, loss in enumerate(history[1:], 1):
        _finite(loss, f"the loss at step {step + 1}" if step < steps else "the loss")


def _when(step: int, steps: int) -> str:
    return f"at step {step + 1}" if step < steps else "after the last step"
