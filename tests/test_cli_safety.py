"""The command line never loses work, refuses options that would be ignored, and reads built-in names anywhere."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import main
from tests.conftest import MAZUR, written_names


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def one_error(result, code: int = 2) -> str:
    """The one line of a failed command, checked to be derive's own error with its exit code."""
    lines = result.output.strip().splitlines()
    assert result.exit_code == code and len(lines) == 1, result.output
    assert lines[0].startswith("derive: error: ") and "Traceback" not in result.output
    return lines[0]


def test_two_specs_of_one_name_are_refused_before_anything_is_written(tmp_path):
    for folder in "ab":
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "net.yaml").write_text(MAZUR.replace("0.35", "0.3" if folder == "a" else "0.4"))
    out = tmp_path / "out"
    a, b = str(tmp_path / "a" / "net.yaml"), str(tmp_path / "b" / "net.yaml")
    line = one_error(invoke("run", a, b, "-o", str(out)))
    assert f"{a} and {b} would both write {out / 'net'}.*" in line and "--path-names" in line
    assert not out.exists()
    assert invoke("run", a, a, "-o", str(out)).exit_code == 2 and not out.exists()


def test_path_names_keep_specs_of_one_name_apart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder, bias in (("a", "0.3"), ("b", "0.4")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "net.yaml").write_text(MAZUR.replace("bias: 0.35", f"bias: {bias}"))
    result = invoke("run", "a/net.yaml", "b/net.yaml", "-o", "out", "--format", "json", "--path-names")
    assert result.exit_code == 0, result.output
    a, b = (json.loads((tmp_path / "out" / f"{n}_net.json").read_text()) for n in "ab")
    assert a["layers"][0]["b"] != b["layers"][0]["b"]


def test_a_second_standard_input_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    line = one_error(invoke("run", "-", "-", "-o", str(out), input=MAZUR))
    assert "standard input (-) is given more than once" in line
    assert not out.exists()


def test_new_keeps_an_existing_file_unless_forced(tmp_path):
    target = tmp_path / "n.yaml"
    target.write_text("my own work\n")
    line = one_error(invoke("new", "--layers", "2,2", "-o", str(target)))
    assert f"{target} already exists" in line and "--force" in line
    assert target.read_text() == "my own work\n"
    assert invoke("new", "--layers", "2,2", "-o", str(target), "--force").exit_code == 0
    assert "layers:" in target.read_text()


def _exam(out, *extra: str):
    return invoke("exam", "classic-2-2-2", "--format", "json", "-o", str(out), *extra)


