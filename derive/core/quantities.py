"""One address for every quantity of a worked example, and its JSON path both ways."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import AddressError


@dataclass(frozen=True)
class Kind:
    """One kind of quantity: its JSON field and which indices address one number of it."""

    name: str
    field: str  # the key in the JSON (top level, or per layer)
    per_layer: bool
    indices: tuple[str, ...]  # which of example, unit, input address one number, in JSON order
    meaning: str
    role: str = "forward"  # one of ROLES
    parameter: str = ""  # the parameter (W or b) a gradient, update or optimizer state belongs to
    after: str = ""  # its kind after the step: the updated parameter, or z and a of the forward pass again

    @property
    def of_bias(self) -> bool:
        """True for the kinds of one bias (b, db, b_new, m_b, ...): per layer, addressed by the unit alone."""
        return self.per_layer and self.indices == ("unit",)


# given: the spec's numbers; forward: the forward pass (and the loss); derivative: the backward pass's
# local and chained derivatives; gradient, update: of a parameter; state: an optimizer's value of one;
# after: the forward pass again with the updated parameters
ROLES = ("given", "forward", "derivative", "gradient", "update", "state", "after")
WEIGHT, BIAS = ("unit", "input"), ("unit",)
OPTIMIZER_STATES = (("velocity", "the momentum velocity"), ("m", "Adam's first moment"),
                    ("v", "Adam's second moment"), ("m_hat", "Adam's bias-corrected first moment"),
                    ("v_hat", "Adam's bias-corrected second moment"))

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("x", "inputs", False, ("example", "unit"), "an input", "given"),
        Kind("t", "targets", False, ("example", "unit"), "a target", "given"),
        Kind("W", "W", True, WEIGHT, "a weight", "given", "W", after="W_new"),
        Kind("b", "b", True, BIAS, "a bias", "given", "b", after="b_new"),
        Kind("z", "z", True, ("example", "unit"), "a pre-activation", after="z_after"),
        Kind("a", "a", True, ("example", "unit"), "an activation", after="a_after"),
        Kind("example_loss", "example_losses", False, ("example",), "one example's loss"),
        Kind("loss", "loss", False, (), "the loss"),
        Kind("dl_da", "dl_da", True, ("example", "unit"), "the loss's derivative by an activation", "derivative"),
        # f'(z) for elementwise activations; the Jacobian entry da_j/dz_input for softmax
        Kind("da_dz", "da_dz", True, ("example", "unit", "input"), "an activation's derivative", "derivative"),
        Kind("delta", "delta", True, ("example", "unit"), "a delta, the loss's derivative by z", "derivative"),
        Kind("dW", "dW", True, WEIGHT, "a weight's gradient", "gradient", "W"),
        Kind("db", "db", True, BIAS, "a bias's gradient", "gradient", "b"),
        Kind("W_new", "W_new", True, WEIGHT, "an updated weight", "update", "W"),
        Kind("b_new", "b_new", True, BIAS, "an updated bias", "update", "b"),
        # the optimizer's values of the first step, per weight (unit, input) and per bias (unit)
        Kind("g_W", "g_W", True, WEIGHT, "a weight's gradient with the weight decay term", "state", "W"),
        *(Kind(f"{state}_{p}", f"{state}_{p}", True, WEIGHT if p == "W" else BIAS,
               f"{meaning} of a {'weight' if p == 'W' else 'bias'}", "state", p)
          for state, meaning in OPTIMIZER_STATES for p in "Wb"),
        Kind("loss_history", "loss_history", False, ("step",), "the loss before a step"),
        # the forward pass again with the updated parameters: what the step did to z and the outputs
        Kind("z_after", "z_after", True, ("example", "unit"), "a pre-activation after the step", "after"),
        Kind("a_after", "a_after", True, ("example", "unit"), "an activation after the step", "after"),
    )
}
# each role's kind of a parameter, and what each kind was before the step
_OF_PARAMETER = {(k.role, k.parameter): k.name for k in KINDS.values() if k.parameter and k.role != "state"}
_BEFORE = {k.after: k.name for k in KINDS.values() if k.after}
FIELDS = {kind.field: kind for kind in KINDS.values()}


@dataclass(frozen=True, order=True)
class Quantity:
    """The address of one number: kind, layer l (1..L), example n, unit j, input k, step; 1-based, 0 = none.

    For a softmax layer's da_dz, `input` is the unit m of the Jacobian entry da_j/dz_m; for an
    elementwise activation it is 0. A bias of a layer whose units share one has unit 0, and its
    JSON path no index: layers[0].b. `step` is only for loss_history (0 = before the first step).
    """

    kind: str
    layer: int = 0
    example: int = 0
    unit: int = 0
    input: int = 0
    step: int = 0

    @property
    def json_address(self) -> tuple[int | None, str, tuple[int, ...]]:
        """Where this number sits in the JSON: its layer (0-based; None at the top), field and 0-based indices."""
        kind = KINDS[self.kind]
        index = {"example": self.example - 1, "unit": self.unit - 1, "input": self.input - 1, "step": self.step}
        used = [i for i in kind.indices if (i != "input" or self.kind != "da_dz" or self.input)
                and (i != "unit" or self.unit or not kind.per_layer)]
        return (self.layer - 1 if kind.per_layer else None), kind.field, tuple(index[i] for i in used)

    @property
    def json_path(self) -> str:
        """The path of this number in the JSON, 0-based: layers[1].dW[0][1], loss, example_losses[2]."""
        layer, field, indices = self.json_address
        head = f"layers[{layer}].{field}" if layer is not None else field
        return head + "".join(f"[{i}]" for i in indices)

    def with_example(self, example: int) -> Quantity:
        """The same quantity for another example."""
        return Quantity(self.kind, self.layer, example, self.unit, self.input, self.step)

    @property
    def role(self) -> str:
        """What the quantity is in the computation: one of ROLES."""
        return KINDS[self.kind].role

    def _of(self, role: str) -> Quantity:
        parameter = KINDS[self.kind].parameter
        if not parameter:
            raise AddressError(f"{self.kind} belongs to no parameter, so it has no {role}")
        return Quantity(_OF_PARAMETER[role, parameter], self.layer, 0, self.unit, self.input)

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
        return Quantity(kind, self.layer, 0, self.unit, self.input)

    def after(self) -> Quantity:
        """The same quantity after the step: W_new for W; z and a in the forward pass with the updated parameters."""
        after = KINDS[self.kind].after
        if not after:
            raise AddressError(f"{self.kind} is not computed again after the step; only z and a are (W and b updated)")
        return Quantity(after, self.layer, self.example, self.unit, self.input)

    def before(self) -> Quantity:
        """What this quantity was before the step: W for W_new, z for z_after; itself otherwise."""
        before = _BEFORE.get(self.kind)
        return Quantity(before, self.layer, self.example, self.unit, self.input) if before else self


PATH = re.compile(r"^(?:layers\[(\d+)\]\.)?([A-Za-z_]+)((?:\[\d+\])*)$")


def parse_path(path: str, widths: list[int], batch: int, steps: int = 1,
               softmax_layers: frozenset[int] = frozenset(), shared_bias: frozenset[int] = frozenset()) -> list[Quantity]:
    """Every number a JSON path names (a row names several), or AddressError saying what is wrong.

    widths are the units per layer with the inputs first; softmax_layers the layers (1-based)
    whose da_dz is a Jacobian; shared_bias those whose units share one bias.
    """
    match = PATH.fullmatch(path.strip())
    if not match:
        raise AddressError(f"expected a JSON path like loss, layers[0].a[0][1] or layers[1].dW[0][0], got {path!r}")
    layer_text, field, index_text = match.groups()
    kind = FIELDS.get(field)
    if kind is None or kind.per_layer != (layer_text is not None):
        valid = ", ".join(k.field for k in KINDS.values() if k.per_layer == (layer_text is not None))
        raise AddressError(f"unknown quantity {field!r} in {path!r}; valid here: {valid}")
    layer = int(layer_text) + 1 if layer_text is not None else 0
    L = len(widths) - 1
    if kind.per_layer and not 1 <= layer <= L:
        raise AddressError(f"{path}: layer index {layer - 1} is out of range (the network has layers 0..{L - 1})")
    shared = kind.of_bias and layer in shared_bias
    extent = index_extent(kind, layer, widths, batch, steps, layer in softmax_layers, shared)
    digits = re.findall(r"\d+", index_text)
    if any(len(i) > 9 for i in digits):
        raise AddressError(f"{path[:60]}: an index of {max(map(len, digits))} digits is out of range")
    given = [int(i) for i in digits]
    if shared and given:
        raise AddressError(f"{path}: the units of layer {layer - 1} share one bias, so {kind.field} takes no index: "
                           f"layers[{layer - 1}].{kind.field}")
    if len(given) > len(extent):
        raise AddressError(f"{path}: too many indices ({kind.field} has {len(extent)})")
    for position, (i, (name, size)) in enumerate(zip(given, extent)):
        if i >= size:
            raise AddressError(f"{path}: index {i} at position {position + 1} is out of range (0..{size - 1})")
    return [_quantity(kind, layer, dict(zip([n for n, _ in extent], given + rest)))
            for rest in _rows([size for _, size in extent[len(given):]])]


def index_extent(kind: Kind, layer: int, widths: list[int], batch: int, steps: int,
                 jacobian: bool, shared: bool = False) -> list[tuple[str, int]]:
    """Each index of the kind with its range for this network; none for a bias the layer's units share."""
    if shared and kind.of_bias:
        return []
    sizes = {"example": batch, "unit": widths[layer] if kind.per_layer else widths[0], "step": steps + 1,
             "input": widths[layer] if kind.name == "da_dz" else widths[layer - 1] if layer else 0}
    if kind.name == "t":
        sizes["unit"] = widths[-1]
    names = [i for i in kind.indices if i != "input" or kind.name != "da_dz" or jacobian]
    return [(name, sizes[name]) for name in names]


def _rows(sizes: list[int]) -> list[list[int]]:
    """Every combination of the remaining indices, in row-major order."""
    combos: list[list[int]] = [[]]
    for size in sizes:
        combos = [c + [i] for c in combos for i in range(size)]
    return combos


def _quantity(kind: Kind, layer: int, index: dict[str, int]) -> Quantity:
    """The Quantity of JSON indices (0-based) made 1-based; loss_history keeps its step as given."""
    one = {name: value + 1 for name, value in index.items() if name != "step"}
    return Quantity(kind.name, layer, one.get("example", 0), one.get("unit", 0), one.get("input", 0),
                    index.get("step", 0))
