"""Marking a person's worked numbers against the step graph: correct, wrong, or right from their own earlier values."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import mpmath

from ..core.graph import StepGraph, recompute
from ..core.naming import json_path_in, plain_name_in
from ..core.quantities import Quantity
from ..core.rewrites import local_values
from ..core.spec import Spec
from ..errors import NumericalError
from ..io.answers import Answer, Answers
from .mistakes import diagnose, within
from .written_rounding import COARSER_DECIMALS, Written, written_tolerances

STATUSES = ("correct", "carried_forward", "wrong", "not_answered")


@dataclass(frozen=True)
class Mark:
    """One number a person gave, marked."""

    answer: Answer
    expected: Any  # the key's value, 40 digits
    tolerance: float
    status: str  # one of STATUSES
    carried: Any | None  # what the step gives from the person's own earlier values
    mistakes: tuple[str, ...]  # catalogue names of the mistakes that reproduce a wrong value

    @property
    def quantity(self) -> Quantity:
        return self.answer.quantity


@dataclass(frozen=True)
class Marking:
    """Every mark of one answers file, in computation order."""

    source: str
    marks: tuple[Mark, ...]

    @property
    def first_wrong(self) -> Mark | None:
        """The first answered number that is wrong (a carried-forward one follows a wrong one)."""
        return next((m for m in self.marks if m.status == "wrong"), None)

    @property
    def passed(self) -> bool:
        """True when a number is answered and every answered number is right against the key."""
        return all(m.status in ("correct", "not_answered") for m in self.marks) and self.answered > 0

    @property
    def answered(self) -> int:
        """How many numbers are answered (not left null)."""
        return sum(m.status != "not_answered" for m in self.marks)

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.marks)


def mark(graph: StepGraph, answers: Answers, decimals: int | None = None,
         key_tolerances: dict[Quantity, float] | None = None) -> Marking:
    """Mark every answer: against the key, then against the person's own earlier values, then diagnose.

    Tolerances follow from the digits each number is written with (check.written_rounding); an
    exam's marking gives the decimals its sheets asked for and its own key's tolerances.
    """
    order = graph.index
    ordered = sorted(answers.answers, key=lambda a: order[a.quantity])
    given = answers.given()
    try:
        own = recompute(graph, given) if given else graph
        carried = local_values(own, [a.quantity for a in ordered if a.value is not None])
    except NumericalError:
        # the person's numbers divide by zero later on (an output written as exactly 1):
        # nothing can be carried forward from them
        carried = {}
    written = [Written(a.quantity, a.value, a.decimals) for a in ordered if a.value is not None]
    tolerances, own_tolerances = written_tolerances(graph, written, decimals)
    tolerances.update(key_tolerances or {})
    statuses: dict[Quantity, str] = {}
    for a in ordered:
        tol, expected = tolerances.get(a.quantity, 0.0), graph.value(a.quantity)
        earlier_slip = any(s in ("wrong", "carried_forward") for s in statuses.values())
        if a.value is None:
            statuses[a.quantity] = "not_answered"
        elif within(a.value, expected, tol):
            statuses[a.quantity] = "correct"
        elif within(a.value, carried.get(a.quantity), own_tolerances[a.quantity]):
            # from the person's own numbers: an error carried forward, or, with no slip before it,
            # only the rounding of right intermediates
            statuses[a.quantity] = "carried_forward" if earlier_slip else "correct"
        else:
            statuses[a.quantity] = "wrong"
    wrong = [q for q, s in statuses.items() if s == "wrong"]
    found = _diagnosed(graph, given, tolerances, wrong, written)
    marks = tuple(Mark(a, graph.value(a.quantity), tolerances.get(a.quantity, 0.0), statuses[a.quantity],
                       carried.get(a.quantity) if a.value is not None else None,
                       tuple(found.get(a.quantity, ()))) for a in ordered)
    return Marking(answers.source, marks)


def _diagnosed(graph: StepGraph, given: dict[Quantity, float], tolerances: dict[Quantity, float],
               wrong: list[Quantity], written: list[Written]) -> dict[Quantity, list[str]]:
    """The mistakes that reproduce each wrong number at the person's rounding, else the slip of sign or
    factor (check.slips) its ratio to the right value shows, else the mistakes at a coarser rounding."""
    if not wrong:
        return {}
    coarser = (written_tolerances(graph, written, decimals)[0] for decimals in COARSER_DECIMALS)
    return diagnose(graph, given, tolerances, wrong, coarser, slipped=True)


def as_json(marking: Marking, spec: Spec, notation: str) -> list[dict[str, Any]]:
    """One entry per number given: the contract of `derive check --json` (name as the documents print it)."""
    return [{"quantity": json_path_in(m.quantity, spec), "name": plain_name_in(m.quantity, spec, notation),
             "written": m.answer.name, "given": m.answer.value,
             "expected": _float(m.expected), "tolerance": m.tolerance if m.answer.value is not None else None,
             "status": m.status,
             "carried_forward_from_own_values": _float(m.carried) if m.status != "correct" else None,
             "mistakes": list(m.mistakes)} for m in marking.marks]


def _float(value: Any) -> float | None:
    """A value for the JSON: None where it is undefined (infinite, or complex from a log of a negative)."""
    if value is None or isinstance(value, (complex, mpmath.mpc)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None

