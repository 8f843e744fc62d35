"""moodle.xml and qti.zip parse, and every question carries its answer and tolerance; small answers are scaled."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from derive.exam.generate import make_exam
from derive.exam.portable import portable
from derive.exam.questions import DEFAULT_KINDS
from derive.io.load import load
from derive.pipeline import derive
from derive.render.exam_documents import embedded_markdown
from derive.render.exam_files import ExamJob, exam_files
from derive.views.document import Options

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def _files(exam, formats=("moodle", "qti", "md")):
    examples = [derive(v.spec, full_check_limit=0) for v in exam.variants]
    job = ExamJob(exam, examples, Options(notation="layer"), "derive exam seed-001")
    return exam_files(job, formats)


@pytest.fixture(scope="module")
def drawn():
    return make_exam(load("seed-001"), 4, 9, DEFAULT_KINDS)


@pytest.fixture(scope="module")
def tiny(drawn):
    """The exam with one answer made small, as an update near zero can be: 4.2e-5 within 1e-5."""
    v = drawn.variants[1]
    q = replace(v.questions[2], value=4.2e-5, tolerance=1e-5)
    v = replace(v, questions=v.questions[:2] + (q,) + v.questions[3:])
    return replace(drawn, variants=(drawn.variants[0], v) + drawn.variants[2:])


def test_moodle_xml_has_a_category_and_a_numerical_question_with_tolerance_per_answer(drawn):
    quiz = ET.fromstring(_files(drawn)["moodle.xml"])
    assert quiz.tag == "quiz"
    categories = quiz.findall("question[@type='category']")
    assert [c.findtext("category/text") for c in categories][0].startswith("$course$/top/")
    questions = quiz.findall("question[@type='numerical']")
    assert len(questions) == sum(len(v.questions) for v in drawn.variants)
    keys = [(q.value, q.tolerance) for v in drawn.variants for q in v.questions]
    for item, (value, tolerance) in zip(questions, keys):
        assert item.findtext("name/text") and item.find("questiontext").get("format") == "html"
        assert "Compute" in item.findtext("questiontext/text")
        answer = item.find("answer")
        assert answer.get("fraction") == "100"
        assert float(answer.findtext("text")) == pytest.approx(value, rel=1e-11)
        assert float(answer.findtext("tolerance")) == tolerance > 0


def test_qti_package_has_a_manifest_and_every_item_its_answer_and_margin(drawn):
    archive = zipfile.ZipFile(io.BytesIO(_files(drawn)["qti.zip"]))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    hrefs = [r.get("href") for r in manifest.iter(f"{CP}resource")]
    assert all(r.get("type") == "imsqti_xmlv1p2" for r in manifest.iter(f"{CP}resource"))
    assert sorted(hrefs) == sorted(n for n in archive.namelist() if n != "imsmanifest.xml")
    keys = iter([(q.value, q.tolerance) for v in drawn.variants for q in v.questions])
    count = 0
    for href in hrefs:
        root = ET.fromstring(archive.read(href))
        for item in root.iter(f"{QTI}item"):
            value, tolerance = next(keys)
            fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")}
            assert fields["question_type"] == "numerical_question"
            exact = item.find(f".//{QTI}varequal")
            assert float(exact.text) == pytest.approx(value, rel=1e-11)
            assert float(exact.get("margin")) == pytest.approx(tolerance)
            low, high = float(item.findtext(f".//{QTI}vargte")), float(item.findtext(f".//{QTI}varlte"))
            assert low == pytest.approx(value - tolerance) and high == pytest.approx(value + tolerance)
            assert item.find(f".//{QTI}setvar").text == "100"
            count += 1
    assert count == sum(len(v.questions) for v in drawn.variants)


def test_an_answer_below_what_learning_systems_keep_is_asked_times_a_power_of_ten(tiny):
    files = _files(tiny, ("moodle", "qti"))
    quiz = ET.fromstring(files["moodle.xml"])
    item = quiz.findall("question[@type='numerical']")[len(tiny.variants[0].questions) + 2]
    assert float(item.findtext("answer/text")) == pytest.approx(4.2)
    assert float(item.findtext("answer/tolerance")) == pytest.approx(1.0)
    assert r"times \(10^{5}\)" in item.findtext("questiontext/text")
    archive = zipfile.ZipFile(io.BytesIO(files["qti.zip"]))
    root = ET.fromstring(archive.read("v02.xml"))
    item = list(root.iter(f"{QTI}item"))[2]
    assert float(item.findtext(f".//{QTI}vargte")) == pytest.approx(3.2)
    assert r"10^{5}" in item.findtext(f".//{QTI}mattext")
    # every bound Canvas stores is clear of the 1e-4 it would turn into 0
    for name in archive.namelist()[1:]:
        for bound in ET.fromstring(archive.read(name)).iter(f"{QTI}vargte"):
            assert abs(float(bound.text)) >= 1e-4


@pytest.mark.parametrize("value, tolerance, power", [(0.59, 1e-4, 0), (-0.0123, 1e-4, 0), (0.0011, 2e-4, 3),
                                                      (-4.2e-5, 1e-5, 5)])
def test_portable_scales_only_answers_whose_interval_comes_near_zero(value, tolerance, power):
    asked = portable(value, tolerance)
    assert asked.power == power
    assert asked.value == pytest.approx(value * 10 ** power) and asked.tolerance == pytest.approx(tolerance * 10 ** power)


def test_the_answer_key_embeds_each_worked_solution_with_its_own_picture(drawn):
    files = _files(drawn, ("md",))
    answers = files["answers.md"].decode()
    for v in drawn.variants:
        assert f"[picture-{v.id}]: figures/{v.id}.svg" in answers
        assert f"figures/{v.id}.svg" in files
    assert not re.search(r"^# .*\n(?:.*\n)*^# ", answers, re.MULTILINE)  # one top-level heading
    questions = files["questions.md"].decode()
    assert "answer" not in questions.split("## Variant")[1].lower()


def test_embedded_markdown_lowers_headings_outside_code_only():
    text = "# Title\n\n```math\n# not a heading\n```\n## Part\n![p][picture] [see](#part)\n\n[picture]: a.svg\n"
    out = embedded_markdown(text, "v03", copy=2)
    assert out.splitlines()[0] == "### Title" and "# not a heading" in out and "#### Part" in out
    assert "[picture-v03]: a.svg" in out and "![p][picture-v03]" in out
    assert "[see](#part-2)" in out  # GitHub's anchor of the third heading "Part"
    assert "[see](#part)" in embedded_markdown(text, "v01")


def _cli_exam(tmp_path, *args):
    from click.testing import CliRunner

    from derive.cli import main
    out = tmp_path / "exam"
    result = CliRunner().invoke(main, ["exam", *args, "--format", "json,moodle,qti", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _qti_items(out):
    archive = zipfile.ZipFile(io.BytesIO((out / "qti.zip").read_bytes()))
    return [item for name in archive.namelist() if name != "imsmanifest.xml"
            for item in ET.fromstring(archive.read(name)).iter(f"{QTI}item")]


@pytest.mark.parametrize("rounding", [["--decimals", "4"], ["--decimals", "5"], ["--decimals", "6"],
                                      ["--significant", "4"], ["--significant", "6"]])
def test_canvas_rounding_a_typed_answer_to_4_decimals_keeps_every_right_answer_within_its_margin(tmp_path, rounding):
    out = _cli_exam(tmp_path, "--layers", "2,2,2", "--activations", "sigmoid", "--loss", "half_sse",
                    "--questions", "forward,loss,gradient,update", "--variants", "12", "--seed", "5", *rounding)
    key = {f"{a['variant']}-q{a['question']}": a for a in json.loads((out / "answers.json").read_text())}
    items = _qti_items(out)
    assert len(items) == len(key)
    for item in items:
        a = key[item.get("ident")]
        text = item.findtext(f".//{QTI}mattext")
        found = re.search(r"times \\\(10\^\{(\d+)\}\\\)", text)
        power = int(found.group(1)) if found else 0
        exact = item.find(f".//{QTI}varequal")
        value, margin = float(exact.text), float(exact.get("margin"))
        assert value == pytest.approx(a["value"] * 10 ** power, rel=1e-9)
        # a right answer typed as asked: written to the asked digits, in the asked scale ...
        typed = Decimal(a["rounded"]).scaleb(power)
        # ... which Canvas rounds to 4 decimals before marking it
        for answer in (typed, Decimal(repr(a["value"])).scaleb(power)):
            canvas = float(answer.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN))
            assert abs(canvas - value) <= margin, (item.get("ident"), str(answer), canvas, value, margin)
        low, high = float(item.findtext(f".//{QTI}vargte")), float(item.findtext(f".//{QTI}varlte"))
        assert abs(low) >= 1e-4 and abs(high) >= 1e-4 or low < 0 < high


def test_canvas_items_are_titled_as_moodle_names_them_and_carry_their_points(tmp_path):
    out = _cli_exam(tmp_path, "seed-001", "--variants", "3", "--points", "gradient=2.5,update=3")
    items = _qti_items(out)
    titles = [item.get("title") for item in items]
    quiz = ET.fromstring((out / "moodle.xml").read_bytes())
    questions = quiz.findall("question[@type='numerical']")
    assert titles == [q.findtext("name/text") for q in questions]
    assert len(set(titles)) == len(titles) == 15 and titles[0].startswith("v01 Q1: ")
    key = json.loads((out / "answers.json").read_text())
    worth = [{"gradient": 2.5, "update": 3.0}.get(a["kind"], 1.0) for a in key]
    assert [a["points"] for a in key] == worth
    assert [float(q.findtext("defaultgrade")) for q in questions] == worth
    for item, points in zip(items, worth):
        fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")}
        assert float(fields["points_possible"]) == points
    readme = (out / "README.md").read_text()
    assert "worth 10 points: question 1 1, question 2 1, question 3 2.5" in " ".join(readme.split())


@pytest.mark.parametrize("points, message", [
    ("gradient", "--points: expected KIND=POINTS"),
    ("delta=2", "--points: 'delta' is not an asked question kind"),
    ("gradient=two", "--points: gradient='two': expected a number of points"),
    ("gradient=0", "--points: gradient=0: expected points above 0"),
    ("gradient=nan", "expected points above 0"),
])
def test_bad_points_are_one_line_naming_the_option(tmp_path, points, message):
    from click.testing import CliRunner

    from derive.cli import main
    result = CliRunner().invoke(main, ["exam", "seed-001", "--points", points, "-o", str(tmp_path / "e")])
    assert result.exit_code == 2 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "e").exists()


def test_what_students_see_in_moodle_and_canvas_names_the_variant_but_not_its_seed(tmp_path):
    out = _cli_exam(tmp_path, "seed-001", "--variants", "2", "--seed", "4")
    quiz = ET.fromstring((out / "moodle.xml").read_bytes())
    texts = [q.findtext("questiontext/text") for q in quiz.findall("question[@type='numerical']")]
    texts += [m.text for item in _qti_items(out) for m in item.iter(f"{QTI}mattext")]
    assert texts and all("variant v0" in t for t in texts)
    # the seed regenerates the key: it belongs in the teacher's README, not before a student
    assert not [t for t in texts if "seed" in t.lower()]
    assert "| v01 | 4 |" in (out / "README.md").read_text()
