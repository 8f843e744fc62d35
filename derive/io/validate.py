"""The spec validated from parsed YAML/JSON: one SpecError naming the file, line and field."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from ..core.activations import ACTIVATIONS
from ..core.layers import LAYER_KINDS
from ..core.losses import LOSSES
from ..core.naming import path_quantities
from ..core.spec import Claim, Layer, Spec, written_decimals
from ..errors import AddressError, LimitError, OptionError, SpecError
from .specfile import Located, Path, parse_document
from .validate_optimizer import optimizer_and_decay

KEYS = ("name", "inputs", "targets", "layers", "loss", "learning_rate", "steps", "train_bias",
        "weight_layout", "notes", "published", "notation", "reduction", "optimizer", "weight_decay")
CLAIM_KEYS = ("quantity", "value", "source")
LAYER_KEYS = ("kind", "units", "activation", "weights", "bias", "shared_bias", "alpha")
DEFAULT_MAX_PARAMETERS = 5000
DECIMAL = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
MAX_EXAMPLES = 64
MAX_STEPS = 1_000_000
MAX_WORK = 5e7  # steps x examples x parameters; about a minute of float arithmetic
MAX_MAGNITUDE = 1e6  # larger numbers make no readable worked example and overflow float64 checks


class _Validator(Located):
    """Turns parsed data into a Spec, raising one SpecError at the first problem."""

    def number(self, value: Any, path: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(path, f"expected a number, got {_kind(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(path, f"expected a finite number, got {value}")
        if abs(value) > MAX_MAGNITUDE:
            raise self.error(path, f"{_short(value)} is larger than the limit of {MAX_MAGNITUDE:g} in magnitude")
        return float(value) if isinstance(value, float) else int(value)

    def published_number(self, value: Any, path: Path) -> tuple[float, int]:
        """A published number and its decimals; quoted ("0.650") it keeps the digits it was written with."""
        if isinstance(value, str):
            if not DECIMAL.fullmatch(value.strip()):
                raise self.error(path, f"expected a number (quoted or not), got {_kind(value)}")
            return self.number(float(value), path), written_decimals(value)
        number = self.number(value, path)
        return number, written_decimals(number)

    def matrix(self, value: Any, path: Path, shape: tuple[int | None, int | None]) -> list[list[float]]:
        rows, cols = shape
        if not isinstance(value, list) or not value:
            raise self.error(path, f"expected a non-empty list of rows, got {_kind(value)}")
        got_rows = len(value)
        widths = {len(r) if isinstance(r, list) else -1 for r in value}
        if -1 in widths:
            i = next(i for i, r in enumerate(value) if not isinstance(r, list))
            raise self.error((*path, i), f"expected a list of numbers, got {_kind(value[i])}")
        got_cols = len(value[0])
        if (rows is not None and got_rows != rows) or (cols is not None and got_cols != cols) or len(widths) > 1:
            got = f"({got_rows}, {got_cols})" if len(widths) == 1 else f"{got_rows} rows of widths {sorted(widths)}"
            raise self.error(path, f"expected shape ({_dim(rows)}, {_dim(cols)}), got {got}")
        if got_cols == 0:
            raise self.error(path, "rows must not be empty")
        return [[self.number(x, (*path, i, j)) for j, x in enumerate(row)] for i, row in enumerate(value)]

    def choice(self, value: Any, path: Path, valid: tuple[str, ...] | list[str], what: str) -> str:
        if not isinstance(value, str) or value not in valid:
            raise self.error(path, f"unknown {what} {value!r}; valid: {' | '.join(valid)}")
        return value

    def mapping(self, value: Any, path: Path, keys: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping, got {_kind(value)}")
        for key in value:
            if key not in keys:
                raise self.error((*path, key), f"unknown field; valid: {', '.join(keys)}")
        return value

    def required(self, data: dict, key: str, path: Path) -> Any:
        if key not in data or data[key] is None:
            raise self.error((*path, key), "missing (a required field)")
        return data[key]

    def layer(self, data: Any, i: int, n_in: int, layout: str, n_layers: int) -> Layer:
        path: Path = ("layers", i)
        data = self.mapping(data, path, LAYER_KEYS)
        kind = self.choice(data.get("kind", "dense"), (*path, "kind"), list(LAYER_KINDS), "layer kind")
        units = self.required(data, "units", path)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise self.error((*path, "units"), f"expected a whole number >= 1, got {units!r}")
        act = self.choice(self.required(data, "activation", path), (*path, "activation"),
                          list(ACTIVATIONS), "activation")
        if ACTIVATIONS[act].last_layer_only and i != n_layers - 1:
            raise self.error((*path, "activation"), f"{act} is allowed only in the last layer")
        raw = self.required(data, "weights", path)
        if layout == "in_out":
            w = self.matrix(raw, (*path, "weights"), (n_in, units))
            w = [list(col) for col in zip(*w)]
        else:
            w = self.matrix(raw, (*path, "weights"), (units, n_in))
        shared = data.get("shared_bias", False)
        if not isinstance(shared, bool):
            raise self.error((*path, "shared_bias"), f"expected true or false, got {_kind(shared)}")
        bias = self.bias(data.get("bias", 0), (*path, "bias"), units, shared)
        alpha = 0.01
        if "alpha" in data:
            if not ACTIVATIONS[act].has_parameter:
                takes = ", ".join(name for name, a in ACTIVATIONS.items() if a.has_parameter)
                raise self.error((*path, "alpha"), f"alpha is only for {takes}")
            alpha = self.number(data["alpha"], (*path, "alpha"))
        return Layer(units, act, tuple(tuple(r) for r in w), tuple(bias), alpha, shared, kind)

    def bias(self, value: Any, path: Path, units: int, shared: bool) -> list[float]:
        """One bias per unit (a single number stands for them all); with shared, the layer's one bias."""
        if shared:
            if isinstance(value, list):
                raise self.error(path, f"with shared_bias the layer has one bias: give one number, not a list of {len(value)}")
            return [self.number(value, path)]
        if isinstance(value, list):
            if len(value) != units:
                raise self.error(path, f"expected {units} biases (one per unit), got {len(value)}")
            return [self.number(x, (*path, j)) for j, x in enumerate(value)]
        return [self.number(value, path)] * units


