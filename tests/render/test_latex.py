"""Tests for the LaTeX article and its PDF: content, escaping, layout, errors and determinism."""
from __future__ import annotations

import json
import re
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.core.spec import Spec
from derive.errors import RenderError, TexError
from derive.io.examples import example_names, example_text
from derive.io.validate import parse_spec
from derive.oracles.checks import oracle_arguments
from derive.oracles.numpy_backprop import NumpyResult, backprop
from derive.pipeline import WorkedExample, derive
from derive.render.formats import build_files
from derive.render.latex import render_tex
from derive.render.pdf import (
    TexMissing,
    compile_pdf,
    compile_pdf_with_log,
    overfull_boxes,
)
from derive.render.tex_text import escape_tex
from derive.views.document import Options
from tests.conftest import MAZUR
from tests.tex import needs_pdftotext, needs_tex, pdf_text, shown

# the classic 2-2-2 spec with a hostile title and source and Unicode notes
MAZUR_YAML = MAZUR.replace("name: two-two-two", "name: {name}\nnotes: {notes}") + (
    "published:\n  - quantity: loss\n    value: 0.298371109\n    source: {source}\n")
HOSTILE_TITLE = r"\input{/etc/passwd} \write18{ls} } \catcode`\{=12 100% #1 & $x$ ~ ^ <a|b>"
HOSTILE_SOURCE = r"\input{/etc/shadow} 50% {#2} \def\x{y}"
UNICODE_NOTES = "Σ ∂ℓ/∂a = Δᵀ X ⊙ f′(z), naïve café ŷ x² ☃"


@cache
def worked(name: str) -> WorkedExample:
    """A built-in example worked through the whole pipeline."""
    spec = parse_spec(example_text(name), f"example {name}")
    return derive(spec, full_check_limit=40)


def document(name: str, detail: str = "auto") -> dict:
    """The view model of a built-in example at a level of detail."""
    example = worked(name)
    return example.document(Options(notation=example.spec.notation or "layer", detail=detail))


@cache
def compiled(name: str, detail: str = "auto") -> tuple[str, bytes, str]:
    """The article of a built-in example: its LaTeX source, PDF and pdflatex log."""
    tex = render_tex(document(name, detail))
    pdf, log = compile_pdf_with_log(tex)
    return tex, pdf, log


def oracle(spec: Spec) -> NumpyResult:
    """The independent float64 numpy backprop of the spec's network."""
    return backprop(**oracle_arguments(spec))


def first_shown(values: np.ndarray) -> str:
    """The first entry of an array that prints without a power of ten and is not zero."""
    for value in values.ravel():
        text = shown(float(value))
        if text is not None and text != "0":
            return text
    raise AssertionError("no entry prints as a plain number")


def wide_spec_text(widths: list[int]) -> str:
    """A deterministic spec of a wide network with varied, signed weights."""
    def value(*index: int) -> float:
        return round(((sum((i + 3) * (p + 7) for p, i in enumerate(index)) * 37) % 200 - 100) / 100, 3)

    layers = [{"units": widths[l], "activation": act,
               "weights": [[value(l, j, k) for k in range(widths[l - 1])] for j in range(widths[l])],
               "bias": [value(l, j, 99) / 2 for j in range(widths[l])]}
              for l, act in zip(range(1, len(widths)), ["relu", "tanh", "softmax"])]
    return json.dumps({"name": f"Wide {'-'.join(map(str, widths))}",
                       "inputs": [[value(0, k, 5) for k in range(widths[0])]],
                       "targets": [[1] + [0] * (widths[-1] - 1)], "layers": layers,
                       "loss": "cross_entropy", "learning_rate": 0.1})


