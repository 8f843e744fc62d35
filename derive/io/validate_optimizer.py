"""The spec's optimizer and weight decay validated: one SpecError naming the field."""
from __future__ import annotations

from typing import Any, Callable

from ..core.spec import Optimizer
from ..core.updates import UPDATE_RULES
from .specfile import Path


def _fraction(v: Any, value: Any, path: Path) -> float:
    """A number in [0, 1): a momentum or a beta."""
    number = v.number(value, path)
    if not 0 <= number < 1:
        raise v.error(path, f"must lie in [0, 1), got {number}")
    return number


def _positive(v: Any, value: Any, path: Path) -> float:
    number = v.number(value, path)
    if number <= 0:
        raise v.error(path, f"must be > 0, got {number}")
    return number


def _switch(v: Any, value: Any, path: Path) -> bool:
    if not isinstance(value, bool):
        raise v.error(path, f"expected true or false, got {value!r}"[:120])
    return value


def _betas(v: Any, value: Any, path: Path) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise v.error(path, f"expected two numbers [beta1, beta2], got {value!r}"[:120])
    return _fraction(v, value[0], (*path, 0)), _fraction(v, value[1], (*path, 1))


# each setting a rule may take, by its key in the spec
SETTINGS: dict[str, Callable[[Any, Any, Path], Any]] = {
    "momentum": _fraction, "nesterov": _switch, "betas": _betas, "eps": _positive,
}


def optimizer_and_decay(v: Any, data: dict, updates: bool) -> tuple[Optimizer, float]:
    """The optimizer (a name, or a mapping with its name and settings) and the weight decay, defaults filled."""
    for key in ("optimizer", "weight_decay"):
        if key in data and not updates:
            raise v.error((key,), f"{key} needs a learning_rate: without one the example stops at the gradients")
    raw = data.get("optimizer", "sgd")
    path: Path = ("optimizer",)
    if isinstance(raw, dict):
        name = v.required(raw, "name", path)
        path = (*path, "name")
    else:
        name = raw
    rule = UPDATE_RULES.get(name) if isinstance(name, str) else None
    if rule is None:
        raise v.error(path, f"unknown optimizer {name!r}; valid: {' | '.join(UPDATE_RULES)}"[:200])
    given = v.mapping(raw, ("optimizer",), ("name", *rule.defaults)) if isinstance(raw, dict) else {}
    settings = {key: SETTINGS[key](v, given[key], ("optimizer", key)) if key in given else default
                for key, default in rule.defaults.items()}
    if settings.get("nesterov") and not settings["momentum"] > 0:
        raise v.error(("optimizer", "nesterov"), "nesterov needs a momentum > 0")
    decay = float(v.number(data.get("weight_decay", 0), ("weight_decay",)))
    if decay < 0:
        raise v.error(("weight_decay",), f"must be >= 0, got {decay}")
    return Optimizer(name, tuple(settings.items())), decay
