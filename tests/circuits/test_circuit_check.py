"""derive check on a circuit: each number marked with the error carried forward, and the circuit mistakes named."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import main

NEURON = """name: a sigmoid neuron as gates
graph: [a = w0 * x0, b = w1 * x1, c = a + b, d = c + w2, f = sigmoid(d)]
at: {w0: 2, x0: -1, w1: -3, x1: -2, w2: -3}
"""
# x feeds two gates (a fork), m routes by max, s subtracts y
FORKED = """graph:
  - p = x * y
  - m = max(p, x)
  - s = m - y
at: {x: 3, y: -2}
"""


def _check(tmp_path, spec: str, answers: str, *args):
    (tmp_path / "spec.yaml").write_text(spec)
    (tmp_path / "answers.yaml").write_text(answers)
    return CliRunner().invoke(main, ["check", str(tmp_path / "spec.yaml"), str(tmp_path / "answers.yaml"), *args])


def _marks(tmp_path, spec: str, answers: str) -> dict:
    result = _check(tmp_path, spec, answers, "--json")
    assert result.exit_code in (0, 1), result.output
    return {m["quantity"]: m for m in json.loads(result.output)}


def test_the_lectures_numbers_by_hand_are_right(tmp_path):
    # cs231n's numbers to two decimals, as the notes print them
    answers = "f: 0.73\ndf/dw0: -0.20\ndf/dw1: -0.39\ndf/dw2: 0.20\ndf/dx0: 0.39\ndf/dx1: -0.59\n"
    result = _check(tmp_path, NEURON, answers)
    assert result.exit_code == 0, result.output
    assert "6 answered: 6 correct" in result.output and "every number given is right" in result.output


def test_a_wrong_early_number_is_carried_forward_and_not_counted_again(tmp_path):
    # d written as 2 (c + w2 with w2 taken as -2): f = sigma(2) = 0.880797 follows from it
    marks = _marks(tmp_path, NEURON, "d: 2.000\nf: 0.880797\n")
    assert marks["values.d"]["status"] == "wrong" and marks["values.f"]["status"] == "carried_forward"


@pytest.mark.parametrize("answers, path, mistake", [
    # df/dw0 = df/da * x0 = 0.196612 * (-1); with w0 itself: 0.196612 * 2
    ("df/da: 0.196612\ndf/dw0: 0.393224\n", "gradients.w0", "multiply_not_swapped:local.a.w0"),
    # df/dw1 taken as the local gradient x1 alone: -2
    ("df/dw1: -2.000\n", "gradients.w1", "upstream_not_multiplied:gradients.w1"),
])
def test_the_neurons_mistakes_are_named(tmp_path, answers, path, mistake):
    marks = _marks(tmp_path, NEURON, answers)
    assert marks[path]["status"] == "wrong" and mistake in marks[path]["mistakes"], marks[path]


def test_a_max_sending_the_gradient_everywhere_and_a_dropped_minus_are_named(tmp_path):
    # p = -6, m = max(-6, 3) = 3 (x chosen), s = 3 - (-2) = 5; ds/dm = 1, dm/dx = 1, dm/dp = 0, so ds/dp = 0
    # and ds/dy = -1 (from s) + ds/dp * dp/dy = -1 + 0 * 3 = -1
    # with the max sending the gradient to both inputs: dm/dp = 1, so ds/dp = 1 and ds/dy = -1 + 1 * 3 = 2
    marks = _marks(tmp_path, FORKED, "ds/dp: 1.000\nds/dy: 2.000\n")
    assert "max_to_every_input:values.m" in marks["gradients.p"]["mistakes"]
    assert marks["gradients.y"]["status"] == "carried_forward"  # right from the written ds/dp = 1
    # the subtraction's sign dropped: ds/dy = +1 + 0 = 1
    marks = _marks(tmp_path, FORKED, "ds/dy: 1.000\n")
    assert "subtraction_sign_dropped:local.s.y" in marks["gradients.y"]["mistakes"]



def test_a_fork_with_one_path_left_out_names_the_path(tmp_path):
    # f = x y + x at x = 3, y = -2: df/dx = y + 1 = -1, the sum of its two paths; through p alone y = -2,
    # the direct one alone 1
    spec = "graph: [p = x * y, f = p + x]\nat: {x: 3, y: -2}\n"
    assert "fork_path_left_out:local.p.x" in _marks(tmp_path, spec, "df/dx: 1.000\n")["gradients.x"]["mistakes"]
    assert "fork_path_left_out:local.f.x" in _marks(tmp_path, spec, "df/dx: -2.000\n")["gradients.x"]["mistakes"]


def test_names_paths_blank_and_bad_answers(tmp_path):
    blank = CliRunner().invoke(main, ["check", "--blank", str(tmp_path / "spec.yaml")]) if \
        (tmp_path / "spec.yaml").write_text(NEURON) else None
    assert blank.exit_code == 0 and '"df/dw0": null' in blank.output and '"w0_new"' not in blank.output
    marks = _marks(tmp_path, NEURON, "values.f: 0.731059\ngradients.x1: -0.589836\nlocal.b.x1: -3\n")
    assert all(m["status"] == "correct" for m in marks.values()) and len(marks) == 3
    for answers, words in (("zz: 1\n", "answers.yaml:1: zz: names no number of this circuit"),
                           ("w0: 2\n", "w0 is a given number (at:), not one to work out"),
                           ("f: [1]\n", "expected a finite number (quoted or not) or null")):
        result = _check(tmp_path, NEURON, answers)
        assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output, result.output
    result = _check(tmp_path, NEURON, "df/da: 0.196612\ndf/dw0: 0.393224\n", "-o", str(tmp_path / "fb"))
    feedback = (tmp_path / "fb" / "answers-feedback.md").read_text()
    assert result.exit_code == 1 and "multiply gate a's local gradient by w0 taken as w0 itself" in feedback
    # the step worked right, with the stage's own names and numbers
    assert r"\frac{\partial f}{\partial w_{0}} = \frac{\partial f}{\partial a} \frac{\partial a}{\partial w_{0}}" in feedback


def test_a_whole_number_with_its_sign_flipped_is_wrong_not_within_a_rounding_of_exact_steps(tmp_path):
    # cs231n's f = (x + y) z: every step is a whole number, so a whole-number answer has no rounding to allow for
    spec = "graph: [q = x + y, f = q * z]\nat: {x: -2, y: 5, z: -4}\n"
    marks = _marks(tmp_path, spec, "df/dx: 4\nf: -11\ndf/dz: 3\n")
    assert marks["gradients.x"]["status"] == "wrong" and "sign_slip" in marks["gradients.x"]["mistakes"]
    assert marks["values.f"]["status"] == "wrong" and marks["gradients.z"]["status"] == "correct"


def test_a_built_in_circuit_is_marked_by_its_name_and_its_blank_names_each_number_once():
    runner = CliRunner()
    blank = runner.invoke(main, ["check", "--blank", "cs231n-sigmoid-neuron"])
    names = [line.split(":")[0] for line in blank.output.splitlines() if not line.startswith("#")]
    assert blank.exit_code == 0 and len(names) == len(set(names)) and '"df/df"' not in names
    assert '"local.f.d"' in names and '"df/dd"' in names and '"w0_new"' in names


def test_a_whole_number_the_key_holds_exactly_has_no_rounding_to_allow(tmp_path):
    # c = a + b = 4 exactly: 5 is one off, not within a rounding of the whole numbers before it
    marks = _marks(tmp_path, NEURON, "a: -2\nb: 6\nc: 5\n")
    assert marks["values.c"]["status"] == "wrong" and marks["values.c"]["tolerance"] == 0
