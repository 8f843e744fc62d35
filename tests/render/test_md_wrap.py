"""Long Markdown source lines break at spaces, never inside maths, never into a new block."""
from __future__ import annotations

from derive.render.md_wrap import LONGEST, wrap_long_lines


def test_a_long_quote_keeps_its_marker_and_its_inline_maths_whole():
    maths = r"$`\lVert \partial L / \partial W^{(1)} \rVert = 0.00148`$"
    line = "> " + " ".join(["word"] * 40 + [f"\\({maths}\\)"] + ["word"] * 20)
    out = wrap_long_lines(line).split("\n")
    assert len(out) > 1 and all(piece.startswith("> ") for piece in out)
    assert sum(maths in piece for piece in out) == 1
    assert " ".join(p[2:] for p in out) == line[2:]


def test_table_rows_and_short_lines_are_left_alone():
    row = "| " + " | ".join(["cell"] * 80) + " |"
    assert len(row) > LONGEST and wrap_long_lines(row + "\nshort") == row + "\nshort"


def test_display_maths_never_continues_with_a_line_that_starts_a_list():
    tex = " ".join([r"\frac{a}{b}"] * 20 + ["+", r"\sqrt{x}", "-", "1"] * 10)
    out = wrap_long_lines("```math\n" + tex + "\n```").split("\n")
    assert len(out) > 3
    assert not any(piece.startswith(("+", "-", ">", "#")) for piece in out[1:-1])
