"""An output folder: derive replaces its own earlier files whole and never a file someone else wrote or changed."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.errors import OutputExists
from derive.io.outputs import RECORD, write_outputs
from tests.conftest import MAZUR, written_names


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text(MAZUR)
    return path


def test_a_second_run_replaces_its_own_unchanged_files(tmp_path, spec):
    out = tmp_path / "out"
    assert run("run", str(spec), "-o", str(out)).exit_code == 0
    first = (out / "net.json").read_bytes()
    result = run("run", str(spec), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "net.json").read_bytes() == first
    assert written_names(out) == ["net.json", "net.md", "net.svg"]


def test_a_file_derive_did_not_write_is_refused_and_nothing_is_written(tmp_path, spec):
    out = tmp_path / "out"
    out.mkdir()
    (out / "net.md").write_text("my own notes\n")
    result = run("run", str(spec), "-o", str(out))
    assert result.exit_code == 2
    assert "net.md already exists and was not written by derive" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert written_names(out) == ["net.md"] and (out / "net.md").read_text() == "my own notes\n"
    assert run("run", str(spec), "-o", str(out), "--force").exit_code == 0
    assert (out / "net.md").read_text() != "my own notes\n"


def test_an_output_changed_since_it_was_written_is_kept(tmp_path, spec):
    out = tmp_path / "out"
    assert run("run", str(spec), "-o", str(out)).exit_code == 0
    (out / "net.md").write_text((out / "net.md").read_text() + "\nA remark of mine.\n")
    before = {name: (out / name).read_bytes() for name in written_names(out)}
    result = run("run", str(spec), "-o", str(out))
    assert result.exit_code == 2 and "was changed since derive wrote it" in result.output
    assert {name: (out / name).read_bytes() for name in written_names(out)} == before


def test_formats_not_written_again_are_removed_so_runs_never_mix(tmp_path, spec):
    out = tmp_path / "out"
    assert run("run", str(spec), "-o", str(out), "--format", "md,json").exit_code == 0
    result = run("run", str(spec), "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    assert written_names(out) == ["net.json"]
    assert f"removed {out / 'net.md'}" in result.output
    record = json.loads((out / RECORD).read_text())["files"]
    assert sorted(record) == ["net.json"]


def test_a_changed_stale_output_is_refused_unless_forced(tmp_path, spec):
    out = tmp_path / "out"
    assert run("run", str(spec), "-o", str(out), "--format", "md,json").exit_code == 0
    (out / "net.md").write_text("edited\n")
    result = run("run", str(spec), "-o", str(out), "--format", "json")
    assert result.exit_code == 2 and "net.md, an earlier output of net that this run does not write" in result.output
    assert (out / "net.md").read_text() == "edited\n"
    assert run("run", str(spec), "-o", str(out), "--format", "json", "--force").exit_code == 0
    assert written_names(out) == ["net.json"]


def test_other_runs_in_the_folder_are_left_alone(tmp_path, spec):
    out = tmp_path / "out"
    other = tmp_path / "other.yaml"
    other.write_text(MAZUR)
    assert run("run", str(spec), str(other), "-o", str(out), "--format", "md").exit_code == 0
    assert run("run", str(spec), "-o", str(out), "--format", "json").exit_code == 0
    assert written_names(out) == ["net.json", "other.md", "other.svg"]
    assert sorted(json.loads((out / RECORD).read_text())["files"]) == ["net.json", "other.md", "other.svg"]


def test_feedback_folders_are_protected_the_same_way(tmp_path):
    answers = tmp_path / "me.yaml"
    answers.write_text("out_o1: 0.75136507\n")
    out = tmp_path / "fb"
    assert run("check", "classic-2-2-2", str(answers), "-o", str(out)).exit_code in (0, 1)
    names = written_names(out)
    assert names and run("check", "classic-2-2-2", str(answers), "-o", str(out)).exit_code in (0, 1)
    (out / names[0]).write_text("a teacher's comment\n")
    result = run("check", "classic-2-2-2", str(answers), "-o", str(out))
    assert result.exit_code == 2 and "was changed since derive wrote it" in result.output
    assert (out / names[0]).read_text() == "a teacher's comment\n"


def test_the_library_save_keeps_the_same_rule(tmp_path):
    ex = derive.derive("classic-2-2-2")
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "classic-2-2-2.json").write_text("{}")
    with pytest.raises(OutputExists, match="not written by derive"):
        ex.save(folder, formats="json")
    assert (folder / "classic-2-2-2.json").read_text() == "{}"
    assert [p.name for p in ex.save(folder, formats="json", force=True)] == ["classic-2-2-2.json"]
    assert [p.name for p in ex.save(folder, formats="json")] == ["classic-2-2-2.json"]


def test_an_unreadable_record_protects_every_file(tmp_path):
    (tmp_path / RECORD).write_text("not json")
    (tmp_path / "a.md").write_text("x")
    with pytest.raises(OutputExists):
        write_outputs(tmp_path, {"a": {"a.md": b"y"}})
    assert write_outputs(tmp_path, {"b": {"b.md": b"y"}})[0] == [tmp_path / "b.md"]
    assert (tmp_path / "a.md").read_text() == "x"
