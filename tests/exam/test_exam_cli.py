"""derive exam end to end: answers against derive run and numpy, distinct variants, same seed same bytes, errors."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from derive.cli import main
from derive.core.naming import quantity_named
from derive.io.load import load
from tests.oracle import oracle


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def exam(tmp_path: Path, *args: str, name: str = "exam") -> Path:
    out = tmp_path / name
    result = invoke("exam", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _lookup(data, path: str):
    value = data
    for field, index in re.findall(r"(\w+)|\[(\d+)\]", path):
        value = value[field] if field else value[int(index)]
    return value


def _numpy_value(spec, path: str) -> float:
    """The asked quantity from the independent numpy backprop (updates as w - eta * dW written here)."""
    result = oracle(spec)
    found = re.fullmatch(r"(?:layers\[(\d+)\]\.)?(\w+)((?:\[\d+\])*)", path)
    layer, field, index = found.groups()
    idx = tuple(int(i) for i in re.findall(r"\d+", index))
    if field == "loss":
        return float(result.loss)
    l = int(layer)
    if field in ("z", "a", "dW", "db"):
        # a shared bias is the (1,) array of one number, its path without an index
        return float(np.asarray(getattr(result, field)[l])[idx or (0,) * (field == "db")])
    old = np.asarray(spec.layers[l].weights if field == "W_new" else spec.layers[l].bias, dtype=float)
    grad = np.asarray(result.dW[l] if field == "W_new" else result.db[l])
    return float((old - spec.learning_rate * grad)[idx or (0,) * (field == "b_new")])


@pytest.mark.parametrize("source", [["seed-001"], ["seed-002"], ["--layers", "3,4,2", "--activations", "relu,softmax"],
                                    ["--layers", "2,3,2", "--activations", "tanh,sigmoid", "--loss", "sse"]])
def test_every_answer_equals_derive_run_on_its_variant_spec_and_numpy(tmp_path, source):
    out = exam(tmp_path, *source, "--variants", "4", "--seed", "7", "--format", "json")
    answers = json.loads((out / "answers.json").read_text())
    assert {a["variant"] for a in answers} == {"v01", "v02", "v03", "v04"}
    for vid in ("v01", "v02", "v03", "v04"):
        spec_file = out / "variants" / f"{vid}.yaml"
        result = invoke("run", str(spec_file), "-o", str(tmp_path / "run"), "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads((tmp_path / "run" / f"{vid}.json").read_text())
        spec = load(str(spec_file))
        for a in (a for a in answers if a["variant"] == vid):
            # the name reads back to the same address, as derive check reads an answers file
            named = quantity_named(a["name"], spec, spec.notation or "layer")
            assert named.json_path == a["quantity"]
            assert a["value"] == pytest.approx(_lookup(data, a["quantity"]), rel=1e-12, abs=1e-15)
            assert a["value"] == pytest.approx(_numpy_value(spec, a["quantity"]), rel=1e-9, abs=1e-12)
            assert 0 < a["tolerance"] < 0.25 * abs(a["value"]) or a["kind"] == "update"


def test_variants_differ_and_their_numbers_lie_on_the_documented_grids(tmp_path):
    out = exam(tmp_path, "--layers", "2,2,2", "--variants", "30", "--seed", "3", "--format", "json")
    specs = [yaml.safe_load(p.read_text()) for p in sorted((out / "variants").glob("*.yaml"))]
    assert len(specs) == 30
    numbers = {json.dumps([s["inputs"], s["targets"], s["layers"]]) for s in specs}
    assert len(numbers) == 30
    answers = json.loads((out / "answers.json").read_text())
    for question in range(1, 6):
        values = [round(a["value"], 4) for a in answers if a["question"] == question]
        assert len(values) == len(set(values)) == 30  # no answer repeats at the shown decimals
    for s in specs:
        assert all(round(x * 10) == x * 10 and 0.1 <= abs(x) <= 1 for row in s["inputs"] for x in row)
        for layer in s["layers"]:
            ws = [w for row in layer["weights"] for w in row]
            assert all(round(w * 20) == pytest.approx(w * 20) and 0.1 <= abs(w) <= 1 for w in ws)
            assert all(round(b * 20) == pytest.approx(b * 20) and abs(b) <= 0.5 for b in layer["bias"])


def test_the_same_seed_gives_the_same_bytes_and_another_seed_differs(tmp_path):
    args = ("seed-001", "--variants", "5", "--format", "md,json,moodle,qti")
    first = exam(tmp_path, *args, "--seed", "11", name="a")
    again = exam(tmp_path, *args, "--seed", "11", name="b")
    other = exam(tmp_path, *args, "--seed", "12", name="c")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert len(files) == 5 + 5 + 6  # variants, figures, README.md questions.md answers.md answers.json moodle.xml qti.zip
    for name in files:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    assert (first / "answers.json").read_bytes() != (other / "answers.json").read_bytes()
    assert (first / "variants" / "v01.yaml").read_bytes() != (other / "variants" / "v01.yaml").read_bytes()


def test_only_draws_one_variant_again_as_the_key_says_and_the_sheet_does_not(tmp_path):
    whole = exam(tmp_path, "seed-002", "--variants", "6", "--seed", "5", "--format", "json,md,pdf", name="whole")
    sheet = (whole / "questions.md").read_text()
    assert "--only" not in sheet and "derive exam" not in sheet and "Seed" not in sheet
    assert "--only" not in subprocess.run(["pdftotext", str(whole / "questions.pdf"), "-"], capture_output=True,
                                          text=True, check=True).stdout
    page = (whole / "answers.md").read_text()
    command = re.search(r"this variant alone: `(derive exam [^`]*--only v04)`", page).group(1)
    assert f"| v04 | 5 | `{command}` |" in (whole / "README.md").read_text()
    args = command.split()[2:]
    one = exam(tmp_path, *args, "--format", "json", name="one")
    assert [p.name for p in (one / "variants").iterdir()] == ["v04.yaml"]
    assert (one / "variants" / "v04.yaml").read_bytes() == (whole / "variants" / "v04.yaml").read_bytes()
    mine = json.loads((one / "answers.json").read_text())
    assert mine == [a for a in json.loads((whole / "answers.json").read_text()) if a["variant"] == "v04"]


def test_degenerate_draws_are_refused(tmp_path):
    out = exam(tmp_path, "--layers", "3,4,2", "--activations", "relu,softmax", "--variants", "12", "--format", "json")
    for spec_file in sorted((out / "variants").glob("*.yaml")):
        spec = load(str(spec_file))
        result = oracle(spec)
        hidden, logits = np.asarray(result.z[0]), np.asarray(result.z[1])
        assert np.all(np.abs(hidden) >= 0.1), spec_file  # no ReLU input near its kink
        assert abs(logits[0, 0] - logits[0, 1]) >= 0.1  # no softmax tie
    for a in json.loads((out / "answers.json").read_text()):
        if a["kind"] == "gradient":
            assert abs(a["value"]) >= 1e-3  # at least ten units of the fourth decimal


def test_a_sigmoid_exam_has_no_saturated_unit(tmp_path):
    out = exam(tmp_path, "--layers", "2,3,1", "--activations", "sigmoid", "--loss", "binary_cross_entropy",
               "--variants", "20", "--format", "json")
    for spec_file in (out / "variants").glob("*.yaml"):
        for a in oracle(load(str(spec_file))).a:
            a = np.asarray(a)
            assert np.all(a * (1 - a) >= 0.05)


@pytest.mark.parametrize("args, message", [
    (["--layers", "2,2,2", "--questions", "forward,bogus"], "unknown question kind bogus"),
    (["--layers", "2,1", "--questions", "hidden_gradient"], "has none"),
    (["--layers", "2,2,2", "--variants", "1000"], "'--variants': 1000 is not in the range 1<=x<=999"),
    (["--layers", "2,x,2"], "--layers: expected whole numbers"),
    (["--layers", "2,2", "--activations", "sigmoidd"], "unknown activation"),
    (["--layers", "2,2", "--activations", "relu", "--loss", "cross_entropy"], "needs outputs in (0, 1)"),
    (["seed-001", "--only", "v31"], "no variant 'v31'"),
    (["seed-001", "--layers", "2,2"], "not both"),
])
def test_impossible_requests_are_one_line_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "exam"
    result = invoke("exam", *args, "-o", str(out))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output
    assert not out.exists()


def test_more_distinct_variants_than_the_ranges_allow_is_refused(tmp_path):
    # a 1-1 network's activation depends on z = w x + b alone: far fewer than 999 values at 4 decimals
    out = tmp_path / "exam"
    result = invoke("exam", "--layers", "1,1", "--questions", "forward", "--variants", "999", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "cannot draw 999 distinct variants" in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_stress_reports_spread_refusals_and_repeats_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["exam", "seed-001", "--stress", "300"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("300 variants of the 2-2-2 network from ")
    assert "refused:" in text and "repeated answers:" in text
    assert len(re.findall(r"^  Q\d ", text, re.MULTILINE)) >= 5
    assert list(tmp_path.iterdir()) == []


def test_new_writes_a_spec_that_run_works_and_run_layers_does_both(tmp_path):
    net = tmp_path / "net.yaml"
    result = invoke("new", "--layers", "3,4,2", "--activations", "relu,softmax", "--loss", "cross_entropy",
                    "--seed", "5", "-o", str(net))
    assert result.exit_code == 0, result.output
    spec = load(str(net))
    assert spec.widths == [3, 4, 2] and [l.activation for l in spec.layers] == ["relu", "softmax"]
    assert invoke("run", str(net), "-o", str(tmp_path / "r")).exit_code == 0
    result = invoke("run", "--layers", "2,2,1", "--seed", "5", "-o", str(tmp_path / "s"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "net-2-2-1.json").exists()


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_pdfs_hold_a_sheet_per_variant_and_each_key_with_its_worked_solution_the_same_every_time(tmp_path):
    args = ("seed-002", "--variants", "2", "--seed", "4", "--format", "pdf")
    result = CliRunner().invoke(main, ["exam", *args, "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "compiling PDFs" in result.output  # the progress bar's label (stderr is mixed in here)
    again = exam(tmp_path, *args, name="b")
    for name in ("questions.pdf", "answers.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (again / name).read_bytes()
    questions = subprocess.run(["pdftotext", str(again / "questions.pdf"), "-"], capture_output=True, text=True).stdout
    # each variant's data on a page, its questions with their answer boxes on the next, each page named
    assert questions.count("\f") == 4 and "variant v01" in questions and "variant v02" in questions
    footers = ["variant v01, page 1", "variant v01, page 2", "variant v02, page 1", "variant v02, page 2"]
    assert all(footer in page for footer, page in zip(footers, questions.split("\f")))
    answers = subprocess.run(["pdftotext", str(again / "answers.pdf"), "-"], capture_output=True, text=True).stdout
    assert answers.index("answers, variant v01") < answers.index("Backward pass") < answers.index("answers, variant v02")
    # the key's pages are numbered through, not anew for each variant's key and worked solution
    pages = answers.split("\f")[:-1]
    assert len(pages) > 4
    for n, page in enumerate(pages, 1):
        numbers = [line.strip() for line in page.strip().splitlines() if re.fullmatch(r"\s*\d+\s*", line)]
        assert str(n) in numbers, (n, numbers)


SUMMED_MOMENTUM = """
inputs: [[0.05, 0.10], [0.3, 0.2]]
targets: [[0.01, 0.99], [0.5, 0.5]]
layers:
  - {units: 2, activation: sigmoid, weights: [[0.15, 0.20], [0.25, 0.30]], bias: 0.35, shared_bias: true}
  - {units: 2, activation: sigmoid, weights: [[0.40, 0.45], [0.50, 0.55]], bias: [0.6, 0.6]}