def test_an_exam_folder_that_holds_an_exam_is_refused_and_force_replaces_it_whole(tmp_path):
    out = tmp_path / "ex"
    assert _exam(out, "--variants", "5").exit_code == 0
    assert (out / "variants" / "v05.yaml").exists()
    line = one_error(_exam(out, "--variants", "2"))
    assert f"{out} already holds files" in line and "--force" in line
    assert len(json.loads((out / "answers.json").read_text())) > 0 and (out / "variants" / "v05.yaml").exists()
    assert _exam(out, "--variants", "2", "--force").exit_code == 0
    # nothing of the 5-variant exam is left beside the new one
    assert sorted(p.name for p in (out / "variants").iterdir()) == ["v01.yaml", "v02.yaml"]
    assert {e["variant"] for e in json.loads((out / "answers.json").read_text())} == {"v01", "v02"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex"]  # no staging folder left behind


def test_force_replaces_only_a_folder_of_exam_files(tmp_path):
    out = tmp_path / "ex"
    out.mkdir()
    (out / "marks.csv").write_text("a teacher's marks\n")
    line = one_error(_exam(out, "--variants", "2", "--force"))
    assert "marks.csv is not a file derive writes there" in line
    assert written_names(out) == ["marks.csv"]


def test_options_that_do_not_apply_are_refused(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text(MAZUR)
    cases = [
        (("run", str(spec), "--activations", "relu"), "--activations applies only with --layers"),
        (("run", str(spec), "--seed", "3"), "--seed applies only with --layers"),
        (("run", str(spec), "--shared-bias"), "--shared-bias applies only with --layers"),
        (("run", "--layers", "2,2", "--path-names"), "--path-names names spec files' outputs"),
        (("exam", "classic-2-2-2", "--stress", "10", "--only", "v01"), "--only does not apply to --stress"),
        (("exam", "classic-2-2-2", "--stress", "10", "-o", str(tmp_path / "x")), "--output does not apply"),
        (("exam", "classic-2-2-2", "--loss", "half_sse"), "--loss applies only with --layers"),
        (("example", "--list", "--format", "json"), "--format writes worked examples"),
        (("example", "--list", "classic-2-2-2"), "--list lists the built-in examples"),
        (("new", "--layers", "2,2", "--force"), "--force overwrites the file -o names"),
    ]
    for args, expected in cases:
        assert expected in one_error(invoke(*args)), args
    assert not (tmp_path / "x").exists()


def test_every_option_error_names_its_option():
    assert "'--variants'" in one_error(invoke("exam", "classic-2-2-2", "--variants", "10000"))
    assert "'--digits'" in one_error(invoke("run", "classic-2-2-2", "--digits", "99"))
    assert "'--format'" in one_error(invoke("exam", "classic-2-2-2", "--format", "docx"))


def test_built_in_example_names_work_wherever_a_spec_file_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "classic-2-2-2", "--format", "json", "-o", "out")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "classic-2-2-2.json").read_text())["loss"] == pytest.approx(0.298371109,
                                                                                                    abs=5e-10)
    for command in (("run", "seed-999"), ("check", "seed-999", "a.yaml"), ("exam", "seed-999"), ("example", "seed-999")):
        assert "unknown example 'seed-999'; valid: relu-softmax-3-3-3-3" in one_error(invoke(*command)), command
    (tmp_path / "mynet.yaml").write_text(MAZUR)
    assert "did you mean the file mynet.yaml" in one_error(invoke("run", "mynet"))


def test_a_file_beats_an_example_of_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "classic-2-2-2").write_text(MAZUR.replace("learning_rate: 0.5", "learning_rate: 0.25"))
    assert invoke("run", "classic-2-2-2", "--format", "json", "-o", "out").exit_code == 0
    assert json.loads((tmp_path / "out" / "classic-2-2-2.json").read_text())["learning_rate"] == 0.25


