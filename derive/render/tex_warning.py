"""The sentence that warns which characters of user text the PDF cannot show."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..core.spec import Spec
from .tex_text import placeholder, unsettable_characters

# A whole title in Chinese would name every character: the first few say enough.
NAMED = 5


def _named(ch: str) -> str:
    """A character with its code point, 神 (U+795E); only the code point where printing it would mislead."""
    code = f"U+{ord(ch):04X}"
    # a combining mark would sit on the bracket, a control character could reorder the terminal's line
    if not ch.isprintable() or unicodedata.category(ch).startswith("M"):
        return code
    return f"{ch} ({code})"


def unsettable_warning(chars: Sequence[str], named: int = NAMED) -> str | None:
    """The warning about characters the PDF cannot show (from unsettable_characters), or None if there are none.

    "the PDF cannot show 神 (U+795E), 🙂 (U+1F642); they appear as their code points, such as [U+795E]"
    """
    if not chars:
        return None
    names = ", ".join(_named(ch) for ch in chars[:named])
    if len(chars) > named:
        names += f" and {len(chars) - named} more"
    if len(chars) == 1:
        return f"the PDF cannot show {names}; it appears as {placeholder(chars[0])}"
    return f"the PDF cannot show {names}; they appear as their code points, such as {placeholder(chars[0])}"


def spec_tex_warning(spec: Spec) -> str | None:
    """The warning for the user text of a spec (its name, notes, published sources) that a PDF cannot show."""
    texts = [spec.name, spec.notes, *(claim.source for claim in spec.published)]
    return unsettable_warning(unsettable_characters(" ".join(texts)))
