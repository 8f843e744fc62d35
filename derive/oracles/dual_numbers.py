"""Forward-mode differentiation of one SymPy expression on 40-digit numbers: each node's value and slope.

An oracle apart from the circuit's gates: it walks the whole composed expression, not the stages,
and carries derivatives forward by one variable at a time, where the chain rule of the gates goes back.
"""
from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

_RELATIONS = {sp.StrictGreaterThan: lambda a, b: a > b, sp.StrictLessThan: lambda a, b: a < b,
              sp.GreaterThan: lambda a, b: a >= b, sp.LessThan: lambda a, b: a <= b,
              sp.Equality: lambda a, b: a == b, sp.Unequality: lambda a, b: a != b}


class Dual:
    """The value of each subexpression at a point and its derivative by one variable, worked out once each."""

    def __init__(self, point: dict[sp.Symbol, Any], by: sp.Symbol):
        self.point, self.by = point, by
        self.seen: dict[sp.Expr, tuple[Any, Any]] = {}

    def __call__(self, e: sp.Expr) -> tuple[Any, Any]:
        if e not in self.seen:
            self.seen[e] = self._work(e)
        return self.seen[e]

    def _work(self, e: sp.Expr) -> tuple[Any, Any]:
        if e.is_Symbol:
            return mpmath.mpf(self.point[e]), mpmath.mpf(1 if e == self.by else 0)
        if isinstance(e, sp.NumberSymbol):
            return mpmath.mpf(str(e.evalf(60))), mpmath.mpf(0)
        if e.is_Number:
            return mpmath.mpf(e.p) / e.q if e.is_Rational else mpmath.mpf(str(e)), mpmath.mpf(0)
        if isinstance(e, sp.Add):
            parts = [self(a) for a in e.args]
            return sum(v for v, _ in parts), sum(d for _, d in parts)
        if isinstance(e, sp.Mul):
            value, slope = mpmath.mpf(1), mpmath.mpf(0)
            for a in e.args:  # (u v)' = u' v + u v'
                v, d = self(a)
                value, slope = value * v, slope * v + value * d
            return value, slope
        if isinstance(e, sp.Pow):
            (b, db), (x, dx) = self(e.base), self(e.exp)
            value = b ** x
            if dx == 0:
                return value, x * b ** (x - 1) * db if db else mpmath.mpf(0)
            return value, value * (dx * mpmath.log(b) + x * db / b)
        if isinstance(e, sp.exp):
            v, d = self(e.args[0])
            return mpmath.exp(v), mpmath.exp(v) * d
        if isinstance(e, sp.log):
            v, d = self(e.args[0])
            return mpmath.log(v), d / v
        if isinstance(e, sp.tanh):
            v, d = self(e.args[0])
            t = mpmath.tanh(v)
            return t, (1 - t * t) * d
        if isinstance(e, sp.Piecewise):
            for branch, condition in e.args:  # the first piece whose condition holds, as SymPy reads them
                if self.holds(condition):
                    return self(branch)
        raise TypeError(f"no forward derivative for {type(e).__name__} in {e}")


    def holds(self, c: sp.Basic) -> bool:
        """Whether a piece's condition holds at the point (SymPy may join relations with and, or, not, if)."""
        if c is sp.true or c is sp.false:
            return c is sp.true
        if type(c) in _RELATIONS:
            return bool(_RELATIONS[type(c)](self(c.lhs)[0], self(c.rhs)[0]))
        if isinstance(c, sp.And):
            return all(self.holds(a) for a in c.args)
        if isinstance(c, sp.Or):
            return any(self.holds(a) for a in c.args)
        if isinstance(c, sp.Not):
            return not self.holds(c.args[0])
        if isinstance(c, sp.ITE):
            return self.holds(c.args[1]) if self.holds(c.args[0]) else self.holds(c.args[2])
        raise TypeError(f"no truth value for {type(c).__name__} in {c}")


def forward_gradient(expr: sp.Expr, point: dict[sp.Symbol, Any], by: sp.Symbol) -> Any:
    """The derivative of expr by one symbol at the point, carried forward through every subexpression."""
    return Dual(point, by)(expr)[1]
