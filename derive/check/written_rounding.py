"""Tolerances of a person's written numbers: the core's hand-rounding model with the digits each was written with.

A number written with D decimals is off by at most half a unit in its last place; a step the person
did not write is taken as rounded like most of what they wrote (the median of their decimals, the
coarser one of a tie), as a hand calculation keeps one habit. The answer's tolerance against the
key is that rounding propagated through every step it depends on (core.tolerance, the exam's
model); against the person's own earlier numbers it is the same bound one step deep.
"""
from __future__ import annotations

import statistics
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.tolerance import MARGIN, Rounding, half_unit, round_up

# Where no mistake reproduces a wrong number at the person's own rounding, coarser rounding of the
# steps they did not write is tried: a calculator chain kept to 3 decimals, its result written to 5.
COARSER_DECIMALS = (4, 3, 2)
DEFAULT_DECIMALS = 6  # for steps of a file that shows no rounding habit (only exact zeros)
# Keyed by id(graph) and the steps differentiated, checked against a weak reference (a StepGraph is costly to hash).
_ROUNDINGS: dict[tuple[int, int | None], tuple[weakref.ref, Rounding, list[float]]] = {}
# The compiled derivatives by the graph's formulas: an exam's variants share them, only their values differ.
_BY_FORMULAS: dict[tuple, Rounding] = {}
LOSS = Quantity("loss")


@dataclass(frozen=True)
class Written:
    """One number as a person wrote it: its quantity and how many decimals it was written with."""

    quantity: Quantity
    value: float
    decimals: int


def _upto(graph: StepGraph, targets: Sequence[Quantity]) -> int | None:
    """Targets all in the forward pass need only its steps differentiated (None: every step)."""
    loss = graph.index.get(LOSS)
    if loss is not None and all(graph.index[q] <= loss for q in targets):
        return loss + 1
    return None


def _rounding(graph: StepGraph, upto: int | None = None) -> tuple[Rounding, list[float]]:
    """The graph's local partial derivatives (of its steps before upto), compiled and evaluated once per graph."""
    key = (id(graph), upto)
    entry = _ROUNDINGS.get(key)
    if entry is not None and entry[0]() is graph:
        return entry[1], entry[2]
    formulas = (tuple((s.quantity, s.formula, s.reads) for s in graph.steps), tuple(c for c, _ in graph.constants),
                upto)
    rounding = _BY_FORMULAS.get(formulas)
    if rounding is None:
        rounding = _BY_FORMULAS[formulas] = Rounding(graph, upto)
    partials = rounding.partials([float(s.value) for s in graph.steps])
    _ROUNDINGS[key] = (weakref.ref(graph, lambda _: _ROUNDINGS.pop(key, None)), rounding, partials)
    return rounding, partials


def written_unit(value: float, decimals: int) -> float:
    """Half a unit in the last decimal written; a zero written without decimals claims exactly zero."""
    return half_unit(decimals) if (value or decimals) else 0.0


def _exact(value: float, decimals: int) -> bool:
    """Whether so many decimals write the value exactly (1, 3, -0.25 at two decimals)."""
    return abs(value - round(value, decimals)) <= 1e-12 * max(1.0, abs(value))


def step_units(graph: StepGraph, written: Sequence[Written], decimals: int | None = None) -> list[float]:
    """Each step's rounding bound: its own written digits, else the person's usual decimals (or those given)."""
    # a zero written without decimals claims exactly zero: it says nothing of the person's rounding
    habit = [w.decimals for w in written if written_unit(w.value, w.decimals)]
    usual = decimals if decimals is not None else statistics.median_low(habit) if habit else DEFAULT_DECIMALS
    # a step whose value the usual decimals hold exactly (an add gate's 1, q = 3) is written without error
    units = [0.0 if _exact(float(s.value), usual) else half_unit(usual) for s in graph.steps]
    for w in written:
        i = graph.index[w.quantity]
        # a number the key writes exactly at the digits given (4, 0.5) is right without rounding
        units[i] = 0.0 if _exact(float(graph.steps[i].value), w.decimals) else written_unit(w.value, w.decimals)
    return units


def written_tolerances(graph: StepGraph, written: Sequence[Written], decimals: int | None = None,
                       also: Sequence[Quantity] = ()) -> tuple[dict[Quantity, float], dict[Quantity, float]]:
    """Each written number's tolerance against the key, and against the person's own earlier numbers.

    also: quantities not written whose tolerance against the key is wanted too (rounded as usual).
    """
    targets = [w.quantity for w in written]
    rounding, partials = _rounding(graph, _upto(graph, [*targets, *also]))
    units = step_units(graph, written, decimals)
    key = rounding.bounds(partials, targets + [q for q in also if q not in targets], units)
    own = {q: round_up(MARGIN * rounding.one_step(partials, q, units)) for q in targets}
    return key, own