def _kind(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"[:60]


def _short(value: float | int) -> str:
    """A number for a message: a 400-digit integer shown by its length."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) < 16 else f"{text[:6]}... ({len(text)} digits)"


def _dim(n: int | None) -> str:
    return "?" if n is None else str(n)


def parse_spec(text: str, source: str, max_parameters: int = DEFAULT_MAX_PARAMETERS) -> Spec:
    """Parse and validate a spec's text; source names the file in error messages."""
    if not isinstance(text, str):
        raise SpecError(f"{source}: expected the spec's text as a string, got {type(text).__name__}")
    if isinstance(max_parameters, bool) or not isinstance(max_parameters, int) or max_parameters < 1:
        raise OptionError(f"max_parameters must be a whole number of 1 or more, got {max_parameters!r}")
    data, lines = parse_document(text, source)
    return spec_from_data(data, source, lines, max_parameters)


def spec_from_data(data: Any, source: str, lines: dict[Path, int] | None = None,
                   max_parameters: int = DEFAULT_MAX_PARAMETERS) -> Spec:
    """Validate parsed data into a Spec, raising a SpecError naming the first bad field."""
    v = _Validator(source, lines or {})
    if isinstance(data, dict) and "graph" in data:  # a circuit, which derive run and derive check work
        raise v.error(("graph",), "a circuit, not a layered network: derive run, derive check and derive exam "
                                  "work it (derive.derive_circuit in Python)")
    data = v.mapping(data, (), KEYS)
    name = data.get("name", "")
    if not isinstance(name, str):
        raise v.error(("name",), f"expected text, got {_kind(name)}")
    inputs = v.matrix(v.required(data, "inputs", ()), ("inputs",), (None, None))
    if len(inputs) > MAX_EXAMPLES:
        raise v.error(("inputs",), f"{len(inputs)} examples is over the limit of {MAX_EXAMPLES}")
    layers_raw = v.required(data, "layers", ())
    if not isinstance(layers_raw, list) or not layers_raw:
        raise v.error(("layers",), "expected a non-empty list of layers")
    layout = v.choice(data.get("weight_layout", "out_in"), ("weight_layout",), ["out_in", "in_out"],
                      "weight_layout")
    _check_size(v, inputs, layers_raw, max_parameters)
    layers, n_in = [], len(inputs[0])
    for i, raw in enumerate(layers_raw):
        layers.append(v.layer(raw, i, n_in, layout, len(layers_raw)))
        n_in = layers[-1].units
    loss_name = v.choice(v.required(data, "loss", ()), ("loss",), list(LOSSES), "loss")
    targets, classes = _targets(v, v.required(data, "targets", ()), len(inputs), n_in, loss_name)
    if LOSSES[loss_name].needs_unit_interval and not ACTIVATIONS[layers[-1].activation].unit_interval:
        suited = " or ".join(name for name, act in ACTIVATIONS.items() if act.unit_interval)
        raise v.error(("layers", len(layers) - 1, "activation"), f"{loss_name} needs outputs in (0, 1): "
                      f"use {suited} in the last layer, not {layers[-1].activation}")
    _check_targets(v, targets, LOSSES[loss_name].targets_rule)
    rate, steps = _rate_and_steps(v, data)
    optimizer, weight_decay = optimizer_and_decay(v, data, rate is not None)
    work = steps * len(inputs) * sum(w * (n + 1) for n, w in zip([len(inputs[0])] + [x.units for x in layers],
                                                               [x.units for x in layers]))
    if work > MAX_WORK:
        raise v.error(("steps",), f"steps x examples x parameters = {work:.3g} is over the limit of "
                      f"{MAX_WORK:g} (minutes of work): use fewer steps", LimitError)
    train_bias = data.get("train_bias", True)
    if not isinstance(train_bias, bool):
        raise v.error(("train_bias",), f"expected true or false, got {_kind(train_bias)}")
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        raise v.error(("notes",), f"expected text, got {_kind(notes)}")
    notation = data.get("notation", "")
    if notation:
        v.choice(notation, ("notation",), ["layer", "numbered"], "notation")
    reduction = v.choice(data.get("reduction", "mean"), ("reduction",), ["mean", "sum"], "reduction")
    spec = Spec(name, tuple(map(tuple, inputs)), tuple(map(tuple, targets)), tuple(layers), loss_name,
                rate, steps, train_bias, layout, notes.strip(), notation=notation, reduction=reduction,
                target_classes=classes, optimizer=optimizer, weight_decay=weight_decay)
    claims = data.get("published", [])
    if not isinstance(claims, list):
        raise v.error(("published",), f"expected a list, got {_kind(claims)}")
    return replace(spec, published=tuple(_claim(v, spec, c, i) for i, c in enumerate(claims)))


def _rate_and_steps(v: _Validator, data: dict) -> tuple[float | None, int]:
    """The learning rate and number of steps; without a learning rate the example stops at the gradients."""
    if data.get("learning_rate") is None:
        if "steps" in data:
            raise v.error(("steps",), "steps needs a learning_rate: without one the example stops at the gradients")
        return None, 0
    rate = v.number(data["learning_rate"], ("learning_rate",))
    if rate <= 0:
        raise v.error(("learning_rate",), f"must be > 0, got {rate}")
    steps = data.get("steps", 1)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise v.error(("steps",), f"expected a whole number from 1 to {MAX_STEPS}, got {steps!r}")
    return rate, steps


def _claim(v: _Validator, spec: Spec, raw: Any, i: int) -> Claim:
    """Validate one published number: its JSON path must exist and its value match that shape."""
    path: Path = ("published", i)
    raw = v.mapping(raw, path, CLAIM_KEYS)
    quantity = v.required(raw, "quantity", path)
    if not isinstance(quantity, str):
        raise v.error((*path, "quantity"), f"expected a JSON path like loss or layers[0].a[0], got {_kind(quantity)}")
    try:
        numbers = path_quantities(quantity, spec)
    except AddressError as err:
        raise v.error((*path, "quantity"), str(err)) from None
    value = v.required(raw, "value", path)
    values = value if isinstance(value, list) else [value]
    if len(values) != len(numbers) or (len(numbers) > 1 and not isinstance(value, list)):
        raise v.error((*path, "value"), f"expected {'a number' if len(numbers) == 1 else f'{len(numbers)} numbers'} "
                      f"for {quantity}")
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise v.error((*path, "source"), f"expected text, got {_kind(source)}")
    numbers = [v.published_number(x, (*path, "value")) for x in values]
    return Claim(quantity, tuple(x for x, _ in numbers), source, tuple(d for _, d in numbers))


def _check_size(v: _Validator, inputs: list, layers_raw: list, max_parameters: int) -> None:
    """Refuse networks too large to be a worked example before building anything."""
    n_in, total = len(inputs[0]), 0
    for i, raw in enumerate(layers_raw):
        units = raw.get("units") if isinstance(raw, dict) else None
        if isinstance(units, int) and not isinstance(units, bool) and units > 0:
            total += units * n_in + (1 if raw.get("shared_bias") is True else units)
            n_in = units
    if total > max_parameters:
        raise v.error(("layers",), f"{total} parameters is over the limit of {max_parameters} "
                      "(raise it with --max-parameters)", LimitError)


def _targets(v: _Validator, raw: Any, examples: int, outputs: int, loss: str) -> tuple[list, tuple[int, ...]]:
    """Targets as rows; for cross_entropy a list of class indices (from 0) stands for one-hot rows."""
    if not (isinstance(raw, list) and raw and all(isinstance(c, int) and not isinstance(c, bool) for c in raw)):
        return v.matrix(raw, ("targets",), (examples, outputs)), ()
    if loss != "cross_entropy":
        raise v.error(("targets",), "class indices are for cross_entropy; give one row of targets per example")
    if len(raw) != examples:
        raise v.error(("targets",), f"expected {examples} class indices (one per example), got {len(raw)}")
    for n, c in enumerate(raw):
        if not 0 <= c < outputs:
            raise v.error(("targets", n), f"class index {c} is out of range: the output layer has classes 0..{outputs - 1}")
    return [[1 if k == c else 0 for k in range(outputs)] for c in raw], tuple(raw)


def _check_targets(v: _Validator, targets: list[list[float]], rule: str) -> None:
    """Cross-entropy needs distributions; binary cross-entropy needs values in [0, 1]."""
    for n, row in enumerate(targets):
        if rule in ("distribution", "unit_interval"):
            for k, x in enumerate(row):
                if not 0 <= x <= 1:
                    raise v.error(("targets", n, k), f"must lie in [0, 1] for this loss, got {x}")
        if rule == "distribution" and abs(sum(row) - 1) > 1e-9:
            raise v.error(("targets", n), f"cross_entropy targets must sum to 1, got {sum(row):.6g}")