@needs_tex
@needs_pdftotext
@pytest.mark.parametrize("name", example_names())
def test_every_example_compiles_without_overfull_boxes_and_prints_the_oracle_numbers(name, tmp_path):
    _, pdf, log = compiled(name)
    assert pdf.startswith(b"%PDF")
    assert all(box <= 1.0 for box in overfull_boxes(log)), overfull_boxes(log)
    assert "Rerun" not in log  # one pdflatex pass is enough
    assert not re.search(r"\.\d+pk>", log)  # no bitmap fonts: all Type 1, crisp and reproducible
    text = pdf_text(pdf, tmp_path)
    spec = worked(name).spec
    res = oracle(spec)
    assert shown(res.loss) in text
    for l, dW in enumerate(res.dW, start=1):
        assert first_shown(dW) in text, f"no gradient of layer {l}"
    w_new = spec.layers[-1].weights[0][0] - spec.learning_rate * res.dW[-1][0, 0]
    assert shown(w_new) in text


@needs_tex
@needs_pdftotext
def test_mazur_example_shows_the_published_loss_and_gradient(tmp_path):
    text = pdf_text(compiled("classic-2-2-2")[1], tmp_path)
    assert "0.298371" in text
    assert "0.082167" in text


@needs_tex
@pytest.mark.parametrize("detail", ["layer", "summary"])
def test_other_details_compile_without_overfull_boxes(detail):
    _, pdf, log = compiled("relu-batch-1-2-2", detail)
    assert pdf.startswith(b"%PDF")
    assert all(box <= 1.0 for box in overfull_boxes(log)), overfull_boxes(log)


def test_full_detail_shows_every_weight_and_layer_detail_only_deltas():
    full = render_tex(document("relu-softmax-3-3-3-3", "full"))
    layer = render_tex(document("relu-softmax-3-3-3-3", "layer"))
    weight_line = r"\derivation{\frac{\partial L}{\partial w^{(3)}_{11}}}"
    assert weight_line in full and weight_line not in layer
    assert r"\derivation{\delta^{(2)}_{1}}" in layer
    assert r"\derivation{z^{( 1 )}}" in layer


def test_summary_detail_leaves_out_every_per_layer_line():
    tex = render_tex(document("relu-softmax-3-3-3-3", "summary"))
    layer = render_tex(document("relu-softmax-3-3-3-3", "layer"))
    for line in (r"\derivation{z^{( 1 )}}", r"\derivation{a^{( 1 )}}", r"\derivation{\delta^{(3)}_{1}}",
                 r"\derivation{\frac{\partial L}{\partial a^{(2)}_{1}}}"):
        assert line in layer and line not in tex
    assert "leaves out the forward pass" in tex
    assert r"\begin{longtable}" in tex  # the tables are still there


@needs_tex
@needs_pdftotext
def test_wide_network_in_layer_detail_fits_the_page(tmp_path):
    spec = parse_spec(wide_spec_text([8, 16, 16, 4]), "wide.json")
    example = derive(spec, full_check_limit=40)
    tex = render_tex(example.document(Options(detail="layer")))
    pdf, log = compile_pdf_with_log(tex)
    assert all(box <= 1.0 for box in overfull_boxes(log)), overfull_boxes(log)
    # Too many weights to label: the picture has none, and the 16-column matrices are split tables.
    assert r"font=\scriptsize] at" not in tex
    assert "columns 1--8 of 16" in tex
    res = oracle(spec)
    text = pdf_text(pdf, tmp_path)
    assert shown(res.loss) in text
    assert first_shown(res.dW[1]) in text


@needs_tex
@needs_pdftotext
def test_a_network_of_over_3000_parameters_compiles_with_every_line_short(tmp_path):
    spec = parse_spec(wide_spec_text([30, 50, 30, 4]), "large.json")
    assert spec.n_parameters == 30 * 50 + 50 + 50 * 30 + 30 + 30 * 4 + 4 == 3204
    tex = render_tex(derive(spec, full_check_limit=0).document())
    # the picture alone was one line of about 250,000 characters, beyond TeX's buffer of 200,000
    assert max(len(line) for line in tex.splitlines()) < 5000
    pdf, _ = compile_pdf_with_log(tex, timeout=120)
    text = pdf_text(pdf, tmp_path)
    assert shown(oracle(spec).loss) in text