def test_quoted_answers_keep_their_written_digits(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('out_h1: "0.593270"\nout_o1: "0.751365"\n')
    result = invoke("check", "classic-2-2-2", str(answers))
    assert result.exit_code == 0 and "2 answered: 2 correct" in result.output, result.output


def test_an_answers_file_of_nulls_answered_nothing(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("out_h1: null\nloss: null\n")
    result = invoke("check", "classic-2-2-2", str(answers))
    assert result.exit_code == 1
    assert "nothing is answered" in result.output and "every number given is right" not in result.output


def test_teaching_notes_are_warnings_on_stderr(tmp_path):
    spec = tmp_path / "dead.yaml"
    spec.write_text(MAZUR.replace("activation: sigmoid", "activation: relu", 1)
                    .replace("[[0.15, 0.20], [0.25, 0.30]]", "[[-0.15, -0.20], [0.25, 0.30]]")
                    .replace("bias: 0.35", "bias: [-0.35, 0.35]").replace("[[0.05, 0.10]]", "[[0.005, 0.01]]"))
    result = invoke("run", str(spec), "-o", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0, result.output
    notes = json.loads((tmp_path / "out" / "dead.json").read_text())["notes"]
    assert [n["kind"] for n in notes] == ["dead_relu", "small_inputs"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("derive: warning: ")]
    assert warnings == [f"derive: warning: {spec}: a dead ReLU unit (layer 1, unit 1); see the Notes for why and "
                        f"what to change",
                        f"derive: warning: {spec}: small inputs (layer 1); see the Notes for why and "
                        f"what to change"]


def test_a_title_the_pdf_cannot_show_is_said_once_on_stderr(tmp_path):
    spec = tmp_path / "zh.yaml"
    spec.write_text(MAZUR.replace("name: two-two-two", 'name: "神经 Ελληνικά Réseau"'))
    result = invoke("run", str(spec), "-o", str(tmp_path / "out"), "--format", "tex")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "cannot show" in line]
    assert warnings == [f"derive: warning: {spec}: the PDF cannot show 神 (U+795E), 经 (U+7ECF); they appear as "
                        f"their code points, such as [U+795E]"]
    assert "[U+795E]" in (tmp_path / "out" / "zh.tex").read_text()
    markdown_only = invoke("run", str(spec), "-o", str(tmp_path / "md"), "--format", "md")
    assert "cannot show" not in markdown_only.stderr


def test_fuzzed_inputs_that_once_crashed_are_one_line_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "worked_example.md.j2").write_text("((* macro f(n) *))((( f(n+1) )))((* endmacro *))((( f(0) )))")
    (tmp_path / "s.json").write_text(MAZUR)
    (tmp_path / "neg.yaml").write_text("'layers[2].a[0][0]': -0.5\nloss: 1.0\n")
    cases = [
        (("run", "-", "--format", "json"), b"\x80\xff", 2, "standard input: not UTF-8 text"),
        (("run", "--layers", "99999999999999999999,1"), None, 2, "parameters is over the limit"),
        (("new", "--layers", "30000,30000"), None, 2, "900030000 parameters is over the limit of 5000"),
        (("new", "--layers", "2,2", "--learning-rate", "0"), None, 2, "--learning-rate: expected a number above 0"),
        (("run", "classic-2-2-2", "--template-dir", "t"), None, 4, "recursive macro"),
        (("run", ""), None, 2, "the path is empty"),
        (("run", "s.json", "--format", "json", "-o", "."), None, 2, "would overwrite the spec itself"),
        (("run", "classic-2-2-2", "--format", "json", "--digits", "3"), None, 2, "--digits chooses how the documents"),
        (("run", "classic-2-2-2", "--format", "tex", "--math", "dollars"), None, 2, "--math chooses the Markdown"),
        (("check", "classic-2-2-2", "neg.yaml", "--csv", "neg.yaml"), None, 2, "is one of the files being marked"),
        (("check", "classic-2-2-2", "neg.yaml", "--digits", "3"), None, 2, "give -o DIR for them"),
        (("exam", "classic-2-2-2", "--format", "json", "--digits", "3"), None, 2, "--digits shows the worked solutions"),
        (("exam", "classic-2-2-2", "--only", ""), None, 2, "--only: name a variant"),
    ]
    for args, stdin, code, expected in cases:
        result = CliRunner().invoke(main, list(args), input=stdin)
        assert expected in one_error(result, code), args
    assert (tmp_path / "s.json").read_text() == MAZUR
    # an output under a logarithm given as negative: its loss carried forward is complex, shown as null
    result = invoke("check", "relu-softmax-3-3-3-3", "neg.yaml", "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_class_table_keeps_an_existing_file_unless_forced(tmp_path):
    answers, table = tmp_path / "a.yaml", tmp_path / "marks.csv"
    answers.write_text("out_h1: 0.5933\n")
    table.write_text("my notes\n")
    assert "already exists" in one_error(invoke("check", "classic-2-2-2", str(answers), "--csv", str(table)))
    assert table.read_text() == "my notes\n"
    assert invoke("check", "classic-2-2-2", str(answers), "--csv", str(table), "--force").exit_code == 0
    assert table.read_text().startswith("file,")


def test_feedback_files_of_colliding_stems_stay_apart(tmp_path):
    for name in ("x.yaml", "x.yml", "x-2.yaml"):
        (tmp_path / name).write_text("out_h1: 0.5933\n")
    out = tmp_path / "fb"
    result = invoke("check", "classic-2-2-2", *(str(tmp_path / n) for n in ("x.yaml", "x.yml", "x-2.yaml")),
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(written_names(out)) == 3


def test_force_leaves_files_that_only_look_like_an_exam_s(tmp_path):
    out = tmp_path / "ex"
    assert _exam(out, "--variants", "2").exit_code == 0
    (out / "variants" / "v01-edited.yaml").write_text("mine\n")
    assert "v01-edited.yaml is not a file derive writes" in one_error(_exam(out, "--variants", "2", "--force"))
    assert (out / "variants" / "v01-edited.yaml").read_text() == "mine\n"
