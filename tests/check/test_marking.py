"""Marking hand-worked answers: right, wrong, carried forward; the CLI's summary, JSON, CSV and feedback files."""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from derive.check.marking import mark
from derive.cli import main
from derive.core.graph import build_graph, recompute
from derive.core.quantities import Quantity as Q
from derive.errors import SpecError
from derive.io.answers import parse_answers
from derive.io.validate import parse_spec
from tests.by_hand import mazur_by_hand
from tests.conftest import MAZUR, written_names

LATER = ("z", "a", "dl_da", "da_dz", "delta")


def as_yaml(values: dict, decimals: int = 6) -> str:
    """The values written as a person would, every number rounded to the same decimals."""
    def rounded(v):
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in v.items()}
        if isinstance(v, (list, np.ndarray)):
            return [rounded(x) for x in v]
        return float(f"{float(v):.{decimals}f}")
    text = yaml.safe_dump(rounded(values), default_flow_style=True, width=10_000)
    # keep the trailing zeros a person writes, which YAML floats drop
    return text


def marking_of(text: str):
    spec = parse_spec(MAZUR, "mazur.yaml")
    return mark(build_graph(spec), parse_answers(text, "answers.yaml", spec))


def test_a_fully_correct_file_passes_with_every_number_correct():
    marking = marking_of(as_yaml(mazur_by_hand()))
    assert marking.passed and marking.first_wrong is None
    assert {m.status for m in marking.marks} == {"correct"}
    assert len(marking.marks) == 1 + 2 * (2 + 2 + 2 + 2 + 4 + 4)


def test_an_early_error_is_the_first_wrong_step_and_every_dependent_value_is_carried_forward():
    marking = marking_of(as_yaml(mazur_by_hand(a11=0.65)))
    status = {m.quantity: m.status for m in marking.marks}
    assert marking.first_wrong.quantity == Q("a", 1, 1, 1)
    assert status[Q("a", 1, 1, 1)] == "wrong"
    # computed before a^(1)_1 or apart from it: still right against the key
    assert status[Q("z", 1, 1, 1)] == status[Q("z", 1, 1, 2)] == status[Q("a", 1, 1, 2)] == "correct"
    assert status[Q("dW", 1, 0, 2, 1)] == "correct" or status[Q("dW", 1, 0, 2, 1)] == "carried_forward"
    for q in (Q("z", 2, 1, 1), Q("a", 2, 1, 2), Q("loss"), Q("delta", 2, 1, 1), Q("dW", 2, 0, 1, 1),
              Q("dl_da", 1, 1, 1), Q("delta", 1, 1, 1), Q("dW", 1, 0, 1, 1), Q("W_new", 2, 0, 2, 1)):
        assert status[q] == "carried_forward", q
    assert not marking.passed


def test_a_value_wrong_on_its_own_is_wrong_not_carried_forward():
    values = mazur_by_hand()
    values["layers"][2]["delta"][0][0] *= 2  # a slip in one step; later steps use the right delta
    marking = marking_of(as_yaml(values))
    status = {m.quantity: m.status for m in marking.marks}
    assert status[Q("delta", 2, 1, 1)] == "wrong" and marking.first_wrong.quantity == Q("delta", 2, 1, 1)
    assert status[Q("dW", 2, 0, 1, 1)] == "correct"


def test_a_zero_without_decimals_claims_exactly_zero_and_whole_numbers_round():
    by_q = {m.quantity: m.status for m in marking_of('"dE/dw5": 0\n"dE/dw1": 0.0004\n').marks}
    assert by_q[Q("dW", 2, 0, 1, 1)] == "wrong"  # 0.082 is not zero
    assert by_q[Q("dW", 1, 0, 1, 1)] == "correct"  # 0.000439 to four decimals
    by_q = {m.quantity: m.status for m in marking_of('"dE/dw1": 0.0\n').marks}
    assert by_q[Q("dW", 1, 0, 1, 1)] == "correct"  # 0.000439 to one decimal is 0.0
    by_q = {m.quantity: m.status for m in marking_of("layers: {2: {a: [[1, 0]]}}\n").marks}
    assert by_q[Q("a", 2, 1, 1)] == "correct" and by_q[Q("a", 2, 1, 2)] == "wrong"  # 0.751 and 0.773 rounded


