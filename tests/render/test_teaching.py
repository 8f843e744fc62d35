"""The documents read as a textbook prints them: notation, example indices, rounding and the shown arithmetic."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import sympy as sp

from derive.core.graph import build_graph
from derive.core.losses import LOSSES, loss_form
from derive.core.quantities import Quantity
from derive.io.examples import example_names
from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.md_math import LINE_EM, as_dollars, chain, em
from derive.views.document import Options
from tests.conftest import example_spec

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
REPORTS = Path(__file__).resolve().parent.parent.parent / "reports"
NUMBER = r"-?\d+(?:\.\d+)?"


def markdown(text: str, **options) -> str:
    return derive(parse_spec(text, "t.yaml")).markdown(Options(**options) if options else None)


def gallery(name: str) -> str:
    return (REPORTS / f"{name}.md").read_text()


def identity_spec(loss: str = "half_sse") -> str:
    return (f"inputs: [[1.0, 2.0]]\ntargets: [[0.5]]\nlayers:\n  - {{units: 1, activation: identity, "
            f"weights: [[0.1, 0.2]], bias: 0.1}}\nloss: {loss}\nlearning_rate: 0.1\n")


def test_batch_sums_and_blocks_carry_the_example_index():
    text = (GOLDEN / "batch-full.md").read_text()
    # every summand over n names n, and every per-example block names its own example
    for summand in re.findall(r"\\sum_\{n=1\}\^\{\d\} (\\delta[^\\]*?)\\, ", text):
        assert "[n]" in summand, summand
    assert r"\frac{1}{2}\sum_{n=1}^{2} \delta^{(2)[n]}_{1}\, a^{(1)[n]}_{1}" in text
    assert r"\delta^{(2)[1]}_{1} &=" in text and r"\delta^{(2)[2]}_{1} &=" in text
    assert re.search(r"\\ell\^\{\[1\]\} &?= ", text) and r"\ell_{1}" not in text


@pytest.mark.parametrize("name", example_names())
def test_no_maths_is_written_with_bare_dollars_and_math_dollars_converts_it(name):
    text = gallery(name)
    outside_code = re.sub(r"```math\n.*?\n```", "", text, flags=re.DOTALL)
    outside_code = re.sub(r"\$`[^`]*`\$", "", outside_code)
    assert "$" not in outside_code.replace(r"\$", "")
    dollars = as_dollars(text)
    assert "```math" not in dollars and "$`" not in dollars and "$$\n" in dollars


def test_long_chains_break_into_aligned_lines_that_fit():
    terms = " + ".join(f"w_{{{k}}} a_{{{k}}}" for k in range(1, 17))
    text = chain("z", [terms, "1.5"])
    assert text.startswith(r"\begin{aligned}")
    for line in text.splitlines()[1:-1]:
        assert em(line) <= LINE_EM + 1, line
    assert text.count(r"&\quad +") >= 1 and text.replace(r"&\quad ", "").count("+") == 15


def test_textbook_losses_and_derivatives():
    text = gallery("classic-2-2-2")
    assert r"\left(t_{1} - a^{(2)}_{1}\right)^{2}" in text and r"\frac{1}{2} \left(" in text
    assert r"&= a^{(2)}_{1} - t_{1} = " in text
    assert "(- a" not in text and "-(-" not in text and r"\left(- a" not in text
    for text in map(gallery, example_names()):
        assert r"\delta_{kj}" not in text and r"\delta_{ij}" not in text  # no Kronecker delta beside the error
        assert r"\operatorname{id}" not in text


@pytest.mark.parametrize("name", list(LOSSES))
def test_each_textbook_derivative_equals_sympy_diff_of_the_loss(name):
    a, t = sp.symbols("a1:4"), sp.symbols("t1:4")
    form = loss_form(name, a, t)
    for ak, g in zip(a, form.gradient):
        assert sp.simplify(sp.diff(LOSSES[name].build(list(a), list(t)), ak) - g) == 0
    loss = LOSSES[name]
    assert sp.simplify(loss.prefactor(3) * sp.Add(*[loss.term(ak, tk) for ak, tk in zip(a, t)])
                       - loss.build(list(a), list(t))) == 0


def short_delta(spec):
    """The first unit's delta as the documents print it short: its step's display form."""
    return build_graph(spec).step(Quantity("delta", 1, 1, 1)).display[0]


def test_sigmoid_with_binary_cross_entropy_and_identity_with_half_sse_give_a_minus_t():
    spec = parse_spec("inputs: [[1.0]]\ntargets: [[1, 0]]\nlayers:\n  - {units: 2, activation: sigmoid, "
                      "weights: [[0.3], [0.2]]}\nloss: binary_cross_entropy\nlearning_rate: 0.1\n", "t.yaml")
    a, t = sp.Symbol("a^{(1)}_{1}"), sp.Symbol("t_{1}")
    assert sp.simplify(short_delta(spec) - (a - t) / 2) == 0
    spec = parse_spec(identity_spec(), "t.yaml")
    assert short_delta(spec) == a - t
    text = markdown(identity_spec())
    assert r"a^{(1)}_{1} = z^{(1)}_{1} = " in text and "The identity's derivative is 1" in text
    assert r"\frac{\partial a^{(1)}_{1}}{\partial z^{(1)}_{1}} &=" not in text


def test_a_loss_whose_factor_is_one_is_written_without_it():
    # mse of one output is (t - a)^2 itself: no "1" in front and no parentheses around the sum
    text = markdown(identity_spec("mse"))
    assert r"$`L = \left(t_{1} - a^{(1)}_{1}\right)^{2}`$" in text
    assert r"= \left(0.5 - 0.6\right)^{2} = " in text and r"1 \left(" not in text


def test_one_example_writes_the_loss_as_L_and_a_batch_keeps_one_over_n_between_L_and_ell():
    single = gallery("classic-2-2-2")
    assert r"\ell" not in single.replace(r"\left", "")
    batch = (GOLDEN / "batch-full.md").read_text()
    for block in re.findall(r"```math\n(.*?)\n```", batch, flags=re.DOTALL):
        if "L" in block.replace(r"\left", "").replace(r"\Lambda", "") and r"\ell" in block:
            assert r"\frac{1}{" in block, block


def test_a_one_layer_network_shows_no_hidden_recursion():
    text = gallery("sigmoid-cross-entropy-3-2")
    assert r"\Delta^{(l+1)}" not in text and "Hidden layers" not in text


def _numbers(text: str) -> list[str]:
    return re.findall(rf"(?<![\w^{{]){NUMBER}(?![\w}}])", text)


@pytest.mark.parametrize("name", example_names())
def test_a_product_of_two_shown_numbers_is_exact_where_written_with_equals(name):
    """Every 'A \\cdot B = C' of plain numbers: '=' iff A·B rounds to C at C's digits (ties either way), else '≈'."""
    text = gallery(name)
    found = 0
    pattern = rf"= ({NUMBER}|\\left\(({NUMBER})\\right\)) \\cdot ({NUMBER}|\\left\(({NUMBER})\\right\)) (=|\\approx) ({NUMBER})(?=\s|$| \\\\)"
    for m in re.finditer(pattern, text):
        a = Decimal(m.group(2) or m.group(1))
        b = Decimal(m.group(4) or m.group(3))
        shown = m.group(6)
        digits = len(shown.lstrip("-").replace(".", "").lstrip("0"))
        product = a * b  # exact in decimal
        unit = Decimal(1).scaleb(Decimal(shown).adjusted() - digits + 1) if Decimal(shown) else Decimal(0)
        same = abs(product - Decimal(shown)) <= unit / 2  # a tie rounds either way
        assert same == (m.group(5) == "="), m.group(0)
        found += 1
    assert found > 0


