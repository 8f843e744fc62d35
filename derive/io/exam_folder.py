"""An exam folder that derive exam wrote, read back: each variant's spec and its answer key with tolerances."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..core.spec import Spec
from ..errors import SpecError
from .load import read_text
from .circuit_spec import circuit_from_data, is_circuit
from .specfile import parse_document
from .validate import spec_from_data

KEY_FIELDS = ("variant", "question", "kind", "quantity", "name", "value", "tolerance")


@dataclass(frozen=True)
class Question:
    """One asked question of a variant, as answers.json keys it."""

    number: int
    kind: str
    path: str  # the JSON path of the quantity asked
    name: str
    value: float
    tolerance: float


@dataclass(frozen=True)
class ExamFolder:
    """The folder's variants (id -> spec) and each variant's questions in order."""

    folder: Path
    variants: dict[str, Spec]
    questions: dict[str, tuple[Question, ...]]

    def spec(self, variant: str | None, source: str) -> Spec:
        """The spec of the variant an answers file names, or a SpecError saying which ones there are."""
        if variant is None:
            raise SpecError(f"{source}: name the exam variant these answers are for, e.g. variant: "
                            f"{next(iter(self.variants))}")
        if variant not in self.variants:
            ids = list(self.variants)
            raise SpecError(f"{source}: variant {variant!r} is not in the exam {self.folder} ({ids[0]}..{ids[-1]})")
        return self.variants[variant]


def read_exam(folder: str | Path) -> ExamFolder:
    """The exam in a folder, or a one-line SpecError naming what is missing or malformed."""
    folder = Path(folder)
    key_path, variants_dir = folder / "answers.json", folder / "variants"
    if not variants_dir.is_dir():
        raise SpecError(f"{folder}: not an exam folder: it has no variants/ (derive exam writes one)")
    if not key_path.is_file():
        raise SpecError(f"{folder}: the exam has no answers.json: write it with derive exam --format including json")
    variants = {p.stem: _variant(read_text(p), str(p)) for p in sorted(variants_dir.glob("v*.yaml"))}
    if not variants:
        raise SpecError(f"{variants_dir}: no variant files (v01.yaml, ...)")
    return ExamFolder(folder, variants, _questions(key_path, variants))


def _variant(text: str, source: str):
    """A variant's spec: a network's, or a circuit's (graph:)."""
    data, lines = parse_document(text, source)
    return circuit_from_data(data, source, lines) if is_circuit(data) else spec_from_data(data, source, lines)


def _questions(path: Path, variants: dict[str, Spec]) -> dict[str, tuple[Question, ...]]:
    """answers.json's entries by variant, each checked to be a key entry of a variant in the folder."""
    try:
        entries = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise SpecError(f"{path}:{err.lineno}: not JSON: {err.msg}") from None
    if not isinstance(entries, list):
        raise SpecError(f"{path}: expected a list of answer entries")
    questions: dict[str, list[Question]] = {v: [] for v in variants}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or any(k not in entry for k in KEY_FIELDS):
            raise SpecError(f"{path}: entry {i + 1}: expected the fields {', '.join(KEY_FIELDS)}")
        if entry["variant"] not in questions:
            raise SpecError(f"{path}: entry {i + 1}: variant {entry['variant']!r} has no file in variants/")
        try:
            question = Question(int(entry["question"]), str(entry["kind"]), str(entry["quantity"]),
                                str(entry["name"]), float(entry["value"]), float(entry["tolerance"]))
        except (TypeError, ValueError):
            raise SpecError(f"{path}: entry {i + 1}: question, value and tolerance must be numbers") from None
        if not (math.isfinite(question.value) and math.isfinite(question.tolerance)):
            raise SpecError(f"{path}: entry {i + 1}: value and tolerance must be finite")
        questions[entry["variant"]].append(question)
    return {v: tuple(sorted(qs, key=lambda q: q.number)) for v, qs in questions.items()}
