"""The network spec as frozen dataclasses: layers, published claims, the whole network."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Layer:
    """One layer: units, activation, weights (out, in), biases, leaky slope, whether its units share one bias."""

    units: int
    activation: str
    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]  # one per unit; a shared bias is the one number of a 1-tuple
    alpha: float = 0.01
    shared_bias: bool = False
    kind: str = "dense"  # its entry in core.layers.LAYER_KINDS

    @property
    def bias_units(self) -> tuple[int, ...]:
        """The unit index of each bias: 1..units, or 0 alone for the one bias the units share."""
        return (0,) if self.shared_bias else tuple(range(1, self.units + 1))

    def bias_of(self, j: int) -> float:
        """The bias unit j (1-based) adds: its own, or the layer's shared one (j = 0 names that too)."""
        return self.bias[0] if self.shared_bias else self.bias[j - 1]

    def weight(self, j: int, k: int) -> float:
        """The weight from input k to unit j, both 1-based, as the spec gives it."""
        return self.weights[j - 1][k - 1]


_NUMBER = re.compile(r"[-+]?[0-9_]*(?:\.([0-9_]*))?(?:[eE]([-+]?[0-9]+))?")


def written_decimals(value: float | int | str) -> int:
    """Decimal places as written: "0.26980" -> 5, "1.5e-3" -> 4, "1.5e3" -> 0; a float by its shortest repr.

    Text that is no decimal number (0x1F, 1:30, integer spellings YAML 1.1 reads) has none.
    """
    if not isinstance(value, str):
        return 0 if isinstance(value, int) or float(value).is_integer() else written_decimals(repr(float(value)))
    match = _NUMBER.fullmatch(value.strip())
    if not match:
        return 0
    fraction, exponent = (match.group(1) or "").replace("_", ""), int(match.group(2) or 0)
    return max(0, len(fraction) - exponent)


@dataclass(frozen=True)
class Claim:
    """A number a published worked example states, to compare with ours; quantity is a JSON path.

    decimals holds how many decimals each value was published with: a quoted "0.650" keeps its
    trailing zero, which a YAML number (0.65) would lose.
    """

    quantity: str
    value: tuple[float, ...]
    source: str
    decimals: tuple[int, ...] = ()

    def decimals_of(self, i: int) -> int:
        """The decimals of value i, as published."""
        return self.decimals[i] if self.decimals else written_decimals(self.value[i])


@dataclass(frozen=True)
class Optimizer:
    """The update rule a spec names (a key of core.updates.UPDATE_RULES) and its settings, defaults filled in."""

    name: str = "sgd"
    settings: tuple[tuple[str, Any], ...] = ()  # (key, value) in the rule's order: momentum, nesterov; betas, eps

    @property
    def values(self) -> dict[str, Any]:
        """The settings as a mapping."""
        return dict(self.settings)


@dataclass(frozen=True)
class Spec:
    """A whole feed-forward network with its data, loss and gradient-descent settings."""

    name: str
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    layers: tuple[Layer, ...]
    loss: str
    learning_rate: float | None  # None: a gradient-only example, which stops at the gradients
    steps: int = 1
    train_bias: bool = True
    weight_layout: str = "out_in"
    notes: str = ""
    published: tuple[Claim, ...] = ()
    notation: str = ""  # the spec's preferred notation; the command line may override it
    optimizer: Optimizer = Optimizer()
    weight_decay: float = 0.0  # L2 on the weights (not the biases), as torch's weight_decay
    reduction: str = "mean"  # the loss over the batch: the mean of the examples' losses, or their sum
    # the class index (from 0) of each example, when the spec gave targets as classes, not one-hot rows
    target_classes: tuple[int, ...] = ()
    # the stem of the spec file it was read from (net for net.yaml, a built-in example's name, stdin):
    # what its output files are named after; not part of the network
    stem: str = field(default="", compare=False)

    @property
    def updates(self) -> bool:
        """True when the example takes a gradient-descent step; False when it stops at the gradients."""
        return self.learning_rate is not None

    @property
    def divisor(self) -> int:
        """What the sum of the examples' losses is divided by: N for the mean, 1 for the sum."""
        return len(self.inputs) if self.reduction == "mean" else 1

    @property
    def widths(self) -> list[int]:
        """Units per layer, the input layer first."""
        return [len(self.inputs[0])] + [layer.units for layer in self.layers]

    def layer(self, l: int) -> Layer:
        """Layer l, 1-based as the maths numbers layers (0 is the input, which has no Layer)."""
        return self.layers[l - 1]

    @property
    def shared_bias_layers(self) -> frozenset[int]:
        """The layers (1-based) whose units share one bias."""
        return frozenset(l for l, layer in enumerate(self.layers, 1) if layer.shared_bias)

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        w = self.widths
        return sum(w[l - 1] * w[l] + len(layer.bias_units) for l, layer in enumerate(self.layers, 1))
