"""Hand-worked answers read from YAML or JSON: each number with its quantity, its decimals as written and its line."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from ..core.layers import LAYER_KINDS, network_shape
from ..core.naming import NOTATIONS, plain_name_in, quantity_named
from ..core.updates import STATE_KINDS, example_state
from ..core.quantities import FIELDS, KINDS, Quantity, index_extent
from ..core.spec import Spec, written_decimals
from ..errors import AddressError, SpecError
from .load import read_text
from .nesting import Mismatch as _Mismatch
from .nesting import cells as _cells
from .nesting import dims_text as _dims
from .nesting import kind_of as _kind
from .nesting import shape_of as _shape
from .nesting import short as _short
from .specfile import Located, Path, field_name, parse_document_with_text
from .validate import DECIMAL

TOP_FIELDS = ("loss", "example_losses", "loss_history", "layers")
# what a layer's kinds compute, their parameters' new values, and the forward pass after the step
LAYER_FIELDS = tuple(dict.fromkeys(field for kind in LAYER_KINDS.values()
                                   for field in (*kind.quantities, *kind.updates, *kind.after)))
UPDATED = tuple(k for k in LAYER_FIELDS if KINDS[k].role in ("update", "after"))  # not in a gradient-only example
# What the spec fixes is not answered; by kind, and by field name where it could be written
GIVEN = {"x": "the inputs are given by the spec, not answered", "t": "the targets are given by the spec, not answered",
         "W": "the weights are given by the spec; answer dW or W_new",
         "b": "the biases are given by the spec; answer db or b_new"}
GIVEN_FIELDS = {"inputs": "x", "targets": "t", "W": "W", "b": "b"}
NO_UPDATE = "this example has no learning_rate, so no updated parameters: it stops at the gradients"


@dataclass(frozen=True)
class Answer:
    """One number a person gave (or left null), with how it was written and where."""

    quantity: Quantity
    value: float | None  # None = not answered (null)
    decimals: int | None  # decimal places as written, trailing zeros kept; None when not answered
    text: str  # the number as written in the file ("" for null)
    name: str  # the key or path the file used, layers numbered as the file numbers them
    line: int | None


@dataclass(frozen=True)
class Answers:
    """Every answer of one file, in file order."""

    source: str
    answers: tuple[Answer, ...]
    variant: str | None = None  # the exam variant the answers are for (variant: v07), if the file names one

    def given(self) -> dict[Quantity, float]:
        """The answered numbers by quantity, leaving out the nulls."""
        return {a.quantity: a.value for a in self.answers if a.value is not None}


def read_answers(path: str | FilePath, spec: Spec, notation: str | None = None) -> Answers:
    """Read an answers file for the spec, or raise a one-line SpecError naming the file."""
    return parse_answers(read_text(path), str(path), spec, notation)


def answers_variant(text: str, source: str) -> str | None:
    """The exam variant an answers file names (variant: v07), read before its answers, or None."""
    data = parse_document_with_text(text, source)[0]
    return data.get("variant") if isinstance(data, dict) and isinstance(data.get("variant"), str) else None


def parse_answers(text: str, source: str, spec: Spec, notation: str | None = None) -> Answers:
    """Parse an answers file's text for the spec; names are read in notation (default: the spec's, else layer)."""
    notation = notation or spec.notation or "layer"
    if notation not in NOTATIONS:
        raise SpecError(f"{source}: unknown notation {notation!r}; valid: {', '.join(NOTATIONS)}")
    data, lines, texts = parse_document_with_text(text, source)
    reader = _Reader(source, lines, texts, spec, notation)
    try:
        reader.document(data)
    except RecursionError:
        raise SpecError(f"{source}: nested too deeply") from None
    return Answers(source, tuple(reader.answers), reader.variant)


class _Reader(Located):
    """Turns parsed answers into Answer records, raising one SpecError at the first problem."""

    def __init__(self, source: str, lines: dict[Path, int], texts: dict[Path, str], spec: Spec, notation: str):
        super().__init__(source, lines)
        self.texts, self.spec, self.notation = texts, spec, notation
        self.shape = network_shape(spec)
        self.answers: list[Answer] = []
        self.found: dict[Quantity, Answer] = {}
        self.variant: str | None = None

    def error(self, path: Path, message: str, kind: type[SpecError] = SpecError) -> SpecError:
        """Located's error, kept to one line when a key holds a line break."""
        return kind(_one_line(str(super().error(path, message, kind))))

    def document(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise self.error((), f"expected a mapping of quantities to numbers, got {_kind(data)}")
        if not data:
            raise self.error((), "no answers: give quantities like loss: 0.29 or layers: {1: {a: [[...]]}}")
        for key, value in data.items():
            path: Path = (str(key),)
            if key == "variant":
                if not isinstance(value, str) or not re.fullmatch(r"v\d{2,3}", value):
                    raise self.error(path, f"expected an exam variant's id like v07, got {_kind(value)}")
                self.variant = value
            elif key == "layers":
                self.layers(value, path)
            elif key in TOP_FIELDS:
                self.field(value, path, FIELDS[key].name, 0)
            elif key in GIVEN_FIELDS:
                raise self.error(path, GIVEN[GIVEN_FIELDS[key]])
            elif key in LAYER_FIELDS:
                raise self.error(path, f"a layer's field: write it under its layer, e.g. layers: {{1: {{{key}: ...}}}}")
            else:
                self.add(self.resolve(str(key), path), value, path)

    def layers(self, value: Any, path: Path) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping from layer numbers (from 1) to fields, "
                                   f"like 2: {{a: [[...]]}}; got {_kind(value)}")
        for key, fields in value.items():
            layer_path = (*path, str(key))
            layer = self.layer_number(key, layer_path)
            if fields is None:
                continue
            if not isinstance(fields, dict):
                raise self.error(layer_path, f"expected a mapping of fields ({', '.join(LAYER_FIELDS)}), "
                                             f"got {_kind(fields)}")
            for field, cell in fields.items():
                field_path = (*layer_path, str(field))
                if field in GIVEN_FIELDS:
                    raise self.error(field_path, GIVEN[GIVEN_FIELDS[field]])
                if field not in LAYER_FIELDS + example_state(self.spec):
                    valid = ", ".join(LAYER_FIELDS + example_state(self.spec))
                    raise self.error(field_path, f"unknown layer field; valid: {valid}")
                self.field(cell, field_path, FIELDS[field].name, layer)

    def layer_number(self, key: Any, path: Path) -> int:
        """The 1-based layer a key under layers: names, or an error saying which layers there are."""
        last = len(self.spec.layers)
        if isinstance(key, str) and re.fullmatch(r"\s*[0-9]{1,9}\s*", key):
            key = int(key)
        if isinstance(key, bool) or not isinstance(key, int):
            raise self.error(path, f"expected a layer number from 1 to {last}, got {_kind(key)}")
        if not 1 <= key <= last:
            hint = " (layers are numbered from 1 here)" if key == 0 else ""
            raise self.error(path, f"layer {_short(key)}: the network has layers 1..{last}{hint}")
        return key

    def field(self, value: Any, path: Path, kind: str, layer: int) -> None:
        """Every number of one JSON field (a row, a matrix, a Jacobian) at its index."""
        names, shape = self.extent(kind, layer)
        try:
            cells = list(_cells(value, shape))
        except _Mismatch:
            label = "".join(f"[{'unit' if kind == 'da_dz' and n == 'input' else n}]" for n in names)
            if len(names) == 3 and kind == "da_dz":
                label += " (the softmax's Jacobian da_j/dz_m)"
            raise self.error(path, f"expected shape {_dims(shape)} {label}, got {_shape(value)}") from None
        for index, cell in cells:
            q = Quantity.from_json(kind, layer, dict(zip(names, index)))
            self.add(q, cell, (*path, *index))

    def extent(self, kind: str, layer: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The index names of a kind's field and their sizes in this network, as its JSON paths have them.

        A softmax's da_dz is the Jacobian [example][j][m], an elementwise one f'(z) [example][unit];
        a layer's shared bias is one number.
        """
        found = index_extent(KINDS[kind], layer, self.shape)
        return tuple(axis.name for axis, _ in found), tuple(size for _, size in found)

    def resolve(self, key: str, path: Path) -> Quantity:
        """The quantity a name or JSON path names: in the notation first, then in any notation."""
        try:
            return quantity_named(key, self.spec, self.notation)
        except AddressError as preferred:
            try:
                return quantity_named(key, self.spec)
            except AddressError as anywhere:
                # the notation's message lists its names; a name both notations use differently says so
                err = anywhere if "ambiguous" in str(anywhere) else preferred
                fields = "" if "[" in key or "add [n]" in str(err) else f"; or a field: {', '.join(TOP_FIELDS)}"
                # the location names the key already: a path's message need not say it again
                message = str(err).removeprefix(f"{key.strip()}: ")
                raise self.error(path, f"{message}{fields}") from None

    def add(self, q: Quantity, value: Any, path: Path) -> None:
        """Record one answer; a null gives way to a number for the same quantity, two numbers are refused."""
        if q.kind in GIVEN or (q.kind in UPDATED and not self.spec.updates):
            raise self.error(path, GIVEN.get(q.kind, NO_UPDATE))
        if q.kind in STATE_KINDS and q.kind not in example_state(self.spec):
            raise self.error(path, f"this example's optimizer ({self.spec.optimizer.name}) has no {q.kind}")
        if q.kind == "loss_history":  # the worked step is marked, not the losses after updates
            if q.step and self.number(value, path) is not None:
                raise self.error(path, "only the worked step is marked: answer loss_history[0] (the loss) "
                                       "or loss, not the loss after an update")
            if q.step:
                return
            q = Quantity("loss")
        number, name, line = self.number(value, path), _one_line(field_name(path)), self.line(path)
        text = "" if number is None else self.texts.get(path) or _repr(value)
        answer = Answer(q, number, None if number is None else written_decimals(text), text, name, line)
        old = self.found.get(q)
        if old is not None:
            if number is None:
                return
            if old.value is not None:
                what = plain_name_in(q, self.spec, self.notation)
                raise self.error(path, f"{what} is answered twice: as {old.name}{_on(old.line)} "
                                       f"and as {name}{_on(line)}")
            self.answers.remove(old)
        self.found[q] = answer
        self.answers.append(answer)

    def number(self, value: Any, path: Path) -> float | None:
        if value is None:
            return None
        if isinstance(value, str) and DECIMAL.fullmatch(value.strip()):
            value = float(value)  # quoted to keep its written digits: "0.593270"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(path, f"expected a number (quoted or not) or null, got {_kind(value)}")
        try:
            number = float(value)
        except OverflowError:
            raise self.error(path, f"{_short(value)} is too large for a number") from None
        if not math.isfinite(number):
            raise self.error(path, f"expected a finite number, got {value}")
        return number


def _repr(value: float) -> str:
    """The text of a number read without its source text (JSON with tabs): its shortest round trip."""
    return repr(float(value)) if isinstance(value, float) else str(value)


def _one_line(text: str) -> str:
    """Text with its line breaks and other control characters escaped, as repr shows them."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _on(line: int | None) -> str:
    return f" (line {line})" if line else ""
