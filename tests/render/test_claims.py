"""The documents claim only what was done: the cross-checks that ran, the reduction the spec chose."""
from __future__ import annotations

import re

import pytest

from derive.pipeline import derive
from tests.conftest import example_spec

WORDS = {1: "one", 2: "two", 3: "three"}


def _appendix_rows(text: str) -> dict[str, str]:
    """The cross-check table of the appendix: each check's name and its result column."""
    appendix = text.split("## Appendix: cross-checks", 1)[1]
    return {cells[1].strip(): cells[-2].strip() for line in appendix.splitlines()
            if line.startswith("| ") and len(cells := line.split("|")) > 6 and cells[1].strip() not in ("check", "---")}


@pytest.mark.parametrize("limit", [0, 200])
def test_page_one_counts_and_names_the_checks_the_appendix_says_ran(limit):
    text = derive(example_spec("relu-softmax-3-3-3-3"), full_check_limit=limit).markdown()
    rows = _appendix_rows(text)
    ran = [name for name, result in rows.items() if result != "not run"]
    opening = text.split("**How the numbers are shown.**", 1)[0]
    assert f"cross-checked {WORDS[len(ran)]} independent ways: {', '.join(ran[:-1])} and {ran[-1]}" in opening
    for name, result in rows.items():
        assert (f"the {name} check was not run" in opening) == (result == "not run")
    assert "by hand" not in opening


def test_the_latex_opening_makes_the_same_claim():
    text = derive(example_spec("relu-softmax-3-3-3-3"), full_check_limit=0).latex()
    assert "cross-checked two independent ways: finite differences and numpy backprop;" in text
    assert "three independent" not in text and "worked by hand" not in text
