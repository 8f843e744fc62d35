"""Long lines of generated LaTeX broken where a newline means what the space did."""
from __future__ import annotations

import random

from derive.render.latex import break_long_lines


def test_short_lines_are_left_alone():
    tex = "\\section*{A}\n\nword word\n"
    assert break_long_lines(tex) == tex


def test_a_long_line_breaks_at_spaces_into_lines_within_the_limit():
    words = [f"w{i}" for i in range(2000)]
    line = " ".join(words)
    broken = break_long_lines(line, limit=100)
    assert all(len(piece) <= 100 for piece in broken.split("\n"))
    # a newline is a space to TeX: the words are the same, in order, and no line is blank
    assert broken.split() == words and "\n\n" not in broken


def test_a_comment_is_never_broken_and_text_before_it_may_be():
    line = "a " * 100 + "% " + "comment words " * 20
    broken = break_long_lines(line, limit=50).split("\n")
    comment = [piece for piece in broken if "%" in piece]
    assert len(comment) == 1 and comment[0].endswith("comment words ")
    assert comment[0].index("%") <= 50  # every break is before the %, none after it


def test_an_escaped_percent_is_text_not_a_comment():
    line = " ".join(["50\\%"] * 100)
    broken = break_long_lines(line, limit=40).split("\n")
    assert len(broken) > 1 and all(len(piece) <= 40 for piece in broken)


def test_control_spaces_and_verbatim_lines_are_kept():
    control = "\\ ".join(["x"] * 300)  # x\ x\ x: every space is a control space
    verbatim = "\\begin{verbatim}\n" + "a " * 600 + "\n\\end{verbatim}"
    inline = "\\verb|" + "a " * 600 + "|"
    for tex in (control, verbatim, inline):
        assert break_long_lines(tex, limit=100) == tex


def test_breaking_keeps_every_character_but_the_spaces_it_replaces():
    rng = random.Random(7)
    line = " ".join("".join(rng.choice("ab\\{}$^_") for _ in range(rng.randint(1, 9))) for _ in range(3000))
    broken = break_long_lines(line, limit=200)
    assert broken.replace("\n", " ") == line
