"""The registry of exam formats: each turns a drawn exam into named files, in memory."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from ..exam.generate import Exam
from ..exam.portable import Portable, portable
from ..io.spec_yaml import spec_yaml
from ..views.derived import Derived
from ..views.document import Options
from ..views.exam import exam_document, named_picture
from .exam_documents import (
    answers_markdown,
    embedded_markdown,
    key_tex,
    question_html,
    questions_markdown,
    questions_tex,
)
from .environment import environment, render_markdown, render_svg, render_template, svg_environment
from .latex import picture_context, render_tex, tex_environment
from .registry import Format, build, registry


FIGURES = "figures"
VARIANTS = "variants"
# every file an exam folder can hold, so that --force replaces an earlier exam and nothing else
EXAM_FILES = re.compile(r"(README\.md|questions\.(md|pdf)|answers\.(md|pdf|json)|moodle\.xml|qti\.zip|"
                        rf"{FIGURES}/v\d{{2,3}}\.svg|{VARIANTS}/v\d{{2,3}}\.yaml)")


@dataclass
class ExamJob:
    """One exam's shared inputs: the drawn exam, each variant's worked example, how to show them."""

    exam: Exam
    examples: list[Derived]
    options: Options
    recipe: str
    template_dir: str | Path | None = None
    progress: Callable[[str, int, int], None] | None = None  # (what, done, total)
    made: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def doc(self) -> dict[str, Any]:
        """The exam's view model, with the loss as the worked examples print it and each picture's file."""
        doc = exam_document(self.exam, self.options.notation, self.recipe)
        first = self.examples[0].document(self.options)
        doc["network"]["loss_formula"] = first["loss"]["general"]
        for v in doc["variants"]:
            v["picture"] = f"{FIGURES}/{v['id']}.svg"
        return doc

    @cached_property
    def env(self):
        """One environment for every Markdown and HTML template of the exam: each compiled once."""
        return environment(self.template_dir)

    @cached_property
    def tex_env(self):
        """One environment for the LaTeX templates: the question sheets, keys and worked examples."""
        return tex_environment(self.template_dir)

    @cached_property
    def svg_env(self):
        """One environment for every variant's picture."""
        return svg_environment(self.template_dir)

    def html(self, v: dict[str, Any], q: dict[str, Any]) -> str:
        """One question's text for a learning system."""
        return question_html(self.env, self.doc, v, q)

    @property
    def answers(self) -> list[list[tuple[float, float]]]:
        """(value, tolerance) of every question, variant by variant."""
        return [[(q.value, q.tolerance) for q in v.questions] for v in self.exam.variants]

    @property
    def portable(self) -> list[list[Portable]]:
        """Every question's answer as a learning system asks it (times 10^k where needed), variant by variant."""
        return [[portable(q.value, q.tolerance, self.exam.digits) for q in v.questions] for v in self.exam.variants]


def _variants(job: ExamJob) -> dict[str, bytes]:
    """Each variant as a complete spec that derive run accepts."""
    return {f"{VARIANTS}/{v.id}.yaml": spec_yaml(v.spec, f"{job.exam.name}, variant {v.id}: seed {job.exam.seed}; "
                                                  f"drawn again by {job.recipe} --seed {job.exam.seed} --only {v.id}").encode()
            for v in job.exam.variants}


def _markdown(job: ExamJob) -> dict[str, bytes]:
    files, solutions = {}, []
    for copy, (v, ex) in enumerate(zip(job.exam.variants, job.examples)):
        document, picture = ex.document(job.options), f"{FIGURES}/{v.id}.svg"
        files[picture] = render_svg(document, job.template_dir, env=job.svg_env).encode()
        # the worked example's own template, as Derived.markdown renders it
        text = render_markdown(job.env, document, picture)
        solutions.append(embedded_markdown(text, v.id, copy=copy))
    files["questions.md"] = questions_markdown(job.env, job.doc).encode()
    files["answers.md"] = answers_markdown(job.env, job.doc, solutions).encode()
    return files


