"""The node tools of tests/js run from Python: MathJax's verdict on TeX spans, markdown-it's on Markdown."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from markdown_math import Span

JS = Path(__file__).resolve().parent.parent / "js"


def node() -> str | None:
    """The node executable, or None."""
    return shutil.which("node")


def _run(script: str, payload) -> object:
    """One node process running tests/js/<script> on a JSON payload; its JSON answer."""
    out = subprocess.run([node(), str(JS / script)], input=json.dumps(payload), capture_output=True,
                         text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(f"tests/js/{script} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def typeset_errors(spans: list[Span]) -> list[tuple[Span, str]]:
    """Each span MathJax 3 cannot typeset, with MathJax's message; one node process for all of them."""
    errors = _run("typeset.mjs", [[sp.tex, sp.display] for sp in spans])
    return [(spans[e["index"]], e["message"]) for e in errors]


def commonmark_altered(documents: list[tuple[str, list[Span]]]) -> list[list[Span]]:
    """Per (text, spans), the spans whose TeX markdown-it's CommonMark does not leave intact: an oracle
    apart from markdown_math's rules; one node process for all the documents."""
    payload = [{"markdown": text, "spans": [[sp.form, sp.tex] for sp in spans]} for text, spans in documents]
    altered = _run("intact.mjs", payload)
    return [[spans[k] for k in ks] for (_, spans), ks in zip(documents, altered)]
