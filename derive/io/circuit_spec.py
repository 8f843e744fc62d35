"""A circuit spec read and checked: its stages (name = expression), the given numbers, the output."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any

import sympy as sp

from ..core.circuit import Circuit, Published, Stage
from ..core.circuit_names import circuit_path, circuit_quantity, node_latex
from ..core.spec import written_decimals
from ..errors import AddressError
from .expression import ExpressionError, names_of, parse_expression
from .specfile import Located, Path, parse_document

CIRCUIT_KEYS = ("name", "graph", "at", "output", "learning_rate", "parameters", "steps", "published")
PUBLISHED_KEYS = ("quantity", "value", "source")
MAX_STEPS = 10_000
NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
STAGE = re.compile(r"\s*([A-Za-z_][A-Za-z_0-9]*)\s*=(.*)", re.S)
MAX_STAGES = 200  # a circuit a lecture works by hand has a handful
MAX_MAGNITUDE = 1e6


def is_circuit(data: Any) -> bool:
    """True for a spec's data that describes a circuit (it has graph:) rather than a layered network."""
    return isinstance(data, dict) and "graph" in data


def circuit_source(source: str) -> Circuit | None:
    """The circuit a source describes (a spec file, spec text or a built-in circuit's name), or None for any other."""
    from .examples import CIRCUIT_EXAMPLES, example_text
    from .load import is_spec_text, read_text
    if is_spec_text(source):
        text, name = source, "(text)"
    elif FilePath(source).is_file():
        text, name = read_text(source), source
    elif source in CIRCUIT_EXAMPLES:
        text, name = example_text(source), f"example {source}"
    else:
        return None
    data, lines = parse_document(text, name)
    return circuit_from_data(data, name, lines) if is_circuit(data) else None


def parse_circuit(text: str, source: str) -> Circuit:
    """Parse and check a circuit spec's text; source names the file in error messages."""
    data, lines = parse_document(text, source)
    return circuit_from_data(data, source, lines)


def circuit_from_data(data: Any, source: str, lines: dict[Path, int] | None = None) -> Circuit:
    """Check parsed data into a Circuit, raising a SpecError naming the first bad field and its line."""
    v = Located(source, lines or {})
    if not isinstance(data, dict):
        raise v.error((), "expected a mapping with graph: and at:")
    for key in data:
        if key not in CIRCUIT_KEYS:
            raise v.error((key,), f"unknown field of a circuit; valid: {', '.join(CIRCUIT_KEYS)}")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise v.error(("name",), f"expected text, got {type(name).__name__}")
    symbols: dict[str, sp.Symbol] = {}
    given = _given(v, data.get("at"), symbols)
    stages = _stages(v, data.get("graph"), symbols)
    output = data.get("output", stages[-1].name)
    if not isinstance(output, str) or output not in {s.name for s in stages}:
        raise v.error(("output",), f"expected the name of a stage ({', '.join(s.name for s in stages)}), "
                                   f"got {output!r}")
    after = [s.name for s in stages[[s.name for s in stages].index(output) + 1:]]
    if after:
        raise v.error(("output",), f"the stages after the output ({', '.join(after)}) would not feed it; "
                                   f"remove them or make the last stage the output")
    printed: dict[str, str] = {}
    for node in symbols:  # two names the documents would print alike (x1 and x_1 as x_{1})
        other = printed.setdefault(node_latex(node), node)
        if other != node:
            raise v.error(("graph",), f"{other} and {node} print alike, as {node_latex(node)}: rename one")
    rate, parameters, steps = _updates(v, data, [n for n, _ in given])
    circuit = Circuit(name or f"The circuit of {output}", given, tuple(stages), output, tuple(symbols.values()),
                      source, learning_rate=rate, parameters=parameters, steps=steps)
    return replace(circuit, published=_published(v, data.get("published"), circuit))


