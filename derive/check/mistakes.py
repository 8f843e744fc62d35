"""Which of the catalogue's mistakes explain a person's wrong numbers: each mistake's graph, worked on their values."""
from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath

from ..core.codegen import DIGITS, MP, compile_steps
from ..core.graph import StepGraph, recompute
from ..core.quantities import Quantity
from ..core.rewrites import local_values, rewrite
from ..errors import AddressError, NumericalError
from ..core.circuit import Circuit
from .catalogue import Mistake, instances
from .circuit_mistakes import circuit_instances
from .slips import slips


# Keyed by id(graph), checked against a weak reference: a StepGraph is costly to hash, and the
# entries go when their graph does. No entry may refer to its graph, or it would never go.
_CACHE: dict[tuple[int, Any], tuple[weakref.ref, Any]] = {}


def _cached(graph: StepGraph, key: Any, make: Callable[[], Any]) -> Any:
    slot = (id(graph), key)
    entry = _CACHE.get(slot)
    if entry is not None and entry[0]() is graph:
        return entry[1]
    value = make()
    _CACHE[slot] = (weakref.ref(graph, lambda _: _CACHE.pop(slot, None)), value)
    return value


def possible(graph: StepGraph) -> list[Mistake]:
    """The catalogue's mistakes that can happen on the graph's spec (check.catalogue.instances; a circuit's,
    check.circuit_mistakes), found once."""
    if isinstance(graph.spec, Circuit):
        return _cached(graph, "instances", lambda: circuit_instances(graph.spec))
    return _cached(graph, "instances", lambda: instances(graph.spec))


def mistake_graph(graph: StepGraph, mistake: Mistake) -> StepGraph:
    """The whole step worked through with the mistake, from the spec's own numbers."""
    return _cached(graph, ("graph", mistake), lambda: rewrite(graph, *_rewritten(graph, mistake)))


def _rewritten(graph: StepGraph, mistake: Mistake) -> tuple:
    """The mistake's replaced formulas and its step order (None: the graph's), worked out once per graph."""
    return _cached(graph, ("rewrite", mistake), lambda: mistake.rewritten(graph))


@dataclass(frozen=True)
class _Compiled:
    """A graph compiled once: every step with held values kept, then each computed step's formula again.

    The second pass reads the first, so it gives what each step yields from the values held:
    the person's own numbers where given, the graph's formulas elsewhere.
    """

    run: Callable[[list, list], list]
    quantities: tuple[Quantity, ...]
    position: dict[Quantity, int]
    given: tuple[bool, ...]
    start: tuple[Any, ...]  # the graph's values, then its constants


def _compile(graph: StepGraph) -> _Compiled:
    index = graph.index
    width = len(graph.steps) + len(graph.constants)
    constant_slots = {s: len(graph.steps) + i for i, (s, _) in enumerate(graph.constants)}
    slots = [{**{s: index[q] for s, q in step.reads}, **constant_slots} for step in graph.steps]
    # the first pass is the graph's own compiled run (constants after the steps, as here)
    first, again = graph.compiled, compile_steps([None] * width + [s.formula for s in graph.steps],
                                                 [{}] * width + slots, MP)
    start = tuple(s.value for s in graph.steps) + tuple(v for _, v in graph.constants)
    return _Compiled(lambda v, fixed: again(first(v, fixed), fixed), tuple(s.quantity for s in graph.steps),
                     dict(index), tuple(s.given for s in graph.steps), start)


def _compiled(graph: StepGraph, mistake: Mistake | None) -> _Compiled:
    if mistake is None:
        return _cached(graph, "compiled", lambda: _compile(graph))
    return _cached(graph, ("compiled", mistake), lambda: _compile(mistake_graph(graph, mistake)))


def _locals(graph: StepGraph, mistake: Mistake | None, given: dict[Quantity, Any],
            quantities: Sequence[Quantity]) -> dict[Quantity, Any] | None:
    """What each quantity's step gives from the person's values, with the mistake made; None if it cannot be worked."""
    c = _compiled(graph, mistake)
    steps, total = len(c.given), len(c.start)
    with mpmath.workdps(DIGITS):
        values = list(c.start) + [None] * steps
        for q, v in given.items():
            values[c.position[q]] = MP.number(v)
        fixed = [g or q in given for q, g in zip(c.quantities, c.given)] + [True] * (total - steps) + [False] * steps
        try:
            out = c.run(values, fixed)
        except (ArithmeticError, ValueError, TypeError):
            return _locals_one_by_one(graph, mistake, given, quantities)
    return {q: out[c.position[q]] if c.given[c.position[q]] else out[total + c.position[q]] for q in quantities}


