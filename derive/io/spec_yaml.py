"""A spec written out as YAML that `derive run` reads back to the same spec."""
from __future__ import annotations

from typing import Any

import yaml

from ..core.activations import ACTIVATIONS
from ..core.spec import Spec


class _Dumper(yaml.SafeDumper):
    """Block style for the spec, flow style for rows of numbers, as the examples are written."""


def _row(dumper: yaml.SafeDumper, row: tuple) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(row), flow_style=True)


_Dumper.add_representer(tuple, _row)


def spec_data(spec: Spec) -> dict[str, Any]:
    """The spec as the plain data of a spec file (weights as (out, in), every field explicit)."""
    layers = []
    for layer in spec.layers:
        entry: dict[str, Any] = {"units": layer.units, "activation": layer.activation,
                                 "weights": list(layer.weights), "bias": layer.bias}
        if layer.shared_bias:
            entry.update({"bias": layer.bias[0], "shared_bias": True})
        if ACTIVATIONS[layer.activation].has_parameter:
            entry["alpha"] = layer.alpha
        layers.append(entry)
    data: dict[str, Any] = {"name": spec.name}
    if spec.notes:
        data["notes"] = spec.notes
    # class-index targets stay class indices; a gradient-only example has no learning_rate and no steps
    data.update({"inputs": list(spec.inputs), "targets": list(spec.target_classes) or list(spec.targets),
                 "layers": layers, "loss": spec.loss})
    if spec.updates:
        data.update({"learning_rate": spec.learning_rate, "steps": spec.steps})
    data["train_bias"] = spec.train_bias
    if spec.reduction != "mean":
        data["reduction"] = spec.reduction
    if spec.updates and spec.optimizer.name != "sgd":
        data["optimizer"] = {"name": spec.optimizer.name,
                             **{k: list(v) if isinstance(v, tuple) else v for k, v in spec.optimizer.settings}}
    if spec.weight_decay:
        data["weight_decay"] = spec.weight_decay
    if spec.notation:
        data["notation"] = spec.notation
    return data


def spec_yaml(spec: Spec, comment: str = "") -> str:
    """The spec as YAML text, with a comment line on top if given."""
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.dump(spec_data(spec), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
