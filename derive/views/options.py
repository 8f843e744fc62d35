"""How a worked example is shown (digits, notation, detail, maths style), checked when it is made."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.symbol_names import STYLES
from ..errors import OptionError

DETAILS = ("full", "layer", "summary")
MATH_STYLES = ("github", "dollars")  # Markdown maths: ```math and $`...`$, or $$...$$ and $...$
DIGITS = range(2, 16)  # significant figures a document can show


@dataclass(frozen=True)
class Options:
    """How to show a worked example: significant digits, notation style, level of detail."""

    digits: int = 6
    notation: str = "layer"
    detail: str = "auto"
    math: str = "github"  # Markdown maths: github (```math, $`...`$) or dollars ($$...$$, $...$)
    with_code: bool = False  # a numpy listing of the same step, in its own section
    exercises: bool = False  # questions for the reader about this example, with their answers

    def __post_init__(self) -> None:
        # a bad option fails here, naming itself, rather than later inside a template
        if isinstance(self.digits, bool) or not isinstance(self.digits, int) or self.digits not in DIGITS:
            raise OptionError(f"Options: digits must be a whole number from {DIGITS[0]} to {DIGITS[-1]}, "
                              f"got {self.digits!r}")
        for name, valid in (("notation", STYLES), ("detail", ("auto",) + DETAILS), ("math", MATH_STYLES)):
            if getattr(self, name) not in valid:
                raise OptionError(f"Options: {name} must be one of {', '.join(valid)}; got {getattr(self, name)!r}")
        for name in ("with_code", "exercises"):
            if not isinstance(getattr(self, name), bool):
                raise OptionError(f"Options: {name} must be True or False, got {getattr(self, name)!r}")
