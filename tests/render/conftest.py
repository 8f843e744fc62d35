"""What the tests of rendered documents share: node with MathJax, or a skip (no node) or a failure (not installed)."""
from __future__ import annotations

import pytest

from node_tools import JS, node


@pytest.fixture(scope="module")
def nodejs():
    if node() is None:
        pytest.skip("node is not installed (scripts/setup.sh installs nodejs and tests/js)")
    if not (JS / "node_modules" / "mathjax-full").is_dir():
        pytest.fail("tests/js is not installed: run `npm ci --prefix tests/js` (scripts/setup.sh does)")
