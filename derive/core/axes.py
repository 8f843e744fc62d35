"""The named axes a quantity kind is indexed by, and how long each is in one network."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    """One index of a kind: its name, the size it runs over, and when a quantity leaves it out.

    Indices count from 1, 0 meaning none (a step counts from 0: step 0 is before the first step). An axis
    with `only` is there in the layers that have that trait (Shape.traits) and absent, index 0, in the
    others: the input of da_dz where the activation couples its units, a bias's unit where each has its own.
    """

    name: str
    size: str  # batch, steps, inputs, outputs, or one of a layer's sizes (a dense layer's width and fan_in)
    only: str = ""  # the trait of a layer the axis needs: jacobian, own_bias
    first: int = 1

    def absent(self, value: int) -> bool:
        """True where a quantity has no index on this optional axis (0)."""
        return bool(self.only) and value == 0


EXAMPLE, STEP = Axis("example", "batch"), Axis("step", "steps", first=0)
LayerShape = tuple[dict[str, int], frozenset[str]]  # a layer's sizes and traits


def dense_layer(width: int, fan_in: int, jacobian: bool, shared_bias: bool) -> LayerShape:
    """A dense layer's width and fan-in; a Jacobian where its activation couples its units, a bias per unit
    unless its units share one."""
    traits = {"jacobian"} if jacobian else set()
    if not shared_bias:
        traits.add("own_bias")
    return {"width": width, "fan_in": fan_in}, frozenset(traits)


@dataclass(frozen=True)
class Shape:
    """A network's sizes as its quantities' axes run over them: each layer's (0 = the inputs), batch and steps.

    Each layer's sizes and traits are what its kind declares (core.layers): a dense layer has a width
    and a fan_in, the trait jacobian where its activation couples its units and own_bias where each
    unit has its own bias.
    """

    sizes: tuple[dict[str, int], ...]
    traits: tuple[frozenset[str], ...]
    batch: int
    steps: int = 1

    @classmethod
    def of(cls, inputs: int, layers: list[LayerShape], batch: int, steps: int = 1) -> Shape:
        """The shape of a network from its inputs' width and each layer's sizes and traits."""
        return cls(({"width": inputs}, *(sizes for sizes, _ in layers)), (frozenset(), *(t for _, t in layers)),
                   batch, steps)

    @classmethod
    def dense(cls, widths: tuple[int, ...] | list[int], batch: int, steps: int = 1,
              jacobian: frozenset[int] = frozenset(), shared_bias: frozenset[int] = frozenset()) -> Shape:
        """The shape of dense layers of these widths, the inputs first."""
        layers = [dense_layer(widths[l], widths[l - 1], l in jacobian, l in shared_bias) for l in range(1, len(widths))]
        return cls.of(widths[0], layers, batch, steps)

    @property
    def layers(self) -> int:
        """How many layers the network has, the inputs not counted."""
        return len(self.sizes) - 1

    def size(self, axis: Axis, layer: int) -> int:
        """How many indices the axis has in this layer (the inputs' and the outputs' for x and t)."""
        if axis.size in ("batch", "steps"):
            return self.batch if axis.size == "batch" else self.steps + 1
        at = {"inputs": 0, "outputs": -1}.get(axis.size)
        return self.sizes[layer][axis.size] if at is None else self.sizes[at]["width"]

    def has(self, axis: Axis, layer: int) -> bool:
        """Whether quantities of this layer are indexed along the axis: always, or where the layer has its trait."""
        return not axis.only or axis.only in self.traits[layer]
