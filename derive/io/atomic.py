"""Output files: safe names inside the output folder, written atomically, all or nothing, never over work."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from ..core.spec import Spec
from ..errors import DeriveError, OutputExists

SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(name: str) -> str:
    """A file stem that cannot leave the output folder: no separators, no leading dots."""
    stem = SAFE_STEM.sub("_", name).lstrip(".")
    return stem or "worked-example"


def output_stem(spec: Spec) -> str:
    """What a worked example's files are named: the spec file's stem, else its name:, else worked-example."""
    return safe_stem(spec.stem or spec.name)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_all(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file of one run: all to temporary files first, then each renamed into place."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DeriveError(f"cannot create output folder {folder}: {err.strerror}") from None
    staged: list[tuple[str, Path]] = []
    mode = 0o666 & ~_umask()
    try:
        for name, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.chmod(tmp, mode)  # mkstemp makes 0600; give the usual permissions
            staged.append((tmp, folder / name))
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as err:
        raise DeriveError(f"cannot write to {folder}: {err.strerror}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [target for _, target in staged]


def write_new(path: Path, content: bytes, force: bool = False) -> Path:
    """One file written atomically; an existing file is kept (OutputExists) unless force replaces it."""
    if path.is_dir():
        raise OutputExists(f"{path} is a folder; name a file to write")
    if path.exists() and not force:
        raise OutputExists(f"{path} already exists; name another file, or --force to overwrite it")
    return write_all(path.parent, {path.name: content})[0]


def write_folder(folder: Path, files: dict[str, bytes], ours: Callable[[str], bool], force: bool = False) -> list[Path]:
    """A folder holding one output whole (an exam): staged beside it, then swapped in, so two never mix.

    files maps paths relative to the folder to their bytes. A folder that holds files is refused
    unless force; force replaces only a folder whose every file is one of ours (an earlier output).
    """
    _check_replaceable(folder, ours, force)
    parent = folder.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=parent))
    except OSError as err:
        raise DeriveError(f"cannot create output folder {folder}: {err.strerror}") from None
    old = staging.with_suffix(".old")
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700
        mode = 0o666 & ~_umask()
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            os.chmod(target, mode)
        if folder.exists():
            os.replace(folder, old)
        os.replace(staging, folder)
    except OSError as err:
        raise DeriveError(f"cannot write to {folder}: {err.strerror}") from None
    finally:
        for leftover in (staging, old):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
    return [folder / name for name in files]


def _check_replaceable(folder: Path, ours: Callable[[str], bool], force: bool) -> None:
    """OutputExists unless the folder is new, empty, or (with force) holds only files of an earlier output."""
    if folder.exists() and not folder.is_dir():
        raise OutputExists(f"{folder} is a file, not a folder")
    held = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()) \
        if folder.is_dir() else []
    if not held:
        return
    if not force:
        raise OutputExists(f"{folder} already holds files ({held[0]}{', ...' if len(held) > 1 else ''}); "
                           f"choose a new or empty folder, or --force to replace the earlier output in it")
    foreign = [name for name in held if not ours(name)]
    if foreign:
        raise OutputExists(f"{folder / foreign[0]} is not a file derive writes there; --force replaces only a "
                           f"folder of derive's own files: move it, or choose another folder")
    here = Path.cwd().resolve()
    if folder.resolve() in (here, *here.parents):
        raise OutputExists(f"--force cannot replace {folder}, the current folder or one above it; "
                           f"choose another folder with -o")
