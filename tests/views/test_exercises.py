"""Questions for the reader (--exercises): their answers against numpy and hand algebra, and off by default."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

import derive
from derive.cli import main
from derive.io.examples import example_names
from derive.render.pdf import compile_pdf_with_log, overfull_boxes
from tests.oracle import arrays, oracle
from tests.specs import MIXED, SPECS
from tests.tex import needs_tex

ON = derive.Options(exercises=True)
MD_SECTION = re.compile(r"^## Questions for the reader\n.*?(?=^## (?!Answers))", re.S | re.M)
TEX_SECTION = re.compile(r"\n\\section\*\{Questions for the reader\}.*?(?=\n\\section\*\{(?!Answers))", re.S)


def with_exercises(example) -> derive.Options:
    """The example's own display options (its spec's notation), with the questions."""
    return replace(example.default_options(), exercises=True)


def questions(spec) -> list[dict[str, str]]:
    example = derive.derive(derive.load(spec))
    return example.document(with_exercises(example))["exercises"]["questions"]


def maths(text: str) -> list[str]:
    """The inline maths of a sentence, in order."""
    return re.findall(r"\$([^$]*)\$", text)


def numbers(tex: str) -> list[float]:
    """The numbers a piece of maths shows, in order; the indices of names (w_{5}, a^{(1)}) are not numbers."""
    tex = re.sub(r"\\times 10\^\{(-?\d+)\}", r"e\1", tex).replace(r"\left(", "").replace(r"\right)", "")
    previous = None
    while previous != tex:
        previous, tex = tex, re.sub(r"[_^]\{[^{}]*\}", "", tex)
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", tex)]


def close(shown: float, exact: float, digits: int = 6) -> bool:
    """A shown number is the exact one rounded to `digits` significant figures."""
    return abs(shown - exact) <= 0.5 * 10.0 ** (1 - digits) * 1.0001 * abs(exact) + 1e-15


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def classic_by_hand() -> dict[str, np.ndarray]:
    """The classic 2-2-2 step, written out: sigmoid units, one shared bias per layer, half squared error."""
    x, t = np.array([0.05, 0.10]), np.array([0.01, 0.99])
    W1, W2 = np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])
    h = sigmoid(W1 @ x + 0.35)
    o = sigmoid(W2 @ h + 0.60)
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return {"x": x, "h": h, "W": [W1, W2], "delta": [delta_h, delta_o], "dW": [np.outer(delta_h, x), np.outer(delta_o, h)]}


def test_off_by_default_and_on_it_only_adds_its_section():
    assert derive.Options().exercises is False
    for name in example_names():
        example = derive.derive(derive.load(name))
        md, tex = example.markdown(with_exercises(example)), example.latex(with_exercises(example))
        assert md.count("## Questions for the reader") == 1 and md.count("## Answers") == 1
        assert MD_SECTION.sub("", md) == example.markdown()
        assert tex.count(r"\section*{Answers}") == 1
        assert TEX_SECTION.sub("", tex) == example.latex()


def test_the_weight_that_moved_most_is_the_one_of_the_largest_step_and_its_factors_are_delta_and_activation():
    hand, eta = classic_by_hand(), 0.5
    flat = np.concatenate([d.ravel() for d in hand["dW"]])
    most = int(np.argmax(np.abs(eta * flat)))  # the post numbers w1..w4 in layer 1, w5..w8 in layer 2
    assert most == 5  # w6: the same delta as w5, times the larger hidden activation
    answer = questions("classic-2-2-2")[0]["answer"]
    parts = maths(answer)
    assert parts[0] == "w_{6}"
    move, old = -eta * hand["dW"][1][0, 1], hand["W"][1][0, 1]
    assert close(numbers(parts[1])[0], move) and numbers(parts[2]) == [old] and close(numbers(parts[3])[0], old + move)
    worked = numbers(next(p for p in parts if p.startswith(r"\frac{\partial L}{\partial w_{6}}")))
    for shown, exact in zip(worked, [hand["delta"][1][0], hand["h"][1], hand["dW"][1][0, 1]]):
        assert close(shown, exact)
    # o1's delta is the largest of all four, and h2 the larger activation into o1
    assert max(np.abs(np.concatenate(hand["delta"]))) == abs(hand["delta"][1][0]) and hand["h"][1] > hand["h"][0]
    assert "largest $\\delta$ in size of any unit and it carries the largest activation into that unit" in answer


@pytest.mark.parametrize("name", ["classic-2-2-2", "sigmoid-bce-2-2-1", "mixed", "summed"])
def test_a_doubled_learning_rate_gives_w_minus_two_eta_times_numpys_gradient(name):
    spec = derive.load(SPECS.get(name, name))
    result, eta = oracle(spec), spec.learning_rate
    W = arrays(spec)["weights"][-1]
    expected = W[0, 0] - 2 * eta * result.dW[-1][0, 0]
    doubled = questions(SPECS.get(name, name))[1]
    assert f"\\eta = {2 * eta:g}" in doubled["question"]
    first = maths(doubled["answer"])[0]
    assert close(numbers(first)[-1], expected), (first, expected)


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adams_first_step_is_eta_times_g_over_its_size_plus_eps_and_doubles_with_eta(name):
    spec = derive.load(SPECS[name])
    eta, decay, W = spec.learning_rate, spec.weight_decay, arrays(spec)["weights"][-1][0, 0]
    eps = spec.optimizer.values.get("eps", 1e-8)
    g = oracle(spec).dW[-1][0, 0] + (decay * W if name == "adam" else 0)  # Adam adds the decay to g
    # m_hat = g and v_hat = g^2 on the first step, whatever the betas
    move = -eta * g / (abs(g) + eps) - (eta * decay * W if name == "adamw" else 0)
    adam, doubled = questions(SPECS[name])[:2]
    assert close(numbers(maths(adam["answer"])[0])[0], move)
    assert close(numbers(maths(doubled["answer"])[0])[0], W + 2 * move)
    # eps = 0.01 is not small against this gradient; the default 1e-8 is
    assert ("falls short of" in adam["answer"]) == (abs(g) / (abs(g) + eps) < 0.99) == (name == "adam")


def test_a_gradient_only_spec_asks_no_question_of_a_step():
    spec = SPECS["gradients"]
    asked = questions(spec)
    assert len(asked) == 2
    assert not any(word in q["question"] for q in asked for word in ("learning rate", "moved", "step"))
    result = oracle(derive.load(spec))
    sizes = [(abs(d[j, k]), l, j, k) for l, d in enumerate(result.dW, 1) for j in range(d.shape[0]) for k in range(d.shape[1])]
    _, l, j, k = max(sizes)
    answer = asked[0]["answer"]
    assert maths(answer)[0] == f"w^{{({l})}}_{{{j + 1}{k + 1}}}"
    worked = maths(answer)[-1]
    assert close(numbers(worked)[-1], result.dW[l - 1][j, k])
    md = derive.derive(derive.load(spec)).markdown(ON)
    assert "No learning rate is given, so none is about a step." in md


def test_an_input_of_zero_zeroes_the_gradients_of_the_weights_leaving_it():
    spec = derive.load(MIXED)
    kwargs = arrays(spec)
    kwargs["x"] = kwargs["x"].copy()
    kwargs["x"][:, 0] = 0
    from derive.oracles import numpy_backprop
    assert np.all(numpy_backprop.backprop(**kwargs).dW[0][:, 0] == 0)
    zero = questions(MIXED)[2]
    assert "$x_{1}$ were 0 in every example" in zero["question"]
    answer = zero["answer"]
    assert "($w^{(1)}_{11}$, $w^{(1)}_{21}$ and $w^{(1)}_{31}$)" in answer
    now = re.search(r"as given, they are (.*?)\. The other", answer).group(1)
    shown = [numbers(m)[0] for m in maths(now)]
    assert len(shown) == 3 and all(close(s, e) for s, e in zip(shown, oracle(spec).dW[0][:, 0]))
    # an input that is 0 already is not asked of
    first_zero = {**MIXED, "inputs": [[0.0, -1.0], [0.0, 0.25]]}
    assert "$x_{2}$ were 0" in questions(first_zero)[2]["question"]


def test_exercises_is_an_option_of_run_and_example_for_markdown_and_latex(tmp_path, write_spec):
    spec = write_spec(json.dumps(MIXED))
    runner = CliRunner()
    result = runner.invoke(main, ["run", str(spec), "-o", str(tmp_path), "--format", "md,tex", "--exercises"])
    assert result.exit_code == 0, result.output
    assert "## Questions for the reader" in (tmp_path / "net.md").read_text()
    assert "\\section*{Answers}" in (tmp_path / "net.tex").read_text()
    result = runner.invoke(main, ["example", "classic-2-2-2", "-o", str(tmp_path), "--format", "md", "--exercises"])
    assert result.exit_code == 0 and "what would $`w_{5}`$ be after this step?" in (tmp_path / "classic-2-2-2.md").read_text()
    result = runner.invoke(main, ["run", str(spec), "-o", str(tmp_path / "j"), "--format", "json", "--exercises"])
    assert result.exit_code == 2 and "--exercises" in result.output


@needs_tex
@pytest.mark.parametrize("name", ["classic-2-2-2", "adamw", "gradients"])
def test_the_article_with_its_questions_compiles_within_the_margins(name):
    _, log = compile_pdf_with_log(derive.derive(derive.load(SPECS.get(name, name))).latex(ON))
    assert overfull_boxes(log) == []


def test_weights_that_tie_are_named_together():
    # two equal inputs into one unit through equal weights: by symmetry their gradients, and moves, are equal
    twin = {"inputs": [[0.5, 0.5]], "targets": [[1.0]], "loss": "half_sse", "learning_rate": 0.1,
            "layers": [{"units": 1, "activation": "identity", "weights": [[0.1, 0.1]], "bias": 0.0}]}
    dW = oracle(derive.load(twin)).dW[0]
    assert dW[0, 0] == dW[0, 1] != 0
    answer = questions(twin)[0]["answer"]
    assert answer.startswith("$w^{(1)}_{11}$ (and $w^{(1)}_{12}$, by as much), by ")
    # delta = a - t = 0.1 - 1 and the step is -eta * delta * x = 0.045, by hand
    assert close(numbers(maths(answer)[2])[0], 0.045)
