"""derive run on a circuit spec: the files written, the options that do not apply refused, nothing half-written."""
from __future__ import annotations

import json
import math

import pytest

from click.testing import CliRunner

from derive.cli import main

SPEC = "graph: [q = x + y, f = q * z]\nat: {x: -2, y: 5, z: -4}\n"


def _run(tmp_path, *args, spec=SPEC):
    path = tmp_path / "circuit.yaml"
    path.write_text(spec)
    return CliRunner().invoke(main, ["run", str(path), "-o", str(tmp_path / "out"), *args])


def test_a_circuit_spec_is_worked_into_markdown_its_picture_json_tex_and_pdf(tmp_path):
    result = _run(tmp_path, "--format", "md,json,tex,pdf")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["circuit.json", "circuit.md", "circuit.pdf", "circuit.svg", "circuit.tex"]
    data = json.loads((out / "circuit.json").read_text())
    assert data["values"]["f"] == -12 and data["gradients"] == {"f": 1, "q": -4, "x": -4, "y": -4, "z": 3}
    assert "![the circuit: each wire's value above it, its gradient below](circuit.svg)" in \
        (out / "circuit.md").read_text()


def test_options_of_a_layered_network_are_refused(tmp_path):
    for args, words in ((["--with-code"], "--with-code applies to a layered network, not a circuit"),
                        (["--notation", "numbered"], "--notation applies to a layered network"),
                        (["--detail", "full"], "--detail applies to a layered network")):
        result = _run(tmp_path, *args)
        assert result.exit_code == 2 and words in result.output, result.output
        assert not (tmp_path / "out").exists()


def test_an_undefined_value_is_one_line_naming_the_spec_and_the_stage_and_nothing_is_written(tmp_path):
    result = _run(tmp_path, spec="graph: [f = log(x - y)]\nat: {x: 1, y: 1}\n")
    assert result.exit_code == 2 and "circuit.yaml: stage f is infinite at these numbers" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_bad_stage_names_the_file_line_and_field(tmp_path):
    result = _run(tmp_path, spec="graph:\n  - q = x + y\n  - f = q * w\nat: {x: 1, y: 2}\n")
    assert result.exit_code == 2
    assert "circuit.yaml:3: graph[1]: f = q * w: no given number or earlier stage is named 'w'" in result.output


def test_one_expression_is_broken_into_gates_one_per_operation(tmp_path):
    result = CliRunner().invoke(main, ["run", "--expr", "(x + y) * z", "--at", "x=-2,y=5,z=-4",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "expression.json").read_text())
    assert data["stages"] == [{"name": "q1", "expression": "x + y"}, {"name": "f", "expression": "q1*z"}]
    assert data["values"]["f"] == -12 and [data["gradients"][n] for n in "xyz"] == [-4, -4, 3]
    text = (tmp_path / "expression.md").read_text()
    assert text.startswith("# The circuit of `f = (x + y) * z`") and "is broken into its gates" in text


def test_the_staged_function_of_cs231n_comes_apart_into_its_gates_and_forks(tmp_path):
    # cs231n's f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)^2): x feeds three gates, y two
    result = CliRunner().invoke(main, ["run", "--expr", "(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)",
                                       "--at", "x=3,y=-4", "-o", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "expression.json").read_text())
    reads = {stage: set(local) for stage, local in data["local"].items()}
    assert sum("x" in r for r in reads.values()) == 3 and sum("y" in r for r in reads.values()) == 2
    x, y = 3, -4
    sig = (lambda v: 1 / (1 + math.exp(-v)))
    assert data["values"]["f"] == pytest.approx((x + sig(y)) / (sig(x) + (x + y) ** 2), rel=1e-14)


def test_expr_refuses_what_does_not_go_with_it(tmp_path):
    runner = CliRunner()
    for args, words in ((["--at", "x=1"], "--at gives the numbers of --expr"),
                        (["--expr", "x*y", "--at", "x=1"], "--at: give a number for y"),
                        (["--expr", "x*", "--at", "x=1"], "--expr 'x*': the expression ends too early"),
                        (["--expr", "x", "--at", "x=1", "classic-2-2-2"], "give no spec file or --layers")):
        result = runner.invoke(main, ["run", *args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2 and words in result.output, result.output
        assert not (tmp_path / "out").exists()


def test_expr_takes_exp_of_one_refuses_a_name_twice_and_a_number_beyond_float64(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["run", "--expr", "exp(1) * x", "--at", "x=2", "-o", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "expression.json").read_text())["gradients"]["x"] == pytest.approx(math.e)
    for args, words in ((["--expr", "x", "--at", "x=1,x=2"], "--at: x is given twice"),
                        (["--expr", "exp(x)", "--at", "x=1000"], "stage f is 1.97e+434, beyond float64's"),
                        (["--expr", "2 + 3"], "the expression has no names")):
        result = runner.invoke(main, ["run", *args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2 and words in result.output, result.output


def test_nested_kinks_and_three_way_max_are_worked(tmp_path):
    # max(x, y, z) at 1, 2, 3 routes everything to z; relu(max(x, y)) at -1, 2 passes y's
    for expr, at, gradients in (("max(x, y, z)", "x=1,y=2,z=3", {"x": 0, "y": 0, "z": 1}),
                                ("relu(max(x, y))", "x=-1,y=2", {"x": 0, "y": 1})):
        result = CliRunner().invoke(main, ["run", "--expr", expr, "--at", at, "-o", str(tmp_path), "--format", "json",
                                           "--force"])
        assert result.exit_code == 0, result.output
        data = json.loads((tmp_path / "expression.json").read_text())
        assert {k: data["gradients"][k] for k in gradients} == gradients
