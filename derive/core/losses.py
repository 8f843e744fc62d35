"""Registry of per-example losses: SymPy definition over the output units, LaTeX name, checks on targets."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sympy as sp


def _half_sse(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return sp.Rational(1, 2) * sp.Add(*[(tk - ak) ** 2 for ak, tk in zip(a, t)])


def _mse(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return sp.Add(*[(tk - ak) ** 2 for ak, tk in zip(a, t)]) / len(a)


def _cross_entropy(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return -sp.Add(*[tk * sp.log(ak) for ak, tk in zip(a, t)])


def _binary_cross_entropy(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    terms = [tk * sp.log(ak) + (1 - tk) * sp.log(1 - ak) for ak, tk in zip(a, t)]
    return -sp.Add(*terms) / len(a)


@dataclass(frozen=True)
class Loss:
    """One loss: a builder of the per-example expression, its display name and a TeX formula."""

    name: str
    title: str
    build: Callable[[list[sp.Symbol], list[sp.Symbol]], sp.Expr]
    targets_rule: str  # "any" | "distribution" | "unit_interval"
    # takes log of the outputs, so they must lie in (0, 1): sigmoid or softmax outputs
    needs_unit_interval: bool = False
    # with softmax outputs, delta = a - t (proved symbolically when the rules are built)
    softmax_simplifies: bool = False


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("half_sse", "half sum of squared errors", _half_sse, "any"),
        Loss("mse", "mean squared error", _mse, "any"),
        Loss("cross_entropy", "cross-entropy", _cross_entropy, "distribution", needs_unit_interval=True,
             softmax_simplifies=True),
        Loss("binary_cross_entropy", "binary cross-entropy", _binary_cross_entropy, "unit_interval",
             needs_unit_interval=True),
    )
}


@dataclass(frozen=True)
class LossForm:
    """The loss for K outputs in given symbols: the expression and dl/da_k by sympy.diff."""

    expr: sp.Expr
    gradient: tuple[sp.Expr, ...]


@lru_cache(maxsize=None)
def loss_form(name: str, a: tuple[sp.Symbol, ...], t: tuple[sp.Symbol, ...]) -> LossForm:
    """Build the per-example loss over symbols a, t and differentiate it with sympy.diff."""
    expr = LOSSES[name].build(list(a), list(t))
    return LossForm(expr, tuple(sp.diff(expr, ak) for ak in a))
