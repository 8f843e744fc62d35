"""Forward-mode derivatives of one expression agree with sympy.diff, at smooth points and at the conventions' kinks."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.core.gates import computing
from derive.io.expression import parse_expression
from derive.oracles.dual_numbers import forward_gradient


@pytest.mark.parametrize("text, at", [
    ("sigmoid(x * y + 1) / (1 + exp(-x))", {"x": "0.5", "y": "-2"}),
    ("log(x ^ 2 + y) * tanh(y) - sqrt(x)", {"x": "3", "y": "0.25"}),
    ("x ^ y + max(x, y) - min(x * y, 1) + abs(y) + relu(x - y)", {"x": "1.5", "y": "0.5"}),
    ("max(x, y) * relu(y - x) + abs(x - 1)", {"x": "1", "y": "1"}),  # a tie, a ReLU at 0, |x| at 0
])
def test_forward_mode_agrees_with_sympy_diff(text, at):
    symbols: dict = {}
    expr = computing(parse_expression(text, symbols))
    point = {symbols[k]: sp.Rational(v) for k, v in at.items()}
    with mpmath.workdps(40):
        for s in point:
            exact = mpmath.mpf(sp.N(sp.diff(expr, s).xreplace(point), 45))
            assert abs(forward_gradient(expr, point, s) - exact) <= mpmath.mpf(10) ** -35 * (1 + abs(exact))
