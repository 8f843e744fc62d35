"""A spec from whatever a script or notebook has: a path, YAML or JSON text, a mapping, a built-in example's name.

The rule for a string: it is spec text when it spans lines or is one {...} mapping (YAML's flow
style or JSON); otherwise it names a file, or, where no such file exists and it is a bare name
(letters, digits, - and _ only), a built-in example.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..core.spec import Spec
from ..errors import SpecError
from .examples import canonical_name, example_text
from .validate import DEFAULT_MAX_PARAMETERS, parse_spec, spec_from_data

_BARE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def read_text(path: str | Path) -> str:
    """A spec file's text, or a one-line SpecError naming the file."""
    if not str(path).strip():
        raise SpecError("no spec file given: the path is empty")
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SpecError(f"{path}: is a folder, not a spec file") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise SpecError(f"{path}: cannot read: {err.strerror}") from None


def is_spec_text(source: str) -> bool:
    """True when a string is spec text rather than a path or a name: it spans lines or is one {...} mapping."""
    return "\n" in source or source.lstrip().startswith("{")


def spec_source(name: str) -> tuple[str, str, str]:
    """(text, source for messages, stem for output files) of a spec file's path or a built-in example's name."""
    if not name.strip():
        raise SpecError("no spec file given: the path is empty")
    path = Path(name)
    if path.exists() or not _BARE_NAME.fullmatch(name):
        if ": " in name and not path.exists():
            raise SpecError(f"{name}: no such file (spec text spans lines or is one {{...}} mapping)")
        return read_text(path), name, path.stem
    try:
        canonical = canonical_name(name)
    except SpecError as unknown:
        near = [f"{name}{suffix}" for suffix in (".yaml", ".yml", ".json") if Path(f"{name}{suffix}").exists()]
        hint = f" (did you mean the file {near[0]}?)" if near else ""
        raise SpecError(f"{unknown}{hint}") from None
    return example_text(canonical), f"example {name}", name


def load(source: str | Path | Mapping[str, Any] | Spec, max_parameters: int = DEFAULT_MAX_PARAMETERS) -> Spec:
    """The validated spec of a file path, YAML/JSON text, a parsed mapping, or a built-in example's name."""
    if isinstance(source, Spec):
        return source
    if isinstance(source, Mapping):
        return spec_from_data(dict(source), "spec", max_parameters=max_parameters)
    if isinstance(source, Path):
        text, label, stem = read_text(source), str(source), source.stem
    elif isinstance(source, str):
        if not source.strip():
            raise SpecError("empty spec: give a spec file's path, spec text or a built-in example's name")
        if is_spec_text(source):
            return parse_spec(source, "spec text", max_parameters)
        text, label, stem = spec_source(source)
    else:
        raise SpecError(f"cannot load a spec from {type(source).__name__}: give a path, text or a mapping")
    return replace(parse_spec(text, label, max_parameters), stem=stem)
