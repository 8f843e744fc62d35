"""Numbers shown to significant figures, as LaTeX and as plain text."""
from __future__ import annotations

from typing import Any

import mpmath


def plain(x: Any, digits: int) -> str:
    """x to `digits` significant figures; scientific only below 1e-5 or from 1e7 on, never 0.0000.

    A rounded value keeps its trailing zeros (0.269800), so every number shows its precision; a
    value that the shown digits hold exactly (0.3775, 1) is shown as it is, without them.
    """
    value = mpmath.mpf(x)
    if not value:
        return "0"
    text = mpmath.nstr(value, digits, min_fixed=-5, max_fixed=7, strip_zeros=False)
    mantissa, _, exponent = text.partition("e")
    if mantissa.endswith("0") and "." in mantissa and mpmath.almosteq(mpmath.mpf(text), value, rel_eps=1e-14, abs_eps=0):
        mantissa = mantissa.rstrip("0")  # exact: the digits need no trailing zeros
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    mantissa = mantissa.rstrip(".")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def tex(x: Any, digits: int) -> str:
    """x as LaTeX: 0.000438568, or 1.23457 \\times 10^{-7}."""
    mantissa, _, exponent = plain(x, digits).partition("e")
    return rf"{mantissa} \times 10^{{{exponent}}}" if exponent else mantissa


def as_factor(text: str) -> str:
    """A LaTeX number made safe as a factor in a product: negative numbers and powers of ten in parentheses."""
    return rf"\left({text}\right)" if text.startswith("-") or "times" in text else text


def factor(x: Any, digits: int) -> str:
    """x as a factor in a product."""
    return as_factor(tex(x, digits))


def given_plain(x: float | int) -> str:
    """A number from the spec as plain text, as the user wrote it: 0.15, 1e-07."""
    text = repr(x) if isinstance(x, float) else str(x)
    return text[:-2] if text.endswith(".0") else text


def given(x: float | int) -> str:
    """A number from the spec, as the user wrote it (Python's shortest repr)."""
    text = repr(x) if isinstance(x, float) else str(x)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text[:-2] if text.endswith(".0") else text
