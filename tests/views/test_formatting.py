"""Numbers shown to significant figures, never as a misleading zero."""
from __future__ import annotations

import pytest

from derive.views.formatting import factor, given, plain, tex


@pytest.mark.parametrize("value, digits, expected", [
    ("0.000438567734", 6, "0.000438568"),
    ("0.298371108760003", 6, "0.298371"),
    ("-0.0380982", 3, "-0.0381"),
    ("0.0000123456", 3, "1.23e-5"),
    ("123456.7", 6, "123457"),
    ("12345678", 3, "1.23e7"),
    ("0.5", 6, "0.5"),
    ("0", 6, "0"),
])
def test_significant_figures(value, digits, expected):
    assert plain(value, digits) == expected


def test_tiny_values_use_powers_of_ten_not_zeros():
    assert tex("1.5e-9", 3) == r"1.5 \times 10^{-9}"
    assert factor("-2e-8", 2) == r"\left(-2 \times 10^{-8}\right)"


def test_given_numbers_are_shown_as_written():
    assert given(0.35) == "0.35" and given(2.0) == "2" and given(-1) == "-1"
    assert given(1e-9) == r"1 \times 10^{-9}"
