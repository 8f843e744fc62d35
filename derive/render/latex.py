"""The worked example as a LaTeX article, rendered from worked_example.tex.j2."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..errors import RenderError
from .environment import TEMPLATES, environment, network_diagram, render_template
from .tex_layout import (
    MATH_INDENT,
    TABLE_SEP,
    TEXT_WIDTH,
    bare,
    column_width,
    matrix_layout,
)
from .tex_text import escape_tex


def _picture_labels(doc: dict[str, Any], diagram: Any) -> dict[str, list[str]]:
    """TikZ text for every node (layer by layer), edge (layer, target j, source k) and caption."""
    picture = doc["picture"]
    # Two-digit subscripts make a label wider than its circle; a smaller size keeps it inside.
    size = r"\scriptsize" if max(doc["summary"]["widths"]) > 9 else r"\small"
    nodes = [f"{size}${label}$" for layer in picture["tex_labels"] for label in layer]
    edges = [f"${w}$" for layer in picture["edge_labels"] for row in layer for w in row]
    # The layout budgets 0.12 cm per caption character, which \scriptsize keeps to.
    titles = [rf"{{\scriptsize {escape_tex(title)}}}" for title in picture["titles"]]
    if len(nodes) != len(diagram.nodes) or len(edges) != len(diagram.edges):
        raise RenderError("the network picture's labels do not match its layout")
    return {"tex_labels": nodes, "tex_edge_labels": edges, "tex_titles": titles}


def tex_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """The project's sandboxed environment, with the LaTeX helpers the article template uses."""
    env = environment(template_dir)
    env.filters.update(bare=bare)
    env.globals.update(matrix_layout=matrix_layout, column_width=column_width,
                       page={"text_width": TEXT_WIDTH, "math_indent": MATH_INDENT, "table_sep": TABLE_SEP})
    return env


def render_tex(doc: dict[str, Any], template_dir: str | Path | None = None,
               env: jinja2.Environment | None = None) -> str:
    """The worked example as a complete LaTeX article (worked_example.tex.j2; env from tex_environment, reused)."""
    diagram = network_diagram(doc)
    labels = _picture_labels(doc, diagram)
    return render_template(env or tex_environment(template_dir), TEMPLATES["tex"], doc=doc, diagram=diagram, **labels)


def picture_context(doc: dict[str, Any]) -> dict[str, Any]:
    """What network.tikz.j2 needs to draw a document's network: its layout and TeX labels."""
    diagram = network_diagram(doc)
    return {"diagram": diagram, **_picture_labels(doc, diagram)}
