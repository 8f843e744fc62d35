"""Answers as learning systems can store them: a value whose bounds are small, or whose digits are many, asked times 10^k."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.tolerance import Digits

# Canvas (and others) store numerical answers and their margins as decimals that turn values
# below 1e-4 into 0; bounds kept at 1e-3 and above stay clear of that with a factor of ten.
SMALLEST_BOUND = 1e-3
# Canvas Classic Quizzes rounds a typed numerical answer to 4 decimal places before marking it, so
# an answer written with more would lose the digits its margin is made of; asked times 10^k, it
# is written with no more than these.
TYPED_DECIMALS = 4


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


def portable(value: float, tolerance: float, digits: Digits | None = None) -> Portable:
    """The answer as it is; or times 10^k, when a bound of its interval is within SMALLEST_BOUND of 0
    or when it is written (by the digits asked) with more than TYPED_DECIMALS decimals."""
    if value == 0:
        return Portable(0, value, tolerance)
    # the most decimals a right answer is written with: a smaller one has more, at significant figures
    typed = digits.decimals_of(max(abs(value) - tolerance, abs(value) / 10)) if digits else 0
    power = max(0, typed - TYPED_DECIMALS)
    if abs(value) - tolerance < SMALLEST_BOUND:
        # the power that brings the answer's size to between 1 and 10
        power = max(power, -math.floor(math.log10(abs(value))))
    if power == 0:
        return Portable(0, value, tolerance)
    scale = 10.0 ** power
    return Portable(power, float(f"{value * scale:.12g}"), float(f"{tolerance * scale:.12g}"))
