"""User text made printable in LaTeX: specials escaped, Unicode mapped or set in its script's font, long words breakable."""
from __future__ import annotations

import re
import unicodedata
from itertools import groupby
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
# the symbol forms, whose shapes are TeX's other variants
_GREEK_SYMBOLS = {"ϑ": "vartheta", "ϕ": "phi", "ϖ": "varpi", "ϱ": "varrho", "ϵ": "epsilon"}


def _greek() -> dict[str, str]:
    """The Greek letters TeX's maths fonts have (not omicron, nor capitals shaped like Latin ones), as maths."""
    table = {ch: rf"\ensuremath{{\{name}}}" for ch, name in _GREEK_SYMBOLS.items()}
    for i, name in enumerate(_GREEK):
        if name != "omicron":
            table[chr(0x3B1 + i)] = rf"\ensuremath{{\{_GREEK_TEX.get(name, name)}}}"
        if name.capitalize() in _CAPITALS:
            table[chr(0x391 + i)] = rf"\ensuremath{{\{name.capitalize()}}}"
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
    "ø": r"\o{}", "Ø": r"\O{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}", "ȷ": r"\j{}", "å": r"\aa{}",
    "Å": r"\AA{}", "«": r"\ensuremath{\langle\langle}", "»": r"\ensuremath{\rangle\rangle}", "¿": "?`", "¡": "!`",
    "´": r"\'{}", "¨": r'\"{}', "¯": r"\={}",
}
UNICODE_TEX = {**_greek(), **_scripts(), **{ch: rf"\ensuremath{{{v}}}" for ch, v in _MATH.items()}, **_TEXT}
# Combining marks that NFD splits off accented letters, as the text accent that draws them.
ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
           "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0327": "c",
           "\u0328": "k", "\u0323": "d", "\u0331": "b", "\u0326": "textcommabelow"}
# Latin letters of T1 alone; ł and å, which OT1 builds from pieces (a PDF's text then loses them), go to T1 too.
T1_LETTERS = {"ð": r"\dh{}", "Ð": r"\DH{}", "þ": r"\th{}", "Þ": r"\TH{}", "đ": r"\dj{}", "Đ": r"\DJ{}",
              "ŋ": r"\ng{}", "Ŋ": r"\NG{}"}
T1_BUILT = {"ł", "Ł", "å", "Å"}


def _code_points(ranges: str) -> frozenset[str]:
    """The characters of hexadecimal code points and ranges ("0386 0388-038A")."""
    chars = set()
    for part in ranges.split():
        first, _, last = part.partition("-")
        chars.update(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars)


# What LaTeX's own tables (lgrenc.dfu, t2aenc.dfu) declare of the Greek and Cyrillic blocks: letters,
# accented letters, and Greek's spacing accents; these are written as they are, in their encoding. Not
# Greek's symbol forms (ϑ, ϕ, ϵ, ...): its fonts lack them, and the maths has most of them.
GREEK = _code_points("0384-038A 038C 038E-03A1 03A3-03CE 03D8-03DD 03DF-03E1 1F00-1F15 1F18-1F1D 1F20-1F45 "
                     "1F48-1F4D 1F50-1F57 1F59 1F5B 1F5D 1F5F-1F7D 1F80-1FB4 1FB6-1FC4 1FC6-1FD3 1FD6-1FDB "
                     "1FDD-1FEF 1FF2-1FF4 1FF6-1FFE")
CYRILLIC = _code_points("0400-045F 0490-0493 0496-049D 04A0-04A5 04AA-04AB 04AE-04B3 04B6-04BB 04C0-04C2 "
                        "04D0-04DF 04E2-04E9 04EC-04F5 04F8-04F9")
# Font encodings beyond the document's own OT1, in the order fontenc is given them.
ENCODINGS = ("T1", "T2A", "LGR")


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


