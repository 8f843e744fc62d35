"""The files of one run, built in memory: Markdown with its SVG picture, JSON, LaTeX, PDF."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import DeriveError
from ..pipeline import WorkedExample
from .environment import render, render_svg

FORMATS = ("md", "json", "tex", "pdf")


def build_files(example: WorkedExample, stem: str, formats: tuple[str, ...],
                template_dir: str | Path | None = None) -> tuple[dict[str, bytes], DeriveError | None]:
    """Render every requested format; nothing is written here, so a failure leaves no file behind.

    The one failure returned rather than raised is a missing TeX engine: the other formats are
    still good, so the caller writes them and then reports it.
    """
    files: dict[str, bytes] = {}
    doc = example.document
    if "md" in formats:
        files[f"{stem}.md"] = render(doc, "md", template_dir, {"svg_name": f"{stem}.svg"}).encode()
        files[f"{stem}.svg"] = render_svg(doc, template_dir).encode()
    if "json" in formats:
        files[f"{stem}.json"] = (json.dumps(example.data, indent=2) + "\n").encode()
    if "tex" in formats or "pdf" in formats:
        from .latex import render_tex
        from .pdf import TexMissing, compile_pdf

        tex = render_tex(doc, template_dir)
        if "tex" in formats:
            files[f"{stem}.tex"] = tex.encode()
        if "pdf" in formats:
            try:
                files[f"{stem}.pdf"] = compile_pdf(tex)
            except TexMissing as missing:
                return files, missing
    return files, None