def test_an_updated_weight_is_judged_by_its_change_not_its_size():
    # w^(1)_11 moves from 0.15 by 0.5 * 0.000438568: a weight written to four decimals as it was is no update
    by_q = {m.quantity: m for m in marking_of("layers: {1: {W_new: [[0.1500, 0.1991], [0.2498, 0.2990]]}}\n").marks}
    assert by_q[Q("W_new", 1, 0, 1, 1)].status == "wrong"
    assert by_q[Q("W_new", 1, 0, 2, 1)].status == "correct"  # 0.249751, to four decimals
    # no learning rate: 0.2 - 0.000877 = 0.199123, named as such; 0.3 - 0.000995 = 0.299005, the same
    assert "learning_rate_forgotten" in by_q[Q("W_new", 1, 0, 1, 2)].mistakes
    assert by_q[Q("W_new", 1, 0, 2, 2)].status == "wrong"


def test_the_loss_history_before_the_step_is_the_loss_and_later_ones_are_refused():
    marking = marking_of("loss_history: [0.298371, null]\n")
    assert [(m.quantity, m.status) for m in marking.marks] == [(Q("loss"), "correct")]
    with pytest.raises(SpecError, match="only the worked step is marked"):
        marking_of("loss_history: [0.298371, 0.291028]\n")


def test_a_rounding_difference_with_nothing_wrong_before_it_is_correct_not_carried_forward():
    values = mazur_by_hand()
    values["loss"] = 0.2985  # from a's rounded to 3 decimals: within rounding of the person's own a
    text = as_yaml(values).replace("0.2985", "0.2985")
    marking = marking_of(text.replace("0.298371", "0.2985"))
    assert marking.passed or all(m.status != "carried_forward" for m in marking.marks)


def test_a_key_written_twice_is_refused():
    with pytest.raises(SpecError, match="written twice"):
        marking_of("w(2)_11_new: 0.358916\nw(2)_11_new: 0.3589\n")


def test_tolerance_follows_the_decimals_written():
    marking = marking_of("layers: {2: {a: [[0.75, 0.7729]]}}\nloss: 0.3\n")
    by_q = {m.quantity: m for m in marking.marks}
    assert by_q[Q("a", 2, 1, 1)].status == "correct"  # 0.751365 to two decimals
    # two decimals is the file's habit: every step rounded so, propagated to a^(2)_1 (worked apart below)
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    z_h = [0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35]
    h = [sig(z) for z in z_h]
    z_o = 0.40 * h[0] + 0.45 * h[1] + 0.60
    d_o = sig(z_o) * (1 - sig(z_o))
    paths = 1 + d_o + sum(d_o * w * (1 + hk * (1 - hk)) for w, hk in zip((0.40, 0.45), h))
    assert by_q[Q("a", 2, 1, 1)].tolerance == pytest.approx(1.5 * 0.005 * paths, rel=0.1)
    assert by_q[Q("a", 2, 1, 1)].tolerance >= 1.5 * 0.005 * paths  # rounded up
    assert by_q[Q("loss")].status == "correct"  # 0.298371 to one decimal


@pytest.fixture
def files(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text(MAZUR)
    right = tmp_path / "right.yaml"
    right.write_text(as_yaml(mazur_by_hand()))
    early = tmp_path / "early.yaml"
    early.write_text(as_yaml(mazur_by_hand(a11=0.65)))
    return tmp_path, spec, right, early


def test_cli_exit_codes_and_summary(files):
    folder, spec, right, early = files
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(spec), str(right)])
    assert ok.exit_code == 0 and "every number given is right" in ok.output
    bad = runner.invoke(main, ["check", str(spec), str(early)])
    assert bad.exit_code == 1
    assert "first wrong: a(1)_1 (layers[0].a[0][0]) = 0.65" in bad.output
    assert "right from your own earlier values" in bad.output


