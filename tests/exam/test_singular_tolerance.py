"""An exam whose graph has a derivative infinite at its numbers still writes its files, or refuses the draw."""
from __future__ import annotations

import json
import math

from click.testing import CliRunner

from derive.cli import main

# Softmax ignores a shared bias, so its gradient is exactly 0, and Adam's second moment of it is 0:
# the square root in Adam's step has an infinite derivative there.
SPEC = """name: idle shared bias under Adam
inputs: [[-0.7, 0.2], [0.3, 0.9]]
targets: [[1, 0], [0, 1]]
layers:
- {units: 3, activation: tanh, weights: [[0.35, 0.8], [0.9, -0.6], [-0.8, 0.3]], bias: -0.3, shared_bias: true}
- {units: 2, activation: softmax, weights: [[0.65, 1.0, 0.15], [0.5, -0.5, -0.75]], bias: -0.25, shared_bias: true}
loss: cross_entropy
learning_rate: 0.5
optimizer: adam
weight_decay: 0.01
"""


def test_an_infinite_local_derivative_gives_finite_tolerances_not_a_traceback(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    result = CliRunner().invoke(main, ["exam", str(spec), "--variants", "2", "--format", "json",
                                       "-o", str(tmp_path / "exam")])
    assert result.exit_code == 0, result.output
    answers = json.loads((tmp_path / "exam" / "answers.json").read_text())
    assert answers and all(math.isfinite(a["tolerance"]) and a["tolerance"] > 0 for a in answers)