@pytest.mark.parametrize("name", example_names())
def test_rounded_values_keep_their_trailing_zeros(name):
    text = gallery(name)
    assert re.search(r"= 0\.2698[^0-9]", text) is None
    assert "0.593270" in gallery("classic-2-2-2")  # σ(0.3775) = 0.59326999...


def test_published_numbers_are_named_in_the_notation_with_the_direction_of_the_difference():
    text = gallery("classic-2-2-2")
    assert "ours minus the published one" in text
    assert r"| $`L_{1}`$ | $`0.291027924`$ | $`0.291027774`$ | $`-1.50 \times 10^{-7}`$" in text
    assert "layers[" not in text.split("## Published numbers")[1].split("## Appendix")[0]


def test_the_document_opens_with_the_rounding_policy_a_notation_table_and_the_algorithm():
    text = gallery("relu-softmax-3-3-3-3")
    head = text.split("## 1. Forward pass")[0]
    assert "significant figures" in head and "trailing zeros kept" in head and "natural logarithm" in head
    assert "## Notation" in head and "| matrix | meaning | dimensions |" in head
    assert "## How one step goes" in head and "reuses the δ of the layer above" in head
    assert "## 6. What the step did" in text and "The parameters that moved most" in text
    assert "The Jacobian" in text and r"J = \begin{bmatrix}" in text
    body = text.split("## Appendix")[0]
    assert "h = 1e-6" not in body and "--" not in body.replace("---", "")
    assert "relu" not in body.replace("relu-softmax", "") and "ReLU" in body


