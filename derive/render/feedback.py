"""Feedback documents on a person's worked numbers: Markdown, LaTeX and PDF from the feedback view model."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .environment import environment, render_template
from .latex import break_long_lines
from .pdf import compile_pdf

FEEDBACK_FORMATS = ("md", "tex", "pdf")


def feedback_files(fb: dict[str, Any], stem: str, formats: tuple[str, ...],
                   template_dir: str | Path | None = None) -> dict[str, bytes]:
    """The requested feedback files in memory: nothing is written here."""
    env = environment(template_dir)
    files: dict[str, bytes] = {}
    if "md" in formats:
        files[f"{stem}.md"] = render_template(env, "feedback.md.j2", fb=fb).encode()
    if "tex" in formats or "pdf" in formats:
        tex = break_long_lines(render_template(env, "feedback.tex.j2", fb=fb))
        if "tex" in formats:
            files[f"{stem}.tex"] = tex.encode()
        if "pdf" in formats:
            files[f"{stem}.pdf"] = compile_pdf(tex)
    return files
