"""Turns the view model into Markdown, LaTeX and SVG text through Jinja templates."""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import RenderError
from .diagram import layout
from .tex_text import escape_tex

TEMPLATES = {"md": "worked_example.md.j2", "tex": "worked_example.tex.j2"}
# TeX-safe delimiters for Markdown and LaTeX alike: both are full of braces.
TEX_DELIMITERS = dict(block_start_string="((*", block_end_string="*))", variable_start_string="(((",
                      variable_end_string=")))", comment_start_string="((=", comment_end_string="=))")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$])")


def escape_markdown(text: Any) -> str:
    """User text made inert in Markdown: HTML and Markdown punctuation escaped."""
    text = " ".join(str(text).split())  # a newline could end a heading, a quote or a table row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_SPECIAL.sub(r"\\\1", text)


def template_folder() -> Path:
    """The project's own templates (installed beside the package, or in the checkout)."""
    installed = resources.files("derive") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "templates"


def environment(template_dir: str | Path | None = None, tex_delimiters: bool = True) -> jinja2.Environment:
    """A sandboxed, strict environment; a user's template folder overrides the project's templates."""
    folders = ([str(template_dir)] if template_dir else []) + [str(template_folder())]
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders), undefined=jinja2.StrictUndefined, autoescape=False,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        **(TEX_DELIMITERS if tex_delimiters else {}),
    )
    env.filters.update(tex=escape_tex, md=escape_markdown)
    return env


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any template's failure, ours or a user's, becomes one RenderError line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as err:
        # only syntax errors know their file and line
        filename, lineno = getattr(err, "filename", None), getattr(err, "lineno", None)
        where = f" ({filename}:{lineno})" if filename else f" in {name}"
        raise RenderError(f"template error{where}: {err.message}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as err:  # a user template's own mistake
        raise RenderError(f"template error in {name}: {type(err).__name__}: {err}") from None


def render(document: dict[str, Any], fmt: str, template_dir: str | Path | None = None,
           extra: dict[str, Any] | None = None) -> str:
    """Render the document as `md` or `tex`."""
    return render_template(environment(template_dir), TEMPLATES[fmt], doc=document, **(extra or {}))


def network_diagram(document: dict[str, Any]):
    """The layout of the document's network picture."""
    pic = document["picture"]
    return layout(document["summary"]["widths"], pic["plain_labels"], pic["titles"], pic["plain_edge_labels"])


def svg_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """The environment of the SVG picture: standard delimiters, autoescaped."""
    env = environment(template_dir, tex_delimiters=False)
    env.autoescape = True
    return env


def render_svg(document: dict[str, Any], template_dir: str | Path | None = None,
               env: jinja2.Environment | None = None) -> str:
    """The network picture as a standalone SVG (env: one made by svg_environment, to reuse its templates)."""
    return render_template(env or svg_environment(template_dir), "network.svg.j2", diagram=network_diagram(document),
                           scale=60)
