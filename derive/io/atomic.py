"""Output files: safe names inside the output folder, written atomically, all or nothing."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..errors import DeriveError

SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(name: str) -> str:
    """A file stem that cannot leave the output folder: no separators, no leading dots."""
    stem = SAFE_STEM.sub("_", name).lstrip(".")
    return stem or "worked-example"


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
