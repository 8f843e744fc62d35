"""Every maths span of the gallery typesets in MathJax 3, GitHub's engine, and none holds what GitHub's Markdown alters."""
from __future__ import annotations

from pathlib import Path

import pytest

from markdown_math import rewrite, scan
from node_tools import commonmark_altered, typeset_errors

ROOT = Path(__file__).resolve().parent.parent.parent
DOCUMENTS = sorted(ROOT.glob("reports/*.md")) + sorted(ROOT.glob("tests/golden/*.md"))
# Reasons GitHub's dollar finder has that CommonMark (and so markdown-it) does not.
GITHUB_ONLY = ("which GitHub does not render",)


@pytest.fixture(scope="module")
def mathjax_errors(nodejs) -> dict[Path, list[str]]:
    """MathJax's errors in every document of the gallery, typeset in one node process."""
    spans = {path: scan(path.read_text())[0] for path in DOCUMENTS}
    found: dict[Path, list[str]] = {path: [] for path in DOCUMENTS}
    owner = {id(sp): path for path in DOCUMENTS for sp in spans[path]}
    for sp, message in typeset_errors([sp for path in DOCUMENTS for sp in spans[path]]):
        found[owner[id(sp)]].append(f"{owner[id(sp)].name}:{sp.line}: {message}: {sp.tex[:80]}")
    return found


@pytest.fixture(scope="module")
def written_both_ways(nodejs) -> dict[tuple[Path, str], tuple[str, list, list, list]]:
    """Each document rewritten in bare dollars and in GitHub's forms: text, spans, changes, and the spans
    markdown-it alters (one node process)."""
    texts = {(path, form): rewrite(path.read_text(), form) for path in DOCUMENTS for form in ("dollars", "github")}
    scanned = {key: scan(text) for key, text in texts.items()}
    altered = commonmark_altered([(texts[key], scanned[key][0]) for key in texts])
    return {key: (texts[key], *scanned[key], spans) for key, spans in zip(texts, altered)}


def _whats(text: str) -> list[str]:
    return [change.what for change in scan(text)[1]]


def test_the_gallery_is_there():
    assert len(DOCUMENTS) >= 8 and all(scan(p.read_text())[0] for p in DOCUMENTS)


def test_bare_dollar_maths_loses_its_backslash_escapes_and_githubs_forms_keep_them():
    assert _whats("a $a\\,b$ c") == ["backslash escapes \\, -> ,"]
    assert _whats("$$\n\\{ a \\\\ b \\}\n$$") == ["backslash escapes \\\\ -> \\ \\{ -> { \\} -> }"]
    assert _whats("a $`a\\,b`$ c") == []
    assert _whats("```math\na\\,b\n```") == []
    assert _whats("```math\n\\begin{aligned} a &= b \\\\\n&= c \\end{aligned}\n```") == []
    assert _whats("`$a\\,b$` is code") == [] and scan("`$a\\,b$` is code")[0] == []


def test_what_else_commonmark_does_to_bare_dollars():
    assert _whats("${a}_b c_{d}$") == ["_ could pair with another as emphasis"]
    assert _whats("$a_1 + b_2$") == []  # an intraword _ opens nothing
    assert _whats("$z^{(1)}_j$ and $w^{(1)}_{jk}$") == ["_ could pair with another as emphasis"] * 2
    assert _whats("$a * b * c$") == []  # * with a space after it cannot open
    assert _whats("$a^*b^*$") == ["* could pair with another as emphasis"]
    assert _whats("$a <b > c$") == ["<b reads as an HTML tag"]
    assert _whats("$[(a+b)c](d+e)$") == ["[…](…) reads as a link"]
    assert _whats("$a &amp; b$") == ["the entity &amp; is decoded"]
    assert _whats("($\\pi$)") == ["inline $…$ right after '(', which GitHub does not render"]
    assert _whats("$$\na\n+ b\n$$")[0].startswith("$$ is not closed within its paragraph")
    assert _whats("costs $5") == ["a lone $ (GitHub finds no maths here; escape it as \\$ if it is text)"]
    assert _whats("costs \\$5") == []


def test_githubs_forms_break_only_on_their_own_delimiters_and_table_pipes():
    assert _whats("$`a`b`$ c")[0].startswith("$` is not closed by `$")
    assert _whats("$``a`b``$") == [] and scan("$``a`b``$")[0][0].tex == "a`b"
    table = "| a | b |\n|---|---|\n| $`\\lvert x \\rvert`$ | $`|x|`$ |\n"
    assert _whats(table) == ["| splits the table cell"]
    assert _whats("$`a % note\nb`$") == ["% comments out the rest, the line break being a space in a code span"]


def test_spans_are_found_with_their_tex_form_and_line():
    text = "# T\n\nSee $`x_1`$ and $y$.\n\n```math\na \\\\\nb\n```\n\n  ```math\n  c\n  ```\n\n$$\nd\n$$\n"
    found = [(sp.tex, sp.display, sp.form, sp.line) for sp in scan(text)[0]]
    assert found == [("x_1", False, "backticks", 3), ("y", False, "dollar", 3), ("a \\\\\nb", True, "math block", 5),
                     ("c", True, "math block", 10), ("d", True, "dollars", 14)]
    assert all(text[sp.start:sp.end].endswith(("$", "```")) for sp in scan(text)[0])


