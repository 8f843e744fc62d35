"""The kinds of quantity a worked example has: each one's JSON field, named axes, role and symbol."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .axes import EXAMPLE, STEP, Axis


@dataclass(frozen=True)
class Kind:
    """One kind of quantity: its JSON field and the named axes that address one number of it."""

    name: str
    field: str  # the key in the JSON (top level, or per layer)
    per_layer: bool
    axes: tuple[Axis, ...]  # in JSON order
    meaning: str
    role: str = "forward"  # one of ROLES
    parameter: str = ""  # the parameter (W or b) a gradient, update or optimizer state belongs to
    after: str = ""  # its kind after the step: the updated parameter, or z and a of the forward pass again
    letter: tuple[str, str] = ("", "")  # its symbol in LaTeX and in plain text: \delta and delta
    over: tuple[str, ...] = ()  # a derivative's two kinds, of which by which: dl_da is ("example_loss", "a")
    state: str = ""  # an optimizer state's name: m_hat for m_hat_W

    @cached_property
    def indices(self) -> tuple[str, ...]:
        """The names of its axes, in JSON order."""
        return tuple(axis.name for axis in self.axes)

    @property
    def of_bias(self) -> bool:
        """True for the kinds of one bias (b, db, b_new, m_b, ...): per layer, addressed by the unit alone."""
        return self.per_layer and self.indices == ("unit",)


# given: the spec's numbers; forward: the forward pass (and the loss); derivative: the backward pass's
# local and chained derivatives; gradient, update: of a parameter; state: an optimizer's value of one;
# after: the forward pass again with the updated parameters
ROLES = ("given", "forward", "derivative", "gradient", "update", "state", "after")
UNIT = Axis("unit", "width")
PER_UNIT = (EXAMPLE, UNIT)
WEIGHT, BIAS = (UNIT, Axis("input", "fan_in")), (Axis("unit", "width", only="own_bias"),)
# f'(z) for elementwise activations; the Jacobian entry da_j/dz_input for softmax
JACOBIAN = (EXAMPLE, UNIT, Axis("input", "width", only="jacobian"))
OPTIMIZER_STATES = (("velocity", "the momentum velocity"), ("m", "Adam's first moment"),
                    ("v", "Adam's second moment"), ("m_hat", "Adam's bias-corrected first moment"),
                    ("v_hat", "Adam's bias-corrected second moment"))

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("x", "inputs", False, (EXAMPLE, Axis("unit", "inputs")), "an input", "given", letter=("x", "x")),
        Kind("t", "targets", False, (EXAMPLE, Axis("unit", "outputs")), "a target", "given", letter=("t", "t")),
        Kind("W", "W", True, WEIGHT, "a weight", "given", "W", after="W_new", letter=("w", "w")),
        Kind("b", "b", True, BIAS, "a bias", "given", "b", after="b_new", letter=("b", "b")),
        Kind("z", "z", True, PER_UNIT, "a pre-activation", after="z_after", letter=("z", "z")),
        Kind("a", "a", True, PER_UNIT, "an activation", after="a_after", letter=("a", "a")),
        Kind("example_loss", "example_losses", False, (EXAMPLE,), "one example's loss", letter=(r"\ell", "l")),
        Kind("loss", "loss", False, (), "the loss", letter=("L", "L")),
        Kind("dl_da", "dl_da", True, PER_UNIT, "the loss's derivative by an activation", "derivative",
             over=("example_loss", "a")),
        Kind("da_dz", "da_dz", True, JACOBIAN, "an activation's derivative", "derivative", over=("a", "z")),
        Kind("delta", "delta", True, PER_UNIT, "a delta, the loss's derivative by z", "derivative",
             letter=(r"\delta", "delta")),
        Kind("dW", "dW", True, WEIGHT, "a weight's gradient", "gradient", "W"),
        Kind("db", "db", True, BIAS, "a bias's gradient", "gradient", "b"),
        Kind("W_new", "W_new", True, WEIGHT, "an updated weight", "update", "W"),
        Kind("b_new", "b_new", True, BIAS, "an updated bias", "update", "b"),
        # the optimizer's values of the first step, per weight (unit, input) and per bias (unit)
        Kind("g_W", "g_W", True, WEIGHT, "a weight's gradient with the weight decay term", "state", "W", state="g"),
        *(Kind(f"{state}_{p}", f"{state}_{p}", True, WEIGHT if p == "W" else BIAS,
               f"{meaning} of a {'weight' if p == 'W' else 'bias'}", "state", p, state=state)
          for state, meaning in OPTIMIZER_STATES for p in "Wb"),
        Kind("loss_history", "loss_history", False, (STEP,), "the loss before a step", letter=("L", "L")),
        # the forward pass again with the updated parameters: what the step did to z and the outputs
        Kind("z_after", "z_after", True, PER_UNIT, "a pre-activation after the step", "after"),
        Kind("a_after", "a_after", True, PER_UNIT, "an activation after the step", "after"),
    )
}

# a circuit's nodes (core.circuit), each addressed by its node number: a given number, a stage's value, the
# output's derivative by a node, and a stage's local derivative by a node it reads
NODE = Axis("node", "nodes")
CIRCUIT_KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("number", "at", False, (NODE,), "a given number", "given"),
    Kind("value", "values", False, (NODE,), "a stage's value"),
    Kind("grad", "gradients", False, (NODE,), "the output's derivative by a node", "derivative"),
    Kind("local", "local", False, (NODE, Axis("read", "nodes")), "a stage's derivative by a node it reads",
         "derivative"),
    Kind("updated", "updated", False, (NODE,), "a parameter after the step", "update"),
)}
# every kind a Quantity may have: a network's (KINDS) and a circuit's
ALL_KINDS: dict[str, Kind] = {**KINDS, **CIRCUIT_KINDS}
