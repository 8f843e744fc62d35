"""The TeX tools the PDF tests need, and numbers as the documents print them."""
from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from derive.views.formatting import plain

# In CI (CI=true) TeX Live is installed by .ci/run, so these never skip there: a missing engine fails.
needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None and not os.environ.get("CI"),
                               reason="pdflatex is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                                     reason="pdftotext is not installed")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text of a PDF, composed (NFC), with the math minus sign read as a hyphen."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8")).replace("\u2212", "-")


def shown(x: float) -> str | None:
    """x as the document prints it (6 significant figures), or None if printed with a power of ten."""
    text = plain(x, 6)
    return None if "e" in text else text
