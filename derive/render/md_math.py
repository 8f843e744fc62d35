"""Maths in Markdown: chains of equalities broken into aligned lines, and the two ways to delimit maths."""
from __future__ import annotations

import re
from typing import Sequence

from .tex_layout import math_width

# GitHub shows Markdown about 830 px wide and MathJax does not wrap a display; MathJax's maths is
# wider than these estimates (set for TeX's fonts), so a line is broken well before 50 em.
LINE_EM = 36.0
CONTINUATION = r"&\quad "
_FENCE = re.compile(r"^```math\n(.*?)\n```$", re.DOTALL | re.MULTILINE)
_INLINE = re.compile(r"\$`(.*?)`\$")
_TOKEN = re.compile(r"\\left\b|\\right\b|\\[A-Za-z]+|\\.|.", re.DOTALL)
_MATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.DOTALL)


def em(tex: str) -> float:
    """Estimated width of math-mode LaTeX in em; a matrix is as wide as its widest row."""
    def widest_row(m: re.Match) -> str:
        rows = [row.replace("&", r"\quad ") for row in m.group(1).split(r"\\")]
        return r"\left[" + max(rows, key=lambda row: math_width(row, 1.0)) + r"\right]"
    return math_width(_MATRIX.sub(widest_row, tex), 1.0)


def _top_level_terms(tex: str) -> list[str]:
    """tex split before each + or - that is not inside braces or a \\left...\\right pair, signs kept."""
    terms, depth, start, previous = [], 0, 0, ""
    for match in _TOKEN.finditer(tex):
        tok = match.group()
        if tok in ("{", r"\left"):
            depth += 1
        elif tok in ("}", r"\right"):
            depth -= 1
        elif tok in ("+", "-") and depth == 0 and previous not in ("", "(", "=", r"\cdot", "^", "_"):
            terms.append(tex[start:match.start()].strip())
            start = match.start()
        if not tok.isspace():
            previous = tok
    terms.append(tex[start:].strip())
    return [t for t in terms if t]


def _wrapped(relation: str, rhs: str, room: float) -> list[str]:
    """One step as lines of at most `room` em: the first carries the relation, the rest continue a sum."""
    lines, current, width = [], "", 0.0
    for term in _top_level_terms(rhs):
        # a line's width is the sum of its terms' (measured once each), not re-measured as it grows
        size = em("a " + term) - em("a")  # as it stands in a sum: a leading sign spaced as an operator
        if current and width + size > room:
            lines.append(current)
            current, width = term, size
        else:
            current, width = f"{current} {term}".strip(), width + size
    lines.append(current)
    return [f"&{relation} {lines[0]}"] + [CONTINUATION + line for line in lines[1:]]


def _pairs(steps: Sequence) -> list[tuple[str, str]]:
    """Steps as (relation, right-hand side) pairs; a bare right-hand side is an equality."""
    return [(s[0], s[1]) if isinstance(s, (tuple, list)) else ("=", s) for s in steps if s != ""]


def _rows(lhs: str, steps: Sequence, limit: float) -> list[str]:
    """The aligned rows of one chain: every step on its own row, long sums broken after a term."""
    room = limit - em(lhs) - 2.0
    rows: list[str] = []
    for rel, rhs in _pairs(steps):
        rows += _wrapped(rel, rhs, room)
    rows[0] = lhs + " " + rows[0]
    return rows


def _one_line(lhs: str, steps: Sequence) -> str:
    return lhs + "".join(f" {rel} {rhs}" for rel, rhs in _pairs(steps))


def chain(lhs: str, steps: Sequence, limit: float = LINE_EM) -> str:
    """lhs = step = step ...: one line if it fits, else aligned lines, each long sum broken after a term.

    A step is its right-hand side, or a (relation, right-hand side) pair such as ("\\approx", "0.5").
    """
    line = _one_line(lhs, steps)
    if em(line) <= limit:
        return line
    return "\\begin{aligned}\n" + " \\\\\n".join(_rows(lhs, steps, limit)) + "\n\\end{aligned}"


def aligned(chains: Sequence[tuple[str, Sequence]], limit: float = LINE_EM) -> str:
    """Several chains aligned at their first relation; one that does not fit breaks over rows of its own."""
    rows = []
    for lhs, steps in chains:
        line = _one_line(lhs, steps)
        if em(line) <= limit:
            first, *rest = _pairs(steps)
            rows.append(f"{lhs} &{first[0]} {first[1]}" + "".join(f" {rel} {rhs}" for rel, rhs in rest))
        else:
            rows += _rows(lhs, steps, limit)
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def side_by_side(parts: Sequence[str], limit: float = LINE_EM) -> str:
    """Equations on one line, spaced by a quad, or one under the other when together they are too wide."""
    parts = [p for p in parts if p]
    line = r", \qquad ".join(parts)
    if em(line) <= limit:
        return line
    return "\\begin{gathered}\n" + " \\\\\n".join(parts) + "\n\\end{gathered}"


def as_dollars(markdown: str) -> str:
    """GitHub's maths syntax (```math blocks, $`...`$) as plain $$...$$ and $...$, for pandoc and Jupyter."""
    markdown = _FENCE.sub(lambda m: f"$$\n{m.group(1)}\n$$", markdown)
    return _INLINE.sub(lambda m: f"${m.group(1)}$", markdown)