@needs_tex
def test_a_line_beyond_the_tex_buffer_is_reported_with_tex_s_own_message():
    # one word of 250,000 letters: no space to break at, so the line stays as it is
    tex = "\\documentclass{article}\n\\begin{document}\n" + "x" * 250_000 + "\n\\end{document}\n"
    with pytest.raises(TexError) as err:
        compile_pdf(tex)
    message = str(err.value)
    assert "\n" not in message and "without an error message" not in message
    assert "! Unable to read an entire line---bufsize=200000." in message
    assert "line 3 of the source is 250,000 characters long" in message


def hostile_example() -> WorkedExample:
    """The Mazur network with TeX commands and Unicode in every user-written string."""
    def quote(text: str) -> str:
        """A YAML single-quoted scalar: backslashes stay literal."""
        return "'" + text.replace("'", "''") + "'"

    text = MAZUR_YAML.format(name=quote(HOSTILE_TITLE), notes=quote(UNICODE_NOTES), source=quote(HOSTILE_SOURCE))
    return derive(parse_spec(text, "hostile.yaml"), full_check_limit=40)


@needs_tex
@needs_pdftotext
def test_tex_commands_in_user_text_are_printed_not_run(tmp_path):
    tex = render_tex(hostile_example().document())
    assert r"\input{/etc" not in tex and r"\write18" not in tex and r"\catcode" not in tex
    text = pdf_text(compile_pdf(tex), tmp_path)
    for literal in (r"\input{/etc/passwd}", r"\write18{ls}", r"\catcode", "100% #1 & $x$", "<a|b>",
                    r"\input{/etc/shadow} 50% {#2}"):
        assert literal in text


@needs_tex
@needs_pdftotext
def test_unicode_in_notes_compiles_and_keeps_its_symbols(tmp_path):
    pdf, log = compile_pdf_with_log(render_tex(hostile_example().document()))
    assert not re.search(r"\.\d+pk>", log)
    text = pdf_text(pdf, tmp_path)
    for symbol in ("Σ", "∂", "ℓ", "⊙", "café", "[U+2603]"):
        assert symbol in text


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_escaped_text_is_ascii_with_balanced_braces(text):
    escaped = escape_tex(text)
    # Greek and Cyrillic letters are written as they are, inside their encoding's group only
    assert re.sub(r"\\fontencoding\{(?:LGR|T2A)\}\\selectfont (?:[^{}\\]|\\penalty200\{\})*\}", "}", escaped).isascii()
    unescaped = re.sub(r"\\[{}]", "", escaped)
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert not re.search(r"(?<!\\)[%#&$]", escaped)


@needs_tex
def test_tex_error_is_one_line_with_the_message_and_the_source_line():
    tex = "\\documentclass{article}\n\\begin{document}\nHello\n\\undefinedmacro{x}\nWorld\n\\end{document}\n"
    with pytest.raises(TexError) as err:
        compile_pdf(tex)
    message = str(err.value)
    assert "\n" not in message
    assert "! Undefined control sequence." in message
    assert "at line 4" in message and r"\undefinedmacro{x}" in message
    assert r"(TeX stopped after: \undefinedmacro)" in message  # TeX's own l.4 line


@needs_tex
def test_a_broken_user_template_reports_the_tex_error(tmp_path):
    (tmp_path / "worked_example.tex.j2").write_text(
        "\\documentclass{article}\n\\begin{document}\n((( doc.summary.title|tex )))\n\\nosuchmacro\n\\end{document}\n")
    tex = render_tex(document("classic-2-2-2"), tmp_path)
    with pytest.raises(TexError, match=r"Undefined control sequence\. at line 4 \(TeX stopped after: \\nosuchmacro\): .*\\nosuchmacro"):
        compile_pdf(tex)


def test_a_template_syntax_error_is_a_render_error(tmp_path):
    (tmp_path / "worked_example.tex.j2").write_text("((* if *))\n")
    with pytest.raises(RenderError, match="template error"):
        render_tex(document("classic-2-2-2"), tmp_path)


@needs_tex
def test_a_missing_package_is_reported_as_missing_tex():
    tex = "\\documentclass{article}\n\\usepackage{nosuchpackagexyz}\n\\begin{document}\nx\n\\end{document}\n"
    with pytest.raises(TexMissing, match="nosuchpackagexyz.sty.*texlive-latex-recommended"):
        compile_pdf(tex)


