"""The nesting of an answers file's lists: each number with its index, and a shape named for a message."""
from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Any


class Mismatch(Exception):
    """A value's nesting differs from its field's shape."""


def cells(value: Any, shape: tuple[int, ...], index: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Each leaf of value with its index, checking the nesting; a null stands for everything below it."""
    if value is None:
        for rest in product(*(range(n) for n in shape)):
            yield (*index, *rest), None
    elif not shape:
        if isinstance(value, list) and index:
            raise Mismatch
        yield index, value
    elif isinstance(value, list) and len(value) == shape[0]:
        for i, item in enumerate(value):
            yield from cells(item, shape[1:], (*index, i))
    else:
        raise Mismatch


def shape_of(value: Any) -> str:
    """The shape of nested lists for a message: (1, 2), or what makes it no shape."""
    if not isinstance(value, list):
        return kind_of(value)
    dims: list[int] = []
    level = [value]
    while level and all(isinstance(v, list) for v in level):
        lengths = {len(v) for v in level}
        if len(lengths) > 1:
            return f"rows of lengths {', '.join(map(str, sorted(lengths)))} at depth {len(dims) + 1}"
        dims.append(lengths.pop())
        level = [x for v in level for x in v]
    if any(isinstance(v, list) for v in level):
        return f"numbers and lists mixed at depth {len(dims) + 1}"
    return dims_text(tuple(dims))


def dims_text(shape: tuple[int, ...]) -> str:
    return f"({', '.join(map(str, shape))})"


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"a number {short(value)}"
    if isinstance(value, float):
        return f"a number {value!r}"
    return f"{type(value).__name__} {value!r}"[:60]


def short(value: float) -> str:
    """A number for a message: a 400-digit integer shown by its length."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) < 16 else f"{text[:6]}... ({len(text)} digits)"
