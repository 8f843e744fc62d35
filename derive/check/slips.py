"""Slips any number can carry, told by its ratio to the right value: its sign, or a factor of the network's own."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.circuit import Circuit
from ..core.spec import Spec


@dataclass(frozen=True)
class Slip:
    """A number written as ratio × the right one: an id for JSON and the words that name the factor."""

    name: str
    ratio: float
    title: str


def slips(spec: Spec) -> list[Slip]:
    """The ratios a slip can leave, each once: the network's η, N and K first (the likelier cause), then 2, ½, −1."""
    found: list[Slip] = []
    if isinstance(spec, Circuit):  # a circuit has no examples or output units: its learning rate alone
        rate, N, K = spec.learning_rate, 1, 1
    else:
        rate, N, K = spec.learning_rate if spec.updates else None, len(spec.inputs), spec.layers[-1].units
    if rate:
        found += [Slip("factor_eta", rate, f"off by a factor of η = {rate:g}, the learning rate"),
                  Slip("factor_1_over_eta", 1 / rate, f"off by a factor of 1/η = {1 / rate:g}, one over the "
                                                      "learning rate")]
    for count, letter, what in ((N, "N", "examples"), (K, "K", "output units")):
        if count > 1:
            found += [Slip(f"factor_{letter.lower()}", count, f"off by a factor of {letter} = {count}, the number "
                                                              f"of {what}"),
                      Slip(f"factor_1_over_{letter.lower()}", 1 / count,
                           f"off by a factor of 1/{letter} = 1/{count}, one over the number of {what}")]
    found += [Slip("factor_2", 2.0, "off by a factor of 2"), Slip("factor_half", 0.5, "off by a factor of 1/2"),
              Slip("sign_slip", -1.0, "the sign is wrong: the right size, the wrong sign")]
    kept: list[Slip] = []
    for slip in found:
        if not math.isclose(slip.ratio, 1) and not any(math.isclose(slip.ratio, k.ratio) for k in kept):
            kept.append(slip)
    return kept
