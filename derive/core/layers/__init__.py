"""The registry of layer kinds: each declares how its steps are built; the graph builder reads it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..axes import LayerShape, Shape
from ..quantities import parameter_kind

if TYPE_CHECKING:
    from ..graph_build import Builder
    from ..quantities import Quantity
    from ..spec import Spec


@dataclass(frozen=True)
class LayerKind:
    """One kind of layer: its name in a spec, what it computes, its steps, its parameters and their symbols.

    forward(build, l, after) adds layer l's forward steps for every example (after: with the updated
    parameters); backward(build, l) adds what it passes back, its deltas and its parameters' gradients;
    given(spec, l) lists its parameters with the spec's numbers, in the order they are updated;
    meaning(spec, l, n) says what the symbols of its formulas mean in example n; symbol(q) is the
    canonical symbol of one of its parameters or of a parameter's gradient; shape(spec, l) its sizes and
    traits, as core.axes.Shape holds them.
    The JSON lists a layer's numbers by the kinds it declares.
    """

    name: str
    title: str
    forward: Callable[[Builder, int, bool], None]
    backward: Callable[[Builder, int], None]
    given: Callable[[Spec, int], list[tuple[Quantity, float]]]
    meaning: Callable[[Spec, int, int], dict[str, Quantity]]
    symbol: Callable[[Quantity], str]
    # the sizes its quantities' axes run over and its traits (which optional axes it has)
    shape: Callable[[Spec, int], LayerShape]
    # the quantity kinds it holds per layer, in the JSON's order: its parameters, what its steps compute,
    # and what its forward pass computes again after the step
    parameters: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    @property
    def updates(self) -> tuple[str, ...]:
        """The kinds of its parameters' new values after the step: W_new and b_new."""
        return tuple(parameter_kind("update", p) for p in self.parameters)


def _registry() -> dict[str, LayerKind]:
    from .dense import DENSE
    return {kind.name: kind for kind in (DENSE,)}


LAYER_KINDS: dict[str, LayerKind] = _registry()


def network_shape(spec: Spec) -> Shape:
    """The spec's network as its quantities' axes see it: each layer's sizes and traits as its kind declares."""
    layers = [LAYER_KINDS[layer.kind].shape(spec, l) for l, layer in enumerate(spec.layers, 1)]
    return Shape.of(spec.widths[0], layers, len(spec.inputs), spec.steps)


def unknown_kind(spec: Spec, kinds: tuple[str, ...]) -> str:
    """The first layer kind of the spec not among kinds (what a mistake or a question knows); "" where
    every layer is one of them, or kinds is empty: any kind."""
    return next((layer.kind for layer in spec.layers if kinds and layer.kind not in kinds), "")


def jacobian_layers(spec: Spec) -> frozenset[int]:
    """The layers (1-based) whose activation couples their units, so that their da_dz is a Jacobian."""
    traits = network_shape(spec).traits
    return frozenset(l for l in range(1, len(traits)) if "jacobian" in traits[l])
