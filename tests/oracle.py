"""Helpers that feed a Spec to the independent numpy oracle."""
from __future__ import annotations

import numpy as np

from derive import numpy_backprop
from derive.spec import Spec


def arrays(spec: Spec) -> dict:
    """The spec as the oracle's keyword arguments."""
    return dict(
        x=np.array(spec.inputs, dtype=float), t=np.array(spec.targets, dtype=float),
        weights=[np.array(layer.weights, dtype=float) for layer in spec.layers],
        biases=[np.array(layer.bias, dtype=float) for layer in spec.layers],
        activations=[layer.activation for layer in spec.layers],
        alphas=[layer.alpha for layer in spec.layers], loss=spec.loss,
    )


def oracle(spec: Spec) -> numpy_backprop.NumpyResult:
    """The numpy backprop of the spec's network."""
    return numpy_backprop.backprop(**arrays(spec))
