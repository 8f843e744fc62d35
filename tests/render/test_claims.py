"""The documents claim only what was done: the cross-checks that ran, the reduction the spec chose."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.io.validate import parse_spec
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


GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _batch(reduction: str) -> str:
    text = (GOLDEN / "batch.yaml").read_text() + f"reduction: {reduction}\n"
    return derive(parse_spec(text, "batch.yaml"))


@pytest.mark.parametrize("render", ["markdown", "latex"])
def test_a_summed_loss_is_never_called_a_mean_nor_divided_by_n(render):
    text = getattr(_batch("sum"), render)()
    # the only mean left is the loss's own name, the mean squared error over the output units
    words = re.sub(r"mean squared error|mean over the (?:K = 2 )?output units", "", text)
    assert not re.search(r"\bmean\b", words), re.findall(r".{60}\bmean\b.{30}", words)
    assert r"\frac{1}{2}\sum_{n" not in text and r"\frac{1}{2} \sum_{n" not in text
    assert r"\frac{1}{N}" not in text
    mean = getattr(_batch("mean"), render)()
    assert "then the mean" in mean and "then the sum" in text


@pytest.mark.parametrize("render", ["markdown", "latex"])
def test_the_mean_squared_error_of_two_outputs_writes_its_one_over_k(render):
    text = getattr(_batch("mean"), render)()
    # 1/K = 1/2 is the mean over the outputs, not the 1/2 of half the squared error
    assert r"\frac{1}{K} \sum_{k=1}^{K}" in text and r"K = 2" in text
    assert r"\frac{2}{K} \left(a_k - t_k\right)" in text and re.search(r"which for \$`?K = 2`?\$ is \$`?a_k - t_k`?\$", text)
    half = derive(example_spec("classic-2-2-2"))
    assert r"\frac{1}{K}" not in getattr(half, render)()
