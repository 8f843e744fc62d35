"""What the numpy listing of a worked example needs: the spec's numbers as Python literals, and its choices."""
from __future__ import annotations

from typing import Any

from ..core.activations import ACTIVATIONS
from ..core.spec import Spec
from ..core.updates import UPDATE_RULES
from .formatting import given_plain


def code_view(spec: Spec, digits: int) -> dict[str, Any]:
    """The spec's numbers written as Python reads them back exactly, with each layer's activation."""
    return {
        "inputs": [[given_plain(v) for v in row] for row in spec.inputs],
        "targets": [[given_plain(v) for v in row] for row in spec.targets],
        "layers": [{"l": l, "activation": layer.activation, "vector": ACTIVATIONS[layer.activation].vector,
                    "alpha": given_plain(layer.alpha),
                    "W": [[given_plain(w) for w in row] for row in layer.weights],
                    "b": [given_plain(b) for b in layer.bias], "shared_bias": layer.shared_bias}
                   for l, layer in enumerate(spec.layers, start=1)],
        "loss": spec.loss,
        "eta": given_plain(spec.learning_rate) if spec.learning_rate is not None else "",
        "reduction": spec.reduction,
        "train_bias": spec.train_bias,
        "digits": digits,
        "optimizer": _optimizer(spec),
    }


def _optimizer(spec: Spec) -> dict[str, Any]:
    """The optimizer's name and its numbers as Python assignments: mu, beta1, beta2, eps, lam."""
    settings = dict(spec.optimizer.settings)
    constants = [("mu", settings["momentum"])] if "momentum" in settings else []
    if "betas" in settings:
        constants += [("beta1", settings["betas"][0]), ("beta2", settings["betas"][1]), ("eps", settings["eps"])]
    if spec.weight_decay:
        constants.append(("lam", spec.weight_decay))
    return {"name": spec.optimizer.name, "nesterov": bool(settings.get("nesterov")),
            "decay": bool(spec.weight_decay), "decoupled": UPDATE_RULES[spec.optimizer.name].decoupled,
            "constants": [(name, given_plain(value)) for name, value in constants]}
