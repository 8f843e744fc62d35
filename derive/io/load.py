"""A spec from whatever a script or notebook has: a path, YAML or JSON text, a dict, a built-in example's name."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.spec import Spec
from ..errors import SpecError
from .examples import example_text, is_example
from .validate import DEFAULT_MAX_PARAMETERS, parse_spec, spec_from_data


def read_text(path: str | Path) -> str:
    """A spec file's text, or a one-line SpecError naming the file."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise SpecError(f"{path}: cannot read: {err.strerror}") from None


def load(source: str | Path | dict[str, Any] | Spec, max_parameters: int = DEFAULT_MAX_PARAMETERS) -> Spec:
    """The validated spec of a file path, YAML/JSON text, a parsed dict, or a built-in example's name."""
    if isinstance(source, Spec):
        return source
    if isinstance(source, dict):
        return spec_from_data(source, "spec", max_parameters=max_parameters)
    if isinstance(source, Path):
        return parse_spec(read_text(source), str(source), max_parameters)
    if not isinstance(source, str):
        raise SpecError(f"cannot load a spec from {type(source).__name__}: give a path, text or a dict")
    if "\n" not in source and ":" not in source:
        # one line without a colon is no spec text: a file, or a built-in example
        if is_example(source) and not Path(source).exists():
            return parse_spec(example_text(source), f"example {source}", max_parameters)
        return parse_spec(read_text(source), source, max_parameters)
    return parse_spec(source, "spec text", max_parameters)
