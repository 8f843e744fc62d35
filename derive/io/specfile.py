"""Safe YAML/JSON reading that remembers the line of every field, for one-line error messages."""
from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..errors import SpecError

Path = tuple[Any, ...]


def field_name(path: Path) -> str:
    """Render a field path like ('layers', 1, 'weights') as layers[1].weights."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _record_lines(node: yaml.Node, path: Path, lines: dict[Path, int], seen: set[int],
                  texts: dict[Path, str] | None = None) -> None:
    """Walk the composed YAML tree, noting the 1-based line where each field starts (and each scalar's text)."""
    if id(node) in seen and not isinstance(node, yaml.ScalarNode):
        # an alias: refused, since it can make a spec refer to itself or grow exponentially
        raise _AliasFound(node.start_mark.line + 1)
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in keys:
                    # YAML would keep the last silently; a spec or an answer written twice is a slip
                    raise _DuplicateKey(key.start_mark.line + 1, field_name((*path, key.value)))
                keys.add(key.value)
                _record_lines(value, (*path, key.value), lines, seen, texts)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(item, (*path, i), lines, seen, texts)
    else:
        if node.style is None and len(node.value) > MAX_DIGITS and node.value.lstrip("+-").replace("_", "").isdigit():
            raise _TooLong(node.start_mark.line + 1, field_name(path), len(node.value))
        if texts is not None:
            texts[path] = node.value


# Python refuses to read a longer integer (sys.int_info.default_max_str_digits); no spec needs one
MAX_DIGITS = 4300


class _TooLong(Exception):
    def __init__(self, line: int, field: str, digits: int):
        self.line, self.field, self.digits = line, field, digits


class _DuplicateKey(Exception):
    def __init__(self, line: int, field: str):
        self.line = line
        self.field = field


class _AliasFound(Exception):
    def __init__(self, line: int):
        self.line = line


class _Loader(yaml.SafeLoader):
    """The safe loader, reading 1e-3 as a number as YAML 1.2 and JSON do (YAML 1.1 wants 1.0e-3)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def parse_document(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML (JSON is a subset) with the safe loader; return the data and a field->line map."""
    return _parse(text, source, None)


def parse_document_with_text(text: str, source: str) -> tuple[Any, dict[Path, int], dict[Path, str]]:
    """Like parse_document, plus each scalar's text as written by the same paths (none for JSON with tabs)."""
    texts: dict[Path, str] = {}
    data, lines = _parse(text, source, texts)
    return data, lines, texts


def _parse(text: str, source: str, texts: dict[Path, str] | None) -> tuple[Any, dict[Path, int]]:
    """The safe YAML parse (JSON as a fallback) shared by both readers; fills texts if one is given."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise SpecError(f"{source}: the file is empty")
        lines: dict[Path, int] = {}
        _record_lines(node, (), lines, set(), texts)
        data = loader.construct_document(node)
    except _DuplicateKey as dup:
        raise SpecError(f"{source}:{dup.line}: {dup.field}: written twice; keep one") from None
    except _TooLong as long:
        raise SpecError(f"{source}:{long.line}: {long.field}: a number of {long.digits} digits is too long to read; "
                        f"write it with at most {MAX_DIGITS} digits") from None
    except _AliasFound as found:
        raise SpecError(f"{source}:{found.line}: YAML aliases (*name) are not supported") from None
    except yaml.MarkedYAMLError as err:
        if text.lstrip().startswith(("{", "[")):
            if texts is not None:
                texts.clear()  # texts of a partial YAML parse would not match the JSON's paths
            try:
                return _parse_json(text, source)  # JSON may use tabs, which YAML refuses
            except SpecError:
                if not source.endswith((".yaml", ".yml")):
                    raise  # a .json file (or text) that is neither: its JSON error says more
        mark = err.problem_mark or err.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = (err.problem or err.context or "invalid YAML").strip()
        raise SpecError(f"{source}{line}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as err:
        raise SpecError(f"{source}: YAML error: {str(err).splitlines()[0]}") from None
    except RecursionError:
        raise SpecError(f"{source}: YAML nested too deeply") from None
    except ValueError as err:
        # the YAML constructors' own checks: an integer of over 4300 digits, a date like 2001-13-45
        raise SpecError(f"{source}: unreadable value: {str(err).split(';')[0].splitlines()[0][:120]}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _parse_json(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    """Parse strict JSON (no field lines are known then)."""
    try:
        return json.loads(text), {}
    except json.JSONDecodeError as err:
        raise SpecError(f"{source}:{err.lineno}: JSON syntax error: {err.msg}") from None
    except RecursionError:
        raise SpecError(f"{source}: JSON nested too deeply") from None


class Located:
    """Raises SpecErrors that name the file, the line and the field."""

    def __init__(self, source: str, lines: dict[Path, int]):
        self.source = source
        self.lines = lines

    def error(self, path: Path, message: str, kind: type[SpecError] = SpecError) -> SpecError:
        """A SpecError for the field at path, with its line or, if it is missing, its parent's."""
        line = self.line(path)
        where = f"{self.source}:{line}" if line else self.source
        return kind(f"{where}: {field_name(path)}: {message}")

    def line(self, path: Path) -> int | None:
        """The line of the field at path or, if it has none, of its nearest parent that has one."""
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return self.lines.get(probe) if probe else None
