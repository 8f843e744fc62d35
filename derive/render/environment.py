"""Turns the view model into Markdown, LaTeX and SVG text through Jinja templates."""
from __future__ import annotations

import dataclasses
import re
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import RenderError
from .diagram import layout
from .md_math import aligned, as_dollars, chain, side_by_side
from .md_wrap import wrap_long_lines
from .tex_text import ENCODINGS, escape_tex, font_encodings

TEMPLATES = {"md": "worked_example.md.j2", "tex": "worked_example.tex.j2"}
# TeX-safe delimiters for Markdown and LaTeX alike: both are full of braces.
TEX_DELIMITERS = dict(block_start_string="((*", block_end_string="*))", variable_start_string="(((",
                      variable_end_string=")))", comment_start_string="((=", comment_end_string="=))")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$])")
INLINE_MATHS = re.compile(r"\$([^$]*)\$")  # derive's own sentences mark their maths as $...$


def escape_markdown(text: Any) -> str:
    """User text made inert in Markdown: HTML and Markdown punctuation escaped."""
    text = " ".join(str(text).split())  # a newline could end a heading, a quote or a table row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_SPECIAL.sub(r"\\\1", text)


def _text_and_maths(text: Any, escape: Callable[[str], str], maths: Callable[[str], str]) -> str:
    """A sentence of derive's with inline maths between $ signs: the text escaped, the maths marked up."""
    parts = INLINE_MATHS.split(str(text))
    return "".join(maths(part) if i % 2 else escape(part) for i, part in enumerate(parts))


def _markdown_words(text: str) -> str:
    """Text escaped for Markdown, keeping one space at either end (it sits beside maths)."""
    inner = escape_markdown(text)
    return (" " if text[:1].isspace() else "") + inner + (" " if text[-1:].isspace() and inner else "")


def markdown_maths(text: Any) -> str:
    """A sentence with $...$ maths as Markdown: the maths as $`...`$, which GitHub's escapes leave alone."""
    return _text_and_maths(text, _markdown_words, lambda m: f"$`{m}`$")


def tex_maths(text: Any) -> str:
    """A sentence with $...$ maths as LaTeX: the text escaped, the maths kept."""
    return _text_and_maths(text, escape_tex, lambda m: f"${m}$")