def _json(job: ExamJob) -> dict[str, bytes]:
    entries = [{"variant": v["id"], "question": q["number"], "kind": q["kind"], "quantity": q["path"],
                "name": q["plain"], "value": value, "tolerance": tolerance, "rounded": q["rounded"],
                "rounding": job.doc["rounding"], "points": q["points_value"]}
               for v, pairs in zip(job.doc["variants"], job.answers) for q, (value, tolerance) in zip(v["questions"], pairs)]
    return {"answers.json": (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode()}


def _moodle(job: ExamJob) -> dict[str, bytes]:
    from .moodle import moodle_xml
    return {"moodle.xml": moodle_xml(job.doc, job.portable, job.html)}


def _qti(job: ExamJob) -> dict[str, bytes]:
    from .qti import qti_zip
    return {"qti.zip": qti_zip(job.doc, job.portable, job.html)}


def _pdf(job: ExamJob) -> dict[str, bytes]:
    """Question sheets in one document; per variant its key and its worked example; all compiled at once."""
    from .exam_pdf import compile_all, join_pdfs
    doc = job.doc
    for v, ex in zip(doc["variants"], job.examples):
        document = ex.document(job.options)
        v.update(picture_context({**document, "picture": named_picture(document["picture"], v)}, job.template_dir))
    sources = [questions_tex(job.tex_env, doc)]
    for v, ex in zip(doc["variants"], job.examples):
        worked = render_tex(ex.document(job.options), job.template_dir, env=job.tex_env)
        sources += [key_tex(job.tex_env, doc, v), _unnumbered(worked)]
    total = len(sources)
    pdfs = compile_all(sources, (lambda done: job.progress("compiling PDFs", done, total)) if job.progress else None)
    return {"questions.pdf": pdfs[0], "answers.pdf": join_pdfs(pdfs[1:])}


def _unnumbered(tex: str) -> str:
    """A worked example without page numbers of its own: the key numbers its pages through (join_pdfs)."""
    return tex.replace("\\begin{document}", "\\pagestyle{empty}\n\\begin{document}", 1)


EXAM_FORMATS: dict[str, Format[ExamJob]] = registry(
    Format("md", "questions.md and answers.md (with each variant's worked solution), pictures in figures/", _markdown),
    Format("json", "answers.json: one entry per variant and question", _json),
    Format("moodle", "moodle.xml: Moodle XML, one numerical question per variant and question", _moodle),
    Format("qti", "qti.zip: a QTI 1.2 package as Canvas imports it, one quiz per variant", _qti),
    Format("pdf", "questions.pdf and answers.pdf", _pdf),
)


# What each file of an exam folder is and where it goes, for the folder's README (a teacher's index)
WHERE = {
    "questions.md": ("the question sheets, one section per variant, no answers", "to the students"),
    "questions.pdf": ("the question sheets: per variant its data on a page, its questions with answer boxes on the next",
                      "to the students, printed"),
    "answers.md": ("each variant's answers with its worked solution", "the teacher's key"),
    "answers.pdf": ("each variant's answers with its worked solution", "the teacher's key, printed"),
    "answers.json": ("one entry per variant and question: value, tolerance and points", "derive check marks against it"),
    "moodle.xml": ("Moodle XML, a numerical question per variant and question",
                   "Moodle: Question bank, Import, Moodle XML format"),
    "qti.zip": ("a QTI 1.2 package, a quiz per variant", "Canvas: Settings, Import Course Content, QTI .zip file"),
    f"{VARIANTS}/": ("each variant as a complete spec", "derive run works it; derive check reads it"),
    f"{FIGURES}/": ("each variant's picture of the network", "the Markdown sheets show them"),
}


def _readme(job: ExamJob, files: dict[str, bytes]) -> dict[str, bytes]:
    """The teacher's index: how the exam was made, each variant's seed and command, the files and their use."""
    present = {name.split("/")[0] + "/" if "/" in name else name for name in files}
    rows = [(name, what, where) for name, (what, where) in WHERE.items() if name in present]
    return {"README.md": render_template(job.env, "exam_readme.md.j2", exam=job.doc, files=rows).encode()}


def is_exam_file(name: str) -> bool:
    """Whether a path relative to an exam folder is one derive writes there."""
    return EXAM_FILES.fullmatch(name) is not None


def exam_files(job: ExamJob, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every requested format's files (relative paths), and the variant specs; nothing is written here."""
    files = {**_variants(job), **build(EXAM_FORMATS, job, formats)}
    return {**files, **_readme(job, files)}
