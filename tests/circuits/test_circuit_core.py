"""Circuits worked by the chain rule: the cs231n lecture figures, the checks, and every bad spec named."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.core.circuit import build_circuit, grad_of, local_of, value_of
from derive.errors import NumericalError, SpecError
from derive.io.circuit_spec import parse_circuit
from derive.oracles.circuit_checks import circuit_checks, composed

NEURON = """name: a sigmoid neuron as gates
graph:
  - a = w0 * x0
  - b = w1 * x1
  - c = a + b
  - d = c + w2
  - f = sigmoid(d)
at: {w0: 2, x0: -1, w1: -3, x1: -2, w2: -3}
"""


def _worked(text: str):
    circuit = parse_circuit(text, "c.yaml")
    graph = build_circuit(circuit)
    return circuit, graph, lambda kind, name: float(graph.value(
        value_of(circuit, circuit.node(name)) if kind == "value" else grad_of(circuit.node(name))))


def test_the_add_and_multiply_circuit_of_cs231n():
    # cs231n, "Backpropagation, Intuitions": f = (x + y) z at x = -2, y = 5, z = -4 is -12, and
    # df/dx = df/dy = -4 (the add gate passes z on to both), df/dz = 3 (the multiply gate swaps: q = x + y)
    circuit, graph, at = _worked("graph: [q = x + y, f = q * z]\nat: {x: -2, y: 5, z: -4}\n")
    assert at("value", "q") == 3 and at("value", "f") == -12
    assert [at("grad", n) for n in "xyz"] == [-4, -4, 3]
    assert graph.value(local_of(circuit.node("f"), circuit.node("q"))) == -4  # the multiply gate: the other input


def test_the_sigmoid_neuron_of_cs231n():
    # cs231n's neuron: f = 0.73, dw = [-0.20, -0.39, 0.20], dx = [0.39, -0.59] (to 5 digits as the issue writes them)
    _, _, at = _worked(NEURON)
    assert round(at("value", "f"), 5) == 0.73106
    assert [round(at("grad", n), 5) for n in ("w0", "w1", "w2")] == [-0.19661, -0.39322, 0.19661]
    assert [round(at("grad", n), 5) for n in ("x0", "x1")] == [0.39322, -0.58984]


def test_gradients_add_at_a_fork():
    # f = x*y + x: x feeds two gates, so df/dx = y + 1
    _, _, at = _worked("graph: [p = x * y, f = p + x]\nat: {x: 3, y: -2}\n")
    assert at("grad", "x") == -1 and at("grad", "y") == 3


def test_every_check_runs_and_agrees_and_the_composed_expression_is_the_circuit():
    circuit, graph, _ = _worked(NEURON)
    report = circuit_checks(graph)
    assert [c.name for c in report.checks] == ["finite differences", "forward mode", "full symbolic derivative"]
    assert report.passed and all(c.ran and c.compared == 5 for c in report.checks)
    w0, x0, w1, x1, w2 = circuit.symbols[:5]
    assert composed(circuit) == 1 / (1 + sp.exp(-(w0 * x0 + w1 * x1 + w2)))


def test_a_kink_at_the_point_keeps_finite_differences_out():
    _, graph, at = _worked("graph: [f = relu(x) * y]\nat: {x: 0, y: 2}\n")
    fd, forward, symbolic = circuit_checks(graph).checks
    assert not fd.ran and "stage f is at a kink" in fd.note and symbolic.ran and symbolic.passed and forward.passed
    assert at("grad", "x") == 0  # ReLU'(0) = 0, as PyTorch


@pytest.mark.parametrize("text, message", [
    ("graph: [f = x +]\nat: {x: 1}\n", "c.yaml:1: graph[0]: f = x +: the expression ends too early"),
    ("graph: [f = foo(x)]\nat: {x: 1}\n", "unknown function 'foo' at character 1; known: exp, log"),
    ("graph: [f = x * w]\nat: {x: 1}\n", "no given number or earlier stage is named 'w'"),
    ("graph: [f = x, f = x + 1]\nat: {x: 1}\n", "graph[1]: f is a stage already"),
    ("graph: [x = 2 * x]\nat: {x: 1}\n", "x is a given number in at:"),
    ("graph: [f x]\nat: {x: 1}\n", "expected \"name = expression\", got 'f x'"),
    ("graph: [f = x]\nat: {x: true}\n", "at.x: expected a finite number, got True"),
    ("graph: [f = x]\nat: {x: 1}\noutput: g\n", "output: expected the name of a stage (f), got 'g'"),
    ("graph: [f = x, g = f]\nat: {x: 1}\noutput: f\n", "the stages after the output (g) would not feed it"),
    ("graph: [f = x - x]\nat: {x: 1}\n", "f = x - x is the number 0 whatever the given numbers"),
    ("graph: [f = 9^9^9 * x]\nat: {x: 1}\n", "a power of 387420489 at character 2 is over the limit of 64"),
    ("graph: [f = x]\nat: {x: 1}\nlayers: []\n", "layers: unknown field of a circuit; valid: name, graph, at"),
    ("graph: [f = x1 + x_1]\nat: {x1: 1, x_1: 2}\n", "graph: x1 and x_1 print alike, as x_{1}: rename one"),
])
def test_a_bad_spec_is_one_line_naming_the_field(text, message):
    with pytest.raises(SpecError) as err:
        parse_circuit(text, "c.yaml")
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("text, message", [
    ("graph: [f = log(x)]\nat: {x: -1}\n", "stage f is not a real number at these numbers"),
    ("graph: [f = log(x)]\nat: {x: 0}\n", "stage f is infinite"),
    ("graph: [f = 1 / x]\nat: {x: 0}\n", "stage f divides by zero"),
    ("graph: [f = sqrt(x)]\nat: {x: 0}\n", "the local derivative of stage f by x divides by zero"),
])
def test_a_value_undefined_at_the_point_names_its_stage(text, message):
    with pytest.raises(NumericalError) as err:
        build_circuit(parse_circuit(text, "c.yaml"))
    assert message in str(err.value)


def test_steps_down_the_gradient_move_the_parameters_and_lower_the_output():
    from derive.core.circuit import circuit_history, updated_of
    circuit, graph, at = _worked(NEURON + "learning_rate: 0.5\nparameters: [w2, w0]\nsteps: 3\n")
    assert circuit.parameters == ("w0", "w2")  # in the order of at:
    # w0 - 0.5 * dw0 and w2 - 0.5 * dw2, by hand from cs231n's gradients
    assert float(graph.value(updated_of(circuit.node("w0")))) == pytest.approx(2 + 0.5 * 0.19661193324148185)
    assert float(graph.value(updated_of(circuit.node("w2")))) == pytest.approx(-3 - 0.5 * 0.19661193324148185)
    history = [float(v) for v in circuit_history(graph)]
    assert len(history) == 4 and history == sorted(history, reverse=True) and history[0] == at("value", "f")


@pytest.mark.parametrize("extra, message", [
    ("learning_rate: 0.1\n", "parameters: expected a list of the given numbers the steps move"),
    ("parameters: [w0]\n", "learning_rate: expected a positive number (with parameters:), got None"),
    ("learning_rate: 0.1\nparameters: [q]\n", "parameters[0]: 'q' is no given number; valid: w0, x0"),
    ("learning_rate: 0.1\nparameters: [w0, w0]\n", "a parameter is named twice"),
    ("learning_rate: 0.1\nparameters: [w0]\nsteps: 0\n", "steps: expected a whole number from 1 to 10000"),
    ("steps: 2\n", "steps need a learning_rate and the parameters it moves"),
])
def test_bad_updates_are_named(extra, message):
    with pytest.raises(SpecError) as err:
        parse_circuit(NEURON + extra, "c.yaml")
    assert message in str(err.value)


def test_a_long_circuit_is_checked_forward_and_by_differences_but_not_by_sympy_diff():
    stages = "\n".join(f"  - s{i} = s{i - 1} * x + y" for i in range(1, 14))
    _, graph, _ = _worked(f"graph:\n  - s0 = x + y\n{stages}\nat: {{x: 0.5, y: -0.25}}\n")
    fd, forward, symbolic = circuit_checks(graph).checks
    assert fd.ran and fd.passed and forward.ran and forward.passed
    assert not symbolic.ran and "14 stages is over the limit of 12" in symbolic.note


def test_published_numbers_are_compared_to_their_digits_and_a_wrong_one_explained():
    from derive.views.circuit import published_numbers
    extra = ("published:\n  - {quantity: f, value: \"0.73\", source: notes}\n"
             "  - {quantity: df/dw0, value: \"0.39\"}\n  - {quantity: gradients.w1, value: 0.12}\n")
    circuit, graph, _ = _worked(NEURON + extra)
    right, swapped, unknown = published_numbers(graph)
    assert right["agrees"] and right["source"] == "notes"
    # 0.39 = df/da * w0 (0.19661 * 2): the multiply gate's own input used, not the other one
    assert not swapped["agrees"] and swapped["mistakes"] == ["multiply_not_swapped:local.a.w0"]
    assert not unknown["agrees"] and unknown["mistakes"] == []


@pytest.mark.parametrize("extra, message", [
    ("published: 3\n", "published: expected a list"),
    ("published:\n  - {quantity: zz, value: 1}\n", "published[0].quantity: 'zz' names no number of this circuit"),
    ("published:\n  - {quantity: f, value: one}\n", "published[0].value: expected a number"),
    ("published:\n  - {quantity: f, value: 1, page: 3}\n", "published[0].page: unknown field"),
])
def test_bad_published_numbers_are_named(extra, message):
    with pytest.raises(SpecError) as err:
        parse_circuit(NEURON + extra, "c.yaml")
    assert message in str(err.value)


def test_names_print_as_lectures_write_them_and_odd_ones_as_written():
    from derive.core.circuit_names import node_latex
    assert [node_latex(n) for n in ("w0", "x_1", "alpha", "sigy", "_x", "a__b")] == \
        ["w_{0}", "x_{1}", r"\alpha", r"\mathit{sigy}", r"\mathit{\_x}", r"\mathit{a\_\_b}"]
