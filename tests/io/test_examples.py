"""The built-in examples: one spec file per registry entry, found by name or old name."""
from __future__ import annotations

from importlib import resources

import pytest

from derive.errors import SpecError
from derive.io.examples import ALIASES, EXAMPLES, canonical_name, example_text, network_line
from tests.conftest import example_spec


def test_every_spec_file_has_a_registry_entry_and_every_entry_a_file():
    files = {p.name[:-5] for p in (resources.files("derive") / "examples").iterdir() if p.name.endswith(".yaml")}
    assert files == set(EXAMPLES)
    assert sorted(ALIASES) == [f"seed-00{n}" for n in range(5)]


def test_old_names_read_the_same_spec_file():
    for old, name in ALIASES.items():
        assert canonical_name(old) == name and example_text(old) == example_text(name)


def test_an_unknown_name_lists_new_and_old_names():
    with pytest.raises(SpecError, match=r"unknown example 'seed-9'; valid: relu-softmax-3-3-3-3, .*\(or seed-000"):
        example_text("seed-9")


@pytest.mark.parametrize("name, line", [
    ("relu-softmax-3-3-3-3", "3-3-3-3 ReLU/sigmoid/softmax, cross-entropy"),
    ("relu-batch-1-2-2", "1-2-2 ReLU, half the sum of squared errors, batch of 3"),
    ("sigmoid-bce-2-2-1", "2-2-1 sigmoid, binary cross-entropy, 5 steps"),
])
def test_the_network_line_says_what_the_spec_is(name, line):
    assert network_line(example_spec(name)) == line


def test_each_name_says_its_widths():
    for name in EXAMPLES:
        widths = "-".join(str(w) for w in example_spec(name).widths)
        assert name.endswith(widths)