def test_cli_json_has_one_entry_per_number_given(files):
    folder, spec, right, early = files
    result = CliRunner().invoke(main, ["check", str(spec), str(early), "--json"])
    entries = json.loads(result.output)
    first = next(e for e in entries if e["quantity"] == "layers[0].a[0][0]")
    assert first["given"] == 0.65 and first["status"] == "wrong"
    assert first["expected"] == pytest.approx(0.593269992, rel=1e-9)
    assert set(first) >= {"quantity", "given", "expected", "tolerance", "status", "mistakes"}
    assert {e["status"] for e in entries} == {"correct", "wrong", "carried_forward"}


def test_cli_writes_a_class_table_and_feedback_documents(files):
    folder, spec, right, early = files
    out = folder / "feedback"
    formats = "md,pdf" if shutil.which("pdflatex") else "md"
    result = CliRunner().invoke(main, ["check", str(spec), str(right), str(early), "--csv",
                                       str(folder / "marks.csv"), "-o", str(out), "--format", formats])
    assert result.exit_code == 1, result.output
    rows = (folder / "marks.csv").read_text().splitlines()
    assert rows[0].startswith("file,correct,carried_forward,wrong,not_answered,first_wrong,")
    assert len(rows) == 3 and rows[2].split(",")[5] == "layers[0].a[0][0]"
    text = (out / "early-feedback.md").read_text()
    assert "First wrong step" in text and "0.65" in text and "## The wrong steps, worked right" in text
    if "pdf" in formats:
        assert (out / "early-feedback.pdf").read_bytes().startswith(b"%PDF")


def test_cli_bad_answers_give_one_line_and_exit_2(files):
    folder, spec, right, early = files
    bad = folder / "bad.yaml"
    for text in ("layers: {2: {a: [[0.1, 0.2, 0.3]]}}\n", "w99: 0.1\n", "loss: yes\n", "layers: {7: {a: [[1]]}}\n"):
        bad.write_text(text)
        result = CliRunner().invoke(main, ["check", str(spec), str(bad)])
        assert result.exit_code == 2, (text, result.output)
        assert result.output.count("\n") == 1 and "Traceback" not in result.output
        assert "bad.yaml" in result.output


def test_seed_000s_two_published_mistakes_are_named(tmp_path):
    """The post's first-version softmax (published) and input-layer gradients worked its way: only the
    path through the next layer's first unit (its figures are lost; the post states the rule)."""
    from derive.check.catalogue import MISTAKES
    from derive.check.mistakes import mistake_graph
    from derive.io.load import load
    post_softmax = [0.26980, 0.32235, 0.40784]
    graph = build_graph(load("relu-softmax-3-3-3-3"))
    one_path = recompute(mistake_graph(graph, MISTAKES["hidden_gradient_first_path"]),
                         {Q("a", 3, 1, j): v for j, v in enumerate(post_softmax, 1)})
    dW1 = [[f"{float(one_path.value(Q('dW', 1, 0, j, k))):.6g}" for k in (1, 2, 3)] for j in (1, 2, 3)]
    answers = tmp_path / "post.yaml"
    answers.write_text("layers:\n  3:\n    a: [[0.26980, 0.32235, 0.40784]]\n"
                       f"  1:\n    dW: [{', '.join('[' + ', '.join(r) + ']' for r in dW1)}]\n")
    result = CliRunner().invoke(main, ["check", "relu-softmax-3-3-3-3", str(answers), "--json"])
    assert result.exit_code == 1, result.output
    entries = {e["quantity"]: e for e in json.loads(result.output)}
    for j in range(3):
        assert "softmax_without_exp" in entries[f"layers[2].a[0][{j}]"]["mistakes"]
    named = [e["mistakes"] for path, e in entries.items() if ".dW" in path and e["status"] == "wrong"]
    assert named and all("hidden_gradient_first_path" in m for m in named)


