"""Draws an exam refuses, each rule naming why: kinks, saturation, ties, vanishing or ambiguous answers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ..core.activations import ACTIVATIONS
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.tolerance import Digits


@dataclass(frozen=True)
class Asked:
    """One asked quantity of a draw with its value, tolerance and, for an update, the size of its change."""

    kind: str
    quantity: Quantity
    value: float
    tolerance: float
    change: float | None  # |new - old| for an updated parameter


@dataclass(frozen=True)
class Draw:
    """One draw's numbers in floats, on the steps of the shape's graph (enough to judge it)."""

    graph: StepGraph
    values: list[float]

    def value(self, q: Quantity) -> float:
        return self.values[self.graph.index[q]]

    def units(self, kind: str) -> Iterator[tuple[str, Quantity, float]]:
        """(activation name, quantity, value) of every per-unit step of the given kind."""
        layers = self.graph.spec.layers
        for step, value in zip(self.graph.steps, self.values):
            if step.quantity.kind == kind:
                yield layers[step.quantity.layer - 1].activation, step.quantity, value


@dataclass(frozen=True)
class Rule:
    """One reason to refuse a draw: a test over the draw's graph and asked answers, and its wording."""

    name: str
    reason: str
    refuses: Callable[[Draw, list[Asked], Digits], bool]
    answers: bool = False  # judges the asked answers, so it runs after their tolerances are known


# ReLU inputs this close to the kink, sigmoid and tanh derivatives this small, softmax inputs this
# close together make a problem that tests luck or patience rather than backpropagation.
KINK_MARGIN = 0.1
SMALLEST_DERIVATIVE = {"sigmoid": 0.05, "tanh": 0.1}  # of the largest, 0.25 and 1
TIE_MARGIN = 0.1
SIGNIFICANT_UNITS = 10  # an asked gradient or change is at least this many units of the answer's last written digit
AMBIGUITY = 0.25  # a tolerance at least this fraction of the answer would pass a wrong sign's neighbours


def _kink(draw: Draw, asked: list[Asked], digits: Digits) -> bool:
    return any(ACTIVATIONS[act].kink and abs(z) < KINK_MARGIN for act, _, z in draw.units("z"))


def _saturated(draw: Draw, asked: list[Asked], digits: Digits) -> bool:
    return any(act in SMALLEST_DERIVATIVE and q.input == 0 and abs(d) < SMALLEST_DERIVATIVE[act]
               for act, q, d in draw.units("da_dz"))


def _tie(draw: Draw, asked: list[Asked], digits: Digits) -> bool:
    rows: dict[tuple[int, int], list[float]] = {}
    for act, q, z in draw.units("z"):
        if ACTIVATIONS[act].vector:
            rows.setdefault((q.layer, q.example), []).append(z)
    return any(abs(a - b) < TIE_MARGIN for zs in rows.values() for i, a in enumerate(zs) for b in zs[i + 1:])


def _vanishing(draw: Draw, asked: list[Asked], digits: Digits) -> bool:
    # a unit of the last digit is twice its half unit: 10^-D for D decimals, of the value's own size for
    # significant figures (where only an update's change can fall below it: the value has its figures)
    return any(size < SIGNIFICANT_UNITS * 2 * digits.half_unit(a.value)
               for a in asked if a.change is not None or a.quantity.kind in ("dW", "db", "delta")
               for size in [a.change if a.change is not None else abs(a.value)])


def _ambiguous(draw: Draw, asked: list[Asked], digits: Digits) -> bool:
    # a tolerance that is no number (an infinite local derivative met a zero) is refused too
    return any(not a.tolerance < AMBIGUITY * (a.change if a.change is not None else abs(a.value)) for a in asked)


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("kink", f"a ReLU input within {KINK_MARGIN} of 0", _kink),
        Rule("saturated", "a sigmoid or tanh unit saturated (derivative below "
             + ", ".join(f"{v} for {k}" for k, v in SMALLEST_DERIVATIVE.items()) + ")", _saturated),
        Rule("tie", f"two softmax inputs within {TIE_MARGIN} of each other", _tie),
        Rule("vanishing", f"an asked gradient or update below {SIGNIFICANT_UNITS} units of its last written digit",
             _vanishing, answers=True),
        Rule("ambiguous", f"an asked answer's tolerance over {AMBIGUITY:.0%} of its size (or of its change)",
             _ambiguous, answers=True),
        # applied by the generator, which knows the earlier variants
        Rule("numerical", "an output saturated to 0 or 1 under a log", lambda g, a, d: False),
        Rule("duplicate", "the same numbers as an earlier variant", lambda g, a, d: False),
        Rule("repeat", "an answer equal, at the shown decimals, to the same question's in an earlier variant",
             lambda g, a, d: False),
    )
}


def refusal(draw: Draw, asked: list[Asked] | None, digits: Digits) -> str | None:
    """The name of the first rule that refuses the draw, or None; asked=None runs the rules on the numbers alone."""
    return next((name for name, rule in RULES.items()
                 if rule.answers == (asked is not None) and rule.refuses(draw, asked or [], digits)), None)
