"""The --with-code numpy listing: run as it is printed, it gives the document's own numbers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.io.examples import example_names
from derive.render.pdf import compile_pdf_with_log, overfull_boxes
from tests.listing import close, flat, listing, printed
from tests.specs import MIXED, SPECS
from tests.tex import needs_tex


@pytest.mark.parametrize("name", example_names() + list(SPECS))
def test_the_listing_prints_the_documents_loss_gradients_and_updates(name):
    example = derive.derive(derive.load(SPECS.get(name, name)))
    numbers = printed(listing(example.markdown(derive.Options(with_code=True))))
    data = example.data
    expected = {"L": [data["loss"]]}
    for l, layer in enumerate(data["layers"], start=1):
        # a shared bias is one number in the JSON, printed as one
        listed = (lambda v: [v]) if layer.get("shared_bias") else (lambda v: v)
        expected.update({f"dW{l}": flat(layer["dW"]), f"db{l}": listed(layer["db"])})
        if "W_new" in layer:  # a gradient-only example stops at the gradients
            expected.update({f"W{l}_new": flat(layer["W_new"]), f"b{l}_new": listed(layer["b_new"])})
    assert set(numbers) == set(expected)
    for key, values in expected.items():
        assert close(numbers[key], values, 6), (key, numbers[key], values)


def test_the_listing_follows_the_digits_option():
    example = derive.derive(derive.load("classic-2-2-2"))
    numbers = printed(listing(example.markdown(derive.Options(digits=8, with_code=True))))
    assert numbers["dW2"][0] == 0.082167041  # the classic post's dE/dw5, to 8 figures


def test_the_latex_article_carries_the_same_listing_verbatim():
    example = derive.derive(derive.load("relu-softmax-3-3-3-3"))
    options = derive.Options(with_code=True)
    code, tex = listing(example.markdown(options)), example.latex(options)
    assert "\\begin{verbatim}\n" + code + "\\end{verbatim}" in tex
    assert "The same step in numpy" not in example.latex() and "```python" not in example.markdown()


def test_with_code_is_an_option_of_run_and_example(tmp_path, write_spec):
    spec = write_spec(json.dumps(MIXED))
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(spec), "-o", str(tmp_path), "--format", "md", "--with-code"]).exit_code == 0
    assert "```python" in (tmp_path / "net.md").read_text()
    result = runner.invoke(main, ["example", "classic-2-2-2", "-o", str(tmp_path), "--format", "md", "--with-code"])
    assert result.exit_code == 0 and "W2_new = W2 - eta * dW2" in (tmp_path / "classic-2-2-2.md").read_text()


@needs_tex
def test_the_article_with_its_listing_compiles_within_the_margins():
    example = derive.derive(derive.load("relu-softmax-3-3-3-3"))
    _, log = compile_pdf_with_log(example.latex(derive.Options(with_code=True)))
    assert overfull_boxes(log) == []
