"""derive exam on a circuit: variants drawn apart, answers PyTorch agrees with, files a learning system reads, marking."""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner

from derive.cli import main


@pytest.fixture(scope="module")
def neuron_exam(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exam") / "neuron"
    result = CliRunner().invoke(main, ["exam", "cs231n-sigmoid-neuron", "--variants", "8", "--seed", "3",
                                       "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder, json.loads((folder / "answers.json").read_text())


def _at(folder, variant: str) -> dict:
    line = next(x for x in (folder / "variants" / f"{variant}.yaml").read_text().splitlines() if x.startswith("at:"))
    return {k.strip(): float(v) for k, v in (pair.split(":") for pair in line[5:-1].split(","))}


def test_every_answer_agrees_with_pytorch_on_the_drawn_numbers(neuron_exam):
    torch = pytest.importorskip("torch")
    folder, key = neuron_exam
    for variant in sorted({e["variant"] for e in key}):
        at = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in _at(folder, variant).items()}
        d = at["w0"] * at["x0"] + at["w1"] * at["x1"] + at["w2"]
        f = torch.sigmoid(d)
        grads = dict(zip(at, torch.autograd.grad(f, list(at.values()))))
        expected = {"values.f": f.item(), "values.a": (at["w0"] * at["x0"]).item(),
                    **{f"gradients.{k}": g.item() for k, g in grads.items()},
                    **{f"updated.{k}": (at[k] - 0.5 * grads[k]).item() for k in ("w0", "w1", "w2")}}
        for entry in (e for e in key if e["variant"] == variant):
            if entry["quantity"] in expected:
                assert entry["value"] == pytest.approx(expected[entry["quantity"]], rel=1e-12, abs=1e-15), entry


def test_variants_differ_no_answer_is_near_zero_and_hand_rounding_lands_within_each_tolerance(neuron_exam):
    folder, key = neuron_exam
    drawn = [tuple(_at(folder, f"v{i:02d}").values()) for i in range(1, 9)]
    assert len(set(drawn)) == 8 and all(abs(e["value"]) >= 0.01 for e in key)
    for i, numbers in enumerate(drawn, 1):
        w0, x0, w1, x1, w2 = numbers
        r = (lambda v: round(v, 4))  # every intermediate written to 4 decimals, as the sheet asks
        d = r(r(r(w0 * x0) + r(w1 * x1)) + w2)
        f = r(1 / (1 + math.exp(-d)))
        dd = r(f * (1 - f))
        hand = {"values.f": f, "gradients.w0": r(dd * x0), "gradients.x1": r(dd * w1), "gradients.w2": dd}
        for entry in (e for e in key if e["variant"] == f"v{i:02d}" and e["quantity"] in hand):
            assert abs(hand[entry["quantity"]] - entry["value"]) <= entry["tolerance"], entry


def test_the_learning_system_files_hold_one_question_per_answer(neuron_exam):
    folder, key = neuron_exam
    quiz = ET.fromstring((folder / "moodle.xml").read_bytes())
    assert len(quiz.findall("question[@type='numerical']")) == len(key)
    assert len(quiz.findall("question[@type='category']")) == 8
    with zipfile.ZipFile(folder / "qti.zip") as archive:
        assert "imsmanifest.xml" in archive.namelist() and "v01.xml" in archive.namelist()
    questions = (folder / "questions.md").read_text()
    assert "## Variant v08" in questions and "0.7310" not in questions


def test_answers_against_the_exam_folder_are_marked_by_variant(neuron_exam, tmp_path):
    folder, key = neuron_exam
    v1 = [e for e in key if e["variant"] == "v01"]
    answers = tmp_path / "student.yaml"
    answers.write_text("variant: v01\n" + "".join(f'"{e["name"]}": {e["rounded"]}\n' for e in v1))
    result = CliRunner().invoke(main, ["check", str(folder), str(answers)])
    assert result.exit_code == 0 and f"{len(v1)} of {len(v1)} questions credited (100.0 %)" in result.output


def test_options_that_do_not_apply_to_a_circuit_are_refused(tmp_path):
    for args, words in ((["--stress", "3"], "--stress applies to a network's exam"),
                        (["--format", "pdf", "-o", str(tmp_path / "x")], "written as md, json, moodle, qti, not pdf"),
                        (["--questions", "loss", "-o", str(tmp_path / "x")], "unknown kind 'loss' for a circuit")):
        result = CliRunner().invoke(main, ["exam", "cs231n-staged", *args])
        assert result.exit_code == 2 and words in result.output, result.output
