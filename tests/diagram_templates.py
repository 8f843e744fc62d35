"""The network picture's SVG and TikZ templates, loaded and rendered as the renderers do."""
from __future__ import annotations

from pathlib import Path

import jinja2

from derive.render.diagram import Diagram

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_env(autoescape: bool = True) -> jinja2.Environment:
    """Environment for the SVG template."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape, undefined=jinja2.StrictUndefined
    )


def tikz_env() -> jinja2.Environment:
    """Environment with TeX-safe delimiters, as the LaTeX renderer uses."""
    return jinja2.Environment(
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        loader=jinja2.FileSystemLoader(TEMPLATES),
    )


def render_tikz(diagram: Diagram) -> str:
    """The tikzpicture for a diagram, with node and weight labels in math mode."""
    return tikz_env().get_template("network.tikz.j2").render(
        diagram=diagram,
        tex_labels=[f"${n.label[0]}_{{{n.label[1:]}}}$" for n in diagram.nodes],
        tex_edge_labels=[f"${e.label}$" for e in diagram.edges],
    )
