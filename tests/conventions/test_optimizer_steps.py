"""The optimizer section: rules in textbook order, the first weight worked through two steps, all first steps."""
from __future__ import annotations

import re

import numpy as np
import pytest

from derive import Options
from derive.core.history import second_step
from derive.core.quantities import Quantity as Q
from derive.io.validate import parse_spec
from derive.pipeline import derive
from tests.conftest import MAZUR
from tests.specs import OPTIMIZERS

TWO_STEPS = MAZUR + "steps: 2\n"


def _example(case: str, extra: str = "steps: 2\n"):
    return derive(parse_spec(MAZUR + extra + OPTIMIZERS[case], f"{case}.yaml"))


RULES = {  # each rule as PyTorch's documentation writes it: the state carried in first, epsilon last
    "adam": [r"m_{t} &= \beta_{1} m_{t-1} + \left(1 - \beta_{1}\right) g_{t}",
             r"v_{t} &= \beta_{2} v_{t-1} + \left(1 - \beta_{2}\right) g_{t}^{2}",
             r"g_{t} &= \frac{\partial L}{\partial \theta_{t-1}} + \lambda \theta_{t-1}",
             r"\theta_{t} &= \theta_{t-1} - \frac{\eta \hat{m}_{t}}{\sqrt{\hat{v}_{t}} + \epsilon}"],
    "adamw": [r"\theta_{t} &= \left(1 - \eta \lambda\right) \theta_{t-1} - \frac{\eta \hat{m}_{t}}"
              r"{\sqrt{\hat{v}_{t}} + \epsilon}"],
    "momentum": [r"v_{t} &= \mu v_{t-1} + g_{t}", r"\theta_{t} &= \theta_{t-1} - \eta v_{t}"],
    "nesterov": [r"\theta_{t} &= \theta_{t-1} - \eta \left(g_{t} + \mu v_{t}\right)"],
    "sgd-decay": [r"g_{t} &= \frac{\partial L}{\partial \theta_{t-1}} + \lambda \theta_{t-1}",
                  r"\theta_{t} &= \theta_{t-1} - \eta g_{t}"],
}


@pytest.mark.parametrize("case", sorted(RULES))
def test_the_rule_reads_in_textbook_order(case):
    example = _example(case)
    text, latex = example.markdown(), example.latex()
    for line in RULES[case]:
        assert line in text
        lhs, rhs = line.split(" &= ")
        assert rf"\derivation{{{lhs}}}{{\eqstep{{{rhs}}}}}" in latex


def _torch_two_steps(case: str):
    """w^(1)_11's gradient, state and value at t = 2 by autograd and torch.optim, from the spec's numbers alone."""
    torch = pytest.importorskip("torch")
    from tests.torch_oracle import torch_optimizer
    spec = parse_spec(TWO_STEPS + OPTIMIZERS[case], "t.yaml")
    x = torch.tensor([[0.05, 0.10]], dtype=torch.float64)
    t = torch.tensor([[0.01, 0.99]], dtype=torch.float64)
    Ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True)
          for w in ([[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]])]
    bs = [torch.tensor([b, b], dtype=torch.float64, requires_grad=True) for b in (0.35, 0.60)]
    optimizer = torch_optimizer(spec, Ws, bs)
    for _ in range(2):
        optimizer.zero_grad()
        a = torch.sigmoid(torch.sigmoid(x @ Ws[0].T + bs[0]) @ Ws[1].T + bs[1])
        (0.5 * ((t - a) ** 2).sum()).backward()
        grad = Ws[0].grad[0, 0].item()
        optimizer.step()
    state = optimizer.state[Ws[0]]
    out = {"dW": grad, "W_new": Ws[0][0, 0].item()}
    if "exp_avg" in state:
        (beta1, beta2) = spec.optimizer.values["betas"]
        m, v = state["exp_avg"][0, 0].item(), state["exp_avg_sq"][0, 0].item()
        out.update(m_W=m, v_W=v, m_hat_W=m / (1 - beta1 ** 2), v_hat_W=v / (1 - beta2 ** 2))
    if "momentum_buffer" in state and state["momentum_buffer"] is not None:
        out["velocity_W"] = state["momentum_buffer"][0, 0].item()
    return out


@pytest.mark.parametrize("case", ["adam", "adamw", "momentum", "nesterov", "sgd-decay"])
def test_the_second_step_agrees_with_torch_optim(case):
    expected = _torch_two_steps(case)
    graph = _example(case).graph
    second = second_step(graph)
    for kind, value in expected.items():
        assert float(second[Q(kind, 1, 0, 1, 1)]) == pytest.approx(value, rel=1e-12, abs=1e-15), kind


