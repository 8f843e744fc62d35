"""Which files of an output folder derive wrote, so a new run replaces its own and never a user's.

The folder keeps a record (RECORD) of every file derive wrote there: its SHA-256 and the stem of the
run it belongs to. A file may be overwritten only if the record names it and it is unchanged since;
a run replaces its stem's earlier output whole, removing the formats it no longer writes, so one
folder never mixes an old run with a new one. --force overrides both refusals.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import DeriveError, OutputExists
from .atomic import write_all

RECORD = ".derive-outputs.json"


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read_record(folder: Path) -> dict[str, dict[str, str]]:
    """The record's entries by file name; a missing or unreadable record records nothing (so protects all)."""
    try:
        entries = json.loads((folder / RECORD).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {name: entry for name, entry in entries.items()
            if isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("stem"), str)}


def _unchanged(folder: Path, name: str, record: dict[str, dict[str, str]]) -> bool:
    """Whether folder/name is a file derive wrote and nobody has changed since."""
    try:
        return name in record and _digest((folder / name).read_bytes()) == record[name]["sha256"]
    except OSError:
        return False


def write_outputs(folder: Path, runs: dict[str, dict[str, bytes]], force: bool = False) -> tuple[list[Path], list[Path]]:
    """Write each run's files (by stem), replacing its earlier output whole; returns (written, removed).

    OutputExists, before anything is written, if a file would be overwritten that derive did not
    write (or that was changed since), or if an earlier output left stale was changed since; force
    overwrites and removes them.
    """
    record = _read_record(folder) if folder.is_dir() else {}
    names = {name for files in runs.values() for name in files}
    if RECORD in names:
        raise DeriveError(f"an output may not be named {RECORD}: derive keeps its record of the folder there")
    stale = sorted(name for name, entry in record.items()
                   if entry["stem"] in runs and name not in names and (folder / name).is_file())
    if not force:
        _refuse_foreign(folder, sorted(names), stale, record)
    kept = {name: entry for name, entry in record.items()
            if entry["stem"] not in runs and name not in names and (folder / name).is_file()}
    for stem, files in runs.items():
        kept.update({name: {"sha256": _digest(content), "stem": stem} for name, content in files.items()})
    text = json.dumps({"about": "files derive wrote here; a file changed since is never overwritten without --force",
                       "files": dict(sorted(kept.items()))}, indent=1, ensure_ascii=False) + "\n"
    written = write_all(folder, {**{n: c for files in runs.values() for n, c in files.items()}, RECORD: text.encode()})
    removed = []
    for name in stale:
        try:
            (folder / name).unlink()
        except OSError as err:
            raise DeriveError(f"cannot remove the earlier output {folder / name}: {err.strerror}") from None
        removed.append(folder / name)
    return [path for path in written if path.name != RECORD], removed


def _refuse_foreign(folder: Path, names: list[str], stale: list[str], record: dict[str, dict[str, str]]) -> None:
    """OutputExists naming the first file that is not derive's unchanged output, to be overwritten or removed."""
    for name in names:
        path = folder / name
        if path.is_dir():
            raise OutputExists(f"{path} is a folder; move it, or choose another folder with -o")
        if path.exists() and not _unchanged(folder, name, record):
            why = "was changed since derive wrote it" if name in record else "was not written by derive"
            raise OutputExists(f"{path} already exists and {why}; move it, choose another folder with -o, "
                               f"or --force to overwrite it")
    for name in stale:
        if not _unchanged(folder, name, record):
            raise OutputExists(f"{folder / name}, an earlier output of {record[name]['stem']} that this run does not "
                               f"write, was changed since derive wrote it; move it, or --force to remove it")
