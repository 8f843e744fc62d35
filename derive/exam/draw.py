"""Numbers a person can work with by hand: the documented grids each given number is drawn from."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cached_property
from fractions import Fraction
from typing import Callable

from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..core.spec import Spec


@dataclass(frozen=True)
class Grid:
    """Multiples of step from low to high, without those smaller than least in magnitude."""

    low: str
    high: str
    step: str
    least: str = "0"

    @cached_property
    def values(self) -> tuple[float, ...]:
        """Every value of the grid, as the float of its shortest decimal (0.35, not 0.35000000000000003)."""
        low, high, step, least = (Fraction(x) for x in (self.low, self.high, self.step, self.least))
        count = int((high - low) / step)
        exact = [low + i * step for i in range(count + 1)]
        return tuple(float(round(float(x), 6)) for x in exact if abs(x) >= least)


# The ranges an exam's numbers are drawn from (README, "Exams"): one decimal for inputs and
# targets, two (in steps of 0.05) for weights and biases, so products stay short by hand.
GRIDS: dict[str, Grid] = {
    "input": Grid("-1", "1", "0.1", least="0.1"),
    "weight": Grid("-1", "1", "0.05", least="0.1"),
    "bias": Grid("-0.5", "0.5", "0.05"),
    "target_unit_interval": Grid("0.1", "0.9", "0.1"),
    "target_non_negative": Grid("0.1", "1", "0.1"),
    "target_signed": Grid("-0.9", "0.9", "0.1", least="0.1"),
}


@dataclass(frozen=True)
class TargetRule:
    """How one example's targets are drawn for a loss: one-hot, 0 or 1 each, or each from a grid."""

    name: str
    choices: Callable[[random.Random, int, str], list[float]]  # (rng, K, output activation) -> list of targets
    count: Callable[[int, str], int]  # (K, output activation) -> how many distinct target rows there are


def _target_grid(activation: str) -> Grid:
    """Targets the output activation can reach: inside (0, 1), non-negative for a ReLU, else signed."""
    act = ACTIVATIONS[activation]
    if act.unit_interval:
        return GRIDS["target_unit_interval"]
    return GRIDS["target_non_negative"] if act.kink else GRIDS["target_signed"]


def _one_hot(rng: random.Random, K: int, activation: str) -> list[float]:
    hot = rng.randrange(K)
    return [1 if k == hot else 0 for k in range(K)]


TARGET_RULES: dict[str, TargetRule] = {
    rule.name: rule
    for rule in (
        TargetRule("distribution", _one_hot, lambda K, act: K),
        TargetRule("unit_interval", lambda rng, K, act: [rng.choice((0, 1)) for _ in range(K)],
                   lambda K, act: 2 ** K),
        TargetRule("any", lambda rng, K, act: [rng.choice(_target_grid(act).values) for _ in range(K)],
                   lambda K, act: len(_target_grid(act).values) ** K),
    )
}


def draw_spec(shape: Spec, rng: random.Random, name: str) -> Spec:
    """The shape's network with every given number drawn afresh from its grid (one gradient step)."""
    widths, K = shape.widths, shape.widths[-1]
    rule = TARGET_RULES[LOSSES[shape.loss].targets_rule]
    output = shape.layers[-1].activation
    inputs = tuple(tuple(rng.choice(GRIDS["input"].values) for _ in range(widths[0])) for _ in shape.inputs)
    targets = tuple(tuple(rule.choices(rng, K, output)) for _ in shape.inputs)
    layers = tuple(replace(layer, weights=tuple(tuple(rng.choice(GRIDS["weight"].values) for _ in range(n_in))
                                                for _ in range(layer.units)),
                           bias=tuple(rng.choice(GRIDS["bias"].values) for _ in layer.bias_units))
                   for layer, n_in in zip(shape.layers, widths))
    return replace(shape, name=name, inputs=inputs, targets=targets, layers=layers, steps=1,
                   weight_layout="out_in", published=(), notes="")


def possible_draws(shape: Spec) -> int:
    """How many distinct networks the grids allow for this shape."""
    widths, batch = shape.widths, len(shape.inputs)
    rule = TARGET_RULES[LOSSES[shape.loss].targets_rule]
    count = len(GRIDS["input"].values) ** (widths[0] * batch)
    count *= rule.count(widths[-1], shape.layers[-1].activation) ** batch
    for n_in, layer in zip(widths, shape.layers):
        count *= len(GRIDS["weight"].values) ** (n_in * layer.units) * len(GRIDS["bias"].values) ** len(layer.bias_units)
    return count


def shape_spec(widths: list[int], activations: list[str], loss: str, learning_rate: float,
               batch: int = 1) -> dict:
    """A spec's data for a shape given on the command line; its numbers are placeholders to be drawn."""
    layers = [{"units": n, "activation": act, "weights": [[0.1] * n_in for _ in range(n)], "bias": 0}
              for n_in, n, act in zip(widths, widths[1:], activations)]
    K = widths[-1]
    targets = [[1 if k == 0 else 0 for k in range(K)] for _ in range(batch)]  # valid for every loss
    return {"inputs": [[0.5] * widths[0] for _ in range(batch)], "targets": targets, "layers": layers,
            "loss": loss, "learning_rate": learning_rate}
