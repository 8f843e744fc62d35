"""Long Markdown source lines broken at spaces, outside inline maths, so the file reads in an editor."""
from __future__ import annotations

import re

LONGEST = 250  # characters; a longer source line is broken
WIDTH = 110  # the width the pieces of a broken line aim at
# a run of non-spaces in which inline maths and code, spaces and all, count as one: never split
_ATOM = re.compile(r"(?:\$`.*?`\$|`[^`]*`|\S)+")
_LEAD = re.compile(r"^(> |- |\d+\. )?")
# a line that began with one of these would start a list, quote, heading or table
_OPENS_BLOCK = re.compile(r"[-+*>#|=]|\d+[.)]")


def _pieces(text: str, width: int) -> list[str]:
    """text as lines of about width characters, breaking only at spaces between atoms."""
    lines, line = [], ""
    for m in re.finditer(r"(\s*)(" + _ATOM.pattern + r")", text):
        gap, atom = m.group(1), m.group(2)
        if line and len(line) + len(gap) + len(atom) > width and not _OPENS_BLOCK.match(atom):
            lines.append(line)
            line = atom
        else:
            line += gap + atom
    return lines + [line] if line else lines


def _wrapped(line: str) -> list[str]:
    """One long prose or display-maths line as several: a quote continues with '> ', a list item indented."""
    lead = _LEAD.match(line).group(0)
    indent = "> " if lead == "> " else " " * len(lead)
    pieces = _pieces(line[len(lead):], WIDTH - len(lead))
    return [lead + pieces[0]] + [indent + p for p in pieces[1:]]


def wrap_long_lines(markdown: str) -> str:
    """Every line over LONGEST characters broken, except table rows, headings and code listings.

    A newline inside a ```math block is a space to TeX, so display maths breaks the same way.
    """
    out, fence = [], ""
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fence = "" if fence else line
        keep = (len(line) <= LONGEST or line.startswith(("|", "#", "```"))
                or (fence and fence != "```math"))
        out += [line] if keep else _wrapped(line)
    return "\n".join(out)
