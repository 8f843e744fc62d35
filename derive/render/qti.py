"""The exam as a QTI 1.2 package as Canvas imports it: a manifest and one assessment (quiz) per variant."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

from ..exam.portable import Portable
from .moodle import Html, item_name

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed date: the same exam gives the same bytes


def _field(parent: ET.Element, label: str, entry: str) -> None:
    node = ET.SubElement(parent, "qtimetadatafield")
    ET.SubElement(node, "fieldlabel").text = label
    ET.SubElement(node, "fieldentry").text = entry


def _number(x: float) -> str:
    return f"{x:.12g}"


def _item(parent: ET.Element, ident: str, title: str, text: str, asked: Portable, points: float) -> None:
    """A numerical_question worth its points: a decimal blank, full marks for the exact answer or one within its margin."""
    value, tolerance = asked.value, asked.tolerance
    item = ET.SubElement(parent, "item", ident=ident, title=title)
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    _field(meta, "question_type", "numerical_question")
    # Canvas's importer reads the item's worth from this field ("1.0" as Canvas writes it), 1 without it
    _field(meta, "points_possible", str(float(points)))
    presentation = ET.SubElement(item, "presentation")
    ET.SubElement(ET.SubElement(presentation, "material"), "mattext", texttype="text/html").text = text
    response = ET.SubElement(presentation, "response_str", ident="response1", rcardinality="Single")
    ET.SubElement(ET.SubElement(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    condition = ET.SubElement(processing, "respcondition", {"continue": "No"})
    either = ET.SubElement(ET.SubElement(condition, "conditionvar"), "or")
    # "exact answer with margin", as Canvas writes it: the value, and the bounds it precomputes
    ET.SubElement(either, "varequal", respident="response1", margintype="absolute",
                  margin=_number(tolerance)).text = _number(value)
    bounds = ET.SubElement(either, "and")
    ET.SubElement(bounds, "vargte", respident="response1").text = _number(value - tolerance)
    ET.SubElement(bounds, "varlte", respident="response1").text = _number(value + tolerance)
    ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"


def assessment(doc: dict[str, Any], v: dict[str, Any], pairs: list[Portable], html: Html) -> bytes:
    """One variant as a QTI 1.2 assessment: one section, one numerical item per question."""
    root = ET.Element("questestinterop", xmlns=QTI)
    test = ET.SubElement(root, "assessment", ident=f"exam-{v['id']}", title=f"{doc['title']}, variant {v['id']}")
    meta = ET.SubElement(ET.SubElement(test, "qtimetadata"), "qtimetadatafield")
    ET.SubElement(meta, "fieldlabel").text = "cc_maxattempts"
    ET.SubElement(meta, "fieldentry").text = "1"
    section = ET.SubElement(test, "section", ident="root_section")
    for q, asked in zip(v["questions"], pairs):
        # titled as Moodle names it, so a question bank tells the variants' items apart
        _item(section, f"{v['id']}-q{q['number']}", item_name(v, q), html(v, q), asked, q["points_value"])
    return _xml(root)


def manifest(doc: dict[str, Any], files: list[str]) -> bytes:
    """imsmanifest.xml naming every assessment file as a QTI 1.2 resource."""
    root = ET.Element("manifest", identifier="derive-exam", xmlns=CP)
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    for i, name in enumerate(files, 1):
        resource = ET.SubElement(resources, "resource", identifier=f"resource{i}", type="imsqti_xmlv1p2", href=name)
        ET.SubElement(resource, "file", href=name)
    return _xml(root)


def qti_zip(doc: dict[str, Any], answers: list[list[Portable]], html: Html) -> bytes:
    """The package: imsmanifest.xml and <variant>.xml for each variant, zipped with fixed dates."""
    parts = {f"{v['id']}.xml": assessment(doc, v, pairs, html) for v, pairs in zip(doc["variants"], answers)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {"imsmanifest.xml": manifest(doc, list(parts)), **parts}.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o644 << 16  # readable when unpacked
            archive.writestr(info, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"
