"""User text made printable in LaTeX: special characters escaped, Unicode mapped, long words breakable."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
               "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%"}

# Words longer than this get break points, so a URL or identifier cannot push past the margin.
LONG_WORD = 20
WORD_CHUNK = 12

# OT1 (the default font encoding, whose fonts every TeX has) prints < > | " as other glyphs, and
# turns -- ``  '' into dashes and quotes: user text must show exactly what was typed. Nothing here
# may come from the TS1 (textcomp) fonts, not even \$: TeX Live has them only as bitmaps.
TEXT_SPECIAL = {**TEX_SPECIAL, "$": r"\ensuremath{\$}", "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
                '"': r"{\ttfamily\char34}", "-": "-{}", "`": r"{\ttfamily\char96}", "'": "'{}",
                "/": r"/\allowbreak{}"}

_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
          "nu", "xi", "omicron", "pi", "rho", "finalsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
_GREEK_TEX = {"epsilon": "varepsilon", "phi": "varphi", "finalsigma": "varsigma"}
_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}


def _greek() -> dict[str, str]:
    """Greek letters: lower case as math symbols, capitals as math or as the Latin letter they look like."""
    table = {}
    for i, name in enumerate(_GREEK):
        lower, upper = chr(0x3B1 + i), chr(0x391 + i)
        table[lower] = "o" if name == "omicron" else rf"\ensuremath{{\{_GREEK_TEX.get(name, name)}}}"
        if name != "finalsigma":
            cap = name.capitalize()
            table[upper] = rf"\ensuremath{{\{cap}}}" if cap in _CAPITALS else unicodedata.name(upper)[-1]
    return table


def _scripts() -> dict[str, str]:
    """Unicode super- and subscript digits, signs and letters as math scripts."""
    sup = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni"))
    sub = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", "0123456789+-=()aeoxhklmnpstij"))
    table = {ch: rf"\ensuremath{{^{{{v}}}}}" for ch, v in sup.items()}
    table.update({ch: rf"\ensuremath{{_{{{v}}}}}" for ch, v in sub.items()})
    return table


_MATH = {
    "∂": r"\partial", "∑": r"\sum", "∏": r"\prod", "√": r"\surd", "∞": r"\infty", "≈": r"\approx",
    "≠": r"\neq", "≤": r"\leq", "≥": r"\geq", "±": r"\pm", "∓": r"\mp", "×": r"\times", "·": r"\cdot",
    "⋅": r"\cdot", "∙": r"\bullet", "÷": r"\div", "→": r"\rightarrow", "←": r"\leftarrow",
    "↔": r"\leftrightarrow", "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto", "∈": r"\in", "∉": r"\notin", "∇": r"\nabla", "⊙": r"\odot", "⊗": r"\otimes",
    "⊕": r"\oplus", "∘": r"\circ", "∗": r"\ast", "∀": r"\forall", "∃": r"\exists", "∅": r"\emptyset",
    "∩": r"\cap", "∪": r"\cup", "⊂": r"\subset", "⊆": r"\subseteq", "∧": r"\wedge", "∨": r"\vee",
    "¬": r"\neg", "∝": r"\propto", "∼": r"\sim", "≡": r"\equiv", "⟨": r"\langle", "⟩": r"\rangle",
    "‖": r"\|", "′": r"^{\prime}", "″": r"^{\prime\prime}", "ℓ": r"\ell",
    # Bold, not \mathbb: user templates need not load amssymb.
    "ℝ": r"\mathbf{R}", "ℕ": r"\mathbf{N}", "ℤ": r"\mathbf{Z}", "ℚ": r"\mathbf{Q}", "ℂ": r"\mathbf{C}", "°": r"^{\circ}",
    "µ": r"\mu", "∫": r"\int", "∆": r"\Delta", "−": "-", "ᵀ": r"^{\top}", "⊤": r"\top", "∣": r"\mid",
    "≪": r"\ll", "≫": r"\gg", "⋯": r"\cdots", "⋮": r"\vdots",
}
_TEXT = {
    "–": "--", "—": "---", "‘": "`", "’": "'", "‚": ",", "“": "``", "”": "''", "„": ",,", "…": r"\ldots{}",
    "•": r"\ensuremath{\bullet}", "©": "(c)", "®": "(R)", "§": r"\ensuremath{\S}", "¶": r"\ensuremath{\P}",
    "†": r"\ensuremath{\dagger}", "‡": r"\ensuremath{\ddagger}", "£": r"\ensuremath{\mathsterling}", "€": "EUR", "\u00ad": "",
    "\u200b": "", "\ufeff": "", "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "œ": r"\oe{}", "Œ": r"\OE{}",
    "ø": r"\o{}", "Ø": r"\O{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}", "å": r"\aa{}", "Å": r"\AA{}",
    "«": r"\ensuremath{\langle\langle}", "»": r"\ensuremath{\rangle\rangle}", "¿": "?`", "¡": "!`",
}
UNICODE_TEX = {**_greek(), **_scripts(), **{ch: rf"\ensuremath{{{v}}}" for ch, v in _MATH.items()}, **_TEXT}
# Combining marks that NFD splits off accented letters, as the text accent that draws them.
ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
           "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0327": "c",
           "\u0328": "k", "\u0323": "d", "\u0331": "b"}


def _accented(ch: str) -> str | None:
    """A Latin letter with accents as TeX accent commands (é as \\'{e}), else None."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii() or not base.isalpha() or any(m not in ACCENTS for m in marks):
        return None
    text = r"\i" if base == "i" else r"\j" if base == "j" else base
    for mark in marks:
        text = f"\\{ACCENTS[mark]}{{{text}}}"
    return text


def _char(ch: str) -> str:
    """One character of user text as TeX that prints it, whatever the font encoding offers."""
    if ch in TEXT_SPECIAL:
        return TEXT_SPECIAL[ch]
    if ch.isascii():
        return ch if ch.isprintable() else " "
    if ch in UNICODE_TEX:
        return UNICODE_TEX[ch]
    accented = _accented(ch)
    if accented is not None:
        return accented
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible != ch and compatible.isascii() and compatible.isprintable():
        return "".join(_char(c) for c in compatible)
    # Anything else would stop pdflatex ("not set up for use with LaTeX"): show its code point.
    return rf"\texttt{{[U+{ord(ch):04X}]}}"


def _word(word: str) -> str:
    """A word escaped; very long ones may break every few characters, never past the margin."""
    if len(word) <= LONG_WORD:
        return "".join(_char(c) for c in word)
    pieces = ["".join(_char(c) for c in word[i:i + WORD_CHUNK]) for i in range(0, len(word), WORD_CHUNK)]
    return r"\penalty200{}".join(pieces)


def escape_tex(text: Any) -> str:
    """User text made inert in LaTeX and printable by pdflatex: specials escaped, Unicode mapped."""
    # Any run of white space, line breaks included, is one space: a blank line would end a paragraph.
    return "".join(" " if part.isspace() else _word(part) for part in re.split(r"(\s+)", str(text)) if part)
