"""The kinds of question an exam asks, each a rule that picks the quantities it asks about."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from ..core.layers import unknown_kind
from ..core.quantities import KINDS, Quantity, parameter_kind
from ..core.spec import Spec
from ..errors import SpecError

Pick = Callable[[Spec, random.Random], list[Quantity]]


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question: its name, what it asks, and how it picks the quantities for a network."""

    name: str
    title: str
    pick: Pick
    needs_hidden: bool = False  # asks about a hidden layer, so the network must have one
    update: bool = False  # asks for a value after the step: judged against the size of its change
    layers: tuple[str, ...] = ("dense",)  # the layer kinds (core.layers) it picks from; () for the loss alone

    def other_layer(self, spec: Spec) -> str:
        """The first kind of layer in the spec that the question cannot pick from; "" where it knows them all."""
        return unknown_kind(spec, self.layers)


def _unit(shape: Spec, rng: random.Random, kind: str, layers: list[int]) -> Quantity:
    """A per-example quantity of a random unit of one of the layers, in a random example."""
    l = rng.choice(layers)
    return Quantity(kind, l, rng.randrange(len(shape.inputs)) + 1, rng.randrange(shape.widths[l]) + 1)


def _parameter(shape: Spec, rng: random.Random, kind: str, l: int, biases: bool = True) -> Quantity:
    """A random weight (or bias, as one more input) of layer l, as a quantity of the given kind.

    Biases that stay fixed are not asked about: their gradient is computed by nothing the step uses.
    """
    widths = shape.widths
    biases = biases and shape.train_bias
    j, k = rng.randrange(widths[l]) + 1, rng.randrange(widths[l - 1] + biases) + 1
    if k > widths[l - 1]:  # the layer's shared bias is unit 0
        bias = parameter_kind(KINDS[kind].role, "b")  # db for dW, b_new for W_new
        return Quantity(bias, l, 0, 0 if shape.layers[l - 1].shared_bias else j)
    return Quantity(kind, l, 0, j, k)


def _layers(shape: Spec) -> list[int]:
    return list(range(1, len(shape.layers) + 1))


def _hidden(shape: Spec) -> list[int]:
    return list(range(1, len(shape.layers)))


QUESTION_KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (
        QuestionKind("forward", "an activation of the forward pass", lambda s, r: [_unit(s, r, "a", _layers(s))]),
        QuestionKind("z", "a pre-activation of the forward pass", lambda s, r: [_unit(s, r, "z", _layers(s))]),
        QuestionKind("loss", "the loss", lambda s, r: [Quantity("loss")], layers=()),
        QuestionKind("delta", "a delta of the backward pass", lambda s, r: [_unit(s, r, "delta", _layers(s))]),
        QuestionKind("gradient", "the gradient of a weight or bias in each layer, output layer first",
             lambda s, r: [_parameter(s, r, "dW", l) for l in reversed(_layers(s))]),
        QuestionKind("output_gradient", "the gradient of a weight or bias of the output layer",
             lambda s, r: [_parameter(s, r, "dW", len(s.layers))]),
        QuestionKind("hidden_gradient", "the gradient of a weight or bias in each hidden layer",
             lambda s, r: [_parameter(s, r, "dW", l) for l in reversed(_hidden(s))], needs_hidden=True),
        QuestionKind("update", "the updated value of a weight",
             lambda s, r: [_parameter(s, r, "W_new", r.choice(_layers(s)), biases=False)], update=True),
        QuestionKind("output_after", "an output after the step, from the updated weights and biases",
             lambda s, r: [_unit(s, r, "a_after", [len(s.layers)])], update=True),
    )
}
DEFAULT_KINDS = ("forward", "loss", "gradient", "update")


def parse_kinds(text: str, shape: Spec) -> tuple[str, ...]:
    """The comma-separated kinds asked, checked against the registry and the network's shape."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in QUESTION_KINDS]
    if unknown or not names:
        raise SpecError(f"--questions: unknown question kind {unknown[0] if unknown else repr(text)!s}; "
                        f"valid: {', '.join(QUESTION_KINDS)}")
    for n in names:
        other = QUESTION_KINDS[n].other_layer(shape)
        if other:
            raise SpecError(f"--questions: {n} asks about {' and '.join(QUESTION_KINDS[n].layers)} layers, but the "
                            f"network has a {other} layer")
        if QUESTION_KINDS[n].update and not shape.updates:
            raise SpecError(f"--questions: {n} asks about the step, but the network has no learning_rate")
        if QUESTION_KINDS[n].needs_hidden and len(shape.layers) < 2:
            raise SpecError(f"--questions: {n} asks about a hidden layer, but the "
                            f"{'-'.join(map(str, shape.widths))} network has none")
    return names


def pick_questions(shape: Spec, kinds: tuple[str, ...], rng: random.Random) -> list[tuple[str, Quantity]]:
    """The quantities one variant asks about, in the order of the kinds, each with its kind."""
    return [(name, q) for name in kinds for q in QUESTION_KINDS[name].pick(shape, rng)]


MAX_POINTS = 1000.0


def parse_points(text: str | None, kinds: tuple[str, ...]) -> dict[str, float]:
    """--points: KIND=P,... for asked kinds, each worth P > 0 points (a kind not named is worth 1)."""
    points: dict[str, float] = {}
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        name, equals, number = (s.strip() for s in part.partition("="))
        if not equals:
            raise SpecError(f"--points: expected KIND=POINTS, e.g. gradient=2,update=1, got {part!r}")
        if name not in kinds:
            raise SpecError(f"--points: {name!r} is not an asked question kind; asked: {', '.join(kinds)}")
        try:
            value = float(number)
        except ValueError:
            raise SpecError(f"--points: {name}={number!r}: expected a number of points") from None
        if not 0 < value <= MAX_POINTS:  # also refuses nan
            raise SpecError(f"--points: {name}={number}: expected points above 0 and at most {MAX_POINTS:g}")
        points[name] = value
    return points
