"""Published numbers that differ from ours, explained where a catalogue mistake reproduces them."""
from __future__ import annotations

from typing import Any

from ..core.graph import StepGraph
from ..core.naming import path_quantities
from ..core.quantities import Quantity
from ..core.spec import Claim
from ..errors import NumericalError
from .marking import hand_tolerance
from .mistakes import MISTAKES, diagnose, loss_after_step, mistake_graph


def agrees(ours: Any, published: float, decimals: int) -> bool:
    """A published number agrees when ours rounds to it at the decimals it was published with."""
    return abs(float(ours) - published) <= 0.5 * 10 ** -decimals * (1 + 1e-9)


def _explain(graph: StepGraph, q: Quantity, published: float, tol: float) -> list[str]:
    """The mistakes that reproduce a published number; the loss after the step through each mistake's update."""
    if q.kind == "loss_history":
        if q.step != 1:
            return []
        names = []
        for name, mistake in MISTAKES.items():
            try:
                after = float(loss_after_step(mistake_graph(graph, mistake))) if mistake.applies(graph.spec) else None
            except NumericalError:
                after = None
            if after is not None and abs(after - published) <= tol:
                names.append(name)
        return names
    if q not in graph:
        return []
    return diagnose(graph, {q: published}, {q: tol}, [q]).get(q, [])


def explain_claims(graph: StepGraph, claims: tuple[Claim, ...]) -> dict[tuple[int, int], list[str]]:
    """For each published number that differs, (claim, position) -> the mistakes that reproduce it."""
    spec = graph.spec
    found: dict[tuple[int, int], list[str]] = {}
    for c, claim in enumerate(claims):
        quantities = path_quantities(claim.quantity, spec)
        # a published worked example rounds its intermediates by hand, as a student does
        differing = {i: (q, published, hand_tolerance(published, claim.decimals_of(i), published))
                     for i, (q, published) in enumerate(zip(quantities, claim.value))
                     if q not in graph or not agrees(graph.value(q), published, claim.decimals_of(i))}
        in_graph = {i: d for i, d in differing.items() if d[0] in graph}
        # one claim's numbers (a row) are diagnosed together: one recompute per mistake, not per number
        if in_graph:
            named = diagnose(graph, {q: p for q, p, _ in in_graph.values()},
                             {q: tol for q, _, tol in in_graph.values()}, [q for q, _, _ in in_graph.values()])
            found.update({(c, i): named.get(q, []) for i, (q, _, _) in in_graph.items()})
        for i, (q, published, tol) in differing.items():
            if i not in in_graph:
                found[(c, i)] = _explain(graph, q, published, tol)
    return found
