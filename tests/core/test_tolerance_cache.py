"""The tolerance's cache of differentiated formula shapes stays bounded in a long session."""
from __future__ import annotations

import sympy as sp

from derive.core import tolerance


def test_the_cache_of_differentiated_shapes_stays_bounded(monkeypatch):
    monkeypatch.setattr(tolerance, "SHAPES_KEPT", 3)
    monkeypatch.setattr(tolerance, "_SHAPES", {})
    x = sp.Symbol("x")
    for k in range(1, 8):
        assert tolerance._derivatives(x ** k, [x]) == [k * x ** (k - 1)]
        assert len(tolerance._SHAPES) <= 3
