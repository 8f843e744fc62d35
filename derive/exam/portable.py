"""Answers as learning systems can store them: a value whose bounds are small is asked for times 10^k."""
from __future__ import annotations

import math
from dataclasses import dataclass

# Canvas (and others) store numerical answers and their margins as decimals that turn values
# below 1e-4 into 0; bounds kept at 1e-3 and above stay clear of that with a factor of ten.
SMALLEST_BOUND = 1e-3


@dataclass(frozen=True)
class Portable:
    """The value asked for, value x 10^power, and its tolerance on the same scale."""

    power: int
    value: float
    tolerance: float

    @property
    def low(self) -> float:
        return self.value - self.tolerance

    @property
    def high(self) -> float:
        return self.value + self.tolerance


def portable(value: float, tolerance: float) -> Portable:
    """The answer as it is; or, when a bound of its interval is within SMALLEST_BOUND of 0, times 10^k."""
    smallest = abs(value) - tolerance
    if smallest >= SMALLEST_BOUND or value == 0:
        return Portable(0, value, tolerance)
    # the power that brings the answer's size to between 1 and 10
    power = -math.floor(math.log10(abs(value)))
    scale = 10.0 ** power
    return Portable(power, float(f"{value * scale:.12g}"), float(f"{tolerance * scale:.12g}"))
