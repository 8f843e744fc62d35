"""A quoted published value keeps the digits it was written with; a bare YAML number keeps its shortest form."""
from __future__ import annotations

import pytest

from derive.errors import SpecError
from derive.io.validate import parse_spec
from derive.pipeline import derive
from tests.conftest import MAZUR


def published(value: str) -> str:
    # out_h1 of the classic post is 0.593269992... (Mazur 2015)
    return MAZUR + f"published:\n  - quantity: layers[0].a[0][0]\n    value: {value}\n    source: post\n"


def verdict(value: str) -> bool:
    return derive(parse_spec(published(value), "p.yaml")).document()["published"][0]["agrees"]


def test_a_quoted_value_is_compared_at_its_written_decimals():
    assert verdict('"0.5933"') is True       # 0.59327 rounds to 0.5933
    assert verdict('"0.5930"') is False      # four decimals: 0.59327 is not 0.5930
    assert verdict("0.5930") is True         # YAML reads 0.593: three decimals, and 0.59327 rounds to it
    assert verdict('"0.59327"') is True


def test_the_document_shows_a_quoted_value_with_its_trailing_zero():
    row = derive(parse_spec(published('"0.5930"'), "p.yaml")).document()["published"][0]
    assert row["published"] == "0.5930"


@pytest.mark.parametrize("value", ['"0.59x"', '"nan"', '""'])
def test_a_quoted_value_that_is_not_a_number_is_refused_in_one_line(value):
    with pytest.raises(SpecError, match=r"published\[0\]\.value: expected a number"):
        parse_spec(published(value), "p.yaml")
