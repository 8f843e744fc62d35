"""Plain-text results of marking: the facts of a terminal summary per file, and a class table as CSV rows."""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from ..core.naming import json_path_in, plain_name_in
from ..core.spec import Spec
from .marking import Marking
from .catalogue import describe

@dataclass(frozen=True)
class FirstWrong:
    """The first wrong number: its name, JSON path, what was written and what is right."""
    name: str
    path: str
    answer: str
    expected: str


@dataclass(frozen=True)
class Facts:
    """What a file's terminal summary says (worded by templates/check_summary.txt.j2)."""
    source: str
    answered: int
    counts: dict[str, int]  # per status: correct, carried_forward, wrong, not_answered
    first: FirstWrong | None
    explained: tuple[tuple[str, tuple[str, ...]], ...]  # each wrong number's name and the mistakes that explain it
    carried: tuple[str, ...]  # the names right from the file's own earlier values


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.6g}" if math.isfinite(number) else "undefined"


def facts(marking: Marking, spec: Spec, notation: str) -> Facts:
    """The counts, the first wrong step, what explains each wrong one and what carried on, named in a notation."""
    first, name = marking.first_wrong, (lambda q: plain_name_in(q, spec, notation))
    written = {m.quantity: m.answer.name for m in marking.marks}
    return Facts(marking.source, marking.answered,
                 {s: marking.count(s) for s in ("correct", "carried_forward", "wrong", "not_answered")},
                 None if first is None else FirstWrong(name(first.quantity), json_path_in(first.quantity, spec),
                                                       first.answer.text, _number(first.expected)),
                 tuple((name(m.quantity), tuple(describe(x, spec, notation, written) for x in m.mistakes))
                       for m in marking.marks if m.status == "wrong" and m.mistakes),
                 tuple(name(m.quantity) for m in marking.marks if m.status == "carried_forward"))


def class_csv(markings: list[Marking], order: dict, spec: Spec | None = None) -> str:
    """One row per answers file, one column per quantity answered anywhere (its status), and the counts.

    The columns come in computation order (order maps a quantity to its position in the graph); a
    column is named by the quantity's JSON path in the spec's JSON.
    """
    quantities = sorted({m.quantity for marking in markings for m in marking.marks}, key=order.__getitem__)
    path = (lambda q: q.json_path if spec is None else json_path_in(q, spec))
    paths = [path(q) for q in quantities]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "correct", "carried_forward", "wrong", "not_answered", "first_wrong", *paths])
    for marking in markings:
        status = {path(m.quantity): m.status for m in marking.marks}
        first = marking.first_wrong
        writer.writerow([marking.source, *(marking.count(s) for s in ("correct", "carried_forward", "wrong",
                                                                       "not_answered")),
                         path(first.quantity) if first else "", *(status.get(p, "") for p in paths)])
    return out.getvalue()
