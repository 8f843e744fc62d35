"""PDF from LaTeX: pdflatex in a temporary folder, without shell escape, with a time limit."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import TexError

# The last three set user text in other scripts: Cyrillic (T2A), Greek (LGR) and T1's accented Latin.
DEBIAN_PACKAGES = ("texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-cyrillic "
                   "texlive-lang-greek cm-super-minimal")
ENGINE = "pdflatex"
JOB = "worked_example"
FLAGS = ("-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error")


class TexMissing(TexError):
    """Raised when no TeX engine, or no LaTeX package the article needs, is installed.

    files: what the other formats of the same run made (render.registry.build fills it in).
    """

    files: dict[str, bytes] = {}


def find_engine() -> str:
    """The pdflatex executable, or TexMissing naming the Debian packages to install."""
    engine = shutil.which(ENGINE)
    if engine is None:
        raise TexMissing(f"no TeX engine found: install the Debian packages {DEBIAN_PACKAGES} "
                         f"(apt-get install {DEBIAN_PACKAGES})")
    return engine


def _tex_environment() -> dict[str, str]:
    """pdflatex's environment: paranoid file access, a fixed date, and unwrapped log lines."""
    env = dict(os.environ)
    env.update(openin_any="p", openout_any="p", SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1",
               max_print_line="10000")
    return env


def _context(tex: str, line: int) -> str:
    """The generated .tex lines around `line`, squeezed onto one short line."""
    lines = tex.splitlines()
    near = [" ".join(text.split()) for text in lines[max(0, line - 2):line + 1]]
    joined = " | ".join(text for text in near if text)
    return joined if len(joined) <= 200 else joined[:197] + "..."


def _error_line(text: str) -> tuple[str, list[str]] | None:
    """TeX's "! message" line in a log or on the terminal, and the lines from there on."""
    lines = text.splitlines()
    bang = next((i for i, line in enumerate(lines) if line.startswith("!")), None)
    return None if bang is None else (lines[bang], lines[bang:])


def _longest_line(tex: str) -> str:
    """Which line of the source is the longest, for an error about TeX's line buffer."""
    lengths = [len(line) for line in tex.splitlines()] or [0]
    longest = max(range(len(lengths)), key=lengths.__getitem__)
    return f" (line {longest + 1} of the source is {lengths[longest]:,} characters long)"


def _failure(log: str, tex: str, stderr: str = "") -> TexError:
    """The one-line error for a failed run: TeX's "!" message, its line l.N as TeX read it, and the source there.

    Fatal errors (a line longer than TeX's buffer) reach only the terminal's standard error, not
    the log, so that is read when the log has no "!" line.
    """
    found = _error_line(log) or _error_line(stderr)
    if found is None:
        return TexError("LaTeX failed without an error message; no PDF was produced")
    bang, lines = found
    message = " ".join(bang.split())
    # a package, an encoding's definitions (t2aenc.def) or a font's metrics
    missing = re.search(r"[Ff]ile `([^']+\.(?:sty|cls|def|fd))' not found|Metric \(TFM\) file not found", message)
    if missing:
        return TexMissing(f"LaTeX failed: {message} Install the Debian packages {DEBIAN_PACKAGES} "
                          f"(apt-get install {DEBIAN_PACKAGES})")
    if "buf_size" in message or "bufsize" in message:
        return TexError(f"LaTeX failed: {message}{_longest_line(tex)}")
    where = next(((int(m.group(1)), m.group(2)) for text in lines if (m := re.match(r"l\.(\d+) ?(.*)", text))),
                 None)
    if where is None:
        return TexError(f"LaTeX failed: {message}")
    number, read = where
    read = read if len(read) <= 80 else "..." + read[-77:]  # TeX shows the line up to where it stopped
    return TexError(f"LaTeX failed: {message} at line {number} (TeX stopped after: {read.strip()}): "
                    f"{_context(tex, number)}")


def compile_pdf_with_log(tex: str, timeout: float = 60, files: dict[str, bytes] | None = None) -> tuple[bytes, str]:
    """The PDF of a LaTeX document and pdflatex's log, from one pdflatex pass; files are put beside it.

    One pass is enough because the article asks nothing of a second: it has no \\ref, \\pageref,
    table of contents or hyperref; its longtables have fixed-width columns, so they need no widths
    from an .aux file; and the picture is measured and scaled within the same pass.
    """
    engine = find_engine()
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as folder:
        work = Path(folder)
        (work / f"{JOB}.tex").write_text(tex, encoding="utf-8")
        for name, content in (files or {}).items():
            (work / name).write_bytes(content)
        try:
            run = subprocess.run([engine, *FLAGS, f"{JOB}.tex"], cwd=work, env=_tex_environment(),
                                 stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise TexError(f"LaTeX took longer than {timeout:g} s and was stopped") from None
        except OSError as err:
            raise TexError(f"cannot run {engine}: {err.strerror}") from None
        log_file = work / f"{JOB}.log"
        log = log_file.read_text(encoding="latin-1") if log_file.exists() else run.stdout.decode("latin-1")
        pdf = work / f"{JOB}.pdf"
        if run.returncode != 0 or not pdf.exists():
            raise _failure(log, tex, run.stderr.decode("latin-1"))
        return pdf.read_bytes(), log


def compile_pdf(tex: str, timeout: float = 60, files: dict[str, bytes] | None = None) -> bytes:
    """The PDF of a LaTeX document; TexError (one line) if it fails, TexMissing if TeX is absent."""
    return compile_pdf_with_log(tex, timeout, files)[0]


def overfull_boxes(log: str) -> list[float]:
    """How far, in points, each overfull \\hbox (too wide) or \\vbox (too high) in a log overflows."""
    return [float(m.group(1)) for m in re.finditer(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too", log, re.MULTILINE)]
