"""loss: sse — the sum of squared errors without the ½: twice half_sse's loss and every gradient."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from derive.check.catalogue import MISTAKES
from derive.check.mistakes import diagnose
from derive.cli import main
from derive.core.graph import build_graph
from derive.exam.draw import possible_draws
from derive.exam.generate import _Judge, make_exam
from derive.exam.questions import DEFAULT_KINDS
from derive.exam.shape import shape_from_flags
from derive.io.examples import example_text
from derive.io.validate import parse_spec, spec_from_data
from derive.pipeline import derive
from derive.render.latex import render_tex
from derive.render.pdf import compile_pdf_with_log, overfull_boxes
from derive.views.document import Options
from tests.tex import needs_pdftotext, needs_tex, pdf_text, shown

CLASSIC = yaml.safe_load(example_text("classic-2-2-2"))
NETWORKS = {
    "classic": {key: CLASSIC[key] for key in ("inputs", "targets", "layers", "learning_rate")},
    # a batch of three summed, a ReLU unit or two below zero, three layers
    "relu-tanh-identity-summed": {
        "inputs": [[0.5, -1.0, 0.3], [1.5, 0.25, -0.7], [-0.2, 0.8, 0.1]],
        "targets": [[0.2, -0.1], [0.7, 0.4], [-0.5, 0.9]], "reduction": "sum", "learning_rate": 0.1,
        "layers": [{"units": 3, "activation": "relu", "bias": 0.1,
                    "weights": [[0.4, -0.6, 0.2], [0.9, 0.2, -0.3], [-0.3, 0.8, 0.5]]},
                   {"units": 2, "activation": "tanh", "weights": [[0.5, -0.7, 0.3], [-0.8, 0.1, 0.6]],
                    "bias": [-0.05, 0.2]},
                   {"units": 2, "activation": "identity", "weights": [[1.1, -0.4], [0.3, 0.9]]}]},
    # leaky ReLU into one sigmoid output, each layer's units sharing one bias, a batch of two averaged
    "leaky-sigmoid-shared": {
        "inputs": [[0.4, -0.3], [0.9, 0.2]], "targets": [[0.1], [0.8]], "learning_rate": 0.5,
        "layers": [{"units": 3, "activation": "leaky_relu", "alpha": 0.1, "bias": 0.2, "shared_bias": True,
                    "weights": [[0.2, 0.5], [-0.4, 0.3], [0.6, -0.1]]},
                   {"units": 1, "activation": "sigmoid", "weights": [[0.3, -0.5, 0.4]], "bias": -0.1,
                    "shared_bias": True}]},
    # softmax outputs with a squared error, and no learning rate: gradients only
    "tanh-softmax": {
        "inputs": [[0.3, -0.5], [0.8, 0.1]], "targets": [[0, 1, 0], [1, 0, 0]],
        "layers": [{"units": 2, "activation": "tanh", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": 0.1},
                   {"units": 3, "activation": "softmax", "weights": [[0.3, -0.6], [0.8, 0.2], [-0.5, 0.4]],
                    "bias": [0.0, 0.1, -0.1]}]},
}


def spec(name: str, loss: str = "sse"):
    return spec_from_data({**NETWORKS[name], "loss": loss}, f"{name}.yaml")


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# each activation and its derivative by z, given z and a = f(z); softmax's Jacobian is applied apart
ACTIVATE = {"identity": (lambda z, al: z, lambda z, a, al: np.ones_like(z)),
            "sigmoid": (lambda z, al: 1 / (1 + np.exp(-z)), lambda z, a, al: a * (1 - a)),
            "tanh": (lambda z, al: np.tanh(z), lambda z, a, al: 1 - a ** 2),
            "relu": (lambda z, al: np.maximum(z, 0), lambda z, a, al: (z > 0) * 1.0),
            "leaky_relu": (lambda z, al: np.where(z > 0, z, al * z), lambda z, a, al: np.where(z > 0, 1.0, al)),
            "softmax": (lambda z, al: _softmax(z), None)}


def numpy_sse(data: dict) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The loss Σ_k (t_k − a_k)² over the batch and its gradients by the chain rule, written apart from derive."""
    a, t = np.array(data["inputs"], dtype=float), np.array(data["targets"], dtype=float)
    layers = data["layers"]
    ws = [np.array(layer["weights"], dtype=float) for layer in layers]
    bs = [np.full(layer["units"], float(layer.get("bias", 0))) if np.ndim(layer.get("bias", 0)) == 0
          else np.array(layer["bias"], dtype=float) for layer in layers]
    zs, acts = [], [a]
    for layer, w, b in zip(layers, ws, bs):
        zs.append(acts[-1] @ w.T + b)
        acts.append(ACTIVATE[layer["activation"]][0](zs[-1], layer.get("alpha", 0.01)))
    per_example = ((t - acts[-1]) ** 2).sum(axis=1)
    n = len(t) if data.get("reduction", "mean") == "mean" else 1
    g = 2 * (acts[-1] - t) / n  # d/da of Σ (t − a)², scaled as the batch's loss is
    dW, db = [None] * len(layers), [None] * len(layers)
    for l in reversed(range(len(layers))):
        a_l = acts[l + 1]
        if layers[l]["activation"] == "softmax":
            # softmax's Jacobian a_j (δ_jm − a_m), applied to g row by row
            delta = a_l * (g - (g * a_l).sum(axis=1, keepdims=True))
        else:
            delta = g * ACTIVATE[layers[l]["activation"]][1](zs[l], a_l, layers[l].get("alpha", 0.01))
        dW[l] = delta.T @ acts[l]
        db[l] = delta.sum(axis=0)
        if layers[l].get("shared_bias"):  # one bias moves every unit's z: its gradient sums the units
            db[l] = db[l].sum(keepdims=True)
        g = delta @ ws[l]
    return float(per_example.sum() / n), dW, db