def test_the_wrap_up_compares_the_loss_change_with_its_first_order_prediction():
    example = derive(example_spec("classic-2-2-2"))
    wrap = example.document().get("wrap_up")
    # independent: the squared gradients of the eight trained weights, from the published-style JSON
    grads = [g for layer in example.data["layers"] for row in layer["dW"] for g in row]
    predicted = -0.5 * sum(g * g for g in grads)
    assert abs(float(wrap["predicted"]) - predicted) < 1e-8
    loss_after = example.data["loss_history"][1]
    assert abs(float(wrap["after"]) - loss_after) < 1e-6


def test_math_dollars_on_the_command_line_writes_plain_dollar_maths(tmp_path):
    from click.testing import CliRunner

    from derive.cli import main
    spec = tmp_path / "net.yaml"
    spec.write_text(identity_spec())
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path), "--math", "dollars"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "net.md").read_text()
    assert "```math" not in text and "$`" not in text and "$$\n" in text and r"$\eta = 0.1$" in text
    notebook = derive(parse_spec(identity_spec(), "t.yaml"))._repr_markdown_()
    assert "```math" not in notebook and "$$\n" in notebook


def test_matrices_too_wide_for_one_line_are_set_one_under_the_other():
    text = gallery("relu-softmax-3-3-3-3")
    block = text.split(r"\Delta^{(3)} = \begin{bmatrix}")[0].rsplit("```math", 1)[1]
    assert r"\begin{gathered}" in block
    parameters = gallery("classic-2-2-2").split("### Parameters")[1].split("## How")[0]
    assert r"\begin{gathered}" not in parameters and r"\qquad b^{(1)}" in parameters


def test_the_softmax_deltas_are_shown_as_the_jacobian_times_dl_da():
    import json

    import numpy as np
    text = gallery("relu-softmax-3-3-3-3")
    assert r"\delta^{(3)} = J^\top \dfrac{\partial L}{\partial a^{(3)}} = J^\top \begin{bmatrix}" in text
    layer = json.loads((REPORTS / "relu-softmax-3-3-3-3.json").read_text())["layers"][2]
    J, g, delta = np.array(layer["da_dz"][0]), np.array(layer["dl_da"][0]), np.array(layer["delta"][0])
    assert np.allclose(J.T @ g, delta, rtol=1e-12, atol=1e-15)


def test_the_wrap_up_shows_the_outputs_of_a_forward_pass_with_the_new_parameters():
    import numpy as np
    example = derive(example_spec("classic-2-2-2"))
    data = example.data
    a = np.array(data["inputs"], dtype=float)
    for layer in data["layers"]:  # sigmoid layers, written apart from the step graph
        a = 1 / (1 + np.exp(-(a @ np.array(layer["W_new"]).T + np.array(layer["b_new"]))))
    shown = example.document()["wrap_up"]["outputs"][0]["after"]
    assert [float(v) for v in shown] == pytest.approx(a[0].tolist(), rel=1e-5)


