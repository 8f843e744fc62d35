"""Plain-text results of marking: a terminal summary per file and a class table as CSV rows."""
from __future__ import annotations

import csv
import io
import math

from ..core.naming import plain_name_in
from ..core.spec import Spec
from .marking import Marking
from .catalogue import describe

SHOWN = 8  # names listed on one terminal line before "and N more"


def _number(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.6g}" if math.isfinite(number) else "undefined"


def summary(marking: Marking, spec: Spec, notation: str) -> list[str]:
    """A few lines for the terminal: the counts, the first wrong step, what explains it, what carried on."""
    lines = [f"{marking.source}: {marking.answered} answered: {marking.count('correct')} correct, "
             f"{marking.count('carried_forward')} carried forward, {marking.count('wrong')} wrong"
             + (f", {marking.count('not_answered')} not answered" if marking.count("not_answered") else "")]
    first = marking.first_wrong
    if not marking.answered:
        lines.append("  nothing is answered: every value is null; write the numbers you worked out")
        return lines
    if first is None:
        lines.append("  every number given is right")
        return lines
    name = plain_name_in(first.quantity, spec, notation)
    lines.append(f"  first wrong: {name} ({first.quantity.json_path}) = {first.answer.text}, "
                 f"expected {_number(first.expected)}")
    written = {m.quantity: m.answer.name for m in marking.marks}
    for m in marking.marks:
        if m.status == "wrong" and m.mistakes:
            titles = "; or ".join(describe(x, spec, notation, written) for x in m.mistakes)
            lines.append(f"  {plain_name_in(m.quantity, spec, notation)}: {titles}")
    later = [plain_name_in(m.quantity, spec, notation) for m in marking.marks if m.status == "carried_forward"]
    if later:
        more = f" and {len(later) - SHOWN} more" if len(later) > SHOWN else ""
        lines.append(f"  right from your own earlier values: {', '.join(later[:SHOWN])}{more}")
    return lines


def class_csv(markings: list[Marking], order: dict) -> str:
    """One row per answers file, one column per quantity answered anywhere (its status), and the counts.

    The columns come in computation order (order maps a quantity to its position in the graph).
    """
    quantities = sorted({m.quantity for marking in markings for m in marking.marks}, key=order.__getitem__)
    paths = [q.json_path for q in quantities]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "correct", "carried_forward", "wrong", "not_answered", "first_wrong", *paths])
    for marking in markings:
        status = {m.quantity.json_path: m.status for m in marking.marks}
        first = marking.first_wrong
        writer.writerow([marking.source, *(marking.count(s) for s in ("correct", "carried_forward", "wrong",
                                                                       "not_answered")),
                         first.quantity.json_path if first else "", *(status.get(p, "") for p in paths)])
    return out.getvalue()
