"""The steps after the first: the step graph compiled once into one function that loops over the steps."""
from __future__ import annotations

from typing import Any, Callable

import mpmath

from .codegen import DIGITS, MP, Backend, local_code
from .graph import Step, StepGraph
from .quantities import Quantity as Q
from .updates import T

PROGRESS_EVERY = 100  # steps between two calls of the progress callback
_FORWARD = frozenset({"z", "a", "example_loss", "loss"})  # what the loss after the last step needs


def _updating(step: Step) -> bool:
    """A step of the update: an optimizer state or a new value, computed after the gradients."""
    return step.quantity.role in ("state", "update")


def _lines(graph: StepGraph, backend: Backend, constants: list[Any], t_slot: int) -> tuple[list, list, list]:
    """Python lines of the forward and backward steps, the update steps, and the forward steps alone."""
    index, steps = graph.index, graph.steps
    const_slot = {s: len(steps) + i for i, (s, _) in enumerate(graph.constants)}
    body, updates, forward = [], [], []
    for i, step in enumerate(steps):
        if step.given or step.quantity.role == "after":  # after the first step only: not looped
            continue
        # a state's later formula reads its own symbol: the variable still holds the step before's value
        formula, reads = step.later or (step.formula, step.reads)
        slots = {**{s: index[q] for s, q in reads}, **const_slot, T: t_slot}
        line = f"v{i} = {local_code(formula, slots, backend, constants)}"
        (updates if _updating(step) else body).append(line)
        if step.quantity.kind in _FORWARD:
            forward.append(line)
    return body, updates, forward


def compile_history(graph: StepGraph, backend: Backend) -> Callable[..., list]:
    """run(start, steps, losses, progress) -> the values after the last step.

    start holds every step's value with the parameters, and the optimizer's carried state, as
    after the first step; run appends the loss before each later step and after the last to
    losses (whose length says how far it got when it fails), and calls progress(steps done)
    every PROGRESS_EVERY steps unless it is None.
    """
    n, constants = len(graph.steps), []
    t_slot = n + len(graph.constants)
    body, updates, forward = _lines(graph, backend, constants, t_slot)
    index = graph.index
    moves = [f"v{index[s.quantity]} = v{index[s.quantity.updated()]}"
             for s in graph.steps if s.quantity.is_parameter and graph.spec.updates]
    loss = f"v{index[Q('loss')]}"
    everything = ", ".join(f"v{i}" for i in range(n))
    head = ["def run(start, steps, losses, progress):",
            f"    ({everything},) = start",
            *(f"    v{n + i} = c[{i}]" for i in range(len(graph.constants))),
            *(f"    k{i} = k[{i}]" for i in range(len(constants))),
            f"    for v{t_slot} in range(2, steps + 1):",
            *("        " + line for line in body),
            f"        loss = {loss}",
            *("        " + line for line in updates + moves),
            "        losses.append(loss)",
            f"        if progress is not None and not v{t_slot} % {PROGRESS_EVERY}:",
            f"            progress(v{t_slot})",
            *("    " + line for line in forward),
            f"    losses.append({loss})",
            f"    return [{everything}]"]
    namespace: dict[str, Any] = {"k": constants, "c": [backend.number(v) for _, v in graph.constants],
                                 "total": backend.total, **backend.functions}
    exec(compile("\n".join(head), f"<loss history, {backend.name}>", "exec"), namespace)
    return namespace["run"]


def start_values(graph: StepGraph, be: Backend) -> list:
    """Every value as the later steps start: the first step's, its new parameters in place of the old."""
    start, index = [be.number(s.value) for s in graph.steps], graph.index
    for s in graph.steps:
        if s.quantity.is_parameter:
            start[index[s.quantity]] = start[index[s.quantity.updated()]]
    return start


def second_step(graph: StepGraph) -> dict[Q, Any]:
    """Every value of step t = 2 in 40 digits, whatever steps the spec takes.

    The gradients are those at the parameters after the first step, the optimizer's state and new
    values those of the second step; W and b hold the new values, the forward pass is at them.
    """
    with mpmath.workdps(DIGITS):
        values = compile_history(graph, MP)(start_values(graph, MP), 2, [], None)
    return {s.quantity: v for s, v in zip(graph.steps, values)}