SOFTMAX_BATCH = """
inputs: [[0.5, -1.0], [1.0, 0.3]]
targets: [[1, 0], [0, 1]]
layers:
  - {units: 2, activation: tanh, weights: [[0.2, -0.4], [0.6, 0.1]], bias: [0.1, -0.1]}
  - {units: 2, activation: softmax, weights: [[0.3, -0.5], [0.7, 0.2]], bias: [0.0, 0.1]}
loss: cross_entropy
learning_rate: 0.1
"""


def batch_documents():
    """A batch's worked examples in Markdown and LaTeX: the golden spec in two details, ReLU, tanh with softmax."""
    golden = parse_spec((GOLDEN / "batch.yaml").read_text(), "batch.yaml")
    for spec, detail in [(golden, "full"), (golden, "layer"), (example_spec("relu-batch-1-2-2"), "full"),
                         (parse_spec(SOFTMAX_BATCH, "softmax.yaml"), "full")]:
        example = derive(spec)
        yield len(spec.inputs), example.markdown(Options(detail=detail)), example.latex(Options(detail=detail))


@pytest.mark.parametrize("N, md, latex", list(batch_documents()))
def test_the_backward_pass_labels_each_example_in_the_forward_pass_s_words(N, md, latex):
    forward = md.split("## 1. Forward pass")[1].split("## 2. Loss")[0]
    labels = re.findall(r"^### (Example \d+)$", forward, re.M)
    assert labels == [f"Example {n}" for n in range(1, N + 1)]
    backward = md.split("## 3. Backward pass")[1].split("## 4.")[0]
    layers = backward.split("\n### Layer ")[1:]
    assert layers
    for layer in layers:
        deltas = layer.split("**Gradients of layer")[0]
        assert re.findall(r"^\*\*(Example \d+)\*\*$", deltas, re.M) == labels
        # under each label, every delta is that example's
        for n, block in enumerate(re.split(r"^\*\*Example \d+\*\*$", deltas, flags=re.M)[1:], start=1):
            assert set(re.findall(r"\\delta\^\{\(\d\)\[(\d)\]\}", block)) == {str(n)}
    tex_forward = latex.split(r"Forward pass}")[1].split(r"Loss}")[0]
    assert re.findall(r"\\subsection\*\{(Example \d+)\}", tex_forward) == labels
    tex_layers = latex.split(r"Backward pass}")[1].split(r"Matrix form}")[0].split(r"\subsection*{Layer ")[1:]
    assert len(tex_layers) == len(layers)
    for layer in tex_layers:
        assert re.findall(r"\\layerhead\{(Example \d+)\}", layer) == labels


def softmax_paragraph(text: str, end: str) -> str:
    return text[text.index("Softmax couples the units"):text.index(end)]


def test_the_batch_softmax_paragraph_keeps_the_example_index_on_a_and_t():
    example = derive(parse_spec(SOFTMAX_BATCH, "softmax.yaml"))
    for paragraph in (softmax_paragraph(example.markdown(), "in numbers"),
                      softmax_paragraph(example.latex(), "in numbers")):
        assert r"a^{(2)[n]}_j - t^{[n]}_j" in paragraph
        assert r"\partial a^{(2)[n]}_k / \partial z^{(2)[n]}_j" in paragraph
        # no a, z or t of this paragraph goes without its example
        assert not re.search(r"(?<![\\\w])[azt](\^\{\( ?2 ?\)\})?_[jkm]", paragraph), paragraph
    # the Jacobian's product names each example's a
    assert r"\dfrac{\partial \ell^{[2]}}{\partial a^{(2)[2]}}" in example.markdown()
    single = derive(parse_spec(SOFTMAX_BATCH.replace("[[0.5, -1.0], [1.0, 0.3]]", "[[0.5, -1.0]]")
                               .replace("[[1, 0], [0, 1]]", "[[1, 0]]"), "one.yaml"))
    assert r"a^{(2)}_j - t_j" in softmax_paragraph(single.markdown(), "in numbers")
    assert "[n]" not in softmax_paragraph(single.markdown(), "in numbers")
