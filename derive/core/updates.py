"""Registry of update rules: how a parameter and its optimizer state move each step, as torch.optim defines them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp

ETA, T = sp.Symbol(r"\eta"), sp.Symbol("t")  # the learning rate; the step's number, from 1
MU, EPS, LAMBDA = sp.Symbol(r"\mu"), sp.Symbol(r"\epsilon"), sp.Symbol(r"\lambda")
BETA1, BETA2 = sp.Symbol(r"\beta_{1}"), sp.Symbol(r"\beta_{2}")


@dataclass(frozen=True)
class Symbols:
    """One parameter's update: the value it starts from, its gradient, its state before and after the step."""

    start: sp.Expr  # w, or w(1 - eta lambda) under decoupled weight decay
    g: sp.Symbol  # the gradient, with lambda w added under coupled weight decay
    before: dict[str, sp.Expr]  # the carried state of the step before: 0 at the first step
    now: dict[str, sp.Symbol]  # this step's state values, which later formulas read


@dataclass(frozen=True)
class UpdateRule:
    """One optimizer: its settings, its per-parameter state, and the formulas of a step."""

    name: str
    title: str
    torch: str  # the torch.optim call it equals
    defaults: dict[str, Any]  # the settings a spec may give, with their defaults
    constants: Callable[[dict[str, Any]], dict[sp.Symbol, Any]]  # the settings as the formulas' constants
    # state values per parameter in computation order, and those carried to the next step
    state: tuple[str, ...]
    carried: tuple[str, ...]
    formulas: Callable[[Symbols, dict[str, Any]], dict[str, sp.Expr]]  # each state's formula and "new"
    decoupled: bool = False  # weight decay shrinks the weight itself (AdamW), not added to the gradient


def _sgd(s: Symbols, settings: dict[str, Any]) -> dict[str, sp.Expr]:
    return {"new": s.start - ETA * s.g}


def _momentum(s: Symbols, settings: dict[str, Any]) -> dict[str, sp.Expr]:
    # torch's buffer starts as the first gradient: mu * 0 + g (dampening 0)
    v = s.now["velocity"]
    step = s.g + MU * v if settings["nesterov"] else v
    return {"velocity": MU * s.before["velocity"] + s.g, "new": s.start - ETA * step}


def _adam(s: Symbols, settings: dict[str, Any]) -> dict[str, sp.Expr]:
    # torch: w - (eta / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps), the same number
    now = s.now
    return {"m": BETA1 * s.before["m"] + (1 - BETA1) * s.g,
            "v": BETA2 * s.before["v"] + (1 - BETA2) * s.g ** 2,
            "m_hat": now["m"] / (1 - BETA1 ** T), "v_hat": now["v"] / (1 - BETA2 ** T),
            "new": s.start - ETA * now["m_hat"] / (sp.sqrt(now["v_hat"]) + EPS)}


def _adam_constants(settings: dict[str, Any]) -> dict[sp.Symbol, Any]:
    return {BETA1: settings["betas"][0], BETA2: settings["betas"][1], EPS: settings["eps"]}


_ADAM = {"defaults": {"betas": (0.9, 0.999), "eps": 1e-8}, "constants": _adam_constants,
         "state": ("m", "v", "m_hat", "v_hat"), "carried": ("m", "v"), "formulas": _adam}

UPDATE_RULES: dict[str, UpdateRule] = {
    rule.name: rule
    for rule in (
        UpdateRule("sgd", "gradient descent", "torch.optim.SGD(params, lr)", {}, lambda o: {}, (), (), _sgd),
        UpdateRule("momentum", "gradient descent with momentum",
                   "torch.optim.SGD(params, lr, momentum=mu, nesterov=...)", {"momentum": 0.9, "nesterov": False},
                   lambda o: {MU: o["momentum"]}, ("velocity",), ("velocity",), _momentum),
        UpdateRule("adam", "Adam", "torch.optim.Adam(params, lr, betas, eps)", **_ADAM),
        UpdateRule("adamw", "AdamW",
                   "torch.optim.AdamW(params, lr, betas, eps)", **_ADAM, decoupled=True),
    )
}

# the kinds of quantity an update computes besides the new value: each state of each parameter
# kind, and the gradient with coupled weight decay (weights only)
STATE_KINDS = frozenset({f"{s}_{p}" for rule in UPDATE_RULES.values() for s in rule.state for p in "Wb"} | {"g_W"})


def state_kinds(rule: UpdateRule, decayed: bool, train_bias: bool) -> tuple[str, ...]:
    """The state kinds one example has: the decayed gradient, then each state of the weights and biases."""
    kinds = ["g_W"] if decayed and not rule.decoupled else []
    kinds += [f"{s}_W" for s in rule.state] + ([f"{s}_b" for s in rule.state] if train_bias else [])
    return tuple(kinds)


def example_state(spec: Any) -> tuple[str, ...]:
    """The state kinds a spec's example has (none without a learning rate, which takes no step)."""
    if not spec.updates:
        return ()
    return state_kinds(UPDATE_RULES[spec.optimizer.name], bool(spec.weight_decay), spec.train_bias)


def carried_state(spec: Any) -> tuple[str, ...]:
    """The state kinds of the example that carry over to the next step (velocity, m and v), in example_state's order."""
    carried = {f"{s}_{p}" for s in UPDATE_RULES[spec.optimizer.name].carried for p in "Wb"}
    return tuple(k for k in example_state(spec) if k in carried)


def update_constants(spec: Any) -> dict[sp.Symbol, Any]:
    """The numbers an example's update formulas read, as the spec wrote them: eta, the rule's settings, lambda."""
    rule = UPDATE_RULES[spec.optimizer.name]
    numbers = {ETA: spec.learning_rate, **rule.constants({**rule.defaults, **spec.optimizer.values})}
    return {**numbers, LAMBDA: spec.weight_decay} if spec.weight_decay else numbers
