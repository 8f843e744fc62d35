"""The view model has the keys its types declare, section by section, in every kind of document."""
from __future__ import annotations

import types
import typing

import pytest

from derive.io.examples import example_names
from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.views.model import Document
from tests.conftest import example_spec

SHARED_ADAM = """
inputs: [[0.5, -0.2], [0.1, 0.4]]
targets: [[0.2, 0.7], [0.9, 0.1]]
layers:
  - {units: 2, activation: leaky_relu, alpha: 0.1, weights: [[0.3, -0.1], [0.2, 0.4]], bias: 0.1, shared_bias: true}
  - {units: 2, activation: softmax, weights: [[0.5, -0.3], [0.1, 0.2]], bias: [0.0, 0.1]}
loss: mse
learning_rate: 0.1
optimizer: adam
"""
GRADIENT_ONLY = """
inputs: [[1.0]]
targets: [[0.5]]
layers:
  - {units: 1, activation: sigmoid, weights: [[0.3]], bias: 0.1}
loss: half_sse
"""


def _conforms(value, hint, where):
    """value has exactly the keys of TypedDict hint (its optional ones allowed), recursively."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        hint = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        keys = set(value)
        assert hint.__required_keys__ <= keys <= hint.__required_keys__ | hint.__optional_keys__, \
            (where, keys ^ hint.__required_keys__)
        fields = typing.get_type_hints(hint)
        for key in keys:
            _conforms(value[key], fields[key], f"{where}.{key}")
    elif origin is list and args:
        for i, item in enumerate(value):
            _conforms(item, args[0], f"{where}[{i}]")


@pytest.mark.parametrize("spec", [*example_names(), "shared-adam", "gradient-only"])
def test_every_section_of_the_document_has_the_keys_its_type_declares(spec):
    text = {"shared-adam": SHARED_ADAM, "gradient-only": GRADIENT_ONLY}.get(spec)
    parsed = parse_spec(text, f"{spec}.yaml") if text else example_spec(spec)
    _conforms(derive(parsed, full_check_limit=0).document(), Document, "doc")


def test_a_missing_key_is_caught():
    doc = derive(example_spec("classic-2-2-2"), full_check_limit=0).document()
    broken = {**doc, "loss": {k: v for k, v in doc["loss"].items() if k != "mean"}}
    with pytest.raises(AssertionError, match="doc.loss"):
        _conforms(broken, Document, "doc")
