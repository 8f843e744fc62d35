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


def test_a_step_whose_shown_numbers_divide_by_zero_is_marked_approximate_not_a_crash():
    # sigma(60) = 1 - 8.8e-27 is shown as 1, so 1/(a (1 - a)) of the shown numbers divides by zero
    from derive import derive as work
    from derive import parse_spec
    example = work(parse_spec("inputs: [[1.0, 1.0]]\ntargets: [[1.0]]\nloss: binary_cross_entropy\n"
                              "learning_rate: 0.1\nlayers:\n  - {units: 1, activation: sigmoid, weights: [[30, 30]]}\n",
                              "saturated.yaml"))
    text = example.markdown()
    assert r"= \frac{1 - 1}{1 \cdot \left(1 - 1\right)} \approx -1" in text
    assert r"\approx 8.75651 \times 10^{-27}" in text


def test_a_value_far_below_float_range_is_rounded_for_the_relations_without_fixed_point_digits():
    # sigma(-39527 * 0.15 + ...) is about e^-5900: 4,300 digits in fixed point, which Python will not read
    import mpmath
    from derive.views.shown import rounded
    with mpmath.workdps(40):
        tiny = mpmath.exp(-10000)
        assert rounded(tiny, 6) == mpmath.mpf(mpmath.nstr(tiny, 6))
        assert rounded(mpmath.mpf("0.00043856749"), 6) == mpmath.mpf("0.000438567")
