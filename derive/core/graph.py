"""The step graph: every quantity in computation order, with its formula, what it reads, and its value."""
from __future__ import annotations

import numbers
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import mpmath
import sympy as sp

from ..errors import AddressError, NumericalError, SpecError
from .codegen import DIGITS, FLOAT, MP, Backend, compile_steps
from .graph_build import Draft, build_steps
from .naming import plain_name_in, quantity_named
from .quantities import Quantity
from .spec import Spec


@dataclass(frozen=True)
class Step:
    """One quantity: its formula in the notation's symbols, the quantity each symbol stands for, its value.

    A given number (input, target, weight, bias) has no formula and reads nothing.
    """

    quantity: Quantity
    formula: sp.Expr | None
    reads: tuple[tuple[sp.Symbol, Quantity], ...]
    value: Any
    # an optimizer state's formula at the steps after the first, which reads the state of the step
    # before under its own symbol, and the step number t (core.updates.T); None: the formula holds
    later: tuple[sp.Expr, tuple[tuple[sp.Symbol, Quantity], ...]] | None = None
    # the formula as a textbook prints it and what its symbols stand for, equal to the formula with its
    # reads' formulas put in; None: the formula itself
    display: tuple[sp.Expr, tuple[tuple[sp.Symbol, Quantity], ...]] | None = None

    @property
    def given(self) -> bool:
        """True for a number of the spec rather than a computed one."""
        return self.formula is None


@dataclass(frozen=True)
class StepGraph:
    """The whole derivation of one gradient-descent step, in computation order."""

    spec: Spec
    steps: tuple[Step, ...]
    constants: tuple[tuple[sp.Symbol, Any], ...]  # learning rate, leaky slopes: numbers of the spec
    # the formulas compiled, where the maker already has them (same formulas, same order); else compiled on use
    runner: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def index(self) -> dict[Quantity, int]:
        """Position of every quantity in computation order."""
        return {step.quantity: i for i, step in enumerate(self.steps)}

    @cached_property
    def by_kind(self) -> dict[tuple[str, int], tuple[Quantity, ...]]:
        """Every quantity of each (kind, layer), in address order: examples, then units, then inputs."""
        out: dict[tuple[str, int], list[Quantity]] = {}
        for step in self.steps:
            out.setdefault((step.quantity.kind, step.quantity.layer), []).append(step.quantity)
        return {key: tuple(sorted(qs)) for key, qs in out.items()}

    def of_kind(self, kind: str, layer: int = 0) -> tuple[Quantity, ...]:
        """The quantities of one kind in one layer (0: none), in address order."""
        return self.by_kind.get((kind, layer), ())

    def position(self, quantity: Quantity) -> int:
        """Where a quantity is computed, or an AddressError naming an address this network lacks."""
        try:
            return self.index[quantity]
        except (KeyError, TypeError):  # TypeError: something unhashable, a list
            raise AddressError(f"{described(quantity)} is not a quantity of this network") from None

    def step(self, quantity: Quantity) -> Step:
        """The step that computes (or gives) a quantity."""
        return self.steps[self.position(quantity)]

    def value(self, quantity: Quantity) -> Any:
        """The 40-digit value of a quantity."""
        return self.steps[self.position(quantity)].value

    def dependencies(self, quantity: Quantity) -> tuple[Quantity, ...]:
        """The quantities a step reads directly."""
        return tuple(q for _, q in self.step(quantity).reads)

    def __contains__(self, quantity: Quantity) -> bool:
        try:
            return quantity in self.index
        except TypeError:  # an unhashable thing is no quantity of the graph
            return False

    @cached_property
    def compiled(self):
        """The graph's formulas compiled once on 40-digit numbers; recompute reuses it."""
        if self.runner is not None:
            return self.runner
        drafts = [Draft(s.quantity, s.formula, s.reads, s.value) for s in self.steps]
        return compiled_runner(drafts, dict(self.constants), MP)


