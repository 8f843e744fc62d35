"""Published numbers that differ from ours, explained where a catalogue mistake reproduces them."""
from __future__ import annotations

from typing import Any

from ..core.graph import StepGraph
from ..core.naming import path_quantities
from ..core.quantities import Quantity
from ..core.spec import Claim
from ..errors import NumericalError
from .written_rounding import COARSER_DECIMALS, Written, written_tolerances, written_unit
from .mistakes import diagnose, loss_after_step, mistake_graph, possible


def agrees(ours: Any, published: float, decimals: int) -> bool:
    """A published number agrees when ours rounds to it at the decimals it was published with."""
    return abs(float(ours) - published) <= 0.5 * 10 ** -decimals * (1 + 1e-9)


def _explain(graph: StepGraph, q: Quantity, published: float, tol: float) -> list[str]:
    """The mistakes that reproduce a published number; the loss after the step through each mistake's update."""
    if q.kind == "loss_history":
        if q.step != 1:
            return []
        names = []
        for mistake in possible(graph):
            try:
                after = float(loss_after_step(mistake_graph(graph, mistake)))
            except NumericalError:
                continue
            if abs(after - published) <= tol:
                names.append(mistake.id)
        return names
    if q not in graph:
        return []
    return diagnose(graph, {q: published}, {q: tol}, [q]).get(q, [])


LOSS = Quantity("loss")
# A source shows few of its intermediates: those it does not show are taken as rounded like the
# numbers it does (None), and then, where no mistake reproduces a number so, coarser: a page that
# rounds by hand to 4, 3 or 2 decimals carries larger errors into what it shows.
UNSHOWN_DECIMALS = (None, *COARSER_DECIMALS)


def _tolerances(graph: StepGraph, claims: tuple[Claim, ...], unshown: int | None) -> dict[Quantity, float]:
    """Each published number's tolerance: the hand rounding its digits imply, as for a person's answers."""
    written = {q: Written(q, published, claim.decimals_of(i)) for claim in claims
               for i, (q, published) in enumerate(zip(path_quantities(claim.quantity, graph.spec), claim.value))
               if q in graph}
    return written_tolerances(graph, list(written.values()), unshown, also=[LOSS])[0]


def _off_graph(tolerances: dict[Quantity, float], published: float, decimals: int) -> float:
    """A number after the step (the loss after an update): its own rounding and the loss's before it."""
    return written_unit(published, decimals) + tolerances[LOSS]


def explain_claims(graph: StepGraph, claims: tuple[Claim, ...]) -> dict[tuple[int, int], list[str]]:
    """For each published number that differs, (claim, position) -> the mistakes that reproduce it."""
    found: dict[tuple[int, int], list[str]] = {}
    for unshown in UNSHOWN_DECIMALS:
        tolerances = _tolerances(graph, claims, unshown)
        for c, claim in enumerate(claims):
            for i, names in _explain_claim(graph, claim, tolerances).items():
                if not found.get((c, i)):  # the first rounding that explains a number is kept
                    found[(c, i)] = names
        if all(found.values()):
            break
    return found


def _explain_claim(graph: StepGraph, claim: Claim, tolerances: dict[Quantity, float]) -> dict[int, list[str]]:
    """For each of one claim's numbers that differs, by position, the mistakes that reproduce it."""
    found: dict[int, list[str]] = {}
    quantities = path_quantities(claim.quantity, graph.spec)
    differing = {i: (q, published, tolerances[q] if q in graph else
                     _off_graph(tolerances, published, claim.decimals_of(i)))
                 for i, (q, published) in enumerate(zip(quantities, claim.value))
                 if q not in graph or not agrees(graph.value(q), published, claim.decimals_of(i))}
    in_graph = {i: d for i, d in differing.items() if d[0] in graph}
    # one claim's numbers (a row) are diagnosed together: one recompute per mistake, not per number
    if in_graph:
        named = diagnose(graph, {q: p for q, p, _ in in_graph.values()},
                         {q: tol for q, _, tol in in_graph.values()}, [q for q, _, _ in in_graph.values()])
        found.update({i: named.get(q, []) for i, (q, _, _) in in_graph.items()})
    for i, (q, published, tol) in differing.items():
        if i not in in_graph:
            found[i] = _explain(graph, q, published, tol)
    return found
