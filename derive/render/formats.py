"""The registry of output formats: each turns a worked example into named files, in memory."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OptionError
from ..views.derived import Derived
from ..views.document import Options
from .environment import render, render_svg
from .registry import Format, build, registry



@dataclass
class Job:
    """One run's shared inputs; formats that need the same text (tex and pdf) compute it once."""

    example: Derived
    stem: str
    options: Options
    template_dir: str | Path | None
    made: dict[str, Any] = field(default_factory=dict)

    @property
    def document(self) -> dict[str, Any]:
        return self.example.document(self.options)

    def tex(self) -> str:
        if "tex" not in self.made:
            from .latex import render_tex
            self.made["tex"] = render_tex(self.document, self.template_dir)
        return self.made["tex"]


def _markdown(job: Job) -> dict[str, bytes]:
    svg_name = f"{job.stem}.svg"
    return {f"{job.stem}.md": render(job.document, "md", job.template_dir, {"svg_name": svg_name}).encode(),
            svg_name: render_svg(job.document, job.template_dir).encode()}


def _json(job: Job) -> dict[str, bytes]:
    return {f"{job.stem}.json": (json.dumps(job.example.data, indent=2) + "\n").encode()}


def _tex(job: Job) -> dict[str, bytes]:
    return {f"{job.stem}.tex": job.tex().encode()}


def _pdf(job: Job) -> dict[str, bytes]:
    from .pdf import compile_pdf
    return {f"{job.stem}.pdf": compile_pdf(job.tex())}


FORMATS: dict[str, Format[Job]] = registry(
    Format("md", "Markdown with the network's picture as SVG beside it", _markdown),
    Format("json", "every number as JSON", _json),
    Format("tex", "a LaTeX article", _tex),
    Format("pdf", "the LaTeX article compiled by pdflatex", _pdf),
)


def chosen_formats(formats: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The formats asked for ("md", "md,pdf" or a list of names), each known, or an OptionError naming the valid."""
    if not isinstance(formats, (str, list, tuple)) or not all(isinstance(f, str) for f in formats):
        raise OptionError(f"formats: expected a format's name, \"md,pdf\" or a list of names, got {formats!r}")
    names = tuple(f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats))
    bad = [f for f in names if f not in FORMATS]
    if bad or not names:
        raise OptionError(f"unknown format {', '.join(map(repr, bad)) if bad else repr(formats)}; "
                          f"valid: {', '.join(FORMATS)}")
    return names


def build_files(example: Derived, stem: str, formats: tuple[str, ...],
                template_dir: str | Path | None = None, options: Options | None = None) -> dict[str, bytes]:
    """Render every requested format; nothing is written here, so a failure leaves no file behind.

    A missing TeX engine raises TexMissing once the other formats are made, carrying their files.
    """
    return build(FORMATS, Job(example, stem, options or example.default_options(), template_dir), formats)