def compiled_runner(drafts: list[Draft], constants: dict[sp.Symbol, Any], backend: Backend):
    """The compiled graph: constants sit after the steps in the value list."""
    position = {d.quantity: i for i, d in enumerate(drafts)}
    const_slot = {s: len(drafts) + i for i, s in enumerate(constants)}
    slots = [{**{s: position[q] for s, q in d.reads}, **const_slot} for d in drafts]
    return compile_steps([d.formula for d in drafts], slots, backend)


def _run(run, drafts: list[Draft], values: list, constants: list, fixed: list[bool], spec: Spec) -> list:
    """Evaluate the compiled graph; a division by zero or log(0) becomes a NumericalError naming the output."""
    work = values + constants  # filled in place, so after a failure it shows how far the run got
    try:
        return run(work, fixed + [True] * len(constants))[:len(drafts)]
    except (ZeroDivisionError, ValueError):
        failed = next(d.quantity for i, d in enumerate(drafts) if work[i] is None and d.formula is not None)
        raise NumericalError(_saturation(spec, drafts, work, failed)) from None
    except OverflowError:
        raise NumericalError("a number overflowed in the worked step: try smaller weights or inputs") from None


def _saturation(spec: Spec, drafts: list[Draft], work: list, failed: Quantity) -> str:
    """Which output of which example saturated, where it broke the step, and what to change."""
    if not isinstance(spec, Spec):  # a circuit: no outputs to saturate, only its own numbers
        return f"{plain_name_in(failed, spec, 'layer')} divides by zero or is undefined at these numbers"
    where, L = plain_name_in(failed, spec, "layer"), len(spec.layers)
    for i, d in enumerate(drafts):
        q = d.quantity
        if q.kind == "a" and q.layer == L and (failed.example in (0, q.example)) and work[i] in (0, 1):
            return (f"output a({L})_{q.unit} of example {q.example} is exactly {int(work[i])} to {DIGITS} digits, "
                    f"so {where} divides by zero or takes log(0) in the {spec.loss} loss: {_remedy(spec)}")
    return f"{where} divides by zero or takes log(0): an output saturated; use smaller weights or inputs"


def _remedy(spec: Spec) -> str:
    return f"use smaller weights or inputs into layer {len(spec.layers)}, or a loss without a logarithm (half_sse)"


# the JSON and the float cross-checks carry every number as a float64
FLOAT_MAX, FLOAT_TINY = sys.float_info.max, sys.float_info.min


def _check_float_range(spec: Spec, drafts: list[Draft], values: list) -> None:
    """Refuse a computed value float64 cannot hold, naming the output whose saturation made it so."""
    for d, value in zip(drafts, values):
        if d.formula is not None and abs(value) > FLOAT_MAX:
            raise NumericalError(_overflow(spec, drafts, values, d, value))


def _overflow(spec: Spec, drafts: list[Draft], values: list, failed: Draft, value) -> str:
    """Which output of which example saturated beyond float64's range, what it made too large, what to change."""
    where, L = plain_name_in(failed.quantity, spec, "layer"), len(spec.layers)
    too_large = f"{where} is {mpmath.nstr(value, 3)}, beyond float64's {FLOAT_MAX:.2g}"
    # 40 digits keep an output of 1e-435 apart from 0, but 1/a then leaves float64 (an output that
    # close to 1 is exactly 1 in 40 digits, and _saturation names it)
    tiny = [(d.quantity, a) for d, a in zip(drafts, values) if d.quantity.kind == "a" and d.quantity.layer == L
            and failed.quantity.example in (0, d.quantity.example) and abs(a) < FLOAT_TINY]
    read = {q for _, q in failed.reads}
    tiny.sort(key=lambda qa: qa[0] not in read)  # the output the failed step divides by, where it reads one
    if not tiny:
        return (f"{too_large} (the JSON and the float cross-checks hold every number as one): "
                "use smaller weights or inputs")
    q, a = tiny[0]
    return (f"output a({L})_{q.unit} of example {q.example} is {mpmath.nstr(a, 3)}, nearer 0 than float64's "
            f"{FLOAT_TINY:.2g}, so {too_large}, in the {spec.loss} loss: {_remedy(spec)}")


