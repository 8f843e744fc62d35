"""The committed circuits of the gallery are what the current code makes of the built-in circuit examples."""
from __future__ import annotations

from pathlib import Path

import pytest

from derive.circuits import derive_circuit
from derive.io.examples import circuit_example_names, example_text

REPORTS = Path(__file__).resolve().parent.parent.parent / "reports"


@pytest.mark.parametrize("name", circuit_example_names())
def test_gallery_circuit_is_up_to_date(name):
    files = derive_circuit(example_text(name), f"example {name}").files(name, ("md", "json", "tex"))
    for filename, content in files.items():
        committed = REPORTS / filename
        assert committed.exists(), f"{committed} is missing: run the README's main command"
        assert committed.read_bytes() == content, f"{committed} is out of date: run the README's main command"
    assert (REPORTS / f"{name}.pdf").exists()
