"""A step as a document shows it, and which shown results follow exactly from the shown numbers."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import mpmath
import sympy as sp

from ..core.codegen import DIGITS
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.rewrites import local_values
from .formatting import as_factor, factor, given, tex
from .printer import DerivePrinter

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


@dataclass(frozen=True)
class ShownLine:
    """One step as a document prints it: name = formula = the numbers in it, then '=' or '≈' and the value."""
    name: str
    formula: str
    substituted: str
    relation: str
    value: str

    def latex(self) -> str:
        """The whole line, name to value, as one LaTeX expression."""
        return f"{self.name} = {self.formula} = {self.substituted} {self.relation} {self.value}"

    def parts(self) -> list[Any]:
        """The right-hand sides as the templates' derivation macros take them: formula, numbers, [relation, value].

        A line without numbers (g = dL/dθ = 0.1) goes from formula to value; one without a value is a rule.
        """
        numbers = [self.substituted] if self.substituted else []
        ending = [[self.relation, self.value]] if self.relation else [self.value] if self.value else []
        return [self.formula, *numbers, *ending]


def formula_line(formula: sp.Expr, numbers: dict[str, str], value: Any, relation: str, printer: DerivePrinter,
                 digits: int, name: str = "") -> ShownLine:
    """A formula as a document prints it, with `numbers` put in for its symbols, then the relation and value."""
    return ShownLine(name, printer.doprint(formula), printer.substituted(formula, numbers), relation,
                     tex(value, digits))


def shown_line(graph: StepGraph, q: Quantity, name: Callable[[Quantity], str] | None, digits: int,
               relation: str = EXACT, printer: DerivePrinter | None = None,
               formula: sp.Expr | None = None, reads: tuple | None = None) -> ShownLine:
    """Step q with each read named by `name`, the numbers it reads (the spec's as written), and its value.

    name None keeps the printer's own names of the formula's symbols (and leaves the line's name empty);
    formula and reads, where given, stand in for the step's own (its display form, a form the caller has
    checked equal to it); printer, where given, is the document's printer, renamed further here.
    """
    step = graph.step(q)
    formula = step.formula if formula is None else formula
    reads = step.reads if reads is None else reads
    p = printer or DerivePrinter()
    if name is not None:
        p = p.renamed({s.name: name(r) for s, r in reads})
    return formula_line(formula, _numbers(graph, reads, digits), step.value, relation, p, digits,
                        name(q) if name else "")


def shown_terms(graph: StepGraph, q: Quantity, digits: int, printer: DerivePrinter,
                formula: sp.Expr | None = None, reads: tuple | None = None) -> tuple[str, ...]:
    """The terms of step q's sum (or of a sum in it, given as formula with its reads) with the numbers
    shown_line puts in them, in the printer's order (its ranks): for a template to bracket as its format does."""
    step = graph.step(q)
    formula, reads = (step.formula, step.reads) if formula is None else (formula, reads)
    return tuple(printer.substituted_terms(formula, _numbers(graph, reads, digits)))


def _numbers(graph: StepGraph, reads: tuple, digits: int) -> dict[str, str]:
    """Each read's number as a line shows it, and the graph's constants."""
    numbers = {s.name: shown_number(graph, r, digits) for s, r in reads}
    numbers.update({s.name: factor(v, digits) for s, v in graph.constants})
    return numbers


def shown_number(graph: StepGraph, q: Quantity, digits: int) -> str:
    """A quantity's number as a factor in a product: the spec's as written, a computed one rounded."""
    return as_factor(given(float(graph.value(q)))) if q.role == "given" else factor(graph.value(q), digits)


def shown_values(graph: StepGraph, reads: tuple) -> dict[str, Any]:
    """The values a formula's symbols stand for, to recompute it from the shown numbers: the spec's as floats."""
    return {s.name: float(graph.value(r)) if r.role == "given" else graph.value(r) for s, r in reads}
