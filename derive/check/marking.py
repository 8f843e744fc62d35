"""Marking a person's worked numbers against the step graph: correct, wrong, or right from their own earlier values."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.graph import StepGraph, recompute
from ..core.quantities import Quantity
from ..core.variants import local_values
from ..errors import NumericalError
from ..io.answers import Answer, Answers
from .mistakes import MISTAKES, diagnose, within

# Hand calculations round every intermediate, typically to 4-6 significant figures; their errors
# add up along the chain. Besides one unit in the last place written, a value may be this far off
# relatively and still count as right (seed 000's post, rounding by hand, is off by 7e-4) ...
ROUNDING_ALLOWANCE = 1e-3
# A published example that prints nine digits carried about that many: its allowance is capped at
# this many units of its last significant digit (a student's is not: calculator output written in
# full may still rest on intermediates rounded to four figures).
SIGNIFICANT_UNITS = 100
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


def half_unit(written: float, decimals: int) -> float:
    """Half a unit in the last decimal place written; a zero written without decimals claims exactly zero."""
    return 0.5 * 10.0 ** -decimals if (written or decimals) else 0.0


def hand_tolerance(written: float, decimals: int, expected: Any) -> float:
    """A published number's tolerance: half a unit written plus the hand-rounding allowance, capped."""
    relative = ROUNDING_ALLOWANCE
    if written:
        significant = decimals + math.floor(math.log10(abs(written))) + 1
        relative = min(relative, SIGNIFICANT_UNITS * 10.0 ** -significant)
    return half_unit(written, decimals) + relative * abs(float(expected))


def tolerance(graph: StepGraph, answer: Answer) -> float:
    """An answer's tolerance: half a unit of the decimals written plus 0.1 % for hand-rounded intermediates.

    An updated parameter is judged by its change, not its size: the step moves w1 by 0.0002, so
    0.1 % of w1 (or half a unit of two decimals) would pass a weight that was never updated.
    """
    q, expected = answer.quantity, graph.value(answer.quantity)
    half = half_unit(answer.value or 0.0, answer.decimals or 0)
    if q.kind in ("W_new", "b_new"):
        change = abs(float(expected) - float(graph.value(Quantity(q.kind[0], q.layer, 0, q.unit, q.input))))
        return min(half, change / 2) + ROUNDING_ALLOWANCE * change if change else half
    return half + ROUNDING_ALLOWANCE * abs(float(expected))


def mark(graph: StepGraph, answers: Answers) -> Marking:
    """Mark every answer: against the key, then against the person's own earlier values, then diagnose."""
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
    tolerances = {a.quantity: tolerance(graph, a) for a in ordered}
    statuses: dict[Quantity, str] = {}
    for a in ordered:
        tol, expected = tolerances[a.quantity], graph.value(a.quantity)
        earlier_slip = any(s in ("wrong", "carried_forward") for s in statuses.values())
        if a.value is None:
            statuses[a.quantity] = "not_answered"
        elif within(a.value, expected, tol):
            statuses[a.quantity] = "correct"
        elif within(a.value, carried.get(a.quantity), tol):
            # from the person's own numbers: an error carried forward, or, with no slip before it,
            # only the rounding of right intermediates
            statuses[a.quantity] = "carried_forward" if earlier_slip else "correct"
        else:
            statuses[a.quantity] = "wrong"
    wrong = [q for q, s in statuses.items() if s == "wrong"]
    found = diagnose(graph, given, tolerances, wrong) if wrong else {}
    marks = tuple(Mark(a, graph.value(a.quantity), tolerances[a.quantity], statuses[a.quantity],
                       carried.get(a.quantity) if a.value is not None else None,
                       tuple(found.get(a.quantity, ()))) for a in ordered)
    return Marking(answers.source, marks)


def mistake_title(name: str) -> str:
    """The plain-English line of a catalogue mistake."""
    return MISTAKES[name].title


def as_json(marking: Marking) -> list[dict[str, Any]]:
    """One entry per number given: the contract of `derive check --json`."""
    return [{"quantity": m.quantity.json_path, "name": m.answer.name, "given": m.answer.value,
             "expected": _float(m.expected), "tolerance": m.tolerance if m.answer.value is not None else None,
             "status": m.status,
             "carried_forward_from_own_values": _float(m.carried) if m.status != "correct" else None,
             "mistakes": list(m.mistakes)} for m in marking.marks]


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None

