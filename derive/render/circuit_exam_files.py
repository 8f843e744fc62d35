"""The files of a circuit's exam: question sheets, key with worked solutions, answers.json, Moodle XML, QTI."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..core.circuit import Circuit
from ..exam.circuit_exam import CircuitExam
from ..exam.portable import Portable, portable
from ..oracles.circuit_checks import circuit_checks
from ..views.circuit import circuit_document
from ..views.circuit_exam import circuit_exam_document
from .circuit_formats import circuit_markdown, circuit_svg
from .environment import environment, render_template
from .exam_documents import embedded_markdown
from .exam_files import FIGURES, VARIANTS
from .registry import Format, build, registry


@dataclass
class CircuitExamJob:
    """One circuit exam's shared inputs: the drawn exam and the command that draws it again."""

    exam: CircuitExam
    recipe: str
    made: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def doc(self) -> dict[str, Any]:
        return circuit_exam_document(self.exam, self.recipe)

    @cached_property
    def env(self):
        return environment()

    def html(self, v: dict[str, Any], q: dict[str, Any]) -> str:
        return render_template(self.env, "circuit_exam_item.html.j2", exam=self.doc, v=v, q=q)

    @property
    def portable(self) -> list[list[Portable]]:
        return [[portable(q.value, q.tolerance, self.exam.digits) for q in v.questions] for v in self.exam.variants]


def circuit_yaml(circuit: Circuit, comment: str) -> str:
    """A circuit as a spec file derive run reads back: its stages as written, its given numbers, its output."""
    lines = [f"# {comment}", f"name: {json.dumps(circuit.name, ensure_ascii=False)}", "graph:"]
    lines += [f"  - {json.dumps(f'{s.name} = {s.text}', ensure_ascii=False)}" for s in circuit.stages]
    lines.append("at: {" + ", ".join(f"{n}: {v!r}" for n, v in circuit.given) + "}")
    lines.append(f"output: {circuit.output}")
    if circuit.learning_rate is not None:
        lines += [f"learning_rate: {circuit.learning_rate!r}", f"parameters: [{', '.join(circuit.parameters)}]",
                  f"steps: {circuit.steps}"]
    return "\n".join(lines) + "\n"


def _variants(job: CircuitExamJob) -> dict[str, bytes]:
    exam = job.exam
    return {f"{VARIANTS}/{v.id}.yaml": circuit_yaml(v.circuit, f"{exam.name}, variant {v.id}: seed {exam.seed}; drawn "
                                                             f"again by {job.recipe} --seed {exam.seed} --only {v.id}")
            .encode() for v in exam.variants}


def _markdown(job: CircuitExamJob) -> dict[str, bytes]:
    files, solutions = {}, []
    for copy, v in enumerate(job.exam.variants):
        document = circuit_document(v.graph, circuit_checks(v.graph))
        picture = f"{FIGURES}/{v.id}.svg"
        files[picture] = circuit_svg(document).encode()
        solutions.append(embedded_markdown(circuit_markdown(document, picture), v.id, copy=copy))
    files["questions.md"] = render_template(job.env, "circuit_exam_questions.md.j2", exam=job.doc).encode()
    files["answers.md"] = render_template(job.env, "circuit_exam_answers.md.j2", exam=job.doc,
                                          solutions=solutions).encode()
    return files


def _json(job: CircuitExamJob) -> dict[str, bytes]:
    entries = [{"variant": v["id"], "question": q["number"], "kind": q["kind"], "quantity": q["path"],
                "name": q["plain"], "value": question.value, "tolerance": question.tolerance, "rounded": q["rounded"],
                "rounding": job.doc["rounding"], "points": q["points_value"]}
               for v, variant in zip(job.doc["variants"], job.exam.variants)
               for q, question in zip(v["questions"], variant.questions)]
    return {"answers.json": (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode()}


def _moodle(job: CircuitExamJob) -> dict[str, bytes]:
    from .moodle import moodle_xml
    return {"moodle.xml": moodle_xml(job.doc, job.portable, job.html)}


def _qti(job: CircuitExamJob) -> dict[str, bytes]:
    from .qti import qti_zip
    return {"qti.zip": qti_zip(job.doc, job.portable, job.html)}


CIRCUIT_EXAM_FORMATS: dict[str, Format[CircuitExamJob]] = registry(
    Format("md", "questions.md and answers.md (with each variant's worked solution), pictures in figures/", _markdown),
    Format("json", "answers.json: one entry per variant and question", _json),
    Format("moodle", "moodle.xml: Moodle XML, one numerical question per variant and question", _moodle),
    Format("qti", "qti.zip: a QTI 1.2 package as Canvas imports it, one quiz per variant", _qti),
)


def circuit_exam_files(job: CircuitExamJob, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every requested format's files (relative paths) and the variant specs; nothing is written here."""
    unknown = [f for f in formats if f not in CIRCUIT_EXAM_FORMATS]
    if unknown:
        from ..errors import OptionError
        raise OptionError(f"a circuit's exam is written as {', '.join(CIRCUIT_EXAM_FORMATS)}, not {', '.join(unknown)}")
    return {**_variants(job), **build(CIRCUIT_EXAM_FORMATS, job, formats)}
