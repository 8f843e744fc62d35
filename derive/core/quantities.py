"""One address for every quantity of a worked example, and its JSON path both ways."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import AddressError
from .axes import Axis, Shape
from .kinds import ALL_KINDS, KINDS, ROLES, Kind  # noqa: F401 (ROLES: the roles are read from here too)


# each role's kind of a parameter, and what each kind was before the step
_OF_PARAMETER = {(k.role, k.parameter): k.name for k in KINDS.values() if k.parameter and k.role != "state"}
_BEFORE = {k.after: k.name for k in KINDS.values() if k.after}
FIELDS = {kind.field: kind for kind in KINDS.values()}
# the dense kinds' axes in Quantity's positional order; each kind's positions among them (and where each of
# the four sits in a kind's index, -1 where the kind has it not: read on every .unit)
_POSITIONAL = ("example", "unit", "input", "step")
_PLACES = {name: (tuple(_POSITIONAL.index(a) for a in kind.indices if a in _POSITIONAL),
                  tuple(p for p, a in enumerate(_POSITIONAL) if a not in kind.indices))
           for name, kind in ALL_KINDS.items()}
_AT = {name: tuple(kind.indices.index(a) if a in kind.indices else -1 for a in _POSITIONAL)
       for name, kind in ALL_KINDS.items()}


@dataclass(frozen=True, order=True, init=False)
class Quantity:
    """The address of one number: its kind, its layer l (1..L, 0 = none) and its index on the kind's axes.

    Quantity("z", l, n, j) names its axes by position, in the order example, unit, input, step, leaving out
    those the kind has not (Quantity("W", l, 0, j, k)); any axis can be named: Quantity("a", l, example=n,
    unit=j). Indices count from 1, 0 = none: a softmax layer's da_dz has `input` m of the Jacobian entry
    da_j/dz_m, an elementwise one 0; a bias its units share has unit 0, and its JSON path no index:
    layers[0].b. `step` is only for loss_history and counts from 0 (0 = before the first step).
    """

    kind: str
    layer: int
    index: tuple[int, ...]

    def __init__(self, kind: str, layer: int = 0, example: int = 0, unit: int = 0, input: int = 0, step: int = 0,
                 **axes: int) -> None:
        try:
            places, unused = _PLACES[kind]
        except KeyError:
            raise AddressError(f"{kind!r} is not a quantity of this network: no such kind ({', '.join(KINDS)})") from None
        given = (example, unit, input, step)
        index = tuple([given[p] for p in places])
        for p in unused:  # a value on an axis the kind has not: named, it says which
            if given[p]:
                axes = {_POSITIONAL[p]: given[p], **axes}
        if axes:
            index = _named_index(kind, {**dict(zip(_POSITIONAL, given)), **axes})
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "layer", layer)
        object.__setattr__(self, "index", index)

    @classmethod
    def at(cls, kind: str, layer: int, index: tuple[int, ...]) -> Quantity:
        """The quantity of a kind at an index given whole, one value per axis of the kind."""
        if kind not in ALL_KINDS or len(index) != len(ALL_KINDS[kind].axes):
            raise AddressError(f"{kind!r} with index {index} is not a quantity: not one value per axis of the kind")
        q = object.__new__(cls)
        object.__setattr__(q, "kind", kind)
        object.__setattr__(q, "layer", layer)
        object.__setattr__(q, "index", index)
        return q

    def _at(self, position: int) -> int:
        at = _AT[self.kind][position]
        return self.index[at] if at >= 0 else 0

    example = property(lambda self: self._at(0), doc="The example n, 1-based; 0 for none.")
    unit = property(lambda self: self._at(1), doc="The unit j, 1-based; 0 for none.")
    input = property(lambda self: self._at(2), doc="The input k (or Jacobian column m), 1-based; 0 for none.")
    step = property(lambda self: self._at(3), doc="The step of loss_history, from 0.")

    @property
    def json_address(self) -> tuple[int | None, str, tuple[int, ...]]:
        """Where this number sits in the JSON: its layer (0-based; None at the top), field and 0-based indices."""
        kind = ALL_KINDS[self.kind]
        indices = tuple(v - a.first for a, v in zip(kind.axes, self.index) if not a.absent(v))
        return (self.layer - 1 if kind.per_layer else None), kind.field, indices

    @property
    def json_path(self) -> str:
        """The path of this number in the JSON, 0-based: layers[1].dW[0][1], loss, example_losses[2]."""
        layer, field, indices = self.json_address
        head = f"layers[{layer}].{field}" if layer is not None else field
        return head + "".join(f"[{i}]" for i in indices)

    def with_example(self, example: int) -> Quantity:
        """The same quantity for another example."""
        at = _AT[self.kind][0]
        if at < 0:
            return self
        return Quantity.at(self.kind, self.layer, self.index[:at] + (example,) + self.index[at + 1:])

    @property
    def role(self) -> str:
        """What the quantity is in the computation: one of ROLES."""
        return ALL_KINDS[self.kind].role

    @property
    def of_bias(self) -> bool:
        """True for a bias and its gradient, update and optimizer states; False for a weight's and the rest."""
        return ALL_KINDS[self.kind].of_bias

    @property
    def is_parameter(self) -> bool:
        """True for a weight or a bias itself, as the spec gives it."""
        return ALL_KINDS[self.kind].role == "given" and bool(ALL_KINDS[self.kind].parameter)

    def _of(self, role: str) -> Quantity:
        parameter = ALL_KINDS[self.kind].parameter
        if not parameter:
            raise AddressError(f"{self.kind} belongs to no parameter, so it has no {role}")
        # a parameter's kinds share its axes
        return Quantity.at(_OF_PARAMETER[role, parameter], self.layer, self.index)

    def parameter(self) -> Quantity:
        """The weight or bias a gradient, update or optimizer state belongs to (W for dW, W_new, m_W)."""
        return self._of("given")

    def gradient(self) -> Quantity:
        """The gradient of this quantity's parameter (dW for W, W_new or m_W)."""
        return self._of("gradient")

    def updated(self) -> Quantity:
        """The updated value of this quantity's parameter (W_new for W, dW or m_W)."""
        return self._of("update")

    def state(self, name: str) -> Quantity:
        """An optimizer state of this quantity's parameter: velocity, m, v, m_hat, v_hat (or g for g_W)."""
        kind = f"{name}_{self.parameter().kind}"
        if kind not in KINDS:
            raise AddressError(f"{name!r} is no optimizer state of {KINDS[self.parameter().kind].meaning}")
        return Quantity.at(kind, self.layer, self.index)

    def after(self) -> Quantity:
        """The same quantity after the step: W_new for W; z and a in the forward pass with the updated parameters."""
        after = ALL_KINDS[self.kind].after
        if not after:
            raise AddressError(f"{self.kind} is not computed again after the step; only z and a are (W and b updated)")
        return Quantity.at(after, self.layer, self.index)

    def before(self) -> Quantity:
        """What this quantity was before the step: W for W_new, z for z_after; itself otherwise."""
        before = _BEFORE.get(self.kind)
        return Quantity.at(before, self.layer, self.index) if before else self

    @classmethod
    def from_json(cls, kind: str, layer: int, index: dict[str, int]) -> Quantity:
        """The quantity at JSON indices (counting from 0) on the named axes; an axis not given is 0."""
        return cls.at(kind, layer, tuple(index[a.name] + a.first if a.name in index else 0 for a in KINDS[kind].axes))


