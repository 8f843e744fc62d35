"""The JSON quantities of a worked example: the stable contract other tools read."""
from __future__ import annotations

import math
from typing import Any, Iterable

import mpmath

from ..core.activations import ACTIVATIONS
from ..core.layers import LAYER_KINDS
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.spec import Spec
from ..core.updates import carried_state, example_state
from ..errors import NumericalError
from ..oracles.checks import CheckReport
from .notes import teaching_notes

# 2 added dl_da and da_dz per layer; 3 added notes; 4 the optimizer and its state; 5 a layer's shared bias;
# 6 each layer's z_after and a_after, the forward pass with the updated parameters
FORMAT_VERSION = 6


def _floats(value: Any) -> Any:
    """Nested lists of mpmath numbers as nested lists of floats; a value beyond float64 is refused."""
    if isinstance(value, (list, tuple)):
        return [_floats(v) for v in value]
    number = float(value)
    if not math.isfinite(number):
        raise NumericalError(f"a value of {mpmath.nstr(value, 6)} is beyond float64 and cannot be shown "
                             "in the JSON: use smaller weights or fewer layers")
    return number


def placed(values: Iterable[tuple[Q, Any]]) -> dict[tuple[int | None, str], Any]:
    """Each value at its JSON path: by (layer, field), nested lists in index order, or a number without indices."""
    trees: dict[tuple[int | None, str], Any] = {}
    for q, value in values:
        layer, field, indices = q.json_address
        if not indices:
            trees[layer, field] = value
            continue
        node = trees.setdefault((layer, field), {})
        for i in indices[:-1]:
            node = node.setdefault(i, {})
        node[indices[-1]] = value
    return {key: _listed(tree) for key, tree in trees.items()}


def _listed(tree: Any) -> Any:
    """Nested dicts of indices 0..n-1 as nested lists."""
    return [_listed(tree[i]) for i in sorted(tree)] if isinstance(tree, dict) else tree


def optimizer_data(spec: Spec) -> dict[str, Any]:
    """The optimizer as the spec gives it, every setting written out: {"name": "adam", "betas": [...], "eps": ...}."""
    return {"name": spec.optimizer.name,
            **{key: list(value) if isinstance(value, tuple) else value for key, value in spec.optimizer.settings}}


def json_quantities(spec: Spec, run: Run, report: CheckReport) -> dict[str, Any]:
    """Every number of the worked step, the loss history and the checks, as plain JSON data."""
    first = placed((step.quantity, step.value) for step in run.graph.steps)
    states = carried_state(spec)
    kept = {k for layer in spec.layers for k in LAYER_KINDS[layer.kind].parameters} | set(states)
    final = placed((q, v) for q, v in run.final.items() if q.kind in kept)
    layers = []
    for l, layer in enumerate(spec.layers):
        at, kind_of = (lambda kind: _floats(first[l, kind])), LAYER_KINDS[layer.kind]
        entry = {
            "activation": layer.activation, "units": layer.units,
            **{kind: at(kind) for kind in kind_of.parameters}, **({"shared_bias": True} if layer.shared_bias else {}),
            **{kind: at(kind) for kind in kind_of.quantities},
        }
        if spec.updates:  # a gradient-only example stops at the gradients
            entry.update({kind: at(kind) for kind in example_state(spec)})
            entry.update({kind: at(kind) for kind in kind_of.updates})  # W_new for W
            entry.update({f"{kind}_final": _floats(final[l, kind]) for kind in kind_of.parameters})
            # the forward pass again with the updated parameters: the outputs after the step
            entry.update({kind: at(kind) for kind in kind_of.after})
            entry.update({f"{kind}_final": _floats(final[l, kind]) for kind in states})
        if ACTIVATIONS[layer.activation].has_parameter:
            entry["alpha"] = layer.alpha
        layers.append(entry)
    return {
        "format_version": FORMAT_VERSION,
        "name": spec.name,
        "loss_function": spec.loss,
        "learning_rate": spec.learning_rate,
        "steps": spec.steps,
        "train_bias": spec.train_bias,
        "reduction": spec.reduction,
        "optimizer": optimizer_data(spec) if spec.updates else None,
        "weight_decay": spec.weight_decay if spec.updates else None,
        "inputs": [list(r) for r in spec.inputs],
        "targets": [list(r) for r in spec.targets],
        **({"target_classes": list(spec.target_classes)} if spec.target_classes else {}),
        "loss": float(first[None, "loss"]),
        "example_losses": _floats(first[None, "example_losses"]),
        "layers": layers,
        "loss_history": _floats(run.loss_history),
        "checks": [
            {"name": c.name, "method": c.method, "compared": c.compared, "max_abs_error": c.max_abs_error,
             "tolerance": {"abs": c.atol, "rel": c.rtol}, "passed": c.passed if c.ran else None, "ran": c.ran,
             "worst": c.worst, "note": c.note}
            for c in report.checks
        ],
        "passed": report.passed,
        "notes": teaching_notes(run),
    }
