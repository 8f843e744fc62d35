"""The --with-code numpy listing: run as it is printed, it gives the document's own numbers."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.io.examples import example_names
from derive.render.pdf import compile_pdf_with_log, overfull_boxes
from tests.render.test_latex import needs_tex

# tanh, leaky ReLU (its own alpha) and identity with the mean squared error, on a batch of two
MIXED = {
    "inputs": [[0.5, -1.0], [1.5, 0.25]], "targets": [[0.2, -0.1], [0.7, 0.4]], "loss": "mse",
    "learning_rate": 0.3,
    "layers": [{"units": 3, "activation": "tanh", "weights": [[0.4, -0.6], [0.9, 0.2], [-0.3, 0.8]], "bias": 0.1},
               {"units": 2, "activation": "leaky_relu", "alpha": 0.2,
                "weights": [[0.5, -0.7, 0.3], [-0.8, 0.1, 0.6]], "bias": [-0.05, 0.2]},
               {"units": 2, "activation": "identity", "weights": [[1.1, -0.4], [0.3, 0.9]]}],
}
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def listing(markdown: str) -> str:
    """The one Python code block of a Markdown document."""
    blocks = re.findall(r"^```python\n(.*?)^```$", markdown, re.S | re.M)
    assert len(blocks) == 1
    return blocks[0]


def printed(code: str) -> dict[str, list[float]]:
    """Run the listing in a fresh Python with numpy; each name it prints with its numbers, flattened."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    found = re.findall(r"^(\w+) = (.*?)(?=^\w+ = |\Z)", out, re.S | re.M)
    return {name: [float(x) for x in NUMBER.findall(text)] for name, text in found}


def flat(value) -> list[float]:
    return [x for item in value for x in flat(item)] if isinstance(value, list) else [value]


def close(shown: list[float], exact: list[float], digits: int) -> bool:
    """Each printed number is the JSON's rounded to `digits` significant figures."""
    tolerance = 0.5 * 10.0 ** (1 - digits) * 1.0001
    return len(shown) == len(exact) and all(abs(s - e) <= tolerance * abs(e) + 1e-15 for s, e in zip(shown, exact))


SPECS = {"mixed": MIXED, "summed": {**MIXED, "reduction": "sum"}, "sse": {**MIXED, "loss": "sse"},
         "sgd-decay": {**MIXED, "weight_decay": 0.1},
         "nesterov": {**MIXED, "optimizer": {"name": "momentum", "momentum": 0.9, "nesterov": True}, "weight_decay": 0.01},
         "adam": {**MIXED, "optimizer": {"name": "adam", "eps": 0.01}, "weight_decay": 0.01, "train_bias": False},
         "adamw": {**MIXED, "optimizer": {"name": "adamw", "betas": [0.8, 0.9]}, "weight_decay": 0.1},
         "gradients": {key: value for key, value in MIXED.items() if key != "learning_rate"}}


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
