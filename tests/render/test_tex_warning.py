"""The warning sentence that names what the PDF cannot show."""
from __future__ import annotations

from derive.render.tex_text import unsettable_characters
from derive.render.tex_warning import unsettable_warning


def test_the_warning_names_the_characters_and_their_placeholder():
    assert unsettable_warning([]) is None
    assert unsettable_warning(["神"]) == "the PDF cannot show 神 (U+795E); it appears as [U+795E]"
    assert unsettable_warning(unsettable_characters("神 🙂")) == (
        "the PDF cannot show 神 (U+795E), 🙂 (U+1F642); they appear as their code points, such as [U+795E]")
    many = unsettable_warning(list("神经网络图层"))
    assert many.startswith("the PDF cannot show 神 (U+795E), 经 (U+7ECF), ") and "图 (U+56FE) and 1 more;" in many
    # a combining mark or a control character is named by its code point alone
    assert unsettable_warning(["\u20dd", "\u202e"]).startswith("the PDF cannot show U+20DD, U+202E;")
