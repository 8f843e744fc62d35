"""An answers file for a circuit: each number by the name the document prints (q, df/dx, dq/dx, w0_new) or its JSON path."""
from __future__ import annotations

import math
import re
from typing import Any

from ..core.circuit import Circuit
from ..core.circuit_names import circuit_name, circuit_quantity
from ..core.quantities import Quantity
from ..core.spec import written_decimals
from ..errors import AddressError
from .answers import Answer, Answers
from .specfile import Located, Path, field_name, parse_document_with_text

DECIMAL = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def parse_circuit_answers(text: str, source: str, circuit: Circuit) -> Answers:
    """Parse an answers file's text for the circuit, or raise a one-line SpecError naming the file, line and key."""
    data, lines, texts = parse_document_with_text(text, source)
    where = Located(source, lines)
    if not isinstance(data, dict) or not data:
        raise where.error((), "expected a mapping of names to numbers, like f: -12 or df/dx: -4")
    found: dict[Quantity, Answer] = {}
    for key, value in data.items():
        path: Path = (str(key),)
        if key == "variant":
            raise where.error(path, "names an exam variant: check it against the exam's folder")
        try:
            q = circuit_quantity(str(key), circuit)
        except AddressError as err:
            raise where.error(path, str(err).removeprefix(f"{str(key).strip()!r} ")) from None
        if q.kind == "number":
            raise where.error(path, f"{key} is a given number (at:), not one to work out")
        number = _number(where, value, path)
        written = "" if number is None else texts.get(path) or repr(value)
        answer = Answer(q, number, None if number is None else written_decimals(written), written,
                        field_name(path), where.line(path))
        old = found.get(q)
        if old is not None and old.value is not None and number is not None:
            raise where.error(path, f"{circuit_name(q, circuit)} is answered twice: as {old.name} and as {key}")
        if old is None or number is not None:
            found[q] = answer
    return Answers(source, tuple(found.values()))


def _number(where: Located, value: Any, path: Path) -> float | None:
    """An answer's number (quoted keeps its written digits), or None for null."""
    if value is None:
        return None
    if isinstance(value, str) and DECIMAL.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise where.error(path, f"expected a finite number (quoted or not) or null, got {value!r}")
    return float(value)


def blank_circuit_answers(circuit: Circuit, quantities: list[Quantity]) -> str:
    """An answers file to fill in: every computed number of the circuit by name, null."""
    lines = [f"# answers for {circuit.name}: replace each null you worked out with your number,",
             "# written with the digits you rounded it to; leave the others null"]
    lines += [f'"{circuit_name(q, circuit)}": null' for q in quantities]
    return "\n".join(lines) + "\n"