def test_rewriting_to_githubs_forms_keeps_the_tex_and_removes_every_change():
    text = "A $a\\,b$ b.\n\n$$\nx \\\\ {}_i y_{j}\n$$\n"
    github = rewrite(text, "github")
    assert github == "A $`a\\,b`$ b.\n\n```math\nx \\\\ {}_i y_{j}\n```\n"
    assert _whats(github) == [] and rewrite(github, "dollars") == text


def test_mathjax_reports_undefined_macros_and_tex_errors(nodejs):
    spans = scan("$`\\fracc{1}{2}`$ $`\\frac{1`$ $`x^{2`$ $`\\frac{1}{2}`$\n\n"
                 "```math\n\\begin{aligned} a &= b \\\\\n&= c \\end{aligned}\n```\n\n$`a & b`$\n")[0]
    errors = {sp.tex: message for sp, message in typeset_errors(spans)}
    assert errors == {"\\fracc{1}{2}": "Undefined control sequence \\fracc", "\\frac{1": "Missing close brace",
                      "x^{2": "Extra open brace or missing close brace", "a & b": "Misplaced &"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_maths_span_typesets_in_mathjax(mathjax_errors, path):
    assert mathjax_errors[path] == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_maths_span_holds_what_githubs_markdown_alters(path):
    changes = scan(path.read_text())[1]
    assert [f"{path.name}:{ch.line}: {ch.form}: {ch.what}" for ch in changes] == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("form", ["dollars", "github"])
def test_the_rules_find_every_span_markdown_it_alters(written_both_ways, path, form):
    """markdown-it, a CommonMark parser apart from these rules, on the document written both ways."""
    text, spans, changes, altered_spans = written_both_ways[path, form]
    flagged = {ch.at for ch in changes}
    altered = {sp.start for sp in altered_spans}
    assert [sp.line for sp in spans if sp.start in altered and sp.start not in flagged] == []
    assert {ch.line: ch.what for ch in changes if ch.at not in altered and not ch.what.endswith(GITHUB_ONLY)} == {}
    if form == "github":
        assert altered == set() and changes == []


def test_markdown_it_alters_the_spans_the_rules_flag_and_no_other(nodejs):
    text = ("| a | b |\n|---|---|\n| $x_1$ | $`|y|`$ |\n\nSee $a\\,b$, $`a\\,b`$, ${a}_b c_{d}$, $a_1 b_2$, "
            "$a <b > c$ and $p &amp; q$.\n\n$$\nW = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}\n$$\n\n"
            "```math\nW = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}\n```\n")
    spans, changes = scan(text)
    [altered] = commonmark_altered([(text, spans)])
    assert [sp.tex for sp in altered] == ["|y|", "a\\,b", "{a}_b c_{d}", "a <b > c", "p &amp; q",
                                          "W = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}"]
    assert {ch.at for ch in changes} == {sp.start for sp in altered}


def test_feedback_documents_use_githubs_forms_and_typeset(nodejs, tmp_path):
    """The checker's feedback Markdown too: a wrong answer worked right, every span safe and typeset."""
    from click.testing import CliRunner

    from derive.cli import main
    answers = tmp_path / "answers.yaml"
    answers.write_text("loss: 0.298371\nlayers:\n  2:\n    delta: [[0.1385, -0.038]]\n    dW: [[0.0822, 0.0827], [-0.0226, -0.0227]]\n"
                       "  1:\n    delta: [[0.0091, 0.00995]]\n")
    result = CliRunner().invoke(main, ["check", "classic-2-2-2", str(answers), "-o", str(tmp_path), "--format", "md"])
    assert result.exit_code == 1, result.output  # a wrong number: exit 1, and its feedback written
    text = (tmp_path / "answers-feedback.md").read_text()
    spans, changes = scan(text)
    assert len(spans) > 20 and changes == []
    assert {sp.form for sp in spans} <= {"math block", "backticks"}  # never bare dollars
    assert typeset_errors(spans) == []


def test_exam_documents_use_githubs_forms_and_typeset(nodejs, tmp_path):
    """The exam's question sheets and answer keys (with each variant's worked solution) too."""
    from click.testing import CliRunner

    from derive.cli import main
    result = CliRunner().invoke(main, ["exam", "classic-2-2-2", "--variants", "2", "--seed", "3",
                                       "-o", str(tmp_path), "--format", "md"])
    assert result.exit_code == 0, result.output
    for name in ("questions.md", "answers.md"):
        spans, changes = scan((tmp_path / name).read_text())
        assert len(spans) > 20 and changes == [], name
        assert {sp.form for sp in spans} <= {"math block", "backticks"}, name
        assert typeset_errors(spans) == [], name
