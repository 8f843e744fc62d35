"""A circuit's LaTeX article compiles with pdflatex, holds the lecture's numbers, and no line runs over."""
from __future__ import annotations

from derive.circuits import derive_circuit
from derive.render.circuit_formats import circuit_tex
from derive.render.pdf import compile_pdf_with_log, overfull_boxes
from tests.tex import needs_pdftotext, needs_tex, pdf_text

NEURON = """name: a sigmoid neuron as gates
graph: [a = w0 * x0, b = w1 * x1, c = a + b, d = c + w2, f = sigmoid(d)]
at: {w0: 2, x0: -1, w1: -3, x1: -2, w2: -3}
"""
STAGED = """graph:
  - q = x + y
  - r = max(q, z_1) * sigmoid(q) - relu(z_1) / 2
  - f = r ^ 2 + abs(x) + log(y) + exp(-x) + sqrt(y) + tanh(q)
at: {x: 3, y: 4, z_1: -0.5}
"""


@needs_tex
@needs_pdftotext
def test_the_neuron_compiles_with_its_numbers_and_nothing_overfull(tmp_path):
    tex = derive_circuit(NEURON).files("neuron", ("tex",))["neuron.tex"].decode()
    pdf, log = compile_pdf_with_log(tex)
    assert overfull_boxes(log) == []
    words = " ".join(pdf_text(pdf, tmp_path).split())
    for shown in ("f = σ(d) = σ(1) = 0.731059", "0.196612 · (-2) = -0.393224", "multiply gate swaps its inputs"):
        assert shown in words, shown


@needs_tex
def test_every_gate_and_a_name_with_an_underscore_set_in_tex(tmp_path):
    example = derive_circuit(STAGED)
    pdf, log = compile_pdf_with_log(circuit_tex(example.document()))
    assert pdf.startswith(b"%PDF") and overfull_boxes(log) == []
