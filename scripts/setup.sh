#!/usr/bin/env bash
# Install everything derive and its tests need: TeX Live (Debian/Ubuntu packages) and a virtual
# environment .venv with derive, pytest, hypothesis and PyTorch (the tests' extra oracle).
set -euo pipefail
cd "$(dirname "$0")/.."

TEX_PACKAGES="texlive-latex-base texlive-latex-recommended texlive-pictures poppler-utils"
if ! command -v pdflatex >/dev/null || ! command -v pdftotext >/dev/null; then
    if command -v apt-get >/dev/null; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $TEX_PACKAGES
    else
        echo "setup: no apt-get here; install a TeX Live with pdflatex, amsmath, booktabs, tikz and" >&2
        echo "setup: poppler's pdftotext by hand (e.g. MacTeX or 'tlmgr'), then run this again" >&2
        exit 1
    fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,torch]"
