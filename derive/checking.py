"""Marking answers files against a spec or an exam folder, as `derive check` does, as one library call.

    import derive
    run = derive.check_answers("net.yaml", ["alice.yaml", "bob.yaml"])    # or a built-in example, or an exam folder
    run.passed; run.markings[0].first_wrong; run.failures
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .check.marking import Marking
from .core.circuit import Circuit
from .core.graph import StepGraph
from .core.spec import Spec
from .errors import NumericalError, OptionError, SpecError


@dataclass
class CheckRun:
    """The marks of a run: one Marking per answers file read, a one-line error per file that was not."""

    markings: list[Marking]
    failures: list[str]
    checker: Checker

    @property
    def passed(self) -> bool:
        """True when every file was read and every number given is right."""
        return not self.failures and all(m.passed for m in self.markings)


class Checker:
    """Marks answers files against one spec, or each against its own variant of an exam (graphs kept)."""

    def __init__(self, source: str | Path, notation: str | None = None,
                 derived: Callable[[Spec, str], Any] | None = None):
        """source: a spec file, a built-in example's name, spec text, or the folder `derive exam` wrote.

        derived(spec, source) works the spec (the command line's shows a long run's progress).
        """
        from .io.circuit_spec import circuit_source
        from .io.exam_folder import read_exam
        from .io.load import load
        if not isinstance(source, (str, Path)) or not str(source).strip():
            raise OptionError(f"check: expected a spec, an example's name or an exam folder, got {source!r}")
        self.source = str(source)
        self.exam = read_exam(self.source) if Path(self.source).is_dir() else None
        self.spec = None if self.exam else circuit_source(self.source) or load(self.source)
        self.notation = notation
        self.derived = derived or _derived
        self.graphs: dict[str | None, StepGraph] = {}
        self.exam_marks: dict[str, Any] = {}  # by answers file, for an exam

    def graph(self, variant: str | None) -> StepGraph:
        """The spec's graph, cross-checked; a variant's as the exam made it (cross-checked then)."""
        from .core.graph import build_graph
        if variant not in self.graphs:
            spec = self.spec if variant is None else self.exam.variants[variant]
            if isinstance(spec, Circuit):
                self.graphs[variant] = _circuit_graph(spec, self.source if variant is None else f"variant {variant}")
            else:
                self.graphs[variant] = (self.derived(self.spec, self.source).graph if variant is None else
                                        _variant_graph(build_graph, self.exam.variants[variant], variant))
        return self.graphs[variant]

    @property
    def is_circuit(self) -> bool:
        """True when the answers are marked against a circuit (a spec with graph:, or an exam of one)."""
        spec = self.spec if self.exam is None else next(iter(self.exam.variants.values()))
        return isinstance(spec, Circuit)

    def notation_of(self, spec: Spec) -> str:
        return self.notation or getattr(spec, "notation", None) or "layer"

    def mark_all(self, paths: Sequence[str]) -> tuple[list[Marking], list[str]]:
        """Every file marked; a file that cannot be read is reported, the others are still marked."""
        markings, failures = [], []
        for path in paths:
            try:
                markings.append(self.mark_one(str(path)))
            except SpecError as err:
                failures.append(str(err))
        return markings, failures

    def mark_one(self, path: str) -> Marking:
        from .check.exam_marking import mark_exam
        from .check.marking import mark
        from .io.answers import answers_variant, parse_answers
        from .io.load import read_text
        text = read_text(path)
        variant = answers_variant(text, path)
        if self.exam is None:
            if variant is not None:
                raise SpecError(f"{path}: names the exam variant {variant}: check it against the exam's folder")
            if self.is_circuit:
                from .io.circuit_answers import parse_circuit_answers
                return mark(self.graph(None), parse_circuit_answers(text, path, self.spec))
            return mark(self.graph(None), parse_answers(text, path, self.spec, self.notation_of(self.spec)))
        spec = self.exam.spec(variant, path)
        graph = self.graph(variant)
        if isinstance(spec, Circuit):
            from .io.circuit_answers import parse_circuit_answers
            answers = replace(parse_circuit_answers(_without_variant(text, path), path, spec), variant=variant)
        else:
            answers = parse_answers(text, path, spec, self.notation_of(spec))
        marked = mark_exam(self.exam, answers, graph)
        self.exam_marks[path] = marked
        return marked.marking

    def spec_of(self, marking: Marking) -> Spec:
        return self.spec if self.exam is None else self.exam.variants[self.exam_marks[marking.source].variant]

    def graph_of(self, marking: Marking) -> StepGraph:
        return self.graph(None if self.exam is None else self.exam_marks[marking.source].variant)


def check_answers(source: str | Path, answer_files: Sequence[str | Path] | str | Path,
                  notation: str | None = None) -> CheckRun:
    """Mark each answers file against source (a spec, an example's name, or an exam folder): `derive check`."""
    files = [answer_files] if isinstance(answer_files, (str, Path)) else list(answer_files)
    if not files or not all(isinstance(f, (str, Path)) for f in files):
        raise OptionError(f"check: expected answers files' paths, got {answer_files!r}")
    checker = Checker(source, notation)
    markings, failures = checker.mark_all([str(f) for f in files])
    return CheckRun(markings, failures, checker)


def _derived(spec: Spec, source: str):
    """The worked example of the spec, its numerical errors naming where it came from."""
    from .pipeline import derive
    try:
        return derive(spec)
    except NumericalError as err:
        raise NumericalError(f"{source}: {err}") from None


def _without_variant(text: str, source: str) -> str:
    """An answers file's text without its variant: line, which a circuit's answers reader does not take."""
    import re
    return re.sub(r"(?m)^variant\s*:.*$", "", text)


def _circuit_graph(circuit, source: str) -> StepGraph:
    """The circuit worked and cross-checked, its numerical errors naming where it came from."""
    from .circuits import derive_circuit
    try:
        return derive_circuit(circuit).graph
    except NumericalError as err:
        raise NumericalError(f"{source}: {err}") from None


def _variant_graph(build_graph, spec: Spec, variant: str) -> StepGraph:
    """A variant's step graph, its numerical errors naming the variant."""
    try:
        return build_graph(spec)
    except NumericalError as err:
        raise NumericalError(f"variant {variant}: {err}") from None
