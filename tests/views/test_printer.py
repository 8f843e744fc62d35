"""The document printer's display forms: a number times a sum written as a textbook writes a loss."""
from __future__ import annotations

import sympy as sp

from derive.views.printer import DerivePrinter, ScaledSum

x, y = sp.symbols("x y")


def test_a_scaled_sum_keeps_its_number_in_front_of_the_bracketed_terms():
    p = DerivePrinter()
    assert p.doprint(ScaledSum(sp.Rational(1, 2), x**2, y**2)) == r"\frac{1}{2} \left( x^{2} + y^{2} \right)"
    assert p.doprint(ScaledSum(sp.Integer(-1), x * sp.log(y))) == r"- x \log{\left(y \right)}"
    # a term that is itself a sum goes in square brackets; with 1 in front no parentheses are needed
    assert p.doprint(ScaledSum(sp.Integer(1), x + y, x)) == r"\left[ x + y \right] + x"


def test_a_scaled_sum_stands_for_its_expansion_and_takes_numbers_in_place():
    s = ScaledSum(sp.Rational(1, 2), (x - y) ** 2, x)
    assert s.expanded() == (x - y) ** 2 / 2 + x / 2
    assert DerivePrinter().substituted(s, {"x": "0.5", "y": r"\left(-1\right)"}) == \
        r"\frac{1}{2} \left( \left(0.5 - \left(-1\right)\right)^{2} + 0.5 \right)"
