"""Published numbers that differ, explained: from the source's own earlier wrong number, or by its rounding."""
from __future__ import annotations

import math

import derive
from tests.conftest import MAZUR


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def reasons(published: str):
    ex = derive.derive(MAZUR + "published:\n" + published)
    return ex.explanations(), ex


def test_a_number_worked_right_from_the_source_s_own_slip_names_the_slip():
    # the page slips in net_o1 (1.2000 for 1.105906) and then works out_o1 right from its own 1.2000
    a = sigmoid(1.2)
    found, ex = reasons(f"  - quantity: layers[1].z[0]\n    value: [\"1.2000\", \"1.2249\"]\n    source: page\n"
                        f"  - quantity: layers[1].a[0]\n    value: [\"{a:.6f}\", \"0.772928\"]\n    source: page\n")
    assert found[(1, 0)]["follows"] == [ex.quantity("z(2)_1", "layer")]
    assert not found[(1, 0)]["mistakes"] and not found[(0, 0)]["follows"]
    markdown = ex.markdown()
    assert "it follows from the published" in markdown and "worked on right from there" in markdown


def test_a_number_from_a_chain_rounded_to_two_decimals_says_so():
    # every intermediate rounded to 2 decimals, the output printed to 4 (worked apart here)
    h = [round(sigmoid(round(z, 2)), 2) for z in (0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35)]
    z_o1 = round(0.40 * h[0] + 0.45 * h[1] + 0.60, 2)
    a_o1 = sigmoid(z_o1)
    assert abs(a_o1 - 0.751365) > 5e-4  # it differs at the four decimals printed
    found, ex = reasons(f"  - quantity: layers[1].a[0][0]\n    value: \"{a_o1:.4f}\"\n    source: page\n")
    assert found[(0, 0)]["rounded"] == "2 decimals" and not found[(0, 0)]["mistakes"]
    assert "every intermediate rounded to 2 decimals gives" in ex.markdown()
