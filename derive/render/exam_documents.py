"""The exam's documents as text (each from an environment made once per exam): question sheets and answer keys in Markdown and LaTeX, question HTML."""
from __future__ import annotations

import re
from typing import Any

import jinja2

from .environment import render_template

FENCE = re.compile(r"^(```|~~~)")
ANCHOR = re.compile(r"\]\(#([a-z0-9-]+)\)")


def embedded_markdown(markdown: str, key: str, levels: int = 2, copy: int = 0) -> str:
    """A whole worked example made a section of a longer document: headings lowered, its links its own.

    The worked example's picture is a reference link [picture]; in a document holding many, each
    needs its own label, or every one would show the first. Its links to its own headings
    (#cross-checks) go to the copy-th of the same heading, which GitHub numbers #cross-checks-1, ...
    """
    out, fenced = [], False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "#" * levels + line
        out.append(line)
    text = "\n".join(out).replace("[picture]", f"[picture-{key}]")
    if copy:
        text = ANCHOR.sub(lambda m: f"](#{m.group(1)}-{copy})", text)
    return text + "\n"


def questions_markdown(env: jinja2.Environment, doc: dict[str, Any]) -> str:
    """The question sheets of every variant, as Markdown."""
    return render_template(env, "exam_questions.md.j2", exam=doc)


def answers_markdown(env: jinja2.Environment, doc: dict[str, Any], solutions: list[str]) -> str:
    """The answer key: each variant's answers, then its worked solution (already Markdown)."""
    return render_template(env, "exam_answers.md.j2", exam=doc, solutions=solutions)


def questions_tex(env: jinja2.Environment, doc: dict[str, Any]) -> str:
    """The question sheets as one LaTeX document, a page per variant."""
    return render_template(env, "exam_questions.tex.j2", exam=doc)


def key_tex(env: jinja2.Environment, doc: dict[str, Any], variant: dict[str, Any]) -> str:
    """One variant's answer key as a LaTeX document (its worked solution is compiled apart)."""
    return render_template(env, "exam_key.tex.j2", exam=doc, v=variant)


def question_html(env: jinja2.Environment, doc: dict[str, Any], variant: dict[str, Any],
                  question: dict[str, Any]) -> str:
    """One question with its variant's numbers, as HTML for a learning system."""
    return render_template(env, "exam_item.html.j2", exam=doc, v=variant, q=question).strip()
