"""The built-in examples, one per seed post, shipped as spec files inside the package."""
from __future__ import annotations

from importlib import resources

from ..errors import SpecError


def example_names() -> list[str]:
    """Names of the built-in examples, sorted."""
    folder = resources.files("derive") / "examples"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def example_text(name: str) -> str:
    """The spec text of a built-in example, or a SpecError listing the valid names."""
    if name not in example_names():
        raise SpecError(f"unknown example {name!r}; valid: {', '.join(example_names())}")
    return (resources.files("derive") / "examples" / f"{name}.yaml").read_text(encoding="utf-8")
