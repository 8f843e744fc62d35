"""Feedback documents on a person's worked numbers: Markdown, LaTeX and PDF from the feedback view model."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .environment import environment, render_template
from .latex import break_long_lines
from .pdf import compile_pdf
from .registry import Format, build, registry


@dataclass
class FeedbackJob:
    """One feedback document's view model and file stem; tex and pdf share one LaTeX source."""

    fb: dict[str, Any]
    stem: str
    template_dir: str | Path | None = None
    made: dict[str, Any] = field(default_factory=dict)

    def env(self):
        if "env" not in self.made:
            self.made["env"] = environment(self.template_dir)
        return self.made["env"]

    def tex(self) -> str:
        if "tex" not in self.made:
            self.made["tex"] = break_long_lines(render_template(self.env(), "feedback.tex.j2", fb=self.fb))
        return self.made["tex"]


FEEDBACK_FORMATS: dict[str, Format[FeedbackJob]] = registry(
    Format("md", "the feedback in Markdown",
           lambda job: {f"{job.stem}.md": render_template(job.env(), "feedback.md.j2", fb=job.fb).encode()}),
    Format("tex", "the feedback as a LaTeX article", lambda job: {f"{job.stem}.tex": job.tex().encode()}),
    Format("pdf", "the feedback compiled by pdflatex", lambda job: {f"{job.stem}.pdf": compile_pdf(job.tex())}),
)


def feedback_files(fb: dict[str, Any], stem: str, formats: tuple[str, ...],
                   template_dir: str | Path | None = None) -> dict[str, bytes]:
    """The requested feedback files in memory: nothing is written here."""
    return build(FEEDBACK_FORMATS, FeedbackJob(fb, stem, template_dir), formats)
