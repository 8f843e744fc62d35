"""derive.check_answers: what `derive check` does, as one library call."""
from __future__ import annotations

import pytest

import derive
from derive.errors import OptionError


def test_right_and_wrong_files_are_marked_and_an_unreadable_one_reported(tmp_path):
    right, wrong, broken = tmp_path / "right.yaml", tmp_path / "wrong.yaml", tmp_path / "broken.yaml"
    # Mazur's published forward pass of this network: out_o1 = 0.75136507, E_total = 0.298371109
    right.write_text("out_o1: 0.75136507\nE_total: 0.298371109\n")
    wrong.write_text("out_o1: 0.6514\n")
    broken.write_text("out_o1: [\n")
    run = derive.check_answers("classic-2-2-2", [right, str(wrong), broken])
    assert [m.passed for m in run.markings] == [True, False]
    assert len(run.failures) == 1 and "broken.yaml" in run.failures[0] and not run.passed
    assert derive.check_answers("classic-2-2-2", right).passed


def test_an_exam_folder_marks_each_file_against_its_variant(tmp_path):
    from click.testing import CliRunner

    from derive.cli import main
    folder = tmp_path / "ex"
    made = CliRunner().invoke(main, ["exam", "classic-2-2-2", "--variants", "2", "-o", str(folder), "--format", "json"])
    assert made.exit_code == 0, made.output
    answers = tmp_path / "s.yaml"
    answers.write_text("variant: v01\nout_o1: 0.0001\n")
    run = derive.check_answers(folder, [answers])
    assert not run.passed and run.checker.exam_marks[str(answers)].variant == "v01"


@pytest.mark.parametrize("source, files", [("", ["a.yaml"]), (3, ["a.yaml"]), ("classic-2-2-2", []),
                                           ("classic-2-2-2", [3])])
def test_bad_calls_raise_derives_own_error(source, files):
    with pytest.raises(OptionError):
        derive.check_answers(source, files)