def _char(ch: str) -> str | None:
    """One character of user text as TeX that prints it in OT1 or T1, or None if neither has it."""
    if ch in TEXT_SPECIAL:
        return TEXT_SPECIAL[ch]
    if ch.isascii():
        return ch if ch.isprintable() else " "
    if ch in UNICODE_TEX:
        return UNICODE_TEX[ch]
    if ch in T1_LETTERS:
        return T1_LETTERS[ch]
    accented = _accented(ch)
    if accented is not None:
        return accented
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible != ch and compatible.isascii() and compatible.isprintable():
        return "".join(_char(c) or "" for c in compatible)
    return None


def placeholder(ch: str) -> str:
    """What the PDF shows for a character no font here has: its code point, [U+795E]."""
    return f"[U+{ord(ch):04X}]"


def _script(ch: str) -> str | None:
    """Which run a character joins: LGR (Greek), T2A (Cyrillic), Latin (letters), or None."""
    if ch in GREEK:
        return "LGR"
    if ch in CYRILLIC:
        return "T2A"
    if ch.isascii() and ch.isalpha() or ch in T1_LETTERS or ch in UNICODE_TEX and ch.isalpha() or _accented(ch):
        return "Latin"
    return None


def _needs_t1(ch: str) -> bool:
    """Whether a Latin letter is one OT1 has no glyph for: T1 has it, or builds its accents."""
    return ch in T1_LETTERS or ch in T1_BUILT or _accented(ch) is not None


def _runs(word: str) -> list[tuple[str | None, str]]:
    """A word cut into runs, each with the font encoding that sets it (None: the document's OT1).

    A lone Greek letter that TeX's maths has stays a symbol (Σz, Δᵀ, σ′); Greek words are text. A
    Latin word with a letter OT1 lacks is set wholly in T1, so that no font changes inside it.
    """
    runs = []
    for script, chars in groupby(word, _script):
        text = "".join(chars)
        if script == "LGR" and not (len(text) == 1 and text in UNICODE_TEX) or script == "T2A":
            runs.append((script, text))
        else:
            runs.append(("T1" if script == "Latin" and any(map(_needs_t1, text)) else None, text))
    return runs


def _escaped(text: str, encoding: str | None) -> list[str]:
    """Each character of a run as TeX: Greek and Cyrillic as typed (LaTeX maps them), the rest as commands."""
    if encoding in ("LGR", "T2A"):
        return list(text)
    return [r"\texttt{%s}" % placeholder(c) if (tex := _char(c)) is None else tex for c in text]


def _word(word: str) -> str:
    """A word escaped, its runs in their encodings; very long ones may break every few characters."""
    out, i = [], 0
    for encoding, text in _runs(word):
        pieces = []
        for tex in _escaped(text, encoding):
            if i and i % WORD_CHUNK == 0 and len(word) > LONG_WORD:
                pieces.append(r"\penalty200{}")
            pieces.append(tex)
            i += 1
        run = "".join(pieces)
        out.append(run if encoding is None else rf"{{\fontencoding{{{encoding}}}\selectfont {run}}}")
    return "".join(out)


def _words(text: Any) -> list[str]:
    """User text composed (NFC: é one character, not e and an accent) and cut at white space, which is kept."""
    return [part for part in re.split(r"(\s+)", unicodedata.normalize("NFC", str(text))) if part]


def escape_tex(text: Any) -> str:
    """User text made inert in LaTeX and printable by pdflatex: specials escaped, Unicode mapped."""
    # Any run of white space, line breaks included, is one space: a blank line would end a paragraph.
    return "".join(" " if part.isspace() else _word(part) for part in _words(text))


def font_encodings(text: Any) -> list[str]:
    """The font encodings beyond OT1 that the escaped text switches to, in ENCODINGS order."""
    used = {encoding for part in _words(text) if not part.isspace() for encoding, _ in _runs(part)}
    return [encoding for encoding in ENCODINGS if encoding in used]


def unsettable_characters(text: Any) -> list[str]:
    """The distinct characters of a text that the PDF shows only as placeholder(ch), in order of first appearance."""
    # Greek and Cyrillic runs hold only letters their tables declare; the rest goes through _char
    runs = [run for part in _words(text) if not part.isspace()
            for encoding, run in _runs(part) if encoding not in ("LGR", "T2A")]
    return list(dict.fromkeys(ch for run in runs for ch in run if _char(ch) is None))
