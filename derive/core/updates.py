"""Registry of update rules: how a parameter moves given its gradient (plain gradient descent today)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp


@dataclass(frozen=True)
class UpdateRule:
    """One optimizer: its new-value formula from (old value, gradient, learning rate) and its state."""

    name: str
    title: str
    formula: Callable[[sp.Symbol, sp.Symbol, sp.Symbol], sp.Expr]
    # names of the per-parameter state it carries between steps (momentum's velocity, Adam's moments)
    state: tuple[str, ...] = ()


UPDATE_RULES: dict[str, UpdateRule] = {
    rule.name: rule
    for rule in (
        UpdateRule("sgd", "gradient descent", lambda w, g, eta: w - eta * g),
    )
}