def _published(v: Located, raw: Any, circuit: Circuit) -> tuple[Published, ...]:
    """The numbers a source prints: each by a name or JSON path, its value (quoted keeps its digits), the source."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise v.error(("published",), "expected a list of {quantity: gradients.x, value: -4, source: ...}")
    found = []
    for i, entry in enumerate(raw):
        path: Path = ("published", i)
        if not isinstance(entry, dict) or "quantity" not in entry or "value" not in entry:
            raise v.error(path, "expected {quantity: gradients.x, value: -4} (and source:, optional)")
        for key in entry:
            if key not in PUBLISHED_KEYS:
                raise v.error((*path, key), f"unknown field; valid: {', '.join(PUBLISHED_KEYS)}")
        try:
            q = circuit_quantity(str(entry["quantity"]), circuit)
        except AddressError as err:
            raise v.error((*path, "quantity"), str(err)) from None
        value = entry["value"]
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and re.fullmatch(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", text):
            number = float(text)
        elif not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value):
            number = float(value)
        else:
            raise v.error((*path, "value"), f"expected a number (quoted keeps its written digits), got {value!r}")
        source = entry.get("source", "")
        if not isinstance(source, str):
            raise v.error((*path, "source"), "expected text")
        found.append(Published(circuit_path(q, circuit), number, written_decimals(text), source))
    return tuple(found)


def _updates(v: Located, data: dict, given: list[str]) -> tuple[float | None, tuple[str, ...], int]:
    """The learning rate, the given numbers it moves and how many steps, or (None, (), 1) without them."""
    rate, parameters, steps = data.get("learning_rate"), data.get("parameters"), data.get("steps", 1)
    if rate is None and parameters is None:
        if "steps" in data:
            raise v.error(("steps",), "steps need a learning_rate and the parameters it moves")
        return None, (), 1
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= MAX_MAGNITUDE:
        raise v.error(("learning_rate",), f"expected a positive number (with parameters:), got {rate!r}")
    if not isinstance(parameters, list) or not parameters:
        raise v.error(("parameters",), "expected a list of the given numbers the steps move (parameters: [w0, w1])")
    for i, p in enumerate(parameters):
        if p not in given:
            raise v.error(("parameters", i), f"{p!r} is no given number; valid: {', '.join(given)}")
    if len(set(parameters)) != len(parameters):
        raise v.error(("parameters",), "a parameter is named twice; name each once")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise v.error(("steps",), f"expected a whole number from 1 to {MAX_STEPS}, got {steps!r}")
    # the parameters in the order of at:, as the document and the JSON list them
    return float(rate) if isinstance(rate, float) else rate, tuple(n for n in given if n in parameters), steps


def _given(v: Located, raw: Any, symbols: dict[str, sp.Symbol]) -> tuple[tuple[str, Any], ...]:
    """The given numbers, name: number, in the order written."""
    if not isinstance(raw, dict) or not raw:
        raise v.error(("at",), "expected the given numbers as a mapping, name: number (at: {x: -2, y: 5})")
    given = []
    for key, value in raw.items():
        if not isinstance(key, str) or not NAME.fullmatch(key):
            raise v.error(("at", key), "a name is letters, digits and _, starting with a letter or _")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise v.error(("at", key), f"expected a finite number, got {value!r}")
        if abs(value) > MAX_MAGNITUDE:
            raise v.error(("at", key), f"{value:g} is larger than the limit of {MAX_MAGNITUDE:g} in magnitude")
        names_of(symbols, key)
        given.append((key, value))
    return tuple(given)


def _stages(v: Located, raw: Any, symbols: dict[str, sp.Symbol]) -> list[Stage]:
    """Each stage, name = expression, reading only given numbers and earlier stages."""
    if not isinstance(raw, list) or not raw:
        raise v.error(("graph",), "expected a list of stages, each \"name = expression\" (- q = x + y)")
    if len(raw) > MAX_STAGES:
        raise v.error(("graph",), f"{len(raw)} stages is over the limit of {MAX_STAGES}")
    stages = []
    for i, line in enumerate(raw):
        path = ("graph", i)
        match = STAGE.fullmatch(line) if isinstance(line, str) else None
        if match is None:
            raise v.error(path, f"expected \"name = expression\", got {line!r}")
        name, text = match.group(1), match.group(2).strip()
        if name in symbols:
            what = "a stage already" if name in {s.name for s in stages} else "a given number in at:"
            raise v.error(path, f"{name} is {what}; give each stage a new name")
        known = dict(symbols)
        try:
            display = parse_expression(text, known)
        except ExpressionError as err:
            # YAML's [a, b] splits at every comma, max(p, x) too
            hint = (" (in a [ ] list YAML splits a stage at its commas: write one stage per line, - m = max(p, x))"
                    if text.count("(") > text.count(")") else "")
            raise v.error(path, f"{name} = {text}: {err}{hint}") from None
        unknown = sorted(set(known) - set(symbols))
        if unknown:
            raise v.error(path, f"{name} = {text}: no given number or earlier stage is named "
                                f"{', '.join(map(repr, unknown))}")
        if not display.free_symbols:
            raise v.error(path, f"{name} = {text} is the number {display} whatever the given numbers (its "
                                f"names cancel, or it has none): a stage must read a given number or an earlier one")
        names_of(symbols, name)
        stages.append(Stage(name, display, text, v.line(path) or 0))
    return stages
