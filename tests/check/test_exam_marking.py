"""Marking a class's exam: each answers file against its variant, with the keys' own tolerances; blanks to fill."""
from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.io.examples import example_names


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exam") / "ex"
    assert invoke("exam", "classic-2-2-2", "--variants", "3", "--format", "json", "-o", str(folder)).exit_code == 0
    return folder


def _answers(exam, variant: str, off: dict[int, float] | None = None) -> str:
    """The key of a variant written at 4 decimals by the names answers.json gives, some questions moved off."""
    key = [e for e in json.loads((exam / "answers.json").read_text()) if e["variant"] == variant]
    off = off or {}
    lines = [f"variant: {variant}"]
    lines += [f'"{e["name"]}": {e["value"] + off.get(e["question"], 0.0) * e["tolerance"]:.4f}' for e in key]
    return "\n".join(lines) + "\n"


def test_right_answers_at_four_decimals_pass_and_one_off_by_one_and_a_half_tolerances_fails(exam, tmp_path):
    right, off = tmp_path / "ada.yaml", tmp_path / "bob.yaml"
    right.write_text(_answers(exam, "v02"))
    off.write_text(_answers(exam, "v03", {2: 1.5}))
    table = tmp_path / "marks.csv"
    result = invoke("check", str(exam), str(right), str(off), "--csv", str(table))
    assert result.exit_code == 1, result.output
    assert "variant v02: 5 of 5 questions credited (100.0 %)" in result.output
    assert "variant v03: 4 of 5 questions credited (80.0 %)" in result.output
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert [(r["Student"], r["SIS Login ID"], r["variant"], r["derive exam grade (%)"]) for r in rows] == \
        [("ada", "ada", "v02", "100.0"), ("bob", "bob", "v03", "80.0")]
    assert [rows[1][f"Q{i}"] for i in range(1, 6)] == ["correct", "wrong", "correct", "correct", "correct"]


def test_the_exam_s_tolerances_are_the_marks_tolerances(exam, tmp_path):
    answers = tmp_path / "cy.yaml"
    answers.write_text(_answers(exam, "v01"))
    marks = json.loads(invoke("check", str(exam), str(answers), "--json").output)
    key = {e["quantity"]: e["tolerance"] for e in json.loads((exam / "answers.json").read_text())
           if e["variant"] == "v01"}
    assert {m["quantity"]: m["tolerance"] for m in marks} == key


def test_an_answers_file_must_name_a_variant_of_the_exam(exam, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("loss: 0.1\n")
    result = invoke("check", str(exam), str(answers))
    assert result.exit_code == 2 and "name the exam variant these answers are for, e.g. variant: v01" in result.output
    answers.write_text("variant: v09\nloss: 0.1\n")
    assert "variant 'v09' is not in the exam" in invoke("check", str(exam), str(answers)).output
    answers.write_text("variant: v01\nloss: 0.1\n")
    assert "check it against the exam's folder" in invoke("check", "classic-2-2-2", str(answers)).output


@pytest.mark.parametrize("name", example_names())
def test_a_blank_answers_file_lists_every_quantity_and_reads_back(name, tmp_path):
    result = invoke("check", name, "--blank")
    assert result.exit_code == 0, result.output
    blank = yaml.safe_load(result.output)
    assert blank and all(v is None for v in blank.values())
    ex = derive.derive(name)
    computed = [s.quantity for s in ex.graph.steps if not s.given and s.quantity.kind != "loss_history"]
    assert len(blank) == len(computed)  # every quantity the checker marks, once
    # filled in with the JSON's own numbers (the key), every one is read back by its name and is right
    filled = tmp_path / "filled.yaml"
    values = {}
    for key in blank:
        values[key] = float(ex.graph.value(ex.quantity(key, ex.spec.notation or "layer")))
    filled.write_text(yaml.safe_dump(values, allow_unicode=True))
    marked = invoke("check", name, str(filled), "--json")
    assert marked.exit_code == 0, marked.output
    assert {m["status"] for m in json.loads(marked.output)} == {"correct"}


def test_an_exam_blank_names_its_variant_and_questions(exam):
    result = invoke("check", str(exam), "--blank", "--variant", "v02")
    assert result.exit_code == 0, result.output
    assert "variant: v02" in result.output and result.output.count("# question") == 5
    assert "--variant" in invoke("check", str(exam), "--blank").output
    spec = invoke("check", "classic-2-2-2", "--blank", "--variant", "v02")  # a spec has no variants to choose
    assert spec.exit_code == 2 and "--variant chooses an exam's variant" in spec.output


def test_json_names_are_the_printed_names_and_feedback_the_written_ones(tmp_path):
    answers = tmp_path / "s.yaml"
    answers.write_text("layers[1].dW[0][0]: 0.082167\nlayers: {1: {a: [[0.5933, 0.5969]]}}\n")
    marks = json.loads(invoke("check", "classic-2-2-2", str(answers), "--json").output)
    assert {m["name"] for m in marks} == {"dL/dw5", "a(1)_1", "a(1)_2"}
    assert {m["written"] for m in marks} == {"layers[1].dW[0][0]", "layers.1.a[0][0]", "layers.1.a[0][1]"}
    out = tmp_path / "fb"
    assert invoke("check", "classic-2-2-2", str(answers.resolve()), "-o", str(out)).exit_code == 0
    feedback = (out / "s-feedback.md").read_text()
    # Markdown escapes its punctuation: s\.yaml is shown as s.yaml
    assert "answers from s\\.yaml:" in feedback and str(tmp_path.name) not in feedback
    assert "| layers\\[1\\]\\.dW\\[0\\]\\[0\\] |" in feedback


def test_the_first_wrong_hidden_delta_shows_its_sum_over_the_paths_in_one_line(tmp_path):
    answers = tmp_path / "d.yaml"
    answers.write_text("layers:\n  1: {delta: [[0.0099, 0.0110]]}\n")
    out = tmp_path / "fb"
    assert invoke("check", "classic-2-2-2", str(answers), "-o", str(out)).exit_code == 1
    text = (out / "d-feedback.md").read_text()
    first = text.split("**First wrong step:**", 1)[1].split("## Every answer", 1)[0]
    # delta(1)_1 = f'(z) (delta(2)_1 w5 + delta(2)_2 w7), the post's numbers: 0.138499 * 0.4 - 0.0380982 * 0.5
    assert r"\left(\delta^{(2)}_{1} w_{5} + \delta^{(2)}_{2} w_{7}\right)" in first
    assert r"0.241301 \cdot \left(0.138499 \cdot 0.4 + \left(-0.0380982\right) \cdot 0.5\right)" in first


def test_feedback_on_a_file_of_nulls_says_nothing_is_answered(tmp_path):
    answers = tmp_path / "n.yaml"
    answers.write_text("loss: null\n")
    out = tmp_path / "fb"
    assert invoke("check", "classic-2-2-2", str(answers), "-o", str(out), "--format", "md,tex").exit_code == 1
    assert "Nothing is answered" in (out / "n-feedback.md").read_text()