def _locals_one_by_one(graph: StepGraph, mistake: Mistake | None, given: dict[Quantity, Any],
                       quantities: Sequence[Quantity]) -> dict[Quantity, Any] | None:
    """The slow way, where a step divides by zero or takes log(0): each formula alone, NaN where it fails."""
    worked = graph if mistake is None else mistake_graph(graph, mistake)
    try:
        return local_values(recompute(worked, given), quantities)
    except (NumericalError, TypeError):
        return None


def _number(value: Any) -> float:
    """A float for comparing, NaN for anything that is not a finite real number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def within(x: Any, y: Any, tol: float) -> bool:
    """Both finite and no further apart than tol; NaN is never within anything."""
    return abs(_number(x) - _number(y)) <= tol


def diagnose(graph: StepGraph, given: dict[Quantity, Any], tolerance: dict[Quantity, float],
             quantities: Sequence[Quantity], coarser: Iterable[dict[Quantity, float]] = (),
             slipped: bool = False) -> dict[Quantity, list[str]]:
    """For each quantity, the mistakes whose own formula, on the person's values, gives the person's number.

    A mistake counts only where it changes the step: its value must differ from what the correct
    formula gives from the same values by more than the tolerance. Where none does and slipped,
    the slips of sign or factor (check.slips), the number's ratio to the right one, at the same
    tolerance; then each of the coarser tolerances in turn (each mistake is worked once for all).
    """
    unknown = [q for q in [*given, *quantities] if q not in graph]
    if unknown:
        raise AddressError(f"{unknown[0].json_path} is not a quantity of this network")
    found: dict[Quantity, list[str]] = {q: [] for q in quantities}
    asked = [q for q in quantities if given.get(q) is not None and not graph.step(q).given]
    if not asked:
        return found
    held = {q: v for q, v in given.items() if v is not None}
    correct = _locals(graph, None, held, asked)
    if correct is None:
        return found
    upstream = _ancestors(graph, asked)
    worked, slipped_by = [], slips(graph.spec) if slipped else []
    for mistake in possible(graph):
        if not _touches(graph, mistake, upstream):
            continue
        try:
            local = _locals(graph, mistake, held, asked)
        except NumericalError:  # the mistake breaks the step on the spec's own numbers
            continue
        if local is not None:
            worked.append((mistake.id, local))
    for n, level in enumerate(itertools.chain([tolerance], coarser)):
        left = [q for q in asked if not found[q]]
        if not left:
            break
        for q in left:
            tol = float(level.get(q, 0.0))
            found[q] = [name for name, local in worked
                        if within(local[q], given[q], tol) and not within(local[q], correct[q], tol)]
            # a slip that gives the number at the person's own rounding explains it better than a
            # mistake that does only at a coarser one
            if n == 0 and slipped and not found[q] and not within(given[q], correct[q], tol):
                found[q] = [s.name for s in slipped_by if within(given[q], s.ratio * _number(correct[q]), tol)]
    return found


def _ancestors(graph: StepGraph, quantities: Sequence[Quantity]) -> set[Quantity]:
    """The quantities and every step they are computed from."""
    seen, todo = set(quantities), list(quantities)
    while todo:
        for _, q in graph.step(todo.pop()).reads:
            if q not in seen:
                seen.add(q)
                todo.append(q)
    return seen


def _touches(graph: StepGraph, mistake: Mistake, upstream: set[Quantity]) -> bool:
    """Whether the mistake rewrites any step the asked quantities come from; if not, it cannot explain them.

    A rewritten step that is not upstream in the right graph cannot become upstream: only a
    rewritten step's own new reads could pull it in, and that step would be upstream itself.
    """
    replaced, _ = _rewritten(graph, mistake)
    return any(q in upstream for q in replaced)


def loss_after_step(graph: StepGraph) -> Any:
    """The loss at the graph's updated weights and biases, by the graph's own forward formulas; NaN if none."""
    moved = {s.quantity.parameter(): s.value for s in graph.steps if s.quantity.role == "update"}
    try:
        loss = recompute(graph, moved).value(Quantity("loss"))
    except NumericalError:
        return mpmath.mpf("nan")
    # a mistake may take the log of a negative number, which mpmath makes complex
    return loss if isinstance(loss, mpmath.mpf) else mpmath.mpf("nan")
