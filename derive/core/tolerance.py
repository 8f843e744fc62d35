"""Tolerances from hand rounding: every intermediate rounded to the shown decimals, propagated to the answer.

A hand calculation writes down each step of the graph rounded to D decimals, an error of at most
u = ½·10^-D, and computes the next steps from the rounded numbers. To first order the answer then
moves by Σ_i (∂answer/∂v_i)·ε_i over the rounded steps v_i, where ∂answer/∂v_i is the total
derivative through every later step (found backwards through the graph from each step's local
partial derivatives, as backpropagation does); so |error| ≤ u·Σ_i |∂answer/∂v_i|.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

import sympy as sp

from ..errors import NumericalError
from .codegen import FLOAT, IEEEFloat, compile_steps
from .graph import StepGraph
from .quantities import Quantity

# Over the first-order bound: room for the second-order terms and for a hand calculation that
# also rounds inside a step (e^-z written down before σ(z)); the simulated hand calculations of
# the tests stay within the bound itself.
MARGIN = 1.5


def _local(formula: sp.Expr) -> sp.Expr:
    """The formula for differentiating: softmax's shift by max(z) dropped, which changes no value."""
    return formula.replace(lambda e: isinstance(e, sp.Max), lambda e: sp.Integer(0))


# A layer's steps share a few formulas up to their symbols (every z is a sum of w·a and b): each
# shape is differentiated once, in stand-in symbols, and the derivatives renamed back.
_SHAPES: dict[sp.Expr, list[sp.Expr]] = {}
_STAND_INS: list[sp.Dummy] = []
SHAPES_KEPT = 4096  # a long session (a notebook deriving many networks) starts the cache afresh beyond this


def _derivatives(formula: sp.Expr, symbols: list[sp.Symbol]) -> list[sp.Expr]:
    """The formula's derivative by each of the symbols, in their order."""
    while len(_STAND_INS) < len(symbols):
        _STAND_INS.append(sp.Dummy(f"x{len(_STAND_INS)}"))
    stand_ins = _STAND_INS[:len(symbols)]
    shape = formula.xreplace(dict(zip(symbols, stand_ins)))
    if shape not in _SHAPES:
        if len(_SHAPES) >= SHAPES_KEPT:
            _SHAPES.clear()
        _SHAPES[shape] = [sp.diff(shape, x) for x in stand_ins]
    back = dict(zip(stand_ins, symbols))
    return [d.xreplace(back) for d in _SHAPES[shape]]


