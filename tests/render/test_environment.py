"""Rendered documents: approved golden files, escaping of user text, statements every document makes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.environment import escape_markdown
from derive.render.formats import build_files
from derive.render.tex_text import escape_tex
from derive.views.document import Options
from tests.conftest import MAZUR, example_spec

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = {"batch-full": ("batch.yaml", Options(detail="full")), "batch-layer": ("batch.yaml", Options(detail="layer")),
         "batch-summary": ("batch.yaml", Options(detail="summary", notation="numbered")),
         # each optimizer's rule and first step written out (tests/render/test_markdown_math.py checks them too)
         "momentum-layer": ("momentum.yaml", Options(detail="layer")),
         "adam-full": ("adam.yaml", Options(detail="full", notation="numbered")),
         "adamw-full": ("adamw.yaml", Options(detail="full")),
         # one bias shared by a layer's units beside a layer of per-unit biases, in a batch
         "shared-full": ("shared.yaml", Options(detail="full"))}


@pytest.mark.parametrize("case", sorted(CASES))
def test_document_matches_the_approved_golden_file(case):
    """Regenerate on purpose with DERIVE_UPDATE_GOLDEN=1 and review the diff."""
    source, options = CASES[case]
    spec = parse_spec((GOLDEN / source).read_text(), source)
    files = build_files(derive(spec), case, ("md",), options=options)
    text = files[f"{case}.md"].decode()
    golden = GOLDEN / f"{case}.md"
    if os.environ.get("DERIVE_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert golden.read_text() == text


def markdown(spec_text: str, **options) -> str:
    spec = parse_spec(spec_text, "x.yaml")
    return build_files(derive(spec), "x", ("md",), options=Options(**options))["x.md"].decode()


def test_every_document_states_the_simultaneous_update_and_the_checks():
    text = markdown(MAZUR)
    assert "simultaneous update" in text
    assert "## Appendix: cross-checks" in text and "| numpy backprop |" in text


def test_a_title_cannot_inject_html_or_markdown():
    text = markdown(MAZUR.replace("name: two-two-two", "name: \"<script>alert(1)</script> [x](javascript:y)\""))
    title = text.splitlines()[0]
    assert "<script>" not in text and "&lt;script&gt;" in title
    assert "[x](javascript" not in title


def test_escape_functions_make_special_characters_inert():
    assert escape_tex(r"\input{/etc/passwd} 50% $x$ a_b") == (
        r"\textbackslash{}input\{/\allowbreak{}etc/\allowbreak{}passwd\} 50\% \ensuremath{\$}x\ensuremath{\$} a\_b")
    assert escape_markdown("*a* <b>") == r"\*a\* &lt;b&gt;"


def test_seed_000_shows_the_softmax_simplification_and_the_posts_errors():
    spec = example_spec("relu-softmax-3-3-3-3")
    text = build_files(derive(spec, full_check_limit=40), "s", ("md",))["s.md"].decode()
    assert "because the targets sum to 1" in text
    assert r"= a^{(3)}_j \sum_k t_k" not in text and r"-t_j + a^{(3)}_j \sum_k t_k = a^{(3)}_j - t_j`$" in text
    assert "**differs**" in text and "z/Σz" in text
    # the hidden layer sums over all three units of the next layer
    assert r"\delta^{(3)}_{1} w^{(3)}_{11} + \delta^{(3)}_{2} w^{(3)}_{21} + \delta^{(3)}_{3} w^{(3)}_{31}" in text


def test_a_batch_is_shown_as_the_mean_over_examples():
    text = (GOLDEN / "batch-full.md").read_text()
    assert r"L = \frac{1}{2} \sum_{n=1}^{2} \ell^{[n]}" in text
    assert r"\frac{1}{2}\left(" in text


def test_a_template_cache_that_cannot_be_written_is_skipped(tmp_path):
    import jinja2

    from derive.render.environment import TemplateCache
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=TemplateCache(str(blocked)))
    assert env.get_template("t").render() == "2"
