"""Marking a class's answers to an exam: each file against its own variant, with the exam's key tolerances."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..core.circuit import Circuit
from ..core.circuit_names import circuit_quantity
from ..core.graph import StepGraph
from ..core.naming import path_quantities
from ..io.answers import Answers
from ..io.exam_folder import ExamFolder, Question
from .marking import Marking, mark

# A question's credit: right against the key, or right from the person's own earlier numbers (error
# carried forward, as markers give it); a wrong or unanswered one has none.
CREDIT = {"correct": 1.0, "carried_forward": 1.0, "wrong": 0.0, "not_answered": 0.0}


@dataclass(frozen=True)
class ExamMarking:
    """One answers file marked against its variant: every number, and each asked question's status."""

    marking: Marking
    variant: str
    questions: tuple[tuple[Question, str], ...]

    @property
    def credited(self) -> float:
        """How many questions are credited."""
        return sum(CREDIT[status] for _, status in self.questions)

    @property
    def grade(self) -> float:
        """The percentage of the questions credited."""
        return 100.0 * self.credited / len(self.questions) if self.questions else 0.0


def mark_exam(exam: ExamFolder, answers: Answers, graph: StepGraph) -> ExamMarking:
    """Mark one file against its variant's graph: the asked questions take the key's own tolerances."""
    asked = exam.questions[answers.variant]
    circuit = isinstance(graph.spec, Circuit)
    quantities = [circuit_quantity(q.path, graph.spec) if circuit else path_quantities(q.path, graph.spec)[0]
                  for q in asked]
    marking = mark(graph, answers, key_tolerances={q: question.tolerance for q, question in zip(quantities, asked)})
    status = {m.quantity: m.status for m in marking.marks}
    return ExamMarking(marking, answers.variant,
                       tuple((question, status.get(q, "not_answered")) for question, q in zip(asked, quantities)))


def exam_csv(markings: list[ExamMarking]) -> str:
    """One row per answers file: the student (the file's stem), the variant, each question, the grade.

    The student column is named as Canvas's gradebook import reads a login (SIS Login ID) and is mapped
    in Moodle's CSV grade import to the username; the grade column is a percentage.
    """
    width = max((len(m.questions) for m in markings), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Student", "SIS Login ID", "variant", *(f"Q{i}" for i in range(1, width + 1)),
                     "credited", "questions", "derive exam grade (%)"])
    for m in markings:
        student = Path(m.marking.source).stem
        statuses = [status for _, status in m.questions] + [""] * (width - len(m.questions))
        writer.writerow([student, student, m.variant, *statuses, f"{m.credited:g}", len(m.questions),
                         f"{m.grade:.1f}"])
    return out.getvalue()
