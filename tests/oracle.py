"""Helpers that feed a Spec to the independent numpy oracle."""
from __future__ import annotations

from derive.core.spec import Spec
from derive.oracles import numpy_backprop
from derive.oracles.checks import oracle_arguments as arrays

__all__ = ["arrays", "oracle"]


def oracle(spec: Spec) -> numpy_backprop.NumpyResult:
    """The numpy backprop of the spec's network."""
    return numpy_backprop.backprop(**arrays(spec))