class Rounding:
    """The local partial derivatives of one graph's steps, compiled once for every variant of its shape."""

    def __init__(self, graph: StepGraph, upto: int | None = None):
        """upto: only the steps before this position are differentiated, enough for targets among them."""
        self.index = graph.index
        self.n = len(graph.steps)
        self.upto = self.n if upto is None else upto
        constant_slot = {s: self.n + i for i, (s, _) in enumerate(graph.constants)}
        self.width = self.n + len(graph.constants)
        formulas: list[sp.Expr | None] = [None] * self.width
        slots: list[dict] = [{}] * self.width
        self.edges: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]  # step -> (read step, slot)
        for i, step in enumerate(graph.steps[:self.upto]):
            if step.given:
                continue
            reads = {s: self.index[q] for s, q in step.reads}
            for (symbol, read), partial in zip(reads.items(), _derivatives(_local(step.formula), list(reads))):
                self.edges[i].append((read, len(formulas)))
                formulas.append(partial)
                slots.append({**reads, **constant_slot})
        self.given = [step.given for step in graph.steps]
        self.constants: list[Any] = [float(v) for _, v in graph.constants]
        self.run = compile_steps(formulas, slots, FLOAT)
        self.size = len(formulas)

    def partials(self, values: list[float]) -> list[float]:
        """Every local partial derivative at the step values given in floats (in the graph's order)."""
        values = list(values) + self.constants + [None] * (self.size - self.width)
        known = [True] * self.width + [False] * (self.size - self.width)
        try:
            return self.run(values, known)
        except (ZeroDivisionError, OverflowError):
            # a derivative infinite at these values (a square root's at exactly 0): IEEE floats say inf
            try:
                return [float(p) for p in self.run([None if v is None else IEEEFloat(v) for v in values], known)]
            except (ZeroDivisionError, OverflowError):
                raise NumericalError("a local derivative overflows at these numbers, so the rounding a "
                                     "written answer may carry cannot be bounded") from None

    def sensitivity(self, partials: list[float], target: Quantity, units: list[float] | None = None) -> float:
        """Σ over the computed steps the target depends on (itself included) of unitᵢ·|∂target/∂stepᵢ|.

        units holds each step's rounding error bound (half a unit of what was written); None: 1 each.
        """
        t = self._position(target)
        adjoint = [0.0] * (t + 1)
        adjoint[t] = 1.0
        total = 0.0
        for i in range(t, -1, -1):
            if adjoint[i] == 0.0 or self.given[i]:
                continue
            total += abs(adjoint[i]) * (1.0 if units is None else units[i])
            for read, slot in self.edges[i]:
                adjoint[read] += adjoint[i] * partials[slot]
        return total

    def one_step(self, partials: list[float], target: Quantity, units: list[float]) -> float:
        """The same bound one step deep: the target's own rounding and that of the computed steps it reads."""
        t = self._position(target)
        if self.given[t]:
            return 0.0
        return units[t] + sum(units[read] * abs(partials[slot]) for read, slot in self.edges[t]
                              if not self.given[read])

    def _position(self, target: Quantity) -> int:
        """The target's position; a target beyond the differentiated steps has no bound here."""
        t = self.index[target]
        if t >= self.upto:
            raise ValueError(f"{target.json_path} comes after the steps this rounding model differentiates")
        return t

    def tolerances(self, values: list[float], targets: list[Quantity], digits: Digits | int) -> dict[Quantity, float]:
        """Each target's tolerance when every step is rounded by the same rule (an exam's; a whole number: decimals)."""
        rule = digits if isinstance(digits, Digits) else Digits(digits)
        return self.bounds(self.partials(values), targets, [rule.half_unit(v) for v in values[:self.n]])

    def bounds(self, partials: list[float], targets: list[Quantity], units: list[float]) -> dict[Quantity, float]:
        """Each target's tolerance: the first-order bound on hand rounding, with MARGIN, 2 significant figures up."""
        return {q: round_up(MARGIN * self.sensitivity(partials, q, units)) for q in targets}


@dataclass(frozen=True)
class Digits:
    """How a hand calculation writes every number: to count decimal places, or to count significant figures."""

    count: int
    significant: bool = False

    def decimals_of(self, value: float) -> int:
        """The decimal places the value is written with (significant figures: more for a smaller number)."""
        if not self.significant:
            return self.count
        if value == 0 or not math.isfinite(value):
            return self.count - 1
        return max(0, self.count - 1 - math.floor(math.log10(abs(value))))

    def half_unit(self, value: float) -> float:
        """The largest error of the value as written: half a unit in its last place (0 for an exact 0)."""
        if not self.significant:
            return half_unit(self.count)
        if value == 0 or not math.isfinite(value):
            return 0.0
        return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - self.count + 1)

    def written(self, value: float) -> str:
        """The value as the rule writes it: 0.4551 to 4 decimals, -0.002600 to 4 significant figures."""
        return f"{value:.{self.decimals_of(value)}f}"

    def rounded(self, value: float) -> float:
        """The value rounded by the rule."""
        return float(self.written(value))

    @property
    def words(self) -> str:
        """The rule in words, as the sheets state it: "4 decimal places", "4 significant figures"."""
        return f"{self.count} {'significant figure' if self.significant else 'decimal place'}{'s' * (self.count != 1)}"

    @property
    def short(self) -> str:
        """The rule in a table's heading: "4 decimals", "4 s.f."."""
        return f"{self.count} {'s.f.' if self.significant else 'decimals'}"


def half_unit(decimals: int) -> float:
    """The largest error of a number rounded to the given decimals: half a unit in its last place."""
    return 0.5 * 10.0 ** -decimals


def round_up(x: float, figures: int = 2) -> float:
    """x rounded up to the given significant figures: 0.0001234 -> 0.00013."""
    if x <= 0 or not math.isfinite(x):
        return x
    exponent = math.floor(math.log10(x)) - figures + 1
    quantum = Decimal(1).scaleb(exponent)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_CEILING))