loss: half_sse
learning_rate: 0.5
reduction: sum
optimizer: {name: momentum, momentum: 0.5}
weight_decay: 0.01
"""


def test_an_exam_states_its_sum_and_its_optimizer_and_each_variant_file_gives_its_answers(tmp_path, write_spec):
    out = exam(tmp_path, str(write_spec(SUMMED_MOMENTUM)), "--variants", "3", "--seed", "2", "--format", "md,json")
    questions = (out / "questions.md").read_text()
    assert "summed over the 2 examples" in questions and "averaged" not in questions
    assert "by gradient descent with momentum, momentum 0.5, nesterov false, its state starting at 0" in questions
    answers = json.loads((out / "answers.json").read_text())
    for vid in ("v01", "v02", "v03"):
        spec_file = out / "variants" / f"{vid}.yaml"
        spec = load(str(spec_file))
        assert (spec.reduction, spec.optimizer.name, spec.weight_decay, spec.shared_bias_layers) == \
            ("sum", "momentum", 0.01, {1})
        result = invoke("run", str(spec_file), "-o", str(tmp_path / "run"), "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads((tmp_path / "run" / f"{vid}.json").read_text())
        for a in (a for a in answers if a["variant"] == vid):
            assert a["value"] == pytest.approx(_lookup(data, a["quantity"]), rel=1e-12, abs=1e-15)


def test_the_sheet_names_what_every_weight_joins_and_its_points(tmp_path):
    out = exam(tmp_path, "seed-001", "--variants", "2", "--format", "md,json", "--points", "gradient=2")
    sheet = (out / "questions.md").read_text().split("## Variant v02")[0]
    spec = load(str(out / "variants" / "v01.yaml"))
    n = 0
    for l, layer in enumerate(spec.layers, 1):
        for j, row in enumerate(layer.weights, 1):
            for k, w in enumerate(row, 1):
                n += 1  # the classic numbering: in order of layer, unit, input
                source = f"input {k}" if l == 1 else f"unit {k} of layer {l - 1}"
                assert (f"| {l} | $`w_{{{n}}}`$ | from {source} to unit {j} of layer {l}: $`w^{{({l})}}_{{{j}{k}}}`$ "
                        f"| $`{w:g}`$ |") in sheet
    assert "points in all" in sheet and sheet.count("(2 points)") == 2 and sheet.count("(1 point)") == 3


def test_shared_bias_from_the_flags_gives_every_layer_one_bias(tmp_path):
    out = tmp_path / "net.yaml"
    result = invoke("new", "--layers", "2,3,2", "--shared-bias", "--seed", "4", "-o", str(out))
    assert result.exit_code == 0, result.output
    spec = load(str(out))
    assert spec.shared_bias_layers == {1, 2} and all(len(layer.bias) == 1 for layer in spec.layers)
    assert "--shared-bias" in out.read_text().splitlines()[0]
    exam_out = exam(tmp_path, "--layers", "2,3,2", "--shared-bias", "--variants", "2", "--format", "json")
    assert load(str(exam_out / "variants" / "v01.yaml")).shared_bias_layers == {1, 2}
