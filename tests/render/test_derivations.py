"""Steps a textbook derives rather than asserts: cancellations, the matrix form, chain-rule factors in words."""
from __future__ import annotations

import re

import numpy as np

from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.views.document import Options

SOFTMAX_MSE = """
inputs: [[0.5, -1.0], [1.0, 0.25]]
targets: [[1, 0, 0], [0, 0, 1]]
layers:
  - {units: 2, activation: tanh, weights: [[0.4, -0.2], [0.3, 0.6]], bias: [0.1, -0.1]}
  - {units: 3, activation: softmax, weights: [[0.5, -0.4], [0.2, 0.3], [-0.6, 0.1]], bias: 0}
loss: mse
learning_rate: 0.1
"""
SIGMOID_BCE = """
inputs: [[0.3, -0.8]]
targets: [[1]]
layers:
  - {units: 1, activation: sigmoid, weights: [[0.7, 0.2]], bias: -0.1}
loss: binary_cross_entropy
learning_rate: 0.5
"""


def markdown(text: str, **options) -> str:
    return derive(parse_spec(text, "t.yaml")).markdown(Options(**options) if options else None)


def _softmax_mse_outputs() -> np.ndarray:
    """The softmax outputs of SOFTMAX_MSE, worked in numpy."""
    x = np.array([[0.5, -1.0], [1.0, 0.25]])
    h = np.tanh(x @ np.array([[0.4, -0.2], [0.3, 0.6]]).T + [0.1, -0.1])
    z = h @ np.array([[0.5, -0.4], [0.2, 0.3], [-0.6, 0.1]]).T
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def test_softmax_with_mse_shows_dl_da_with_its_numbers_before_the_jacobian():
    text = markdown(SOFTMAX_MSE)
    output_layer = text.split("### Layer 2")[1]
    # one block per example, each ∂ℓ/∂a_k = (2/K)(a_k − t_k) with K = 3 outputs, before its Jacobian
    a, t = _softmax_mse_outputs(), np.array([[1, 0, 0], [0, 0, 1]])
    for n in (1, 2):
        block = output_layer.split(f"**Example {n}**")[1].split(f"J^{{[{n}]}} =")[0]
        values = [float(v) for v in re.findall(r"(?:=|\\approx) (-?\d+\.\d+)(?: \\\\)?\n", block)]
        assert np.allclose(values, 2 * (a[n - 1] - t[n - 1]) / 3, rtol=1e-5)


def test_bce_after_a_sigmoid_multiplies_the_two_factors_out_before_the_short_form():
    text = markdown(SIGMOID_BCE)
    a = r"a^{(1)}_{1}"
    dl_da = rf"\frac{{{a} - t_{{1}}}}{{{a} \left(1 - {a}\right)}}"
    slope = rf"{a} \left(1 - {a}\right)"
    # the product of both textbook factors, then what is left of it
    assert re.search(re.escape(rf"&= {dl_da} \cdot {slope} \\") + r"\n" + re.escape(rf"&= {a} - t_{{1}}"), text)


def test_cross_entropy_after_softmax_shows_the_cancellation_as_algebra():
    text = markdown(SOFTMAX_MSE.replace("loss: mse", "loss: cross_entropy"))
    assert r"= -t^{[n]}_j + a^{(2)[n]}_j \sum_k t^{[n]}_k = a^{(2)[n]}_j - t^{[n]}_j" in text  # a batch of two
    overview = text.split("## How one step goes")[1].split("## 1.")[0]
    assert r"a^{( 2 )[n]}_j - t^{[n]}_j" in overview


def test_the_matrix_form_is_derived_by_collecting_the_gradients_of_each_weight():
    batch, single = markdown(SOFTMAX_MSE), markdown(SIGMOID_BCE)
    derivation = batch.split("## 4. Matrix form")[1].split("Where this comes from")[1]
    assert r"\frac{1}{N}\sum_{n=1}^{N} \delta^{(l)[n]}_j\, a^{(l-1)[n]}_k" in derivation
    assert r"\frac{1}{N}\big[(\Delta^{(l)})^\top A^{(l-1)}\big]_{jk}" in derivation
    assert r"\big[\Delta^{(l+1)} W^{(l+1)}\big]_{nk}" in derivation  # the hidden rule, a batch with two layers
    one = single.split("## 4. Matrix form")[1].split("Where this comes from")[1]
    assert r"(\Delta^{(l)})_{1j}\, (A^{(l-1)})_{1k}" in one and r"\sum_{n=1}" not in one.split("## 5.")[0]
    assert "W^{(l+1)}" not in one.split("## 5.")[0]  # one layer: no hidden rule


