"""The exam as Moodle XML: a category per variant, one numerical question per asked number with its tolerance."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Callable

from ..exam.portable import Portable

Html = Callable[[dict[str, Any], dict[str, Any]], str]  # (variant, question) -> question text


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    """<tag attrs><text>text</text></tag>, the shape Moodle gives every text field."""
    node = ET.SubElement(parent, tag, attrs)
    ET.SubElement(node, "text").text = text
    return node


def _value(x: float) -> str:
    return f"{x:.12g}"


def item_name(v: dict[str, Any], q: dict[str, Any]) -> str:
    """A question's name in a question bank, telling the variants apart: "v01 Q1: a(2)_1"."""
    return f"{v['id']} Q{q['number']}: {q['plain']}"


def moodle_xml(doc: dict[str, Any], answers: list[list[Portable]], html: Html) -> bytes:
    """Moodle's question XML: <quiz>, a <question type="category"> per variant, then its numerical questions.

    answers[i][k] is variant i's question k as asked (a small answer times 10^k), worth the question's points.
    """
    quiz = ET.Element("quiz")
    for v, pairs in zip(doc["variants"], answers):
        category = ET.SubElement(quiz, "question", type="category")
        # a slash in the title would make a level of categories of its own
        _text(category, "category", f"$course$/top/{doc['title'].replace('/', '-')}/{v['id']}")
        for q, asked in zip(v["questions"], pairs):
            item = ET.SubElement(quiz, "question", type="numerical")
            _text(item, "name", item_name(v, q))
            _text(item, "questiontext", html(v, q), format="html")
            _text(item, "generalfeedback", "", format="html")
            ET.SubElement(item, "defaultgrade").text = q["points"]
            ET.SubElement(item, "penalty").text = "0"
            ET.SubElement(item, "hidden").text = "0"
            ET.SubElement(item, "idnumber").text = f"{v['id']}-q{q['number']}"
            answer = _text(item, "answer", _value(asked.value), fraction="100", format="moodle_auto_format")
            ET.SubElement(answer, "tolerance").text = _value(asked.tolerance)
            _text(answer, "feedback", "", format="html")
            ET.SubElement(item, "unitgradingtype").text = "0"
            ET.SubElement(item, "unitpenalty").text = "0"
            ET.SubElement(item, "showunits").text = "3"  # no units: the answer is a bare number
            ET.SubElement(item, "unitsleft").text = "0"
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode").encode() + b"\n"
