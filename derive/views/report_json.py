"""The JSON quantities of a worked example: the stable contract other tools read."""
from __future__ import annotations

import math
from typing import Any

import mpmath

from ..core.activations import ACTIVATIONS
from ..core.evaluate import Evaluation
from ..core.quantities import Quantity as Q
from ..core.spec import Spec
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


def _after(ev: Evaluation, spec: Spec, l: int, kind: str) -> list[list[float]]:
    """z_after or a_after of layer l, [example][unit], from the step graph."""
    return _floats([[ev.graph.value(Q(kind, l, n, j)) for j in range(1, spec.widths[l] + 1)]
                    for n in range(1, len(spec.inputs) + 1)])


def optimizer_data(spec: Spec) -> dict[str, Any]:
    """The optimizer as the spec gives it, every setting written out: {"name": "adam", "betas": [...], "eps": ...}."""
    return {"name": spec.optimizer.name,
            **{key: list(value) if isinstance(value, tuple) else value for key, value in spec.optimizer.settings}}


def json_quantities(spec: Spec, ev: Evaluation, report: CheckReport) -> dict[str, Any]:
    """Every number of the worked step, the loss history and the checks, as plain JSON data."""
    layers = []
    finals = ev.final_state or [{} for _ in spec.layers]
    for l, (layer, lv, W_final, b_final, state_final) in enumerate(
            zip(spec.layers, ev.layers, ev.final_W, ev.final_b, finals), 1):
        # a bias the layer's units share is one number, not a list: layers[l].b, as its JSON path says
        bias = (lambda values: _floats(values[0])) if layer.shared_bias else _floats
        entry = {
            "activation": layer.activation, "units": layer.units,
            "W": _floats(lv.W), "b": bias(lv.b), **({"shared_bias": True} if layer.shared_bias else {}),
            "z": _floats(lv.z), "a": _floats(lv.a),
            "dl_da": _floats(lv.dL_da), "da_dz": _floats(lv.jacobian if lv.da_dz is None else lv.da_dz),
            "delta": _floats(lv.delta), "dW": _floats(lv.dW), "db": bias(lv.db),
        }
        if spec.updates:  # a gradient-only example stops at the gradients
            entry.update({kind: _floats(values) if kind.endswith("_W") else bias(values) for kind, values in lv.state.items()})
            entry.update({"W_new": _floats(lv.W_new), "b_new": bias(lv.b_new),
                          "W_final": _floats(W_final), "b_final": bias(b_final)})
            # the forward pass again with the updated parameters: the outputs after the step
            entry.update({kind: _after(ev, spec, l, kind) for kind in ("z_after", "a_after")})
            entry.update({f"{kind}_final": _floats(values) if kind.endswith("_W") else bias(values)
                          for kind, values in state_final.items()})
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
        "loss": float(ev.loss),
        "example_losses": _floats(ev.example_losses),
        "layers": layers,
        "loss_history": _floats(ev.loss_history),
        "checks": [
            {"name": c.name, "method": c.method, "compared": c.compared, "max_abs_error": c.max_abs_error,
             "tolerance": {"abs": c.atol, "rel": c.rtol}, "passed": c.passed if c.ran else None, "ran": c.ran,
             "worst": c.worst, "note": c.note}
            for c in report.checks
        ],
        "passed": report.passed,
        "notes": teaching_notes(ev),
    }