def test_the_readme_answers_example_is_all_right_for_seed_001(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("## Checking hand-worked answers", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    answers = tmp_path / "readme.yaml"
    answers.write_text(block)
    result = CliRunner().invoke(main, ["check", "classic-2-2-2", str(answers)])
    assert result.exit_code == 0, result.output
    assert "every number given is right" in result.output


def test_a_class_with_one_unreadable_file_is_marked_and_the_file_reported(files):
    folder, spec, right, early = files
    (folder / "alice").mkdir()
    (folder / "bob").mkdir()
    alice, bob = folder / "alice" / "answers.yaml", folder / "bob" / "answers.yaml"
    alice.write_text(right.read_text())
    bob.write_text(early.read_text())
    broken = folder / "broken.yaml"
    broken.write_text("loss: yes\n")
    result = CliRunner().invoke(main, ["check", str(spec), str(alice), str(broken), str(bob), "-o",
                                       str(folder / "fb"), "--csv", str(folder / "class.csv")])
    assert result.exit_code == 2 and "broken.yaml:1: loss" in result.stderr
    written = written_names(folder / "fb")
    assert len(written) == 2 and written[0] != written[1]  # the two answers.yaml do not overwrite each other
    assert len((folder / "class.csv").read_text().splitlines()) == 3
    header = (folder / "class.csv").read_text().splitlines()[0].split(",")
    assert header.index("layers[0].z[0][0]") < header.index("loss") < header.index("layers[1].dW[0][0]")


def test_feedback_formats_need_an_output_folder(files):
    folder, spec, right, early = files
    result = CliRunner().invoke(main, ["check", str(spec), str(right), "--format", "pdf"])
    assert result.exit_code == 2 and "-o DIR" in result.output


def test_an_answer_that_makes_a_later_step_undefined_is_marked_not_a_crash(tmp_path):
    """An output written as exactly 1 under cross-entropy: log(0) and 1/(1 - a) from the person's own values."""
    answers = tmp_path / "one.yaml"
    answers.write_text("layers: {2: {a: [[1.0]]}}\n")
    result = CliRunner().invoke(main, ["check", "sigmoid-bce-2-2-1", str(answers), "--json"])
    assert result.exit_code == 1, result.output
    assert [e["status"] for e in json.loads(result.output)] == ["wrong"]


def test_a_wrong_hidden_answer_without_a_learning_rate_is_marked_with_no_update_mistake():
    """A gradient-only spec has no updated weights: a mistake that reads them does not apply."""
    from derive.check.catalogue import MISTAKES
    spec = parse_spec(MAZUR.replace("learning_rate: 0.5\n", ""), "gradients.yaml")
    assert not spec.updates
    by_hand = mazur_by_hand()["layers"][1]
    wrong = {"layers": {1: {"delta": [[3 * by_hand["delta"][0][0], by_hand["delta"][0][1]]],
                            "dW": [[3 * v for v in row] for row in by_hand["dW"]]}}}
    marking = mark(build_graph(spec), parse_answers(as_yaml(wrong, 9), "answers.yaml", spec))
    status = {m.quantity: m.status for m in marking.marks}
    assert status[Q("delta", 1, 1, 1)] == "wrong" and status[Q("delta", 1, 1, 2)] == "correct"
    assert status[Q("dW", 1, 0, 1, 1)] == "carried_forward" and status[Q("dW", 1, 0, 2, 1)] == "wrong"
    assert not MISTAKES["updated_weights_in_backward"].applies(spec)
    assert all("updated_weights_in_backward" not in m.mistakes for m in marking.marks)
