"""User text in other scripts: Greek, Cyrillic and accented Latin typeset; what no font has is reported and shown."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.environment import tex_fonts
from derive.render.latex import render_tex
from derive.render.pdf import compile_pdf_with_log
from derive.render.tex_text import CYRILLIC, GREEK, escape_tex, font_encodings, unsettable_characters
from tests.conftest import MAZUR

# In CI (CI=true) TeX Live is installed by .ci/run, so these never skip there: a missing engine fails.
needs_tex = pytest.mark.skipif((shutil.which("pdflatex") is None or shutil.which("pdftotext") is None)
                               and not os.environ.get("CI"), reason="pdflatex or pdftotext is not installed")
TITLE = "Réseau — Ελληνικά — Кириллица — Straße"
# one word each of Polish, Czech, Hungarian, Romanian, Turkish, Icelandic, Croatian, French, Swedish
LATIN = "Zażółć Příliš Árvíztűrő Ţară șî İğne Þórður Đurđa naïve Åström"
# The Latin letters of Latin-1 and Latin Extended-A that T1 cannot set either (Đ and ŋ it can).
NOT_LATIN_1_OR_EXTENDED_A = ["Ħ", "ħ", "ĸ", "Ŀ", "ŀ", "ŉ", "Ŧ", "ŧ"]
LATIN_LETTERS = "".join(chr(c) for c in range(0xC0, 0x250) if unicodedata.category(chr(c)).startswith("L"))
# every code point the escaper leaves to LaTeX's Greek and Cyrillic tables, and every Latin letter it claims
EVERY_LETTER = " ".join(["".join(sorted(GREEK)), "".join(sorted(CYRILLIC)),
                         "".join(ch for ch in LATIN_LETTERS if ch not in unsettable_characters(LATIN_LETTERS))])


def worked_pdf(name: str, notes: str = "none") -> tuple[str, bytes, str]:
    """The classic 2-2-2 network's article under a title (and notes): its LaTeX, PDF and pdflatex log."""
    def quote(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    spec = parse_spec(MAZUR.replace("name: two-two-two", f"name: {quote(name)}\nnotes: {quote(notes)}"), "net.yaml")
    tex = render_tex(derive(spec, full_check_limit=0).document())
    pdf, log = compile_pdf_with_log(tex)
    return tex, pdf, log


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text pdftotext reads from a PDF, as it reads it (not normalised)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@needs_tex
def test_a_greek_cyrillic_and_accented_title_is_typeset_and_reads_back_exactly(tmp_path):
    tex, pdf, log = worked_pdf(TITLE, LATIN)
    text = pdf_text(pdf, tmp_path)
    assert TITLE in text.splitlines()[0]
    assert "[U+" not in text
    # Each word reads back as typed, but for ș, which T1 builds from s and a comma, and Đ, which
    # shares Ð's glyph in T1 (the two look alike).
    assert all(word in text for word in LATIN.replace("Đ", "Ð").split() if word != "șî")
    assert not re.search(r"\.\d+pk>", log)  # Type 1 fonts only: no bitmaps
    assert r"\usepackage[T1,T2A,LGR,OT1]{fontenc}" in tex


@needs_tex
def test_chinese_and_emoji_show_as_their_code_points(tmp_path):
    _, pdf, _ = worked_pdf("神经网络 🙂 net")
    first = pdf_text(pdf, tmp_path).splitlines()[0]
    assert first == "[U+795E][U+7ECF][U+7F51][U+7EDC] [U+1F642] net"


@needs_tex
def test_every_letter_sent_to_t1_lgr_or_t2a_compiles(tmp_path):
    _, pdf, log = worked_pdf("every letter", EVERY_LETTER)
    text = unicodedata.normalize("NFC", pdf_text(pdf, tmp_path))
    assert not re.search(r"\.\d+pk>", log)
    for alphabet in ("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", "αβγδεζηθικλμνξοπρστυφχψω", "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
                     "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß"):
        assert all(ch in text for ch in alphabet), alphabet


def test_greek_cyrillic_and_accented_latin_are_settable():
    assert unsettable_characters(TITLE) == []
    assert unsettable_characters(LATIN) == []
    assert unsettable_characters("".join(sorted(GREEK | CYRILLIC))) == []
    assert unsettable_characters(LATIN_LETTERS[:LATIN_LETTERS.index("ƀ")]) == NOT_LATIN_1_OR_EXTENDED_A


def test_chinese_and_emoji_are_reported_once_each_in_order_of_appearance():
    found = unsettable_characters("神经 网络: 🙂, 神 ❤️ Кириллица")
    assert found == ["神", "经", "网", "络", "🙂", "❤", "\ufe0f"]  # the heart, then its emoji selector
    assert unsettable_characters("x ☃ x") == ["☃"]


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_reported_characters_are_exactly_those_shown_as_placeholders(text):
    shown = re.findall(r"\\texttt\{\[U\+([0-9A-F]{4,6})\]\}", escape_tex(text))
    assert [chr(int(code, 16)) for code in dict.fromkeys(shown)] == unsettable_characters(text)


def test_greek_words_are_text_and_a_lone_greek_symbol_stays_maths():
    assert escape_tex("Ελληνικά") == r"{\fontencoding{LGR}\selectfont Ελληνικά}"
    assert escape_tex("z/Σz") == r"z/\allowbreak{}\ensuremath{\Sigma}z"
    assert escape_tex("σ(z)") == r"\ensuremath{\sigma}(z)"
    # capitals shaped like Latin ones, and omicron, are Greek text (they were the wrong Latin letters)
    assert escape_tex("Ε ο") == r"{\fontencoding{LGR}\selectfont Ε} {\fontencoding{LGR}\selectfont ο}"


def test_a_latin_word_with_a_letter_ot1_lacks_is_set_wholly_in_t1():
    assert escape_tex("Réseau Straße") == r"{\fontencoding{T1}\selectfont R\'{e}seau} Stra\ss{}e"
    assert escape_tex("Re\u0301seau") == escape_tex("Réseau")  # decomposed input is composed first
    assert escape_tex("Þór") == r"{\fontencoding{T1}\selectfont \TH{}\'{o}r}"


def test_font_encodings_name_what_the_text_switches_to():
    assert font_encodings("plain ASCII, Σz, ∂L/∂w, Straße") == []
    assert font_encodings(TITLE) == ["T1", "T2A", "LGR"]
    assert font_encodings("Кириллица") == ["T2A"]
    assert tex_fonts({"a": ["x", ("Ελληνικά",)], "b": "é"}, {"c": 1}) == ["T1", "LGR"]
