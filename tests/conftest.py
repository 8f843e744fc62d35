"""Shared fixtures: built-in example specs and a small spec writer."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derive.core.spec import Spec
from derive.io.examples import example_names, example_text
from derive.io.validate import parse_spec

MAZUR = """
name: two-two-two
inputs:  [[0.05, 0.10]]
targets: [[0.01, 0.99]]
layers:
  - units: 2
    activation: sigmoid
    weights: [[0.15, 0.20], [0.25, 0.30]]
    bias: 0.35
  - units: 2
    activation: sigmoid
    weights: [[0.40, 0.45], [0.50, 0.55]]
    bias: 0.60
loss: half_sse
learning_rate: 0.5
"""


def example_spec(name: str) -> Spec:
    """A built-in example parsed."""
    return parse_spec(example_text(name), f"example {name}")


@pytest.fixture
def mazur() -> Spec:
    return parse_spec(MAZUR, "mazur.yaml")


@pytest.fixture(params=example_names())
def seed(request) -> Spec:
    return example_spec(request.param)


@pytest.fixture
def write_spec(tmp_path: Path):
    """Write spec text (dedented) to tmp_path/name and return its path."""

    def write(text: str, name: str = "net.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def written_names(folder: Path) -> list[str]:
    """The files a run left in an output folder, by name, without derive's record of them."""
    from derive.io.outputs import RECORD
    return sorted(p.name for p in folder.iterdir() if p.name != RECORD)
