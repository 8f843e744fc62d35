"""The worked example as a LaTeX article, rendered from worked_example.tex.j2."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from ..errors import RenderError
from .environment import TEMPLATES, environment, legend, network_diagram, render_template
from .tex_layout import (
    MATH_INDENT,
    TABLE_SEP,
    TEXT_WIDTH,
    bare,
    column_width,
    matrix_layout,
    table_fit,
)
from .tex_text import escape_tex


# TeX reads a source line into a buffer of 200,000 characters (TeX Live's buf_size); generated
# lines (a large network's picture) can be longer, so they are broken well below that.
MAX_LINE = 1000
# environments whose lines TeX reads as they are: a newline there is not a space
VERBATIM = re.compile(r"\\(begin|end)\{(verbatim\*?|Verbatim|lstlisting|comment)\}")
COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%")  # a % not escaped by a backslash
# a space between two characters that are neither spaces nor a backslash escaping it ("\ ")
BREAKABLE = re.compile(r"(?<=[^\s\\]) (?=\S)")


def _broken(line: str, limit: int) -> list[str]:
    """One long line as several, each break at a space TeX reads the same as a newline."""
    comment = COMMENT.search(line)
    end = comment.start() if comment else len(line)  # a newline would end a comment early
    pieces, start = [], 0
    while len(line) - start > limit:
        spaces = [m.start() for m in BREAKABLE.finditer(line, start, min(end, start + limit + 1))]
        if not spaces:  # one unbroken run longer than the limit: left as it is
            break
        pieces.append(line[start:spaces[-1]])
        start = spaces[-1] + 1
    return pieces + [line[start:]]


def break_long_lines(tex: str, limit: int = MAX_LINE) -> str:
    """LaTeX source with every line over `limit` characters broken at spaces, outside verbatim text.

    A single newline is a space to TeX, and spaces at the start of a line are skipped, so a space
    between two non-space characters can become a newline without changing the document; never
    inside a comment (the newline would end it), in \\verb, or where a backslash makes the space a
    control space.
    """
    lines, verbatim = [], False
    for line in tex.split("\n"):
        for kind, _ in VERBATIM.findall(line):
            verbatim = kind == "begin"
        if len(line) <= limit or verbatim or "\\verb" in line:
            lines.append(line)
        else:
            lines.extend(_broken(line, limit))
    return "\n".join(lines)


def _picture_labels(doc: dict[str, Any], diagram: Any, template_dir: str | Path | None = None) -> dict[str, list[str]]:
    """TikZ text for every node, edge and caption of the layout, and for its legend lines."""
    picture = doc["picture"]
    # Two-digit subscripts make a label wider than its circle; a smaller size keeps it inside.
    size = r"\scriptsize" if max(doc["summary"]["widths"]) > 9 else r"\small"
    nodes = [f"{size}$+1$" if node.bias else f"{size}${picture['tex_labels'][node.layer][node.index]}$"
             for node in diagram.nodes]
    # The layout's order: by layer, its weights (target j, source k), then its biases.
    edges = [f"${w}$" for weights, biases in zip(picture["edge_labels"], picture["bias_labels"])
             for w in [w for row in weights for w in row] + (biases if diagram.edge_labels else [])]
    # The layout budgets 0.12 cm per caption character, which \scriptsize keeps to.
    titles = [rf"{{\scriptsize {escape_tex(title)}}}" for _, _, title in diagram.layer_titles]
    if len(nodes) != len(diagram.nodes) or len(edges) != len(diagram.edges):
        raise RenderError("the network picture's labels do not match its layout")
    lines = [rf"{{\scriptsize {line}}}" for line in legend(picture, True, template_dir)][:len(diagram.legend)]
    return {"tex_labels": nodes, "tex_edge_labels": edges, "tex_titles": titles, "tex_legend": lines}


def tex_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """The project's sandboxed environment, with the LaTeX helpers the article template uses."""
    env = environment(template_dir)
    env.filters.update(bare=bare)
    env.globals.update(matrix_layout=matrix_layout, column_width=column_width, table_fit=table_fit,
                       page={"text_width": TEXT_WIDTH, "math_indent": MATH_INDENT, "table_sep": TABLE_SEP})
    return env


def render_tex(doc: dict[str, Any], template_dir: str | Path | None = None,
               env: jinja2.Environment | None = None) -> str:
    """The worked example as a complete LaTeX article (worked_example.tex.j2; env from tex_environment, reused)."""
    diagram = network_diagram(doc, template_dir)
    labels = _picture_labels(doc, diagram, template_dir)
    tex = render_template(env or tex_environment(template_dir), TEMPLATES["tex"], doc=doc, diagram=diagram, **labels)
    return break_long_lines(tex)


def picture_context(doc: dict[str, Any], template_dir: str | Path | None = None) -> dict[str, Any]:
    """What network.tikz.j2 needs to draw a document's network: its layout and TeX labels."""
    diagram = network_diagram(doc, template_dir)
    return {"diagram": diagram, **_picture_labels(doc, diagram, template_dir)}
