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


# Each part is an A4 document whose text ends at least 2.2 cm above the page's foot (the exam's
# margin; the worked example's is 2.5 cm) and whose own page number, if any, sits below that. The
# joined pages are cut off FOOT above the foot, so no part's own number shows, and numbered anew
# where the worked example numbers its pages: one count through the whole key.
FOOT = 2.0  # cm
JOIN = r"""\documentclass[a4paper]{article}
\usepackage[a4paper,bottom=2.5cm]{geometry}
\usepackage{pdfpages}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\begin{document}
%s
\end{document}
"""


def join_pdfs(pdfs: list[bytes], timeout: float = 120) -> bytes:
    """The PDFs' A4 pages one after another in one PDF, numbered through (pdfpages, one pdflatex pass)."""
    parts = {f"part{i}.pdf": pdf for i, pdf in enumerate(pdfs)}
    # trimmed at the foot, a page is centred FOOT/2 too low: the offset puts it back where it was
    pages = "\n".join(rf"\includepdf[pages=-, noautoscale, trim=0 {FOOT}cm 0 0, clip, offset=0 {FOOT / 2}cm, "
                      rf"pagecommand={{\thispagestyle{{plain}}}}]{{{name}}}" for name in parts)
    return compile_pdf(JOIN % pages, timeout, parts)
