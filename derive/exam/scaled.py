"""Numbers for a network too wide for the exam's grids: each layer's weights scaled by 1/√fan-in."""
from __future__ import annotations

import math
import random
from dataclasses import replace
from fractions import Fraction

from ..core.losses import LOSSES
from ..core.spec import Spec
from .draw import GRIDS, TARGET_RULES, Grid


def weight_grid(n_in: int) -> Grid:
    """Two significant figures within ±√(3/n_in), not 0: drawn evenly, weights of variance about 1/n_in.

    With that variance a unit's input z keeps about the spread of the layer before it (LeCun's
    initialisation), so no sigmoid or tanh of a wide layer saturates, where the exam's weights of
    up to 1 would make z grow like √n_in. The step is the power of ten at most a tenth of the limit.
    """
    limit_squared = Fraction(3, n_in)
    step = Fraction(1)  # the limit is at most √3, so the step is at most 0.1
    while step * step * 100 > limit_squared:  # exact arithmetic: the same grid on every machine
        step /= 10
    limit = math.isqrt(math.floor(limit_squared / (step * step))) * step
    return Grid(str(-limit), str(limit), str(step), least=str(step))


def scaled_spec(shape: Spec, rng: random.Random, name: str) -> Spec:
    """The shape's network with inputs and targets from the exam's grids and weights and biases scaled by fan-in."""
    K, output = shape.widths[-1], shape.layers[-1].activation
    rule = TARGET_RULES[LOSSES[shape.loss].targets_rule]  # one-hot, 0 or 1, or within what the output reaches
    inputs = tuple(tuple(rng.choice(GRIDS["input"].values) for _ in range(shape.widths[0])) for _ in shape.inputs)
    targets = tuple(tuple(rule.choices(rng, K, output)) for _ in shape.inputs)
    layers = []
    for layer, n_in in zip(shape.layers, shape.widths):
        grid = weight_grid(n_in).values
        weights = tuple(tuple(rng.choice(grid) for _ in range(n_in)) for _ in range(layer.units))
        layers.append(replace(layer, weights=weights, bias=tuple(rng.choice(grid) for _ in layer.bias_units)))
    return replace(shape, name=name, inputs=inputs, targets=targets, layers=tuple(layers), steps=1,
                   weight_layout="out_in", published=(), notes="")
