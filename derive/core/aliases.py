"""Hand-written names of quantities (w5, dE/dw5, out_o1, delta_h1) and the normal form they are compared in."""
from __future__ import annotations

import re

from .quantities import Quantity

# Unicode sub- and superscripts as typed or copied from the SVG pictures (a⁽²⁾₁, x₁), and the
# Greek letters students paste, mapped to the ASCII spelling the names are generated in.
_UNICODE = str.maketrans({**{chr(0x2080 + i): str(i) for i in range(10)},
                          **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
                          "⁽": "(", "⁾": ")", "₍": "(", "₎": ")", "∂": "d", "δ": r"\delta", "ℓ": r"\ell",
                          "⁺": "+"})
_WRAPPERS = re.compile(r"\\(?:text|mathrm|mathit|mathbf|operatorname|rm|it)\s*(?=\{)")
_SPACING = re.compile(r"\\(?:[,;:! ]|left\b|right\b|quad\b|qquad\b)")
_FRAC = re.compile(r"\\[dt]?frac\s*")
_DROPPED = re.compile(r"[\s\\{}^_*]")

# Who writes what for the loss in a derivative: the whole-batch loss L (E, E_total in the
# classic post) for a parameter's gradient, one example's loss l for the per-example chain.
_LOSS = ("L", "E", "E_total")
_EXAMPLE_LOSS = ("l", "E", "E_total")


def normalise(text: str) -> str:
    """The form names are compared in: no spacing, braces, backslashes, ^, _ or *; fractions as d../d.."""
    s = text.strip().translate(_UNICODE)
    s = s.replace(r"\partial", "d").replace(r"\ell", "l")
    s = _SPACING.sub("", _WRAPPERS.sub("", s))
    s = _DROPPED.sub("", _fractions(s))
    if "/" in s:  # the d of a derivative in either case: DL/Dw5
        s = re.sub(r"(^|/)D", r"\1d", s)
    return s


def _fractions(s: str) -> str:
    """Each \\frac{A}{B} as A/B, the innermost (rightmost) first so nested fractions unfold."""
    for match in reversed(list(_FRAC.finditer(s))):
        numerator = _group(s, match.end())
        denominator = _group(s, numerator[1]) if numerator else None
        if numerator and denominator:
            s = s[:match.start()] + numerator[0] + "/" + denominator[0] + s[denominator[1]:]
    return s


def _group(s: str, start: int) -> tuple[str, int] | None:
    """The argument of a command at start, a braced group or one character, and where it ends."""
    i = len(s) - len(s[start:].lstrip())
    if i >= len(s):
        return None
    if s[i] != "{":
        return s[i], i + 1
    depth = 0
    for end in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[end], 0)
        if depth == 0:
            return s[i + 1:end], end + 1
    return None


def parameter_aliases(role: str, symbols: list[str], batch: int) -> list[str]:
    """Names of a weight or bias (role given), its gradient or its update, from the plain forms of its symbol."""
    if role == "given":
        return list(symbols)
    if role == "gradient":
        losses = _LOSS + (("l",) if batch == 1 else ())  # one example: L and l are the same number
        return [f"d{e}/d{s}" for e in losses for s in symbols]
    return [f"{s}{tail}" for s in symbols for tail in ("_new", "+", "^new")] + [f"new_{s}" for s in symbols]


def quantity_aliases(q: Quantity, widths: list[int], batch: int) -> list[str]:
    """Hand-written names of a quantity other than a parameter; the same in every notation."""
    l, j = q.layer, q.unit
    classic = len(widths) == 3  # one hidden layer: the classic post's names h1, o1 apply
    losses = _EXAMPLE_LOSS + (("L",) if batch == 1 else ())
    if q.kind == "x":
        return [f"a^(0)_{j}"] + ([f"i{j}"] if classic else [])
    if q.kind == "t":
        return [f"target_o{j}"] if classic else []
    if q.kind in ("z", "a"):
        return symbols(q.kind, l, j, classic)
    if q.kind == "delta":
        derivatives = [f"d{e}/d{z}" for e in losses for z in symbols("z", l, j, classic)]
        return symbols("delta", l, j, classic) + derivatives
    if q.kind == "dl_da":
        return [f"d{e}/d{a}" for e in losses for a in symbols("a", l, j, classic)]
    if q.kind == "da_dz":
        return [f"d{a}/d{z}" for a, z in zip(symbols("a", l, j, classic), symbols("z", l, q.input or j, classic))]
    if q.kind == "loss":
        return ["E", "E_total", "loss"]
    return []


def symbols(letter: str, l: int, j: int, classic: bool) -> list[str]:
    """The plain forms of a per-unit symbol: a^(2)_1, a2_1, a_1^(2), and out_o1 in the classic post."""
    forms = [f"{letter}^({l})_{j}", f"{letter}{l}_{j}", f"{letter}_{j}^({l})"]
    if classic:
        role = "h" if l == 1 else "o"
        forms.append({"z": f"net_{role}{j}", "a": f"out_{role}{j}", "delta": f"delta_{role}{j}"}[letter])
    return forms