def build_graph(spec: Spec) -> StepGraph:
    """Build every step of the spec's first gradient-descent step and evaluate it in 40 digits."""
    drafts, constants = build_steps(spec)
    with mpmath.workdps(DIGITS):
        run = compiled_runner(drafts, constants, MP)
        values = [MP.number(d.value) if d.formula is None else None for d in drafts]
        fixed = [d.formula is None for d in drafts]
        numbers = tuple((s, MP.number(v)) for s, v in constants.items())
        values = _run(run, drafts, values, [v for _, v in numbers], fixed, spec)
        _check_float_range(spec, drafts, values)
    steps = tuple(Step(d.quantity, d.formula, d.reads, v, d.later, d.display) for d, v in zip(drafts, values))
    return StepGraph(spec, steps, numbers, run)  # recompute and the history reuse the compiled formulas


def recompute(graph: StepGraph, overrides: dict[Quantity, Any]) -> StepGraph:
    """Every step re-evaluated in order, with the overridden quantities held at the given values.

    A later step reads the overridden value (or a value recomputed from it): the error carried
    forward, as a marker does. An override of a given number (a weight, an input) is a new variant.
    """
    if not isinstance(graph, StepGraph):
        raise SpecError(f"recompute: expected a StepGraph (a worked example's .graph), got {type(graph).__name__}")
    if not isinstance(overrides, Mapping):
        raise SpecError(f"recompute: expected a mapping of quantities to numbers, got {type(overrides).__name__}")
    overrides = {_address(graph, q): _number(q, value) for q, value in overrides.items()}
    drafts = [Draft(s.quantity, s.formula, s.reads, s.value) for s in graph.steps]
    with mpmath.workdps(DIGITS):
        run = graph.compiled
        # computed steps start empty, as in build_graph, so a failure can be traced to its step
        values = [MP.number(overrides[s.quantity]) if s.quantity in overrides else
                  (s.value if s.given else None) for s in graph.steps]
        fixed = [s.given or s.quantity in overrides for s in graph.steps]
        values = _run(run, drafts, values, [v for _, v in graph.constants], fixed, graph.spec)
    return replace(graph, steps=tuple(replace(s, value=v) for s, v in zip(graph.steps, values)), runner=run)


def _address(graph: StepGraph, quantity: Quantity | str) -> Quantity:
    """A quantity of the graph, given as itself, a name (w5, dE/db2) or a JSON path; else an AddressError."""
    if isinstance(quantity, str):
        quantity = quantity_named(quantity, graph.spec)
    graph.position(quantity)
    return quantity


def _number(quantity: Quantity | str, value: Any) -> Any:
    """An override's value, checked to be one finite real number."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = value if type(value) in (int, float) else float(value)  # numpy's float64, Fraction, Decimal
    try:
        number = mpmath.mpf(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not mpmath.isfinite(number):
        raise SpecError(f"{described(quantity)}: expected a finite number, got {value!r}")
    return value


def described(quantity: Any) -> str:
    """An address for a message: its JSON path where it has one, else what was given."""
    try:
        path = quantity.json_path
    except (AttributeError, KeyError, TypeError):
        return repr(quantity)
    return path if "[-1]" not in path and not path.startswith("layers[-1]") else repr(quantity)


def runner(graph: StepGraph, backend: Backend = FLOAT):
    """The graph compiled once, for many steps of the loss history: run(values) -> values.

    The given numbers are read from values; every computed step is written over.
    """
    if backend is MP:
        run = graph.compiled
    else:
        run = compiled_runner([Draft(s.quantity, s.formula, s.reads, s.value) for s in graph.steps],
                      dict(graph.constants), backend)
    constants = [backend.number(v) for _, v in graph.constants]
    fixed = [s.given for s in graph.steps] + [True] * len(constants)
    return lambda values: run(values + constants, fixed)[:len(graph.steps)]
