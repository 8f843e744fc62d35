"""Gradient-only examples: without a learning_rate the example stops at the gradients."""
from __future__ import annotations

import pytest

from derive.errors import SpecError
from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.pdf import compile_pdf
from tests.tex import needs_tex

# the classic 2-2-2 network without its learning rate (Mazur 2015 publishes dE/dw5 = 0.082167041)
GRADIENTS = """
inputs: [[0.05, 0.10]]
targets: [[0.01, 0.99]]
layers:
  - {units: 2, activation: sigmoid, weights: [[0.15, 0.20], [0.25, 0.30]], bias: 0.35}
  - {units: 2, activation: sigmoid, weights: [[0.40, 0.45], [0.50, 0.55]], bias: 0.60}
loss: half_sse
"""


def test_the_json_stops_at_the_gradients():
    data = derive(parse_spec(GRADIENTS, "g.yaml")).data
    assert data["learning_rate"] is None and data["steps"] == 0 and len(data["loss_history"]) == 1
    assert abs(data["layers"][1]["dW"][0][0] - 0.082167041) < 5e-10
    for layer in data["layers"]:
        assert not {"W_new", "b_new", "W_final", "b_final"} & set(layer)


def test_the_documents_have_no_update_section():
    example = derive(parse_spec(GRADIENTS, "g.yaml"))
    text = example.markdown()
    assert "## 5. Updated parameters" not in text and "What the step did" not in text and r"\eta" not in text
    assert "no learning rate is given, so no step is taken" in text and "## 3. Backward pass" in text
    tex = example.latex()
    assert "Updated parameters" not in tex and r"\eta" not in tex


@needs_tex
def test_a_gradient_only_pdf_compiles():
    assert compile_pdf(derive(parse_spec(GRADIENTS, "g.yaml")).latex()).startswith(b"%PDF")


def test_steps_without_a_learning_rate_is_refused_in_one_line():
    with pytest.raises(SpecError, match=r"g\.yaml:\d+: steps: steps needs a learning_rate"):
        parse_spec(GRADIENTS + "steps: 3\n", "g.yaml")


def test_answers_with_updated_weights_are_refused_for_a_gradient_only_example(tmp_path):
    from derive.io.answers import read_answers
    answers = tmp_path / "a.yaml"
    answers.write_text("w5_new: 0.35\n")
    with pytest.raises(SpecError, match="no learning_rate, so no updated parameters"):
        read_answers(answers, parse_spec(GRADIENTS + "notation: numbered\n", "g.yaml"))