def test_the_chain_rule_factors_are_named_in_words_where_the_algorithm_first_uses_them():
    overview = " ".join(markdown(SIGMOID_BCE).split("## How one step goes")[1].split("## 1.")[0].split())
    assert "how the loss changes with the output, times the slope of the activation" in overview
    assert "the input the weight multiplies" in overview
    hidden = " ".join(markdown(SOFTMAX_MSE).split("## How one step goes")[1].split("## 1.")[0].split())
    assert "each weighted by the weight it flows back along, times the slope of this layer's activation" in hidden


def test_the_first_order_prediction_writes_equals_only_where_the_shown_product_gives_it():
    from decimal import Decimal

    from tests.conftest import example_spec
    for name in ("classic-2-2-2", "relu-batch-1-2-2", "sigmoid-bce-2-2-1"):
        text = derive(example_spec(name)).markdown()
        eta, squared, rel, shown = re.search(
            r"\(\\partial L/\\partial w\)\^2 = -(\S+) \\cdot (\S+) (=|\\approx) (-?[\d.]+)`", text).groups()
        product = -Decimal(eta) * Decimal(squared)
        exact = abs(product - Decimal(shown)) <= Decimal(1).scaleb(Decimal(shown).as_tuple().exponent) / 2
        assert rel == ("=" if exact else r"\approx"), (name, product, shown)


def test_a_dead_unit_under_weight_decay_is_said_to_move_by_the_decay_alone():
    from pathlib import Path
    golden = Path(__file__).resolve().parents[1] / "golden"
    def read(source: str) -> str:  # the Markdown's words, its escapes of ( ) . undone
        return re.sub(r"\\([().])", r"\1", " ".join(derive(parse_spec(source, "adam.yaml")).markdown().split()))
    decayed = read((golden / "adam.yaml").read_text())
    assert "they learn nothing from the loss in this step (only the weight decay moves the weights, towards 0)" in decayed
    assert "worked through its first two steps" in decayed  # the spec takes 3
    source = (golden / "adam.yaml").read_text().replace("weight_decay: 0.1\n", "")
    plain = read(source)
    assert "they learn nothing from this step." in plain and "weight decay moves" not in plain


def test_the_optimizer_is_named_by_the_torch_call_the_spec_makes():
    from pathlib import Path
    source = (Path(__file__).resolve().parents[1] / "golden" / "adam.yaml").read_text()
    assert "`torch.optim.Adam(params, lr, betas, eps, weight_decay)`" in markdown(source)
    assert "`torch.optim.Adam(params, lr, betas, eps)`" in markdown(source.replace("weight_decay: 0.1\n", ""))
    assert "(the first of 3 steps; section 7 lists the loss after each)" in markdown(source)


def test_a_batch_s_softmax_sums_over_the_units_of_its_own_example():
    forward = markdown(SOFTMAX_MSE).split("## 1. Forward pass")[1].split("## 2.")[0]
    sums = re.findall(r"\\sum_m e\^\{z\^\{\(2\)([^}]*)\}_m\}", forward)
    assert sorted(set(sums)) == ["[1]", "[2]"] and len(sums) == 6  # three units in each of two examples


def test_the_latex_keeps_the_indicator_k_equals_j_on_one_line():
    latex = derive(parse_spec(SOFTMAX_MSE, "t.yaml")).latex()
    paragraph = latex.split("Softmax couples the units")[1].split("\\begin{align*}")[0]
    # TeX may break inline maths after "=": "[k =" at the end of a line and "j]" on the next reads as nothing
    assert paragraph.count(r"\mbox{$[k = j]$}") == 2 and "([k = j]" not in paragraph
