"""The step graph's formulas compiled into one Python function, on 40-digit mpmath numbers or floats."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import mpmath
import sympy as sp

DIGITS = 40  # working precision; documents show far fewer


@dataclass(frozen=True)
class Backend:
    """How to compute: on mpmath numbers at DIGITS digits, or on Python floats."""

    name: str
    number: Callable[[Any], Any]
    functions: dict[str, Callable]
    # a sum this small against the sum of its terms' sizes is rounding left by cancellation
    cancellation: float

    def total(self, *terms: Any) -> Any:
        """Sum of the terms; exactly 0 where they cancel to within the working precision."""
        s = sum(terms[1:], terms[0])
        if self.cancellation and abs(s) <= self.cancellation * sum(abs(t) for t in terms):
            return s * 0
        return s


def _mp_number(value: Any) -> mpmath.mpf:
    """A spec number or SymPy number as an mpmath number, exactly as written."""
    if isinstance(value, float):
        return mpmath.mpf(repr(value))
    if isinstance(value, sp.Rational):
        return mpmath.mpf(value.p) / value.q
    if isinstance(value, sp.Float):
        return mpmath.mpf(value._mpf_)
    return mpmath.mpf(value)


MP = Backend("mpmath", _mp_number, {"exp": mpmath.exp, "log": mpmath.log, "tanh": mpmath.tanh},
             mpmath.mpf(10) ** (5 - DIGITS))
FLOAT = Backend("float", float, {"exp": math.exp, "log": math.log, "tanh": math.tanh}, 0.0)


class IEEEFloat(float):
    """A float whose division by zero and negative power of zero give an infinity (or nan), as IEEE 754
    arithmetic does, instead of raising: the value of a derivative that is infinite at a point."""

    def __truediv__(self, other: float) -> IEEEFloat:
        try:
            return IEEEFloat(float(self) / float(other))
        except ZeroDivisionError:
            return IEEEFloat(math.copysign(math.inf, self) * math.copysign(1.0, other) if self else math.nan)

    def __rtruediv__(self, other: float) -> IEEEFloat:
        return IEEEFloat(other).__truediv__(self)

    def __pow__(self, other: float) -> IEEEFloat:
        try:
            return IEEEFloat(float(self) ** float(other))
        except (ZeroDivisionError, OverflowError):
            return IEEEFloat(math.inf)

    def __rpow__(self, other: float) -> IEEEFloat:
        return IEEEFloat(other).__pow__(self)

    def __add__(self, other: float) -> IEEEFloat:
        return IEEEFloat(float(self) + float(other))

    def __sub__(self, other: float) -> IEEEFloat:
        return IEEEFloat(float(self) - float(other))

    def __rsub__(self, other: float) -> IEEEFloat:
        return IEEEFloat(float(other) - float(self))

    def __mul__(self, other: float) -> IEEEFloat:
        return IEEEFloat(float(self) * float(other))

    def __neg__(self) -> IEEEFloat:
        return IEEEFloat(-float(self))

    __radd__, __rmul__ = __add__, __mul__


_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh"}
_RELATIONS = {sp.StrictGreaterThan: ">", sp.GreaterThan: ">=", sp.StrictLessThan: "<", sp.LessThan: "<=",
              sp.Equality: "==", sp.Unequality: "!="}


class _Coder:
    """Writes one formula as a Python expression over the value list v and the constant list k."""

    def __init__(self, slots: dict[sp.Symbol, int], backend: Backend, constants: list[Any], local: bool = False):
        self.slots = slots
        self.backend = backend
        self.constants = constants
        # local: values and constants are the local variables v12, k3 of a loop (core.history), not lists
        self.local = local

    def constant(self, value: Any) -> str:
        self.constants.append(self.backend.number(value))
        return f"k{len(self.constants) - 1}" if self.local else f"k[{len(self.constants) - 1}]"

    def code(self, e: sp.Basic) -> str:
        """Python code for e; raises KeyError naming a symbol no step or constant provides."""
        if isinstance(e, sp.Symbol):
            return f"v{self.slots[e]}" if self.local else f"v[{self.slots[e]}]"
        if isinstance(e, sp.Integer):
            return str(int(e)) if self.backend is FLOAT else self.constant(e)
        if isinstance(e, (sp.Rational, sp.Float)):
            return self.constant(e)
        if isinstance(e, sp.NumberSymbol):  # e, as exp(1) of a circuit's stage: to the working digits and more
            return self.constant(e.evalf(DIGITS + 10))
        if isinstance(e, sp.Add):
            if self.local and self.backend is FLOAT:  # float sums have no cancellation rule: plain +
                return f"({' + '.join(self.code(a) for a in e.args)})"
            return f"total({', '.join(self.code(a) for a in e.args)})"
        if isinstance(e, sp.Mul):
            return self.product(e)
        if isinstance(e, sp.Pow):
            exponent = e.exp
            power = str(int(exponent)) if exponent.is_Integer else self.code(exponent)
            return f"({self.code(e.base)})**{power}"
        if e.func in _FUNCTIONS:
            return f"{_FUNCTIONS[e.func]}({self.code(e.args[0])})"
        if isinstance(e, sp.Max):
            return f"max({', '.join(self.code(a) for a in e.args)})"
        if isinstance(e, sp.Piecewise):
            return self.piecewise(e)
        raise TypeError(f"no code for {type(e).__name__} in {e}")

    def product(self, e: sp.Mul) -> str:
        coefficient, rest = e.as_coeff_mul()
        factors = "*".join(f"({self.code(f)})" for f in rest)
        if coefficient == 1:
            return factors
        if coefficient == -1:
            return f"-({factors})"
        if coefficient.is_Rational and coefficient.p == 1:
            # a mean over N examples divides by N, as a hand calculation does
            return f"({factors})/{coefficient.q}"
        return f"({self.code(coefficient)})*{factors}"

    def piecewise(self, e: sp.Piecewise) -> str:
        text = "None"
        for expr, cond in reversed(e.args):
            if cond is sp.true:
                text = self.code(expr)
            else:
                text = f"({self.code(expr)} if {self.condition(cond)} else {text})"
        return text

    def condition(self, c: sp.Basic) -> str:
        """A piece's condition: a relation, or relations joined as SymPy joins nested pieces (and, or, not)."""
        if c is sp.true or c is sp.false:
            return str(c is sp.true)
        if type(c) in _RELATIONS:
            lhs, rhs = (self.code(side) for side in c.args)
            return f"({lhs} {_RELATIONS[type(c)]} {rhs})"
        if isinstance(c, (sp.And, sp.Or)):
            joined = " and " if isinstance(c, sp.And) else " or "
            return "(" + joined.join(self.condition(a) for a in c.args) + ")"
        if isinstance(c, sp.Not):
            return f"(not {self.condition(c.args[0])})"
        if isinstance(c, sp.ITE):
            first, then, otherwise = (self.condition(a) for a in c.args)
            return f"({then} if {first} else {otherwise})"
        raise TypeError(f"no code for the condition {c}")


def compile_steps(formulas: list[sp.Expr | None], slots: list[dict[sp.Symbol, int]],
                  backend: Backend) -> Callable[[list, list], None]:
    """One function run(v, fixed) that fills v[i] from formula i, in order, unless fixed[i].

    formulas[i] is None for a given value; slots[i] maps each symbol of formula i to the index
    of the step it reads.
    """
    lines: list[str] = ["def run(v, fixed):"]
    constants: list[Any] = []
    for i, (formula, slot) in enumerate(zip(formulas, slots)):
        if formula is not None:
            lines.append(f"    if not fixed[{i}]: v[{i}] = {_Coder(slot, backend, constants).code(formula)}")
    lines.append("    return v")
    namespace: dict[str, Any] = {"k": constants, "total": backend.total, **backend.functions}
    exec(compile("\n".join(lines), f"<step graph, {backend.name}>", "exec"), namespace)
    return namespace["run"]


def local_code(formula: sp.Expr, slots: dict[sp.Symbol, int], backend: Backend, constants: list[Any]) -> str:
    """Python code for one formula over local variables: v<slot> for values, k<i> for the numbers it appends."""
    return _Coder(slots, backend, constants, local=True).code(formula)