@needs_tex
def test_a_missing_font_encoding_is_reported_as_missing_tex():
    tex = "\\documentclass{article}\n\\usepackage[XYZ]{fontenc}\n\\begin{document}\nx\n\\end{document}\n"
    with pytest.raises(TexMissing, match="xyzenc.def.*texlive-lang-cyrillic"):
        compile_pdf(tex)


def test_no_tex_engine_raises_tex_missing_naming_the_packages(monkeypatch):
    monkeypatch.setattr("derive.render.pdf.shutil.which", lambda name: None)
    with pytest.raises(TexMissing) as err:
        compile_pdf("\\documentclass{article}\\begin{document}x\\end{document}")
    assert isinstance(err.value, TexError)
    for package in ("texlive-latex-base", "texlive-latex-recommended", "texlive-pictures", "apt-get install"):
        assert package in str(err.value)


def test_an_empty_path_finds_no_tex_engine(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(TexMissing, match="no TeX engine found"):
        compile_pdf("\\documentclass{article}\\begin{document}x\\end{document}")


@needs_tex
def test_a_runaway_document_is_stopped_at_the_time_limit():
    tex = "\\documentclass{article}\n\\begin{document}\n\\loop\\iftrue\\repeat\n\\end{document}\n"
    with pytest.raises(TexError, match="longer than 1 s"):
        compile_pdf(tex, timeout=1)


@needs_tex
def test_compiling_the_same_source_twice_gives_identical_pdf_bytes():
    tex = compiled("sigmoid-bce-2-2-1")[0]
    assert compile_pdf(tex) == compile_pdf(tex)


@needs_tex
def test_shell_escape_is_off(tmp_path):
    marker = tmp_path / "ran"
    tex = ("\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{touch " + str(marker) + "}x\n"
           "\\end{document}\n")
    compile_pdf(tex)
    assert not marker.exists()


@needs_tex
def test_build_files_writes_tex_and_pdf_from_the_same_source():
    files = build_files(worked("sigmoid-cross-entropy-3-2"), "sigmoid-cross-entropy-3-2", ("tex", "pdf"))
    assert files["sigmoid-cross-entropy-3-2.tex"].startswith(b"\\documentclass")
    assert files["sigmoid-cross-entropy-3-2.pdf"].startswith(b"%PDF")


def test_overfull_boxes_reads_every_overfull_box_of_a_log():
    log = ("Overfull \\hbox (12.5pt too wide) in paragraph at lines 3--4\n"
           "Underfull \\hbox (badness 10000) in paragraph at lines 5--5\n"
           "Overfull \\vbox (3.0pt too high) has occurred while \\output is active\n")
    assert overfull_boxes(log) == [12.5, 3.0]


@needs_tex
def test_tex_cannot_read_files_outside_its_folder():
    tex = "\\documentclass{article}\n\\begin{document}\n\\input{/etc/hostname}\n\\end{document}\n"
    with pytest.raises(TexError):
        compile_pdf(tex)


def test_user_templates_are_sandboxed(tmp_path):
    (tmp_path / "worked_example.tex.j2").write_text("((( doc.__class__.__mro__[1].__subclasses__() )))")
    with pytest.raises(RenderError):
        render_tex(document("classic-2-2-2"), tmp_path)


@needs_tex
def test_a_failed_pdf_leaves_the_files_of_an_earlier_run_untouched(tmp_path):
    from click.testing import CliRunner

    from derive.cli import main

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["example", "classic-2-2-2", "-o", str(out), "--format", "md,tex,pdf"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "worked_example.tex.j2").write_text("\\documentclass{article}\\begin{document}\\undefinedcommand\\end{document}")
    result = CliRunner().invoke(main, ["example", "classic-2-2-2", "-o", str(out), "--format", "md,tex,pdf",
                                       "--template-dir", str(broken)])
    assert result.exit_code == 5 and "Undefined control sequence" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
