"""The files of one run, built in memory: Markdown with its SVG picture, JSON, LaTeX, PDF."""
from __future__ import annotations

import json
from pathlib import Path

from .pipeline import WorkedExample
from .render import render, render_svg

FORMATS = ("md", "json", "tex", "pdf")


def build_files(example: WorkedExample, stem: str, formats: tuple[str, ...],
                template_dir: str | Path | None = None) -> dict[str, bytes]:
    """Render every requested format; nothing is written here, so a failure leaves no file behind."""
    files: dict[str, bytes] = {}
    doc = example.document
    if "md" in formats:
        files[f"{stem}.md"] = render(doc, "md", template_dir, {"svg_name": f"{stem}.svg"}).encode()
        files[f"{stem}.svg"] = render_svg(doc, template_dir).encode()
    if "json" in formats:
        files[f"{stem}.json"] = (json.dumps(example.data, indent=2) + "\n").encode()
    if "tex" in formats or "pdf" in formats:
        from .latex import compile_pdf, render_tex

        tex = render_tex(doc, template_dir)
        if "tex" in formats:
            files[f"{stem}.tex"] = tex.encode()
        if "pdf" in formats:
            files[f"{stem}.pdf"] = compile_pdf(tex)
    return files
