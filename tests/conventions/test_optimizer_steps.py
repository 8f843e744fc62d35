"""The second step of every optimizer, computed through the core's loop, against torch.optim."""
from __future__ import annotations

import pytest

from derive.core.evaluate import second_step
from derive.core.quantities import Quantity as Q
from derive.io.validate import parse_spec
from derive.pipeline import derive
from tests.conftest import MAZUR
from tests.conventions.test_optimizers import OPTIMIZERS

TWO_STEPS = MAZUR + "steps: 2\n"


def _example(case: str, extra: str = "steps: 2\n"):
    return derive(parse_spec(MAZUR + extra + OPTIMIZERS[case], f"{case}.yaml"))


def _torch_two_steps(case: str):
    """w^(1)_11's gradient, state and value at t = 2 by autograd and torch.optim, from the spec's numbers alone."""
    torch = pytest.importorskip("torch")
    from tests.oracles.test_torch import torch_optimizer
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
