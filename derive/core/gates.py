"""The functions a circuit's stages may call: how each is printed, how it computes, and its local derivative."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp


@dataclass(frozen=True)
class Gate:
    """One function of the circuit language: its arity (None: two or more), display form and computing form.

    The display form prints as a lecture writes it (σ(d), max(a, b)); the computing form is what is
    evaluated and differentiated, with PyTorch's conventions at the kinks: ReLU′(0) = 0, |x|′ at 0 = 0,
    and a max or min tie splits the gradient in halves, as torch.maximum does.
    """

    name: str
    arity: int | None
    display: Callable[..., sp.Expr]
    computing: Callable[..., sp.Expr]


SIGMA, RELU = sp.Function(r"\sigma"), sp.Function(r"\operatorname{ReLU}")
MAX, MIN = sp.Function(r"\max"), sp.Function(r"\min")


def _relu(x: sp.Expr) -> sp.Expr:
    return sp.Piecewise((x, x > 0), (0, True))


def _abs(x: sp.Expr) -> sp.Expr:
    return sp.Piecewise((x, x > 0), (-x, x < 0), (0, True))


def _pairwise(first: Callable[[sp.Expr, sp.Expr], sp.Expr]) -> Callable[..., sp.Expr]:
    """An n-ary max or min as binary ones from the left: max(a, b, c) = max(max(a, b), c)."""
    def gate(*args: sp.Expr) -> sp.Expr:
        value = args[0]
        for arg in args[1:]:
            value = first(value, arg)
        return value
    return gate


def _max(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    # at a tie the value is either input, and half the gradient goes to each (torch.maximum)
    return sp.Piecewise((a, a > b), (b, a < b), ((a + b) / 2, True))


def _min(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return sp.Piecewise((a, a < b), (b, a > b), ((a + b) / 2, True))


GATES: dict[str, Gate] = {g.name: g for g in (
    Gate("exp", 1, sp.exp, sp.exp),
    Gate("log", 1, sp.log, sp.log),
    Gate("sqrt", 1, sp.sqrt, sp.sqrt),
    Gate("tanh", 1, sp.tanh, sp.tanh),
    Gate("abs", 1, sp.Abs, _abs),
    Gate("sigmoid", 1, SIGMA, lambda x: 1 / (1 + sp.exp(-x))),
    Gate("relu", 1, RELU, _relu),
    Gate("max", None, MAX, _pairwise(_max)),
    Gate("min", None, MIN, _pairwise(_min)),
)}
# the display forms' functions and what they compute, to turn a display expression into a computing one
_COMPUTED = {SIGMA: GATES["sigmoid"].computing, RELU: _relu, MAX: GATES["max"].computing,
             MIN: GATES["min"].computing, sp.Abs: _abs}


def computing(expr: sp.Expr) -> sp.Expr:
    """A display expression with each lecture function replaced by what it computes."""
    return expr.replace(lambda e: e.func in _COMPUTED, lambda e: _COMPUTED[e.func](*e.args))


FUNCTIONS = {SIGMA: "sigmoid", RELU: "relu", MAX: "max", MIN: "min", sp.Abs: "abs", sp.exp: "exp",
             sp.log: "log", sp.sqrt: "sqrt", sp.tanh: "tanh"}


def gate_pattern(display: sp.Expr) -> str:
    """The gate a stage is, as lectures name the patterns: add, subtract, multiply, divide, reciprocal, power, a
    function's name, or expression."""
    if isinstance(display, sp.Add) and all(t.is_Symbol or (-t).is_Symbol for t in display.args):
        return "add" if all(t.is_Symbol for t in display.args) else "subtract"
    if isinstance(display, sp.Mul) and len(display.args) == 2 and all(a.is_Symbol for a in display.args):
        return "multiply"
    if isinstance(display, sp.Mul) and len(display.args) == 2:
        a, b = display.args
        if (a.is_Symbol and _reciprocal(b)) or (b.is_Symbol and _reciprocal(a)):
            return "divide"
    if _reciprocal(display):
        return "reciprocal"
    if isinstance(display, sp.Pow) and display.base.is_Symbol and display.exp.is_Number:
        return "sqrt" if display.exp == sp.Rational(1, 2) else "power"
    if display.func in FUNCTIONS and all(a.is_Symbol for a in display.args):
        return FUNCTIONS[display.func]
    return "expression"


def _reciprocal(e: sp.Expr) -> bool:
    """1/x of a name x."""
    return isinstance(e, sp.Pow) and e.base.is_Symbol and e.exp == -1