def _adam_in_numpy(beta1=0.9, beta2=0.999, eps=1e-8, eta=0.5, lam=0.01):
    """Kingma and Ba's two steps on the whole network with torch's coupled decay, apart: w^(1)_11's values."""
    from tests.by_hand import classic_gradients, classic_parameters
    params = list(classic_parameters())
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    out = []
    for t in (1, 2):
        grads = classic_gradients(*params)
        for i in range(4):
            g = grads[i] + (lam * params[i] if i in (0, 2) else 0)  # weights only
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat, v_hat = m[i] / (1 - beta1 ** t), v[i] / (1 - beta2 ** t)
            params[i] = params[i] - eta * m_hat / (np.sqrt(v_hat) + eps)
            if i == 0:
                out.append({"g": g[0, 0], "m": m[0][0, 0], "v": v[0][0, 0], r"\hat{m}": m_hat[0, 0],
                            r"\hat{v}": v_hat[0, 0], r"\theta": params[0][0, 0]})
    return out


def _shown(text: str, lhs: str) -> float:
    """The value an aligned chain of the document ends on: 'lhs &= ... = value', over rows '&= ...' if broken."""
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(f"{lhs} &="))
    while lines[i + 1].startswith("&"):
        i += 1
    value = re.split(r"=|\\approx", lines[i].removesuffix(r" \\"))[-1].strip()
    mantissa, _, exponent = value.partition(r" \times 10^")
    return float(mantissa) * 10.0 ** int(exponent.strip("{}") or 0)


def test_the_worked_weight_shows_both_steps_as_an_independent_adam_computes_them():
    text = _example("adam").markdown()
    for t, values in enumerate(_adam_in_numpy(), 1):
        for letter, value in values.items():
            assert _shown(text, f"{letter}_{{{t}}}") == pytest.approx(value, rel=6e-6), (t, letter)
    # step 2 divides by 1 - beta^2 and carries m_1 in: the numbers substituted show it
    assert re.search(re.escape(r"\hat{m}_{2} &= \frac{m_{2}}{1 - \beta_{1}^{2}} = \frac{") + ".*?"
                     + re.escape("}{1 - 0.9^{2}}"), text)
    # m_1 = (1 - 0.9) g_1 = 0.1 * 0.00193857, by hand from Mazur's dE/dw1 0.000438568 plus 0.01 * 0.15
    assert r"m_{2} &= \beta_{1} m_{1} + \left(1 - \beta_{1}\right) g_{2}" in text
    assert r"= 0.9 \cdot 0.000193857 + \left(1 - 0.9\right) \cdot" in text


def test_the_table_has_every_trained_parameter_and_one_weight_is_worked():
    for train_bias in (True, False):
        example = derive(parse_spec(TWO_STEPS + OPTIMIZERS["adam"] + f"train_bias: {str(train_bias).lower()}\n",
                                    "a.yaml"))
        text = example.markdown()
        section = text[text.index("The first step, $`t = 1`$, for every"):]
        table = section[:section.index("\n\n", section.index("| parameter"))]
        assert "| parameter | $`g`$ | $`m`$ | $`v`$ | $`\\hat{m}`$ | $`\\hat{v}`$ | new |" in table
        # layer by layer, its weights then its biases
        names = [name for l in (1, 2) for name in [f"w^{{({l})}}_{{{j}{k}}}" for j in (1, 2) for k in (1, 2)]
                 + ([f"b^{{({l})}}_{{{j}}}" for j in (1, 2)] if train_bias else [])]
        rows = re.findall(r"^\| \$`(.*?)`\$ \|", table, re.M)
        assert rows == names
        # one weight in lines, no others: no state of any other parameter is written out in full
        assert text.count("m_{1} &=") == 1 and text.count("m_{2} &=") == 1 and "m_{w^{(" not in text
        assert r"worked through both steps" in text and r"\theta_0 = w^{(1)}_{11} = 0.15" in text


def test_a_one_step_spec_says_what_the_second_step_would_take():
    text = " ".join(_example("adam", extra="steps: 1\n").markdown().split())  # prose lines joined
    assert "m_{1} &=" in text and "m_{2} &=" not in text and "1 - \\beta_2^2" in text
    assert r"The spec takes one step, so $`t = 2`$ is not worked: it would start from $`g_2`$, " \
           "the gradient at the new parameters" in text


def test_a_shorter_detail_keeps_the_table_alone():
    text = _example("adam").markdown(options=Options(detail="layer"))
    assert "m_{1} &=" not in text and "| parameter | $`g`$ | $`m`$ |" in text
