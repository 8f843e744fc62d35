"""Optimizers and weight decay: torch.optim's definitions, their validation, documents, answers and the history."""
from __future__ import annotations

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from derive.check.marking import mark
from derive import Options
from derive.cli import main
from derive.errors import SpecError
from derive.io.answers import parse_answers
from derive.io.validate import parse_spec, spec_from_data
from derive.pipeline import derive
from tests.by_hand import classic_gradients, classic_parameters
from tests.conftest import MAZUR
from tests.specs import OPTIMIZERS

# the classic 2-2-2 network (Mazur 2015), two steps
CLASSIC = MAZUR + "steps: 2\n"


@pytest.mark.parametrize("case", sorted(OPTIMIZERS))
def test_each_optimizer_agrees_with_torch_optim(case):
    pytest.importorskip("torch")
    from tests.torch_oracle import assert_agrees
    assert_agrees(parse_spec(CLASSIC.replace("steps: 2\n", "") + OPTIMIZERS[case] +
                             ("" if "steps" in OPTIMIZERS[case] else "steps: 2\n"), f"{case}.yaml"))


def test_adam_over_two_steps_follows_its_definition_worked_apart_in_numpy():
    """Kingma and Ba's algorithm with torch's coupled decay, written out here: the moments carry over."""
    beta1, beta2, eps, eta, lam = 0.9, 0.999, 1e-8, 0.5, 0.01
    params = list(classic_parameters())
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in (1, 2):
        grads = list(classic_gradients(*params))
        for i in range(4):
            g = grads[i] + (lam * params[i] if i in (0, 2) else 0)  # weights only
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            params[i] = params[i] - eta * (m[i] / (1 - beta1 ** t)) / (np.sqrt(v[i] / (1 - beta2 ** t)) + eps)
        if t == 1:
            first = [p.copy() for p in params]
    data = derive(parse_spec(CLASSIC + OPTIMIZERS["adam"], "a.yaml")).data
    out, hidden = data["layers"][1], data["layers"][0]
    np.testing.assert_allclose(hidden["W_new"], first[0], rtol=1e-12)
    np.testing.assert_allclose(out["b_new"], first[3], rtol=1e-12)
    np.testing.assert_allclose(hidden["W_final"], params[0], rtol=1e-12)
    np.testing.assert_allclose(out["m_W_final"], m[2], rtol=1e-12)
    np.testing.assert_allclose(out["v_b_final"], v[3], rtol=1e-12)
    # the first step's bias-corrected moments are the gradient and its square
    np.testing.assert_allclose(out["m_hat_W"], out["g_W"], rtol=1e-12)
    np.testing.assert_allclose(out["v_hat_W"], np.square(out["g_W"]), rtol=1e-12)


def test_momentum_zero_is_plain_gradient_descent():
    plain = derive(parse_spec(CLASSIC, "s.yaml")).data
    still = derive(parse_spec(CLASSIC + "optimizer: {name: momentum, momentum: 0}\n", "m.yaml")).data
    np.testing.assert_allclose(still["loss_history"], plain["loss_history"], rtol=1e-15)
    np.testing.assert_allclose(still["layers"][0]["velocity_W"], plain["layers"][0]["dW"], rtol=1e-15)


def test_the_json_names_the_optimizer_and_keeps_the_data_loss():
    data = derive(parse_spec(CLASSIC + OPTIMIZERS["adam"], "a.yaml")).data
    assert data["optimizer"] == {"name": "adam", "betas": [0.9, 0.999], "eps": 1e-8}
    assert data["weight_decay"] == 0.01
    assert abs(data["loss"] - 0.298371109) < 1e-9  # Mazur's E_total: no penalty term added
    sgd = derive(parse_spec(CLASSIC, "s.yaml")).data
    assert sgd["optimizer"] == {"name": "sgd"} and sgd["weight_decay"] == 0
    assert not [k for k in sgd["layers"][0] if k.startswith(("m_", "v_", "g_", "velocity"))]
    gradients_only = derive(parse_spec(CLASSIC.replace("learning_rate: 0.5\n", "").replace("steps: 2\n", ""),
                                       "g.yaml")).data
    assert gradients_only["optimizer"] is None and gradients_only["weight_decay"] is None


