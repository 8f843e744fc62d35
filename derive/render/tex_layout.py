"""Width estimates that decide how the LaTeX article sets long equations and wide matrices."""
from __future__ import annotations

import math
import re
from typing import Any

# Page geometry shared by the template and the width estimates below (points, 11pt article).
TEXT_WIDTH = 470.0
MATH_INDENT = 16.0
DISPLAY_SIZE = 10.95
TABLE_SIZE = 10.0
TABLE_SEP = 4.0
# Matrices wider or taller than this are set as tables, split into blocks of columns.
INLINE_COLUMNS = 6
INLINE_ROWS = 10
# Room left for the name and the "=" in front of an inline matrix.
NAME_ROOM = 70.0
# Row numbers are set in \scriptsize (8pt), whose digits are 4pt wide.
ROW_DIGIT = 4.0

# Approximate widths in em of the Computer Modern math glyphs that numbers and names are made of;
# every estimate errs wide, because a column too narrow would push its numbers into the next one.
_COMMAND_EM = {r"\times": 1.23, r"\cdot": 0.73, r"\top": 0.78, r"\partial": 0.57, r"\delta": 0.46,
               r"\Delta": 0.84, r"\ell": 0.43, r"\quad": 1.0, r"\qquad": 2.0, r"\,": 0.17, r"\:": 0.23,
               r"\;": 0.28, r"\ ": 0.34, r"\lvert": 0.28, r"\rvert": 0.28}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)


def _group(tokens: list[str], i: int) -> tuple[list[str], int]:
    """The tokens of the braced group (or single token) starting at i, and the index after it."""
    if i >= len(tokens):
        return [], i
    if tokens[i] != "{":
        return [tokens[i]], i + 1
    depth, j = 1, i + 1
    while j < len(tokens) and depth:
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        j += 1
    return tokens[i + 1:j - 1], j


_CHAR_EM = {**dict.fromkeys("0123456789", 0.5), **dict.fromkeys(".;", 0.28), ",": 0.45,
            **dict.fromkeys("=<>", 1.34), **dict.fromkeys("()[]|/", 0.5), **dict.fromkeys("{} ", 0.0)}


def _symbol_em(tok: str, previous: str) -> float:
    """Estimated width in em of one token that is not a script, delimiter or argument-taking command."""
    if tok.startswith("\\"):
        return _COMMAND_EM.get(tok, 0.85)
    if tok in ("+", "-"):
        # A sign after an opening or at the start is unary; otherwise it is spaced as an operator.
        return 0.78 if previous in ("", "(", "{", "=", ",") else 1.23
    if tok.isalpha():
        return 1.05 if tok in "MNW" else 0.8 if tok.isupper() else 0.55
    return _CHAR_EM.get(tok, 0.0 if tok.isspace() else 0.6)


# The widths of tokens measured so far: a large document measures the same few hundred tokens a million times.
_KNOWN: dict[str, float] = {}


def _width(tokens: list[str]) -> float:
    """Estimated width in em of math-mode tokens."""
    em, i, previous = 0.0, 0, ""
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok in ("^", "_"):
            group, i = _group(tokens, i)
            script = _width(group)
            # A superscript and a subscript on one base stack: only the wider one takes room.
            if i < len(tokens) and tokens[i] in ("^", "_") and tokens[i] != tok:
                other, i = _group(tokens, i + 1)
                script = max(script, _width(other))
            em += 0.72 * script
        elif tok in (r"\left", r"\right", r"\bigl", r"\bigr", r"\big"):
            i += 1
            em += 0.45
        elif tok in (r"\operatorname", r"\text", r"\mathrm", r"\mathbf"):
            group, i = _group(tokens, i)
            em += 0.52 * len(group)
        elif tok == r"\frac":
            top, i = _group(tokens, i)
            bottom, i = _group(tokens, i)
            em += max(_width(top), _width(bottom)) + 0.3
        else:
            width = _KNOWN.get(tok)
            if width is None:
                width = _symbol_em(tok, previous)
                if tok not in ("+", "-"):  # a sign's width depends on what precedes it; nothing else's does
                    _KNOWN[tok] = width
            em += width
        if not tok.isspace():
            previous = tok
    return em


def math_width(tex: str, size: float = DISPLAY_SIZE) -> float:
    """Estimated width in points of a math-mode LaTeX string set at `size` points."""
    return _width(_TOKEN.findall(str(tex))) * size


def column_width(values: list[Any], size: float = TABLE_SIZE) -> float:
    """A column width in points that holds the widest of these math strings."""
    return round(max((math_width(v, size) for v in values), default=size) + 2.0, 1)


def _blocks(n: int, per: int) -> list[tuple[int, int]]:
    """n columns in as few blocks of at most `per` as possible, the blocks as even as possible."""
    count = max(1, math.ceil(n / max(1, per)))
    size = math.ceil(n / count)
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def matrix_layout(value: list[Any]) -> dict[str, Any]:
    """How to show a matrix or vector: inline `bmatrix`/`column`, else a `table` in blocks or a `tuple`; a `number`."""
    if isinstance(value, str):  # one number, as a layer's shared bias
        return {"kind": "number", "rows": 1, "columns": 1}
    if value and not isinstance(value[0], (list, tuple)):
        tall = len(value) > INLINE_ROWS
        return {"kind": "tuple" if tall else "column", "rows": len(value), "columns": 1}
    rows, columns = len(value), len(value[0]) if value else 0
    widths = [max(math_width(row[k]) for row in value) for k in range(columns)]
    inline_width = sum(widths) + 10.0 * max(0, columns - 1) + 14.0
    if columns <= INLINE_COLUMNS and rows <= INLINE_ROWS and inline_width <= TEXT_WIDTH - MATH_INDENT - NAME_ROOM:
        return {"kind": "bmatrix", "rows": rows, "columns": columns}
    cell = column_width([v for row in value for v in row])
    label = ROW_DIGIT * len(str(rows)) + 1.0
    per = int((TEXT_WIDTH - MATH_INDENT - label - TABLE_SEP) // (cell + 2 * TABLE_SEP))
    return {"kind": "table", "rows": rows, "columns": columns, "cell": cell, "label": label,
            "blocks": _blocks(columns, per)}


def bare(tex: str) -> str:
    r"""A number without the \left( \right) that marks a negative factor: tables need no parentheses."""
    text = str(tex)
    if not (text.startswith(r"\left(") and text.endswith(r"\right)")):
        return text
    inner = text[len(r"\left("):-len(r"\right)")]
    return text if r"\left" in inner or r"\right" in inner else inner


# Font sizes a wide table may step down to: LaTeX's size command, its size in points, the column gap.
_TABLE_SIZES = (("small", TABLE_SIZE, 6.0), ("footnotesize", 9.0, 3.0), ("scriptsize", 8.0, 2.0))


def table_fit(first: list[Any], cells: list[Any], columns: int) -> dict[str, Any]:
    """The largest font at which a table of a name column and `columns` number columns fits the text width."""
    for command, size, sep in _TABLE_SIZES:
        first_w, cell_w = column_width(first, size), min(column_width(cells, size), 8 * size)
        if first_w + columns * cell_w + 2 * sep * columns <= TEXT_WIDTH:
            break
    return {"size": command, "sep": sep, "first": first_w, "cell": cell_w}
