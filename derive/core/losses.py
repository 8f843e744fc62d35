"""Registry of per-example losses: SymPy definition over the output units, LaTeX name, checks on targets."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sympy as sp


def _half_sse(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return sp.Rational(1, 2) * sp.Add(*[(tk - ak) ** 2 for ak, tk in zip(a, t)])


def _sse(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return sp.Add(*[(tk - ak) ** 2 for ak, tk in zip(a, t)])


def _mse(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return sp.Add(*[(tk - ak) ** 2 for ak, tk in zip(a, t)]) / len(a)


def _cross_entropy(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    return -sp.Add(*[tk * sp.log(ak) for ak, tk in zip(a, t)])


def _binary_cross_entropy(a: list[sp.Symbol], t: list[sp.Symbol]) -> sp.Expr:
    terms = [tk * sp.log(ak) + (1 - tk) * sp.log(1 - ak) for ak, tk in zip(a, t)]
    return -sp.Add(*terms) / len(a)


def _difference(a: sp.Symbol, t: sp.Symbol) -> sp.Expr:
    return a - t


def _log_ratio(a: sp.Symbol, t: sp.Symbol) -> sp.Expr:
    return -t / a


@dataclass(frozen=True)
class Loss:
    """One loss: a builder of the per-example expression, its display name and its textbook forms.

    A textbook writes the loss as a prefactor times a sum of one term per output unit,
    (1/2) sum_k (t_k - a_k)^2, and its derivative as a - t; the tests prove that both equal
    the built expression and its sympy.diff.
    """

    name: str
    title: str
    build: Callable[[list[sp.Symbol], list[sp.Symbol]], sp.Expr]
    targets_rule: str  # "any" | "distribution" | "unit_interval"
    term: Callable[[sp.Symbol, sp.Symbol], sp.Expr]  # one output unit's term of the sum
    prefactor: Callable[[int], sp.Expr]  # in front of the sum over K output units
    # dl/da_k as a textbook writes it, given a_k, t_k and K
    gradient: Callable[[sp.Symbol, sp.Symbol, int], sp.Expr]
    # takes log of the outputs, so they must lie in (0, 1): sigmoid or softmax outputs
    needs_unit_interval: bool = False
    # with softmax outputs, delta = a - t (proved symbolically when the rules are built)
    softmax_simplifies: bool = False
    # a mean over the K output units: documents write its 1/K, and dl/da_k in K (LaTeX), so that
    # with K = 2 a reader can tell it from the 1/2 of half the squared error
    unit_mean_gradient: str = ""

    @property
    def has_log(self) -> bool:
        """True when the loss takes a logarithm (the natural one) of the outputs."""
        return self.needs_unit_interval


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("half_sse", "half the sum of squared errors", _half_sse, "any",
             lambda a, t: (t - a) ** 2, lambda K: sp.Rational(1, 2), lambda a, t, K: _difference(a, t)),
        Loss("sse", "sum of squared errors", _sse, "any",
             lambda a, t: (t - a) ** 2, lambda K: sp.Integer(1),
             # an unevaluated product keeps the 2 the square brings down in front of (a - t)
             lambda a, t, K: sp.Mul(2, a - t, evaluate=False)),
        Loss("mse", "mean squared error", _mse, "any",
             lambda a, t: (t - a) ** 2, lambda K: sp.Rational(1, K),
             # an unevaluated product keeps 2/K in front of (a - t), as a textbook writes it
             lambda a, t, K: _difference(a, t) if K == 2 else sp.Mul(sp.Rational(2, K), a - t, evaluate=False),
             unit_mean_gradient=r"\frac{2}{K} \left(a_k - t_k\right)"),
        Loss("cross_entropy", "cross-entropy", _cross_entropy, "distribution",
             lambda a, t: t * sp.log(a), lambda K: sp.Integer(-1), lambda a, t, K: _log_ratio(a, t),
             needs_unit_interval=True, softmax_simplifies=True),
        Loss("binary_cross_entropy", "binary cross-entropy", _binary_cross_entropy, "unit_interval",
             lambda a, t: t * sp.log(a) + (1 - t) * sp.log(1 - a), lambda K: sp.Rational(-1, K),
             lambda a, t, K: (a - t) / (K * a * (1 - a)), needs_unit_interval=True,
             unit_mean_gradient=r"\frac{1}{K}\, \frac{a_k - t_k}{a_k \left(1 - a_k\right)}"),
    )
}


@dataclass(frozen=True)
class LossForm:
    """The loss for K outputs in given symbols: the expression and dl/da_k by sympy.diff."""

    expr: sp.Expr
    gradient: tuple[sp.Expr, ...]


@lru_cache(maxsize=None)
def loss_form(name: str, a: tuple[sp.Symbol, ...], t: tuple[sp.Symbol, ...]) -> LossForm:
    """The per-example loss over symbols a, t and dl/da_k in its textbook form.

    The textbook form must equal sympy.diff of the loss: checked here, so no document shows a
    derivative SymPy does not agree with.
    """
    loss = LOSSES[name]
    expr = loss.build(list(a), list(t))
    gradient = tuple(loss.gradient(ak, tk, len(a)) for ak, tk in zip(a, t))
    for ak, g in zip(a, gradient):
        if sp.cancel(sp.diff(expr, ak) - g) != 0:
            raise AssertionError(f"the textbook derivative of {name} differs from sympy.diff")
    return LossForm(expr, gradient)