@pytest.mark.parametrize("name", NETWORKS)
def test_sse_is_exactly_twice_half_sse_in_the_loss_and_every_gradient(name):
    sse, half = derive(spec(name), full_check_limit=100).data, derive(spec(name, "half_sse")).data
    # doubling is exact in binary floating point, so the 40-digit values, and their floats, are exactly twice
    assert sse["loss"] == 2 * half["loss"]
    assert sse["example_losses"] == [2 * v for v in half["example_losses"]]
    for s, h in zip(sse["layers"], half["layers"]):
        for key in ("dl_da", "delta", "dW", "db"):
            np.testing.assert_array_equal(np.array(s[key]), 2 * np.array(h[key]), err_msg=key)
    # the three oracles ran, the symbolic one included (derive() raises if one that ran disagrees)
    assert all(c["ran"] for c in sse["checks"])
    assert [c["name"] for c in sse["checks"]] == ["finite differences", "numpy backprop", "full symbolic derivative"]


@pytest.mark.parametrize("name", NETWORKS)
def test_sse_matches_a_numpy_backprop_written_here(name):
    data = derive(spec(name)).data
    loss, dW, db = numpy_sse(NETWORKS[name])
    assert data["loss"] == pytest.approx(loss, rel=1e-13)
    for layer, want_w, want_b in zip(data["layers"], dW, db):
        np.testing.assert_allclose(np.array(layer["dW"]), want_w, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(np.atleast_1d(layer["db"]), want_b, rtol=1e-12, atol=1e-15)


def test_sse_agrees_with_pytorch():
    pytest.importorskip("torch")
    from tests.torch_oracle import assert_agrees
    for name in NETWORKS:  # torch.optim takes a step: the gradient-only network gets a learning rate
        assert_agrees(spec_from_data({"learning_rate": 0.1, **NETWORKS[name], "loss": "sse"}, f"{name}.yaml"))
    assert_agrees(spec_from_data({**NETWORKS["relu-tanh-identity-summed"], "loss": "sse", "steps": 3,
                                  "optimizer": "adam", "reduction": "mean"}, "adam.yaml"))


def test_the_document_names_the_loss_and_writes_its_formula_and_derivative():
    example = derive(spec("classic"))
    text = example.markdown()
    loss, _, _ = numpy_sse(NETWORKS["classic"])
    assert r"- Loss: sum of squared errors, $`L = \sum_{k=1}^{2} \left(t_{k} - a^{(2)}_{k}\right)^{2}`$." in text
    # no factor 1 in front of the sum, and no parentheses around it
    assert r"L &= \left(t_{1} - a^{(2)}_{1}\right)^{2} + \left(t_{2} - a^{(2)}_{2}\right)^{2} \\" in text
    assert rf"&= {shown(loss)}" in text
    assert r"&= 2 \left(a^{(2)}_{1} - t_{1}\right) = 2 \cdot \left(" in text
    assert example.data["loss_function"] == "sse"
    batch = derive(spec("relu-tanh-identity-summed")).markdown()
    assert r"\ell^{[n]} = \sum_{k=1}^{2} \left(t^{[n]}_{k} - a^{(3)[n]}_{k}\right)^{2}" in batch


def test_the_numpy_listing_prints_the_json_values():
    from tests.listing import close, flat, listing, printed
    example = derive(spec("relu-tanh-identity-summed"))
    numbers = printed(listing(example.markdown(Options(with_code=True))))
    assert close(numbers["L"], [example.data["loss"]], 6)
    for l, layer in enumerate(example.data["layers"], 1):
        assert close(numbers[f"dW{l}"], flat(layer["dW"]), 6) and close(numbers[f"db{l}"], layer["db"], 6)


@needs_tex
@needs_pdftotext
def test_the_pdf_compiles_and_shows_the_loss(tmp_path):
    pdf, log = compile_pdf_with_log(render_tex(derive(spec("classic")).document()))
    assert pdf.startswith(b"%PDF") and all(box <= 1.0 for box in overfull_boxes(log)), overfull_boxes(log)
    text = pdf_text(pdf, tmp_path)
    loss, dW, _ = numpy_sse(NETWORKS["classic"])
    assert "Loss: sum of squared errors" in text and shown(loss) in text and shown(dW[1][0, 0]) in text


@pytest.mark.parametrize("layers, activations", [("2,2,2", "sigmoid"), ("2,3,1", "tanh,identity"),
                                                 ("2,2,2", "relu,sigmoid"), ("3,3", "softmax")])
def test_the_exam_accepts_every_sse_draw_it_accepts_for_half_sse(layers, activations):
    half, sse = (shape_from_flags(layers, activations, loss, None) for loss in ("half_sse", "sse"))
    assert possible_draws(sse) == possible_draws(half)
    exam = make_exam(half, 20, 4, DEFAULT_KINDS)
    # the same numbers and questions judged as an sse exam: doubled gradients are no smaller, no less certain
    judge = _Judge(build_graph(replace(exam.variants[0].spec, loss="sse")), exam.digits)
    for v in exam.variants:
        assert judge(replace(v.spec, loss="sse"), [(q.kind, q.quantity) for q in v.questions])[0] is None, v.id


def test_an_exam_on_an_sse_network_keys_twice_the_half_sse_gradients(tmp_path):
    out = tmp_path / "exam"
    result = CliRunner().invoke(main, ["exam", "--layers", "2,2,1", "--loss", "sse", "--variants", "6", "--seed", "2",
                                       "--questions", "loss,gradient", "--format", "md,json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Loss: sum of squared errors" in (out / "questions.md").read_text()
    keys = json.loads((out / "answers.json").read_text())
    assert {k["kind"] for k in keys} == {"loss", "gradient"}
    for key in keys:
        variant = yaml.safe_load((out / "variants" / f"{key['variant']}.yaml").read_text())
        assert variant["loss"] == "sse"
        half = derive(spec_from_data({**variant, "loss": "half_sse"}, "half.yaml")).data
        value = half["loss"] if key["quantity"] == "loss" else _at(half, key["quantity"])
        assert key["value"] == pytest.approx(2 * value, rel=1e-12)


def _at(data: dict, path: str) -> float:
    """The JSON number at a path like layers[1].dW[0][1]."""
    layer, rest = path.removeprefix("layers[").split("].", 1)
    field, *index = rest.replace("]", "").split("[")
    value = data["layers"][int(layer)][field]
    for i in index:
        value = value[int(i)]
    return value


def test_derive_new_draws_an_sse_network_and_an_unknown_loss_lists_sse(tmp_path):
    out = tmp_path / "net.yaml"
    result = CliRunner().invoke(main, ["new", "--layers", "2,2,1", "--loss", "sse", "-o", str(out)])
    assert result.exit_code == 0, result.output
    drawn = parse_spec(out.read_text(), "net.yaml")
    assert drawn.loss == "sse" and derive(drawn).data["loss_function"] == "sse"
    result = CliRunner().invoke(main, ["new", "--layers", "2,2,1", "--loss", "sum_squared",
                                       "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code != 0 and not (tmp_path / "x.yaml").exists()
    valid = "valid: half_sse | sse | mse | cross_entropy | binary_cross_entropy"
    assert f"unknown loss 'sum_squared'; {valid}" in result.output


def test_sse_has_a_half_to_add_not_to_forget_and_every_other_mistake_applies_as_for_half_sse():
    for name in NETWORKS:
        sse, half = spec(name), spec(name, "half_sse")
        assert not MISTAKES["half_forgotten"].applies(sse) and MISTAKES["half_forgotten"].applies(half)
        assert MISTAKES["half_added"].applies(sse) and not MISTAKES["half_added"].applies(half)
        assert ({m for m, mistake in MISTAKES.items() if mistake.applies(sse)} - {"half_added"}
                == {m for m, mistake in MISTAKES.items() if mistake.applies(half)} - {"half_forgotten"})


def test_a_correct_sse_answer_set_gets_no_diagnosis():
    graph = build_graph(spec("leaky-sigmoid-shared"))
    answers = {s.quantity: float(f"{float(s.value):.6g}") for s in graph.steps if not s.given}
    tolerance = {q: 1e-5 * abs(v) + 1e-6 for q, v in answers.items()}
    assert not any(diagnose(graph, answers, tolerance, list(answers)).values())
