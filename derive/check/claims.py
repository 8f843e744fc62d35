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
    # the first rounding that explains a number is kept; a coarser one is worked only where none has
    levels = _Levels(graph, claims)
    return {(c, i): names for c, claim in enumerate(claims)
            for i, names in _explain_claim(graph, claim, levels).items()}


class _Levels:
    """The published numbers' tolerances at each rounding of the unshown steps, worked out when first asked."""

    def __init__(self, graph: StepGraph, claims: tuple[Claim, ...]):
        self.graph, self.claims, self.found = graph, claims, {}

    def __len__(self) -> int:
        return len(UNSHOWN_DECIMALS)

    def __getitem__(self, n: int) -> dict[Quantity, float]:
        if n not in self.found:
            self.found[n] = _tolerances(self.graph, self.claims, UNSHOWN_DECIMALS[n])
        return self.found[n]


def _explain_claim(graph: StepGraph, claim: Claim, levels: _Levels) -> dict[int, list[str]]:
    """For each of one claim's numbers that differs, by position, the mistakes that reproduce it."""
    quantities = path_quantities(claim.quantity, graph.spec)
    differing = {i: (q, published) for i, (q, published) in enumerate(zip(quantities, claim.value))
                 if q not in graph or not agrees(graph.value(q), published, claim.decimals_of(i))}
    in_graph = {i: d for i, d in differing.items() if d[0] in graph}
    found: dict[int, list[str]] = {}
    # one claim's numbers (a row) are diagnosed together, each mistake worked once for every rounding
    if in_graph:
        asked = [q for q, _ in in_graph.values()]
        tolerances = ({q: levels[n][q] for q in asked} for n in range(len(levels)))
        named = diagnose(graph, {q: p for q, p in in_graph.values()}, next(tolerances), asked, coarser=tolerances)
        found.update({i: named.get(q, []) for i, (q, _) in in_graph.items()})
    for i, (q, published) in differing.items():
        if i in in_graph:
            continue
        for n in range(len(levels)):
            found[i] = _explain(graph, q, published, _off_graph(levels[n], published, claim.decimals_of(i)))
            if found[i]:
                break
    return found
