"""The network spec as frozen dataclasses: layers, published claims, the whole network."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    """One layer: units, activation, weights (out, in), biases, leaky slope."""

    units: int
    activation: str
    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]
    alpha: float = 0.01


@dataclass(frozen=True)
class Claim:
    """A number a published worked example states, to compare with ours; quantity is a JSON path."""

    quantity: str
    value: tuple[float, ...]
    source: str


@dataclass(frozen=True)
class Spec:
    """A whole feed-forward network with its data, loss and gradient-descent settings."""

    name: str
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    layers: tuple[Layer, ...]
    loss: str
    learning_rate: float
    steps: int = 1
    train_bias: bool = True
    weight_layout: str = "out_in"
    notes: str = ""
    published: tuple[Claim, ...] = ()
    notation: str = ""  # the spec's preferred notation; the command line may override it
    optimizer: str = "sgd"  # a name in core.updates.UPDATE_RULES

    @property
    def widths(self) -> list[int]:
        """Units per layer, the input layer first."""
        return [len(self.inputs[0])] + [layer.units for layer in self.layers]

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases."""
        w = self.widths
        return sum(w[i] * w[i + 1] + w[i + 1] for i in range(len(w) - 1))
