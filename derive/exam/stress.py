"""A stress test of the generator: the spread of every answer, the refused draws and the repeated answers."""
from __future__ import annotations

import statistics
from collections import defaultdict

from ..core.naming import plain_name_in
from .degenerate import RULES
from .generate import Exam
from .questions import QUESTION_KINDS

SHOWN_REPEATS = 5


def repeats(exam: Exam) -> dict[int, dict[float, list[str]]]:
    """Per question number, each answer (at the shown decimals) that two or more variants share, and which."""
    found: dict[int, dict[float, list[str]]] = defaultdict(lambda: defaultdict(list))
    for v in exam.variants:
        for q in v.questions:
            found[q.number][exam.digits.rounded(q.value)].append(v.id)
    return {n: {value: ids for value, ids in by.items() if len(ids) > 1} for n, by in sorted(found.items())}


def report(exam: Exam) -> list[str]:
    """The stress report as lines of text."""
    shape = exam.variants[0].spec
    widths = shape.widths
    n = len(exam.variants)
    lines = [f"{n} variants of the {'-'.join(map(str, widths))} network from {exam.draws} draws "
             f"(seed {exam.seed}, every number to {exam.digits.words})",
             f"refused: {exam.draws - n} draws" + (":" if exam.refused else "")]
    lines += [f"  {count:6d}  {RULES[name].reason}" for name, count in exam.refused.items()]
    lines.append("answers: question, kind, quantities asked, min / median / max, distinct values, tolerances")
    for number, kind in _numbers(exam):
        values = [v.questions[number - 1].value for v in exam.variants]
        tols = [v.questions[number - 1].tolerance for v in exam.variants]
        names = {plain_name_in(v.questions[number - 1].quantity, shape, "layer") for v in exam.variants}
        distinct = len({exam.digits.rounded(x) for x in values})
        lines.append(f"  Q{number} {kind:<15} {len(names):3d} quantities  {min(values):+.4f} / "
                     f"{statistics.median(values):+.4f} / {max(values):+.4f}  {distinct:5d} distinct  "
                     f"± {min(tols):.2g} to {max(tols):.2g}")
    repeated = repeats(exam)
    total = sum(len(ids) - 1 for by in repeated.values() for ids in by.values())
    lines.append(f"repeated answers: {total}" + (" (an exam draws these again)" if total else ""))
    for number, by in repeated.items():
        for value, ids in sorted(by.items(), key=lambda item: (-len(item[1]), item[0]))[:SHOWN_REPEATS]:
            lines.append(f"  Q{number} = {exam.digits.written(value)} in {len(ids)} variants: {', '.join(ids[:6])}"
                         + (", ..." if len(ids) > 6 else ""))
    return lines


def _numbers(exam: Exam) -> list[tuple[int, str]]:
    """Each question number with its kind (the same in every variant)."""
    return [(q.number, QUESTION_KINDS[q.kind].name) for q in exam.variants[0].questions]