def _strings(value: Any) -> Iterator[str]:
    """Every string in a view model: itself, its mappings' values, its sequences' items, its dataclasses' fields."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))


def tex_fonts(*models: Any) -> list[str]:
    """The font encodings beyond OT1 that |tex may switch to for any string in the view models, for fontenc."""
    # Every string counts, not only those a template escapes: an encoding loaded in vain costs nothing.
    used = {encoding for model in models for text in set(_strings(model)) for encoding in font_encodings(text)}
    return [encoding for encoding in ENCODINGS if encoding in used]


def template_folder() -> Path:
    """The project's own templates (installed beside the package, or in the checkout)."""
    installed = resources.files("derive") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "templates"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, keyed by each source's checksum (most of a small run's rendering).

    Jinja's own cache folder in the temporary directory, which it makes private to the user and
    refuses when another user owns it; a cache that cannot be written is skipped, never an error.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The template cache, or none where no private temporary folder can be had."""
    try:
        return TemplateCache()
    except (OSError, RuntimeError):
        return None


def environment(template_dir: str | Path | None = None, tex_delimiters: bool = True) -> jinja2.Environment:
    """A sandboxed, strict environment; a user's template folder overrides the project's templates."""
    folders = ([str(template_dir)] if template_dir else []) + [str(template_folder())]
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders), undefined=jinja2.StrictUndefined, autoescape=False,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache(),
        **(TEX_DELIMITERS if tex_delimiters else {}),
    )
    env.filters.update(tex=escape_tex, md=escape_markdown, md_maths=markdown_maths, tex_maths=tex_maths)
    env.globals.update(chain=chain, aligned=aligned, side_by_side=side_by_side)  # Markdown's line breaking
    env.globals.update(tex_fonts=tex_fonts)
    return env


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any template's failure, ours or a user's, becomes one RenderError line."""
    with template_errors(name):
        return env.get_template(name).render(**context)


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Any failure of template `name`, ours or a user's, as one RenderError line."""
    try:
        yield
    except jinja2.TemplateError as err:
        # only syntax errors know their file and line
        filename, lineno = getattr(err, "filename", None), getattr(err, "lineno", None)
        where = f" ({filename}:{lineno})" if filename else f" in {name}"
        raise RenderError(f"template error{where}: {err.message}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as err:  # a user template's own mistake
        raise RenderError(f"template error in {name}: {type(err).__name__}: {err}") from None
    except RecursionError:
        raise RenderError(f"template error in {name}: it calls itself without end (a recursive macro)") from None


def render(document: dict[str, Any], fmt: str, template_dir: str | Path | None = None,
           extra: dict[str, Any] | None = None) -> str:
    """Render the document as `md` or `tex`."""
    env = environment(template_dir)
    if fmt == "md":
        return render_markdown(env, document, **(extra or {}))
    return render_template(env, TEMPLATES[fmt], doc=document, **(extra or {}))


def render_markdown(env: jinja2.Environment, document: dict[str, Any], svg_name: str) -> str:
    """The worked example as Markdown, in GitHub's maths syntax unless document['math'] is dollars."""
    text = wrap_long_lines(render_template(env, TEMPLATES["md"], doc=document, svg_name=svg_name))
    return as_dollars(text) if document.get("math") == "dollars" else text


@lru_cache(maxsize=8)
def kept_environment(template_dir: str | None) -> jinja2.Environment:
    """One environment per template folder, kept: it reloads a template whose file has changed."""
    return environment(template_dir)


def call_macro(template: str, macro: str, *args: Any, template_dir: str | Path | None = None) -> str:
    """One macro of a words template (picture_words.j2, note_words.j2), a user's template folder first."""
    with template_errors(template):
        module = kept_environment(str(template_dir) if template_dir else None).get_template(template).module
        if not hasattr(module, macro):
            raise RenderError(f"template error in {template}: it has no macro {macro!r}")
        return str(getattr(module, macro)(*args))


def worded_notes(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The teaching notes with each one's values replaced by its sentence, the macro of its kind in note_words.j2."""
    return [{"kind": note["kind"], "layer": note["layer"], "unit": note["unit"],
             "text": call_macro("note_words.j2", note["kind"], note["values"])} for note in notes]


def captions(picture: dict[str, Any], template_dir: str | Path | None = None) -> list[str]:
    """Each layer's caption, the inputs first: input, layer 1 (ReLU), output (sigmoid)."""
    return [call_macro("picture_words.j2", "caption", layer, template_dir=template_dir)
            for layer in picture["captions"]]


def legend(picture: dict[str, Any], tex: bool, template_dir: str | Path | None = None) -> list[str]:
    """What the picture's labels are, as TeX lines or plain ones; none where the picture has no legend."""
    names = picture["legend"]
    if names is None:
        return []
    weights, biases = (names["weights"], names["biases"]) if tex else (names["plain_weights"], names["plain_biases"])
    return [call_macro("picture_words.j2", "weights", weights, tex, template_dir=template_dir),
            call_macro("picture_words.j2", "biases", biases, tex, names, template_dir=template_dir)]


def network_diagram(document: dict[str, Any], template_dir: str | Path | None = None):
    """The layout of the document's network picture, its words from picture_words.j2."""
    pic = document["picture"]
    return layout(document["summary"]["widths"], pic["plain_labels"], captions(pic, template_dir),
                  pic["plain_edge_labels"], bias_labels=pic["plain_bias_labels"],
                  legend=tuple(legend(pic, False, template_dir)))


def svg_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """The environment of the SVG picture: standard delimiters, autoescaped."""
    env = environment(template_dir, tex_delimiters=False)
    env.autoescape = True
    return env


def render_svg(document: dict[str, Any], template_dir: str | Path | None = None,
               env: jinja2.Environment | None = None) -> str:
    """The network picture as a standalone SVG (env: one made by svg_environment, to reuse its templates)."""
    return render_template(env or svg_environment(template_dir), "network.svg.j2",
                           diagram=network_diagram(document, template_dir), scale=60)
