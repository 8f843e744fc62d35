"""Many LaTeX documents compiled at once across the cores, then joined into one PDF."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from .pdf import compile_pdf, find_engine


def compile_all(sources: list[str], progress: Callable[[int], None] | None = None) -> list[bytes]:
    """Each LaTeX source compiled by its own pdflatex, as many at a time as there are cores.

    progress(k) is called as each finishes, with how many have; the first failure is raised.
    """
    find_engine()
    workers = max(1, min(len(sources), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each thread waits on its own pdflatex
        futures = [pool.submit(compile_pdf, tex) for tex in sources]
        for done, future in enumerate(futures, 1):
            future.result()
            if progress:
                progress(done)
        return [f.result() for f in futures]


def join_pdfs(pdfs: list[bytes], timeout: float = 120) -> bytes:
    """The PDFs' pages one after another in one PDF (pdfpages, one pdflatex pass)."""
    if len(pdfs) == 1:
        return pdfs[0]
    parts = {f"part{i}.pdf": pdf for i, pdf in enumerate(pdfs)}
    pages = "\n".join(rf"\includepdf[pages=-]{{{name}}}" for name in parts)
    tex = ("\\documentclass{article}\n\\usepackage{pdfpages}\n\\ifdefined\\pdftrailerid \\pdftrailerid{}\\fi\n"
           f"\\begin{{document}}\n{pages}\n\\end{{document}}\n")
    return compile_pdf(tex, timeout, parts)