BAD = {
    "optimizer: rmsprop\n": "optimizer: unknown optimizer 'rmsprop'; valid: sgd | momentum | adam | adamw",
    "optimizer: {name: adam, beta: [0.9, 0.99]}\n": "optimizer.beta: unknown field; valid: name, betas, eps",
    "optimizer: {name: adam, betas: [0.9, 1.0]}\n": r"optimizer.betas\[1\]: must lie in \[0, 1\), got 1.0",
    "optimizer: {name: adam, betas: [0.9]}\n": r"optimizer.betas: expected two numbers",
    "optimizer: {name: adamw, eps: 0}\n": r"optimizer.eps: must be > 0, got 0",
    "optimizer: {name: momentum, momentum: 1}\n": r"optimizer.momentum: must lie in \[0, 1\)",
    "optimizer: {name: momentum, momentum: 0, nesterov: true}\n": "optimizer.nesterov: nesterov needs a momentum > 0",
    "optimizer: {name: momentum, nesterov: yes please}\n": "optimizer.nesterov: expected true or false",
    "optimizer: {momentum: 0.9}\n": "optimizer.name: missing",
    "weight_decay: -0.1\n": r"weight_decay: must be >= 0, got -0.1",
    "weight_decay: lots\n": "weight_decay: expected a number",
}


@pytest.mark.parametrize("extra", sorted(BAD))
def test_a_bad_optimizer_is_one_line_naming_the_field(extra):
    with pytest.raises(SpecError, match=r"^o\.yaml:\d+: " + BAD[extra]) as err:
        parse_spec(CLASSIC + extra, "o.yaml")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("extra", ["optimizer: adam\n", "weight_decay: 0.01\n"])
def test_an_optimizer_without_a_learning_rate_is_refused(extra):
    gradients_only = CLASSIC.replace("learning_rate: 0.5\n", "").replace("steps: 2\n", "")
    field = extra.split(":")[0]
    with pytest.raises(SpecError, match=rf"{field}: {field} needs a learning_rate"):
        parse_spec(gradients_only + extra, "g.yaml")


