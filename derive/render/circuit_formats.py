"""A circuit's output formats: the worked example as Markdown with its picture, and every number as JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .environment import kept_environment, render_template
from .md_math import as_dollars
from .md_wrap import wrap_long_lines
from .registry import Format, build, registry


@dataclass
class CircuitJob:
    """One circuit's run: its document (as the views build it), its JSON data, the stem of its files."""

    document: dict[str, Any]
    data: dict[str, Any]
    stem: str
    template_dir: str | Path | None = None
    math: str = "github"  # the Markdown's maths: GitHub's, or dollars for pandoc and Jupyter
    made: dict[str, str] = field(default_factory=dict)

    def tex(self) -> str:
        """The LaTeX article, made once for tex and pdf alike."""
        if "tex" not in self.made:
            self.made["tex"] = circuit_tex(self.document, self.template_dir)
        return self.made["tex"]


def circuit_markdown(document: dict[str, Any], svg_name: str, template_dir: str | Path | None = None,
                     math: str = "github") -> str:
    """The circuit's worked example as Markdown, its picture the SVG file svg_name beside it."""
    env = kept_environment(str(template_dir) if template_dir else None)
    text = wrap_long_lines(render_template(env, "circuit.md.j2", doc={**document, "svg_name": svg_name}))
    return as_dollars(text) if math == "dollars" else text


def circuit_svg(document: dict[str, Any], template_dir: str | Path | None = None) -> str:
    """The circuit's picture as SVG: every wire's value above it and its gradient below."""
    from .circuit_diagram import render_circuit_svg
    return render_circuit_svg(document, template_dir)


def circuit_tex(document: dict[str, Any], template_dir: str | Path | None = None) -> str:
    """The circuit's worked example as a LaTeX article, its picture in TikZ."""
    from .circuit_diagram import circuit_tikz_context
    from .latex import break_long_lines, tex_environment
    env = tex_environment(template_dir)
    return break_long_lines(render_template(env, "circuit.tex.j2", doc=document, **circuit_tikz_context(document)))


def _markdown(job: CircuitJob) -> dict[str, bytes]:
    svg_name = f"{job.stem}.svg"
    return {f"{job.stem}.md": circuit_markdown(job.document, svg_name, job.template_dir, job.math).encode(),
            svg_name: circuit_svg(job.document, job.template_dir).encode()}


def _json(job: CircuitJob) -> dict[str, bytes]:
    return {f"{job.stem}.json": (json.dumps(job.data, indent=2) + "\n").encode()}


def _tex(job: CircuitJob) -> dict[str, bytes]:
    return {f"{job.stem}.tex": job.tex().encode()}


def _pdf(job: CircuitJob) -> dict[str, bytes]:
    from .pdf import compile_pdf
    return {f"{job.stem}.pdf": compile_pdf(job.tex())}


CIRCUIT_FORMATS: dict[str, Format[CircuitJob]] = registry(
    Format("md", "Markdown with the circuit's picture as SVG beside it", _markdown),
    Format("json", "every value and gradient as JSON", _json),
    Format("tex", "a LaTeX article, the picture in TikZ", _tex),
    Format("pdf", "the LaTeX article compiled by pdflatex", _pdf),
)


def build_circuit_files(job: CircuitJob, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every requested format's files, in memory: nothing is written here."""
    return build(CIRCUIT_FORMATS, job, formats)
