"""The command line, driven through click's CliRunner: outputs, exit codes, one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import main
from derive.io.examples import circuit_example_names
from tests.conftest import MAZUR, written_names


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_run_writes_markdown_svg_and_json_named_after_the_spec(write_spec, tmp_path):
    spec = write_spec(MAZUR, "classic.yaml")
    out = tmp_path / "out"
    result = invoke("run", str(spec), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert written_names(out) == ["classic.json", "classic.md", "classic.svg"]
    data = json.loads((out / "classic.json").read_text())
    assert data["loss"] == pytest.approx(0.298371109, abs=5e-10)
    assert "](classic.svg)" in (out / "classic.md").read_text() or "classic.svg" in (out / "classic.md").read_text()


def test_format_and_digits_options(write_spec, tmp_path):
    spec = write_spec(MAZUR)
    result = invoke("run", str(spec), "-o", str(tmp_path / "o"), "--format", "json")
    assert result.exit_code == 0
    assert written_names(tmp_path / "o") == ["net.json"]
    result = invoke("run", str(spec), "-o", str(tmp_path / "p"), "--format", "md", "--digits", "4")
    text = (tmp_path / "p" / "net.md").read_text()
    assert "0.2984" in text and "0.298371" not in text


def test_numbered_notation_names_weights_w1_to_w8(write_spec, tmp_path):
    spec = write_spec(MAZUR)
    invoke("run", str(spec), "-o", str(tmp_path), "--format", "md", "--notation", "numbered")
    text = (tmp_path / "net.md").read_text()
    assert r"\partial w_{5}" in text and "w^{(2)}_{11}" not in text


NAMES = {"relu-softmax-3-3-3-3": "seed-000", "classic-2-2-2": "seed-001", "sigmoid-bce-2-2-1": "seed-002",
         "sigmoid-cross-entropy-3-2": "seed-003", "relu-batch-1-2-2": "seed-004"}


def test_example_list_names_each_example_its_network_and_source(tmp_path):
    lines = invoke("example", "--list").output.splitlines()
    networks, circuits = lines[:len(NAMES)], lines[len(NAMES):]
    assert [line.split()[0] for line in networks] == list(NAMES)
    assert [line.split()[1] for line in networks] == [f"({old})" for old in NAMES.values()]
    assert [line.split()[:2] for line in circuits] == [[name, "circuit"] for name in circuit_example_names()]
    first, classic = lines[0], lines[1]
    assert "3-3-3-3 ReLU/sigmoid/softmax, cross-entropy" in first and "Back-propagation is very simple" in first
    assert "2-2-2 sigmoid, half the sum of squared errors" in classic and "mattmazur.com" in classic
    result = invoke("example", "sigmoid-cross-entropy-3-2", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "sigmoid-cross-entropy-3-2.md").exists() and (tmp_path / "sigmoid-cross-entropy-3-2.json").exists()


@pytest.mark.parametrize("name, old", NAMES.items())
def test_the_old_seed_names_are_aliases_of_the_new(name, old, tmp_path):
    from derive import load
    assert load(old) == load(name)
    new, alias = invoke("example", name, "--spec"), invoke("example", old, "--spec")
    assert new.exit_code == 0 and new.output == alias.output
    assert load(new.output) == load(name)  # the printed YAML is the spec itself
    assert invoke("example", old, "-o", str(tmp_path), "--format", "json").exit_code == 0
    assert json.loads((tmp_path / f"{old}.json").read_text())["name"] == load(name).name


def test_check_accepts_an_old_example_name(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("w5_new: 0.358916\n")
    assert invoke("check", "seed-001", str(answers)).exit_code == 0
    assert invoke("check", "classic-2-2-2", str(answers)).exit_code == 0


def test_spec_needs_exactly_one_example():
    for args in (("--spec",), ("--all", "--spec"), ("classic-2-2-2", "seed-000", "--spec")):
        result = invoke("example", *args)
        assert result.exit_code == 2 and "--spec prints one example's spec" in result.output


BAD = {
    "syntax": ("inputs: [[1, 2]\n", "net.yaml:2: YAML syntax error"),
    "activation": (MAZUR.replace("sigmoid", "sigmoide", 1), "unknown activation 'sigmoide'; valid:"),
    "shape": (MAZUR.replace("[[0.15, 0.20], [0.25, 0.30]]", "[[0.15], [0.25]]"), "expected shape (2, 2), got (2, 1)"),
    "rate": (MAZUR.replace("learning_rate: 0.5", "learning_rate: -0.5"), "learning_rate: must be > 0"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_spec_gives_one_line_exit_2_and_writes_nothing(case, write_spec, tmp_path):
    text, expected = BAD[case]
    spec = write_spec(text)
    out = tmp_path / "out"
    out.mkdir()
    (out / "net.md").write_text("earlier run")
    result = invoke("run", str(spec), "-o", str(out))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error: ") and expected in lines[0]
    assert "Traceback" not in result.output
    assert written_names(out) == ["net.md"]
    assert (out / "net.md").read_text() == "earlier run"


def test_missing_file_and_unknown_format_are_one_line_errors(tmp_path):
    result = invoke("run", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "nope.yaml: no such file" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = invoke("run", str(tmp_path / "nope.yaml"), "--format", "md,docx")
    assert result.exit_code == 2 and "unknown format 'docx'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_example_lists_the_valid_ones():
    result = invoke("example", "seed-999")
    assert result.exit_code == 2
    assert "unknown example 'seed-999'; valid: relu-softmax-3-3-3-3" in result.output


def test_output_names_cannot_leave_the_output_folder(tmp_path):
    evil = tmp_path / "..evil.yaml"
    evil.write_text(MAZUR)
    out = tmp_path / "out"
    assert invoke("run", str(evil), "-o", str(out), "--format", "json").exit_code == 0
    assert written_names(out) == ["evil.json"]


def test_same_spec_gives_the_same_bytes(write_spec, tmp_path):
    spec = write_spec(MAZUR)
    invoke("run", str(spec), "-o", str(tmp_path / "a"))
    invoke("run", str(spec), "-o", str(tmp_path / "b"))
    for name in ("net.md", "net.json", "net.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_python_dash_m_derive_works(tmp_path):
    # from another folder, with this checkout first on the path (not an installed copy)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-m", "derive", "example", "--list"], capture_output=True, text=True,
                            cwd=tmp_path, env=env)
    assert result.returncode == 0 and "relu-softmax-3-3-3-3" in result.stdout


def test_without_tex_the_other_formats_are_written_and_the_packages_named(write_spec, tmp_path, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name, *a, **k: None)
    spec = write_spec(MAZUR)
    out = tmp_path / "out"
    result = invoke("run", str(spec), "-o", str(out), "--format", "md,json,tex,pdf")
    assert result.exit_code == 5
    assert written_names(out) == ["net.json", "net.md", "net.svg", "net.tex"]
    error = [line for line in result.output.splitlines() if line.startswith("derive: error:")]
    assert len(error) == 1 and "texlive-latex-base" in error[0] and "apt-get install" in error[0]


def test_written_files_get_the_usual_permissions(write_spec, tmp_path):
    spec = write_spec(MAZUR)
    invoke("run", str(spec), "-o", str(tmp_path / "o"), "--format", "json")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "o" / "net.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "derive", "example", "relu-softmax-3-3-3-3", "-o", str(out), "--format",
                        "md,json,tex", "--full-check-limit", "40"], check=True, capture_output=True, env=env)
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_values_beyond_float64_are_refused_not_written_as_infinity(tmp_path):
    layers = "".join("  - {units: 1, activation: identity, weights: [[1000000]]}\n" for _ in range(60))
    spec = tmp_path / "deep.yaml"
    spec.write_text(f"inputs: [[1]]\ntargets: [[0]]\nlayers:\n{layers}loss: half_sse\nlearning_rate: 0.1\n")
    result = invoke("run", str(spec), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "beyond" in result.output
    assert not (tmp_path / "o").exists() or not written_names(tmp_path / "o")


def test_a_diverging_float_history_is_refused_cleanly(write_spec, tmp_path):
    spec = write_spec(MAZUR.replace("sigmoid", "identity").replace("learning_rate: 0.5", "learning_rate: 900")
                      + "steps: 3000\n")
    result = invoke("run", str(spec), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "diverged" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_user_template_that_fails_at_render_time_is_a_one_line_error(write_spec, tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "worked_example.md.j2").write_text("((( 1 // 0 )))")
    result = invoke("run", str(write_spec(MAZUR)), "-o", str(tmp_path / "o"), "--template-dir", str(templates))
    assert result.exit_code == 4 and "ZeroDivisionError" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_derive_alone_prints_its_help_on_stdout_and_succeeds():
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and "Commands:" in result.stdout and "error" not in result.output
    assert CliRunner().invoke(main, ["-h"]).output == CliRunner().invoke(main, ["--help"]).output


def test_run_reads_a_spec_from_standard_input_and_runs_several(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(MAZUR)
    result = CliRunner().invoke(main, ["run", "-", str(other), "-o", str(tmp_path / "out")], input=MAZUR)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "stdin.md").exists() and (tmp_path / "out" / "other.json").exists()
    assert (tmp_path / "out" / "stdin.json").read_text() == (tmp_path / "out" / "other.json").read_text()


def test_a_saturated_output_is_named_with_its_example_file_and_remedy(tmp_path):
    spec = tmp_path / "sat.yaml"
    spec.write_text("inputs: [[1.0], [100.0]]\ntargets: [[0.0], [0.0]]\nloss: binary_cross_entropy\n"
                    "learning_rate: 0.1\nlayers:\n  - {units: 1, activation: sigmoid, weights: [[10.0]]}\n")
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"{spec}: output a(1)_1 of example 2 is exactly 1" in result.output
    assert "use smaller weights or inputs into layer 1" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("formats", ["md", "json"])
def test_an_output_saturated_towards_0_beyond_float64_is_named_with_its_example_file_and_remedy(tmp_path, formats):
    # example 2: z = -10 * 100 = -1000, so a = sigma(z) is about 5e-435 and dl/da = -1/a leaves float64
    spec = tmp_path / "sat.yaml"
    spec.write_text("inputs: [[0.1], [100.0]]\ntargets: [[1.0], [1.0]]\nloss: binary_cross_entropy\n"
                    "learning_rate: 0.1\nlayers:\n  - {units: 1, activation: sigmoid, weights: [[-10.0]]}\n")
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path / "out"), "--format", formats])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"{spec}: output a(1)_1 of example 2 is 5.08e-435" in result.output  # 1 / (1 + e^1000)
    assert "use smaller weights or inputs into layer 1" in result.output and "JSON" not in result.output
    assert not (tmp_path / "out").exists()
