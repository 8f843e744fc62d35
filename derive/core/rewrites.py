"""Graphs with some formulas replaced or steps reordered (a mistake worked through), and single steps re-evaluated."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import mpmath
import sympy as sp

from ..errors import AddressError
from .codegen import DIGITS, MP, compile_steps
from .graph import Step, StepGraph, recompute
from .quantities import Quantity

Formula = tuple[sp.Expr, tuple[tuple[sp.Symbol, Quantity], ...]]


def rewrite(graph: StepGraph, replaced: dict[Quantity, Formula],
            order: Sequence[Quantity] | None = None, constants: dict[sp.Symbol, Any] | None = None) -> StepGraph:
    """The graph with some steps' formulas (and reads) replaced, in another order if given, re-evaluated.

    Every step keeps reading quantities by address, so a replaced formula may read any quantity
    that comes before it in the new order (a sequential update reads updated weights).
    """
    read = [q for _, reads in replaced.values() for _, q in reads]
    unknown = [q for q in [*replaced, *(order or []), *read] if q not in graph]
    if unknown:
        raise AddressError(f"{unknown[0].json_path} is not a quantity of this network")
    steps = {s.quantity: s for s in graph.steps}
    for q, (formula, reads) in replaced.items():
        steps[q] = replace(steps[q], formula=formula, reads=tuple(reads))
    ordered = tuple(steps[q] for q in (order or [s.quantity for s in graph.steps]))
    with mpmath.workdps(DIGITS):  # a constant converted at 15 digits would lose what the spec wrote
        extra = tuple((sp.Symbol(str(s)) if not isinstance(s, sp.Symbol) else s, MP.number(v))
                      for s, v in (constants or {}).items())
    return recompute(StepGraph(graph.spec, ordered, graph.constants + extra), {})


def _slots(graph: StepGraph, step: Step) -> dict[sp.Symbol, int]:
    """Where each symbol of a step's formula sits in the value list: steps first, then constants."""
    index = graph.index
    slots = {s: index[q] for s, q in step.reads}
    slots.update({s: len(graph.steps) + i for i, (s, _) in enumerate(graph.constants)})
    return slots


def local_values(graph: StepGraph, quantities: Sequence[Quantity]) -> dict[Quantity, Any]:
    """Each quantity's own formula evaluated on the graph's current values of what it reads.

    With a graph recomputed from a person's values, this is what each step should have given
    from the person's own earlier numbers: the error carried forward, not counted again.
    """
    computed = [q for q in quantities if not graph.step(q).given]
    width = len(graph.steps) + len(graph.constants)
    # the formulas write into scratch slots after the graph's values, so each reads the graph alone
    formulas = [None] * width + [graph.step(q).formula for q in computed]
    slots = [{}] * width + [_slots(graph, graph.step(q)) for q in computed]
    run = compile_steps(formulas, slots, MP)
    with mpmath.workdps(DIGITS):
        values = [s.value for s in graph.steps] + [v for _, v in graph.constants] + [None] * len(computed)
        fixed = [True] * width + [False] * len(computed)
        try:
            results = run(values, fixed)[width:]
        except (ZeroDivisionError, ValueError, OverflowError):
            # one formula alone that fails is NaN; several are tried one by one
            results = [mpmath.mpf("nan")] if len(computed) == 1 else [_one(graph, q) for q in computed]
    out = dict(zip(computed, results))
    out.update({q: graph.value(q) for q in quantities if graph.step(q).given})
    return out


def _one(graph: StepGraph, q: Quantity) -> Any:
    """One formula alone, NaN where it divides by zero or takes log(0)."""
    try:
        return local_values(graph, [q])[q]
    except (ZeroDivisionError, ValueError, OverflowError):
        return mpmath.mpf("nan")
