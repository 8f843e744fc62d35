"""Class-index targets for cross_entropy: targets: [2, 0] means the one-hot rows (0, 0, 1) and (1, 0, 0)."""
from __future__ import annotations

import pytest

from derive.errors import SpecError
from derive.io.validate import parse_spec
from derive.pipeline import derive

NET = """
inputs: [[0.5, -0.2], [0.1, 0.9]]
targets: {targets}
layers:
  - {{units: 3, activation: softmax, weights: [[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]], bias: [0.1, 0.0, -0.1]}}
loss: cross_entropy
learning_rate: 0.1
{extra}"""


def spec(targets: str, extra: str = ""):
    return parse_spec(NET.format(targets=targets, extra=extra), "classes.yaml")


def test_class_indices_are_the_one_hot_rows():
    by_class = derive(spec("[2, 0]")).data
    one_hot = derive(spec("[[0, 0, 1], [1, 0, 0]]")).data
    assert by_class["targets"] == [[0, 0, 1], [1, 0, 0]] and by_class["target_classes"] == [2, 0]
    assert by_class["loss"] == one_hot["loss"]
    assert by_class["layers"][0]["dW"] == one_hot["layers"][0]["dW"]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_the_loss_is_pytorchs_cross_entropy_of_the_logits_with_class_targets(reduction):
    torch = pytest.importorskip("torch")
    ex = derive(spec("[2, 0]", f"reduction: {reduction}\n"))
    x = torch.tensor([[0.5, -0.2], [0.1, 0.9]], dtype=torch.float64)
    W = torch.tensor([[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.1, 0.0, -0.1], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x @ W.T + b, torch.tensor([2, 0]), reduction=reduction)
    loss.backward()
    assert abs(ex.data["loss"] - loss.item()) < 1e-12
    for j in range(3):
        for k in range(2):
            assert abs(ex.data["layers"][0]["dW"][j][k] - W.grad[j, k].item()) < 1e-12


def test_the_document_shows_the_class_and_its_one_hot_row():
    text = derive(spec("[2, 0]")).markdown()
    assert "target class 2 (counting from 0), the one-hot row $`t^{[1]} = ( 0, 0, 1 )`$" in text


@pytest.mark.parametrize("targets, message", [
    ("[3, 0]", r"targets\[0\]: class index 3 is out of range: the output layer has classes 0..2"),
    ("[1]", r"targets: expected 2 class indices \(one per example\), got 1"),
])
def test_bad_class_indices_are_refused_in_one_line(targets, message):
    with pytest.raises(SpecError, match=message):
        spec(targets)


def test_class_indices_need_cross_entropy():
    text = NET.format(targets="[2, 0]", extra="").replace("cross_entropy", "half_sse")
    with pytest.raises(SpecError, match="class indices are for cross_entropy"):
        parse_spec(text, "classes.yaml")
