"""derive_circuit(spec) -> CircuitExample: a computational graph worked forward and back, and cross-checked."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core.circuit import Circuit, build_circuit
from .core.graph import StepGraph
from .errors import OptionError, SpecError
from .io.circuit_spec import circuit_from_data, parse_circuit
from .io.load import read_text
from .oracles.checks import CheckReport, require
from .oracles.circuit_checks import circuit_checks
from .render.circuit_formats import CIRCUIT_FORMATS, CircuitJob, build_circuit_files, circuit_markdown, circuit_svg
from .views.circuit import circuit_data, circuit_document


@dataclass(frozen=True, eq=False)
class CircuitExample:
    """One circuit worked and cross-checked; shows itself as documents on request."""

    circuit: Circuit
    graph: StepGraph
    checks: CheckReport
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        """Every value, gradient and local gradient as plain JSON data."""
        if "data" not in self._cache:
            self._cache["data"] = circuit_data(self.graph, self.checks)
        return self._cache["data"]

    def document(self, digits: int = 6) -> dict[str, Any]:
        """The view model the circuit templates receive."""
        if digits not in self._cache:
            self._cache[digits] = circuit_document(self.graph, self.checks, digits)
        return self._cache[digits]

    def markdown(self, digits: int = 6, svg_name: str = "circuit.svg") -> str:
        """The worked example as Markdown; its picture is the SVG file svg_name beside it."""
        return circuit_markdown(self.document(digits), svg_name)

    def svg(self, digits: int = 6) -> str:
        """The circuit's picture as SVG."""
        return circuit_svg(self.document(digits))

    def files(self, stem: str, formats: tuple[str, ...], digits: int = 6, template_dir: str | Path | None = None,
              math: str = "github") -> dict[str, bytes]:
        """The chosen formats' files by name, in memory (math: the Markdown's maths, github or dollars)."""
        unknown = [f for f in formats if f not in CIRCUIT_FORMATS]
        if unknown:
            raise OptionError(f"a circuit is written as {', '.join(CIRCUIT_FORMATS)}, not {', '.join(unknown)}")
        job = CircuitJob(self.document(digits), self.data, stem, template_dir, math)
        return build_circuit_files(job, formats)


def derive_circuit(spec: Circuit | str | Path | Mapping[str, Any], source: str = "") -> CircuitExample:
    """Work a circuit from a spec file's path, its text, its parsed mapping or a Circuit; cross-check it."""
    if isinstance(spec, Circuit):
        circuit = spec
    elif isinstance(spec, Mapping):
        circuit = circuit_from_data(dict(spec), source or "(mapping)")
    elif isinstance(spec, (str, Path)):
        text = str(spec)
        if isinstance(spec, Path) or "\n" not in text and not text.lstrip().startswith("{"):
            circuit = parse_circuit(read_text(spec), source or str(spec))
        else:
            circuit = parse_circuit(text, source or "(text)")
    else:
        raise SpecError(f"derive_circuit: expected a circuit spec (a path, text or mapping), got {type(spec).__name__}")
    graph = build_circuit(circuit)
    checks = circuit_checks(graph)
    require(checks)
    return CircuitExample(circuit, graph, checks)
