"""Why a published number differs: a catalogue mistake, the source's own earlier wrong number, or its rounding."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath

from ..core.codegen import DIGITS
from ..core.graph import StepGraph, recompute
from ..core.naming import path_quantities
from ..core.quantities import Quantity
from ..core.rewrites import local_values
from ..core.spec import Claim
from ..errors import NumericalError
from .claims import agrees, explain_claims
from .written_rounding import Written, written_tolerances

# A hand calculation that rounds every intermediate: to so many decimals, then to so many
# significant figures, finest first (the least rounding that reproduces a number is named).
ROUNDINGS: tuple[tuple[str, int], ...] = (("decimals", 4), ("decimals", 3), ("decimals", 2),
                                          ("significant figures", 4), ("significant figures", 3),
                                          ("significant figures", 2))


def claim_reasons(graph: StepGraph, claims: tuple[Claim, ...]) -> dict[tuple[int, int], dict[str, Any]]:
    """For each published number that differs, what explains it.

    mistakes: the ids of the catalogue's mistakes (check.catalogue.describe words them); follows: the earlier published numbers that differ
    and that it follows from, worked on right (carried forward); rounded: the rounding of every
    intermediate ("3 decimals") that reproduces it. Each is empty where it explains nothing.
    """
    mistakes = explain_claims(graph, claims)
    reasons = {key: {"mistakes": list(names), "follows": [], "rounded": ""}
               for key, names in mistakes.items()}
    published = _published(graph, claims)
    chains: dict[tuple[str, int], list[Any] | None] = {}  # each rounding's chain, worked once for every number
    for key, reason in reasons.items():
        if reason["mistakes"] or key not in published:
            continue
        q, value, decimals = published[key]
        reason["follows"] = _follows(graph, published, q, value)
        if not reason["follows"]:
            reason["rounded"] = _rounded(graph, q, value, decimals, chains)
    return reasons


def _published(graph: StepGraph, claims: tuple[Claim, ...]) -> dict[tuple[int, int], tuple[Quantity, float, int]]:
    """Every published number of the step graph: its quantity, value and decimals, by (claim, position)."""
    return {(c, i): (q, value, claim.decimals_of(i)) for c, claim in enumerate(claims)
            for i, (q, value) in enumerate(zip(path_quantities(claim.quantity, graph.spec), claim.value)) if q in graph}


def _follows(graph: StepGraph, published: dict, q: Quantity, value: float) -> list[Quantity]:
    """The earlier published numbers that differ and that this one follows from, worked on right, or none."""
    index = graph.index
    earlier = {p: v for p, v, d in published.values() if index[p] < index[q]}
    wrong = [p for p, v, d in published.values()
             if index[p] < index[q] and not agrees(graph.value(p), v, d) and p in _ancestors(graph, q)]
    if not wrong:
        return []
    try:
        carried = local_values(recompute(graph, earlier), [q])[q]
    except NumericalError:
        return []
    written = [Written(p, v, d) for p, v, d in published.values()]
    own = written_tolerances(graph, written)[1]
    if not abs(float(carried) - value) <= own.get(q, 0.0):
        return []
    return sorted(wrong, key=index.__getitem__)


def _ancestors(graph: StepGraph, q: Quantity) -> set[Quantity]:
    """Every quantity the step of q reads, directly or through other steps."""
    seen: set[Quantity] = set()
    todo = list(graph.dependencies(q))
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(graph.dependencies(p))
    return seen


def _rounded(graph: StepGraph, q: Quantity, value: float, decimals: int,
             chains: dict[tuple[str, int], list[Any] | None]) -> str:
    """The rounding of every intermediate that gives the published number to its last digit, or ''."""
    for words, n in ROUNDINGS:
        if (words, n) not in chains:
            chains[words, n] = rounded_chain(graph, _rounder(words, n))
        chain = chains[words, n]
        if chain is not None and agrees(chain[graph.index[q]], value, decimals):
            return f"{n} {words}"
    return ""


def _rounder(words: str, n: int) -> Callable[[Any], Any]:
    """Round a number to n decimals or n significant figures."""
    if words == "decimals":
        return lambda x: mpmath.mpf(round(float(x), n))
    return lambda x: mpmath.mpf(float(f"{float(x):.{n - 1}e}"))


def rounded_chain(graph: StepGraph, rounding: Callable[[Any], Any]) -> list[Any] | None:
    """Every step worked in order from the rounded values of the steps before it, as by hand; None if it fails.

    Each value is the step's own before it is rounded in turn: a source may print it to more digits.
    """
    run, n = graph.compiled, len(graph.steps)
    values = [s.value for s in graph.steps] + [v for _, v in graph.constants]
    fixed = [True] * len(values)
    unrounded = list(values[:n])
    with mpmath.workdps(DIGITS):
        for i, step in enumerate(graph.steps):
            if step.given:
                continue
            fixed[i] = False
            try:
                run(values, fixed)
            except (ZeroDivisionError, ValueError, OverflowError):
                return None
            fixed[i] = True
            unrounded[i] = values[i]
            values[i] = rounding(values[i])
    return unrounded
