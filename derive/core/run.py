"""A worked run: the step graph at the spec's point, the loss before every step, every value after the last."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .graph import StepGraph
from .quantities import Quantity


@dataclass(frozen=True)
class Run:
    """What views print: the first step's numbers in the graph, and what the later steps gave."""

    graph: StepGraph
    loss_history: list
    # every quantity's value after the last step (the first step's where the spec takes no steps)
    final: dict[Quantity, Any]

    def value(self, quantity: Quantity) -> Any:
        """A number of the first step, by its address."""
        return self.graph.value(quantity)
