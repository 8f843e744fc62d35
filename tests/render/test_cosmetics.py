"""The documents read cleanly: no double spaces, no flags, no source line too long, captions apart."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.io.examples import example_names
from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.environment import network_diagram
from derive.render.label_placement import CHAR_WIDTH
from tests.conftest import MAZUR, example_spec

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _batch(extra: str = "") -> derive:
    return derive(parse_spec((GOLDEN / "batch.yaml").read_text() + extra, "batch.yaml"))


@pytest.mark.parametrize("name", example_names())
def test_no_markdown_source_line_is_over_250_characters(name):
    example = derive(example_spec(name), full_check_limit=40)
    long = [line[:80] for line in example.markdown().splitlines() if len(line) > 250]
    assert not long, long


@pytest.mark.parametrize("render", ["markdown", "latex"])
def test_two_examples_are_counted_out_and_a_summed_loss_has_no_double_space(render):
    text = getattr(_batch("reduction: sum\n"), render)()
    assert "n = 1, 2" in text and r"1, \dots, 2" not in text
    assert not re.search(r"L &?=  ", text) and r"=  \sum" not in text


@pytest.mark.parametrize("render", ["markdown", "latex"])
def test_the_appendix_writes_its_step_as_maths_and_names_no_command_line_flag(render):
    text = getattr(derive(example_spec("relu-softmax-3-3-3-3"), full_check_limit=0), render)()
    appendix = text.split("Appendix")[-1]
    assert "1e-6" not in appendix and "--" not in appendix.replace("---", "")
    assert re.search(r"h = 1 \\times 10\^\{-6\}", appendix)


@pytest.mark.parametrize("render", ["markdown", "latex"])
def test_update_tables_head_their_column_gradient_and_the_jacobian_line_is_a_sentence(render):
    text = getattr(derive(parse_spec(MAZUR, "m.yaml")), render)()
    assert r"\partial \cdot" not in text and "gradient" in text
    assert "column of the Jacobian" not in _batch().markdown()


def test_the_captions_of_neighbouring_layers_leave_a_space_between_them():
    spec = MAZUR.replace("sigmoid\n    weights: [[0.15", "leaky_relu\n    alpha: 0.1\n    weights: [[0.15", 1)
    spec = spec.replace("sigmoid\n    weights: [[0.40", "identity\n    weights: [[0.40")
    example = derive(parse_spec(spec, "c.yaml"))
    titles = network_diagram(example.document()).layer_titles
    assert [t for *_, t in titles] == ["input", "layer 1 (leaky ReLU)", "output (identity)"]
    for (x1, _, left), (x2, _, right) in zip(titles, titles[1:]):
        # the room between the two captions' ends, with each letter as wide as the picture reckons
        assert x2 - x1 - (len(left) + len(right)) * CHAR_WIDTH / 2 >= 4 * CHAR_WIDTH