def parameter_kind(role: str, parameter: str) -> str:
    """The kind of a parameter (W or b) in a role: parameter_kind("gradient", "b") is db."""
    return parameter if role == "given" else _OF_PARAMETER[role, parameter]


def _named_index(kind: str, values: dict[str, int]) -> tuple[int, ...]:
    """The index of a kind from its axes' values by name; a value for an axis it has not is an error."""
    names = KINDS[kind].indices
    stray = [name for name, value in values.items() if value and name not in names]
    if stray:
        raise AddressError(f"{kind} has no {stray[0]} index; its axes: {', '.join(names) or 'none'}")
    return tuple(values.get(name, 0) for name in names)


PATH = re.compile(r"^(?:layers\[(\d+)\]\.)?([A-Za-z_]+)((?:\[\d+\])*)$")


def parse_path(path: str, widths: list[int], batch: int, steps: int = 1,
               softmax_layers: frozenset[int] = frozenset(), shared_bias: frozenset[int] = frozenset()) -> list[Quantity]:
    """Every number a JSON path names (a row names several), or AddressError saying what is wrong.

    widths are the units per layer with the inputs first; softmax_layers the layers (1-based)
    whose da_dz is a Jacobian; shared_bias those whose units share one bias.
    """
    return path_in(path, Shape.dense(widths, batch, steps, frozenset(softmax_layers), frozenset(shared_bias)))


def path_in(path: str, shape: Shape) -> list[Quantity]:
    """parse_path for a network's Shape: its kinds' axes say which indices a path takes and their ranges."""
    match = PATH.fullmatch(path.strip())
    if not match:
        raise AddressError(f"expected a JSON path like loss, layers[0].a[0][1] or layers[1].dW[0][0], got {path!r}")
    layer_text, field, index_text = match.groups()
    kind = FIELDS.get(field)
    if kind is None or kind.per_layer != (layer_text is not None):
        valid = ", ".join(k.field for k in KINDS.values() if k.per_layer == (layer_text is not None))
        raise AddressError(f"unknown quantity {field!r} in {path!r}; valid here: {valid}")
    layer = int(layer_text) + 1 if layer_text is not None else 0
    L = shape.layers
    if kind.per_layer and not 1 <= layer <= L:
        raise AddressError(f"{path}: layer index {layer - 1} is out of range (the network has layers 0..{L - 1})")
    extent = index_extent(kind, layer, shape)
    digits = re.findall(r"\d+", index_text)
    if any(len(i) > 9 for i in digits):
        raise AddressError(f"{path[:60]}: an index of {max(map(len, digits))} digits is out of range")
    given = [int(i) for i in digits]
    if given and not extent and any(a.only == "own_bias" for a in kind.axes):
        raise AddressError(f"{path}: the units of layer {layer - 1} share one bias, so {kind.field} takes no index: "
                           f"layers[{layer - 1}].{kind.field}")
    if len(given) > len(extent):
        raise AddressError(f"{path}: too many indices ({kind.field} has {len(extent)})")
    for position, (i, (_, size)) in enumerate(zip(given, extent)):
        if i >= size:
            raise AddressError(f"{path}: index {i} at position {position + 1} is out of range (0..{size - 1})")
    return [Quantity.from_json(kind.name, layer, dict(zip([a.name for a, _ in extent], given + rest)))
            for rest in _rows([size for _, size in extent[len(given):]])]


def index_extent(kind: Kind, layer: int, shape: Shape) -> list[tuple[Axis, int]]:
    """Each axis the kind is indexed by in this layer, with its size: its declaration read against the shape."""
    return [(axis, shape.size(axis, layer)) for axis in kind.axes if shape.has(axis, layer)]


def _rows(sizes: list[int]) -> list[list[int]]:
    """Every combination of the remaining indices, in row-major order."""
    combos: list[list[int]] = [[]]
    for size in sizes:
        combos = [c + [i] for c in combos for i in range(size)]
    return combos
