"""Layer kinds: a registry the graph builder asks; dense is its first entry and the spec may name it."""
from __future__ import annotations

import pytest

from derive.core.graph import build_graph
from derive.core.layers import LAYER_KINDS
from derive.errors import SpecError
from derive.io.validate import parse_spec
from tests.conftest import MAZUR


def test_dense_is_registered_and_the_default():
    assert "dense" in LAYER_KINDS
    assert {layer.kind for layer in parse_spec(MAZUR, "m.yaml").layers} == {"dense"}


def test_naming_dense_changes_nothing():
    named = MAZUR.replace("  - units: 2\n", "  - kind: dense\n    units: 2\n")
    assert named.count("kind: dense") == 2
    plain, explicit = build_graph(parse_spec(MAZUR, "m.yaml")), build_graph(parse_spec(named, "n.yaml"))
    assert [(s.quantity, s.formula, s.value) for s in plain.steps] == \
        [(s.quantity, s.formula, s.value) for s in explicit.steps]
    # Mazur's published forward pass: out_o1 = 0.75136507
    assert abs(float(explicit.value(next(s.quantity for s in explicit.steps if s.quantity.kind == "a"
                                         and s.quantity.layer == 2 and s.quantity.unit == 1))) - 0.75136507) < 1e-8


def test_an_unknown_kind_is_one_line_naming_the_field_and_the_valid_kinds():
    with pytest.raises(SpecError, match=r"n.yaml:\d+: layers\[0\].kind: unknown layer kind 'conv9'; valid: dense"):
        parse_spec(MAZUR.replace("  - units: 2\n", "  - kind: conv9\n    units: 2\n", 1), "n.yaml")
