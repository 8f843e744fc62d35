"""Which shown results follow exactly from the shown, rounded numbers they are computed from."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import mpmath
import sympy as sp

from ..core.codegen import DIGITS
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.variants import local_values

EXACT, APPROX = "=", r"\approx"


def rounded(x: Any, digits: int) -> mpmath.mpf:
    """x rounded to `digits` significant figures, as the documents show it."""
    # written in powers of ten where large or small: e^-10000 in fixed digits is no number Python reads
    return mpmath.mpf(mpmath.nstr(mpmath.mpf(x), digits)) if x else mpmath.mpf(0)


def relations(graph: StepGraph, digits: int) -> dict[Quantity, str]:
    """'=' where a step's formula on the shown (rounded) values it reads gives its shown value, else '≈'.

    A hand calculation from the printed numbers lands on the printed result exactly where '='
    is written; '≈' warns that the last digit comes from the unrounded values.
    """
    with mpmath.workdps(DIGITS):  # a tie (0.0004977125) must stay a tie: compare at the graph's precision
        shown = replace(graph, steps=tuple(s if s.given else replace(s, value=rounded(s.value, digits))
                                           for s in graph.steps))
        computed = [s.quantity for s in graph.steps if not s.given]
        from_shown = local_values(shown, computed)
        return {step.quantity: relation(step.value, from_shown[step.quantity], digits)
                for step in shown.steps if not step.given}


def relation(value: Any, from_shown: Any, digits: int) -> str:
    """'=' when a result recomputed from shown numbers rounds to the shown result, else '≈'.

    Within half a unit of the shown last digit, ends included: 0.00877135 * 0.05 = 0.0004385675
    is a tie, which rounds to the shown 0.000438568 by hand, whatever binary arithmetic makes of it.
    """
    if not mpmath.isfinite(from_shown):
        return APPROX
    with mpmath.workdps(DIGITS):
        shown = rounded(value, digits)
        if not shown:
            return EXACT if not from_shown else APPROX
        half_unit = mpmath.mpf(10) ** (mpmath.floor(mpmath.log10(abs(shown))) - digits + 1) / 2
        return EXACT if abs(from_shown - shown) <= half_unit * (1 + mpmath.mpf(10) ** -20) else APPROX


def evaluated_on_shown(expr: sp.Expr, values: dict[str, Any], digits: int) -> Any:
    """expr on the shown numbers (computed ones rounded, the spec's as written), to compare with the shown result."""
    shown = {name: v if isinstance(v, (int, float)) else rounded(v, digits) for name, v in values.items()}
    return sp.N(expr.subs({s: sp.Float(str(shown[s.name]), 40) for s in expr.free_symbols if s.name in shown}), 40)
