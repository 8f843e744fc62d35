"""One shape for every document's formats; a missing TeX is an exception carrying the other formats' files."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import main
from derive.pipeline import derive
from derive.render import pdf
from derive.render.exam_files import EXAM_FORMATS
from derive.render.feedback import FEEDBACK_FORMATS
from derive.render.formats import FORMATS, build_files
from derive.render.pdf import TexMissing
from derive.render.registry import Format
from tests.conftest import MAZUR, written_names


def test_every_document_has_a_registry_of_one_shape():
    for formats in (FORMATS, EXAM_FORMATS, FEEDBACK_FORMATS):
        assert formats and all(isinstance(f, Format) and f.name == name and f.title for name, f in formats.items())
    assert "pdf" in FORMATS and "pdf" in EXAM_FORMATS and "pdf" in FEEDBACK_FORMATS


@pytest.fixture
def no_tex(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)


def test_without_tex_build_files_raises_with_the_other_formats_made(no_tex):
    with pytest.raises(TexMissing, match="no TeX engine found") as err:
        build_files(derive("classic-2-2-2"), "c", ("md", "pdf", "json"))
    assert sorted(err.value.files) == ["c.json", "c.md", "c.svg"]


def test_without_tex_the_command_line_writes_the_rest_then_says_so(no_tex, tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text(MAZUR)
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path / "out"), "--format", "md,pdf"])
    assert result.exit_code != 0 and "no TeX engine found" in result.output
    assert written_names(tmp_path / "out") == ["net.md", "net.svg"] and "wrote" in result.output
