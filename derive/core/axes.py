"""The named axes a quantity kind is indexed by, and how long each is in one network."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .activations import ACTIVATIONS

if TYPE_CHECKING:
    from .spec import Spec


@dataclass(frozen=True)
class Axis:
    """One index of a kind: its name, the size it runs over, and when a quantity leaves it out.

    Indices count from 1, 0 meaning none (a step counts from 0: step 0 is before the first step). An axis
    with `only` is there in the layers that have that property and absent, index 0, in the others: the
    input of da_dz where the activation couples its units, the unit of a bias where each unit has its own.
    """

    name: str
    size: str  # one of Shape's sizes: batch, width, fan_in, inputs, outputs, steps
    only: str = ""  # jacobian or own_bias: the property of a layer the axis needs
    first: int = 1

    def absent(self, value: int) -> bool:
        """True where a quantity has no index on this optional axis (0)."""
        return bool(self.only) and value == 0


EXAMPLE, STEP = Axis("example", "batch"), Axis("step", "steps", first=0)


@dataclass(frozen=True)
class Shape:
    """A network's sizes, as its quantities' axes run over them: widths with the inputs first, batch, steps.

    jacobian are the layers (1-based) whose activation couples their units; shared_bias those whose
    units share one bias.
    """

    widths: tuple[int, ...]
    batch: int
    steps: int = 1
    jacobian: frozenset[int] = frozenset()
    shared_bias: frozenset[int] = frozenset()

    def size(self, axis: Axis, layer: int) -> int:
        """How many indices the axis has in this layer (the last one of the layer kind's outputs for t)."""
        sizes = {"batch": self.batch, "steps": self.steps + 1, "inputs": self.widths[0], "outputs": self.widths[-1],
                 "width": self.widths[layer], "fan_in": self.widths[layer - 1] if layer else 0}
        return sizes[axis.size]

    def has(self, axis: Axis, layer: int) -> bool:
        """Whether quantities of this layer are indexed along the axis."""
        if axis.only == "jacobian":
            return layer in self.jacobian
        if axis.only == "own_bias":
            return layer not in self.shared_bias
        return True


def jacobian_layers(spec: Spec) -> frozenset[int]:
    """The layers (1-based) whose activation couples their units, so that their da_dz is a Jacobian."""
    return frozenset(l for l, layer in enumerate(spec.layers, 1) if ACTIVATIONS[layer.activation].vector)


def network_shape(spec: Spec) -> Shape:
    """The spec's network as its quantities' axes see it."""
    return Shape(tuple(spec.widths), len(spec.inputs), spec.steps, jacobian_layers(spec), spec.shared_bias_layers)