def test_the_cli_refuses_a_bad_optimizer_with_exit_code_2(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text(CLASSIC + "optimizer: {name: adam, eps: -1}\n")
    result = CliRunner().invoke(main, ["run", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "optimizer.eps: must be > 0" in result.output
    assert not (tmp_path / "out").exists()


def test_the_documents_write_the_rule_out_and_substitute_the_first_step():
    example = derive(parse_spec(CLASSIC + OPTIMIZERS["adam"], "a.yaml"))
    text = example.markdown()
    assert "as `torch.optim.Adam(params, lr, betas, eps, weight_decay)` defines it" in text
    assert r"\hat{m}_{t} &= \frac{m_{t}}{1 - \beta_{1}^{t}}" in text
    # dE/dw1 = 0.000438568 (Mazur) plus lambda w1 = 0.0015: the penalty's term in the gradient of the worked weight
    assert r"g_{1} &= \frac{\partial L}{\partial \theta_{0}} + \lambda \theta_{0} " \
           r"= 0.000438568 + 0.01 \cdot 0.15 = 0.00193857" in text
    assert "One step of Adam (the first of 2 steps" in text and r"\eta \sum (\partial L / \partial w)^2" not in text
    decoupled = derive(parse_spec(CLASSIC + OPTIMIZERS["adamw"], "w.yaml"))
    for document in (decoupled.markdown(), decoupled.latex()):
        assert "each weight is first shrunk by the factor" in document
    assert r"\left(1 - \eta \lambda\right)" in decoupled.latex()


def test_a_long_detail_shows_the_state_as_a_table():
    text = derive(parse_spec(CLASSIC + OPTIMIZERS["momentum"], "m.yaml")).markdown(
        options=Options(detail="layer"))
    assert "| parameter | $`g`$ | $`v`$ | new |" in text
    # momentum's first velocity is the decayed gradient: 0.0821670 + 0.01 * 0.4 for w5
    assert "| $`w^{(2)}_{11}`$ | $`0.0861670`$ | $`0.0861670`$ |" in text


def test_the_checker_marks_optimizer_state(tmp_path):
    example = derive(parse_spec(CLASSIC + OPTIMIZERS["adam"] + "notation: numbered\n", "a.yaml"))
    m5 = 0.1 * (0.082167041 + 0.01 * 0.40)  # (1 - beta1) g for w5, by hand from Mazur's dE/dw5
    answers = parse_answers(f"m_w5: {m5:.8f}\nmhat_w5: 0.0861670\n\"layers[1].v_W[0][0]\": 0.5\n",
                            "ans.yaml", example.spec)
    marks = {m.quantity.json_path: m.status for m in mark(example.graph, answers).marks}
    assert marks == {"layers[1].m_W[0][0]": "correct", "layers[1].m_hat_W[0][0]": "correct",
                     "layers[1].v_W[0][0]": "wrong"}
    with pytest.raises(SpecError, match="has no velocity_W"):
        parse_answers("\"layers[1].velocity_W[0][0]\": 0.5\n", "ans.yaml", example.spec)


def test_long_runs_in_floats_agree_with_forty_digits():
    """Past MP_WORK_LIMIT the loop runs in floats: the same numbers to float precision, every optimizer."""
    from derive.core import evaluate as ev_module
    for case in ("momentum", "adam", "adamw", "sgd-decay"):
        text = CLASSIC.replace("steps: 2", "steps: 60") + OPTIMIZERS[case]
        forty = derive(parse_spec(text, "x.yaml")).data
        limit, ev_module.MP_WORK_LIMIT = ev_module.MP_WORK_LIMIT, 0
        try:
            floats = derive(parse_spec(text, "x.yaml")).data
        finally:
            ev_module.MP_WORK_LIMIT = limit
        np.testing.assert_allclose(floats["loss_history"], forty["loss_history"], rtol=1e-10)
        np.testing.assert_allclose(floats["layers"][0]["W_final"], forty["layers"][0]["W_final"], rtol=1e-10)


def test_a_spec_with_an_optimizer_round_trips_through_yaml():
    from derive.io.spec_yaml import spec_yaml
    spec = parse_spec(CLASSIC + OPTIMIZERS["nesterov"], "n.yaml")
    again = spec_from_data(yaml.safe_load(spec_yaml(spec)), "again.yaml")
    assert again.optimizer == spec.optimizer and again.weight_decay == spec.weight_decay


def test_answers_give_the_state_by_layer_too():
    example = derive(parse_spec(CLASSIC + OPTIMIZERS["momentum"], "m.yaml"))
    # momentum's first velocity is the gradient plus lambda w: Mazur's dE/dw5 = 0.082167041 and 0.01 * 0.40
    answers = parse_answers("layers:\n  2:\n    velocity_W: [[0.0861670, null], [null, null]]\n", "ans.yaml",
                            example.spec)
    marks = [(m.quantity.json_path, m.status) for m in mark(example.graph, answers).marks if m.status != "not_answered"]
    assert marks == [("layers[1].velocity_W[0][0]", "correct")]
    with pytest.raises(SpecError, match="unknown layer field; valid: .*velocity_W, velocity_b$"):
        parse_answers("layers:\n  2:\n    m_W: [[0.1, 0.1], [0.1, 0.1]]\n", "ans.yaml", example.spec)
