"""A network's shape from the command line (--layers 3,4,2 --activations relu,softmax), as a spec to draw from."""
from __future__ import annotations

import math
import random
from dataclasses import replace

from ..core.activations import ACTIVATIONS
from ..core.spec import Spec
from ..errors import DrawsRefused, LimitError, SpecError
from ..io.validate import DEFAULT_MAX_PARAMETERS, spec_from_data
from .draw import shape_spec
from .generate import make_exam
from .scaled import scaled_spec

DEFAULT_RATE = 0.5
# up to this many parameters a document works every weight's chain rule by default (views.document's
# full detail), so derive new draws the exam's hand-friendly, non-degenerate numbers; a wider network
# would have nearly every draw refused (some unit saturated or near a kink), and is scaled instead
HAND_SIZED = 100


def parse_widths(text: str) -> list[int]:
    """--layers: the widths, inputs first, at least an input and an output layer."""
    try:
        widths = [int(part) for part in text.split(",")]
    except ValueError:
        raise SpecError(f"--layers: expected whole numbers separated by commas, like 2,2,1, got {text!r}") from None
    if len(widths) < 2 or min(widths) < 1:
        raise SpecError(f"--layers: expected at least two widths of 1 or more (inputs, ..., outputs), got {text!r}")
    return widths


def parse_activations(text: str, n_layers: int) -> list[str]:
    """--activations: one name for every layer, one per layer, or two (hidden layers, output layer)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in ACTIVATIONS]
    if unknown or not names:
        raise SpecError(f"--activations: unknown activation {unknown[0] if unknown else text!r}; "
                        f"valid: {' | '.join(ACTIVATIONS)}")
    if len(names) == 1:
        return names * n_layers
    if len(names) == n_layers:
        return names
    if len(names) == 2:
        return [names[0]] * (n_layers - 1) + [names[1]]
    raise SpecError(f"--activations: {len(names)} names for {n_layers} layers; give 1, 2 (hidden, output) "
                    f"or {n_layers}")


def default_loss(output: str) -> str:
    """Cross-entropy for outputs that are a distribution (softmax), half the squared error otherwise."""
    return "cross_entropy" if ACTIVATIONS[output].vector else "half_sse"


def shape_from_flags(layers: str, activations: str, loss: str | None, learning_rate: float | None,
                     shared_bias: bool = False, max_parameters: int = DEFAULT_MAX_PARAMETERS) -> Spec:
    """The spec of a shape given by flags; every field is validated as a spec file's would be."""
    widths = parse_widths(layers)
    total = sum(n_in * n + n for n_in, n in zip(widths, widths[1:]))
    if total > max_parameters:  # before any weight is made: 30000,30000 would take gigabytes
        raise LimitError(f"--layers: {total} parameters is over the limit of {max_parameters} "
                         f"(raise it with --max-parameters)")
    if learning_rate is not None and not (math.isfinite(learning_rate) and 0 < learning_rate <= 1e6):
        raise SpecError(f"--learning-rate: expected a number above 0 and at most 1e6, got {learning_rate:g}")
    acts = parse_activations(activations, len(widths) - 1)
    data = shape_spec(widths, acts, loss or default_loss(acts[-1]), DEFAULT_RATE if learning_rate is None else learning_rate)
    for layer in data["layers"] if shared_bias else ():
        layer["shared_bias"] = True
    return spec_from_data(data, "--layers/--activations/--loss", max_parameters=max_parameters)


def new_spec(shape: Spec, seed: int, name: str) -> Spec:
    """One network of the shape to work: hand-sized, an exam's first variant; wider, weights scaled by fan-in."""
    if shape.n_parameters <= HAND_SIZED:
        try:
            exam = make_exam(shape, 1, seed, ("loss",), name=name)
            return replace(exam.variants[0].spec, name=name)
        except DrawsRefused:
            pass  # no draw passes the exam's rules (a softmax of one unit has a loss of 0 always)
    return scaled_spec(shape, random.Random(f"derive new/{seed}"), name)
