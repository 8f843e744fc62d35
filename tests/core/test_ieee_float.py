"""IEEEFloat: the float that the tolerance's local derivatives fall back to where one is infinite."""
from __future__ import annotations

import math

from derive.core.codegen import IEEEFloat


def test_division_by_zero_and_negative_powers_of_zero_give_infinities_as_ieee_754_does():
    zero = IEEEFloat(0.0)
    assert zero ** -0.5 == math.inf and 2.0 / zero == math.inf and -2.0 / zero == -math.inf
    assert math.isnan(zero / zero)
    # mixed with plain floats on either side, the result stays one and carries on
    x = 3.0 * (1.0 + IEEEFloat(2.0)) - 4.0
    assert isinstance(x, IEEEFloat) and x == 5.0 and (1.0 / (x - 5.0)) == math.inf
    assert -IEEEFloat(2.0) == -2.0 and 2.0 ** IEEEFloat(3.0) == 8.0

