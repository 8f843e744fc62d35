"""The committed gallery under reports/ is what the current code produces."""
from __future__ import annotations

from pathlib import Path

import pytest

from derive.io.examples import example_names
from derive.pipeline import derive
from derive.render.formats import build_files
from derive.views.document import Options
from tests.conftest import example_spec

REPORTS = Path(__file__).resolve().parent.parent / "reports"
# the README's main command: derive example --all --format md,json,tex,pdf --full-check-limit 40
GALLERY_OPTIONS = dict(full_check_limit=40)


@pytest.mark.parametrize("name", example_names())
def test_gallery_document_is_up_to_date(name):
    spec = example_spec(name)
    example = derive(spec, **GALLERY_OPTIONS)
    files = build_files(example, name, ("md", "json", "tex"), options=Options(notation=spec.notation or "layer"))
    for filename, content in files.items():
        committed = REPORTS / filename
        assert committed.exists(), f"{committed} is missing: run the README's main command"
        assert committed.read_bytes() == content, f"{committed} is out of date: run the README's main command"
    assert (REPORTS / f"{name}.pdf").exists()


def test_the_gallery_record_names_every_committed_file_as_it_is():
    """The README's main command rewrites reports/ on a fresh clone only if the record matches the files."""
    import hashlib
    import json

    from derive.io.outputs import RECORD
    record = json.loads((REPORTS / RECORD).read_text())["files"]
    on_disk = sorted(p.name for p in REPORTS.iterdir() if p.name != RECORD)
    assert sorted(record) == on_disk
    for name, entry in record.items():
        assert hashlib.sha256((REPORTS / name).read_bytes()).hexdigest() == entry["sha256"], name
