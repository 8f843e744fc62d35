#!/usr/bin/env bash
# Install everything derive and its tests need: TeX Live and node (Debian/Ubuntu packages), MathJax for
# node (tests/js), and a virtual environment .venv with derive, pytest, hypothesis and PyTorch (the tests'
# extra oracle).
set -euo pipefail
cd "$(dirname "$0")/.."

# texlive-lang-cyrillic, texlive-lang-greek and cm-super-minimal set user text in Cyrillic (T2A), Greek
# (LGR) and accented Latin (T1): about 140 MB installed, most of it the Greek package's Type 1 fonts.
TEX_PACKAGES="texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-cyrillic texlive-lang-greek cm-super-minimal poppler-utils"
missing=""
command -v pdflatex >/dev/null && command -v pdftotext >/dev/null || missing="$TEX_PACKAGES"
# A TeX Live from before those three were needed lacks their files: install the list again.
for file in t2aenc.def lgrenc.def type1ec.sty; do
    [ -n "$missing" ] || kpsewhich "$file" >/dev/null || missing="$TEX_PACKAGES"
done
# node runs MathJax 3 (tests/js) for the test that typesets the Markdown documents' maths.
command -v node >/dev/null || missing="$missing nodejs"
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
    else
        echo "setup: no apt-get here; install a TeX Live with pdflatex, amsmath, booktabs, tikz, cyrillic," >&2
        echo "setup: greek-fontenc, cbfonts and cm-super," >&2
        echo "setup: poppler's pdftotext and node with npm by hand (e.g. MacTeX or 'tlmgr'), then run this again" >&2
        exit 1
    fi
fi
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,torch]"
