"""One shape for every document's formats: each format turns a job into named files, in memory."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from .pdf import TexMissing

J = TypeVar("J")


@dataclass(frozen=True)
class Format(Generic[J]):
    """One output format of a document: its name, what it is, and the files it makes from a job."""

    name: str
    title: str
    files: Callable[[J], dict[str, bytes]]


def registry(*formats: Format[Any]) -> dict[str, Format[Any]]:
    """The formats by name, in the order they are made (and listed in help)."""
    return {f.name: f for f in formats}


def build(formats: dict[str, Format[J]], job: J, chosen: tuple[str, ...]) -> dict[str, bytes]:
    """Every chosen format's files, in registry order; nothing is written here.

    A missing TeX stops only the formats that need it: TexMissing is raised once the others are
    made, carrying their files (err.files), so a caller may write them and then report it.
    """
    files: dict[str, bytes] = {}
    missing: TexMissing | None = None
    for name, fmt in formats.items():  # registry order, whatever order they were asked in
        if name in chosen:
            try:
                files.update(fmt.files(job))
            except TexMissing as err:
                missing = err
    if missing is not None:
        missing.files = files
        raise missing
    return files
