"""The plain view model of a worked example: LaTeX strings, formatted numbers, steps and tables."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..check.claims import agrees
from ..core.activations import ACTIVATIONS
from ..core.evaluate import Evaluation
from ..core.gradients import Gradients
from ..core.losses import LOSSES
from ..core.names import NAMES
from ..core.spec import Claim, Spec
from ..oracles.checks import NOISE_FLOOR, CheckReport
from .backward import backward_layer, matrix, matrix_form
from .code import code_view
from .formatting import given, given_plain, plain, tex
from .forward import activation_definition, forward_example, loss_view
from .notes import notes_view
from .printer import printer_for

DETAILS = ("full", "layer", "summary")
FULL_DETAIL_LIMIT = 100  # parameters; above this the default detail is "layer"
HISTORY_ROWS = 20


@dataclass(frozen=True)
class Options:
    """How to show a worked example: significant digits, notation style, level of detail."""

    digits: int = 6
    notation: str = "layer"
    detail: str = "auto"
    with_code: bool = False  # a numpy listing of the same step, in its own section


def resolved_detail(spec: Spec, detail: str) -> str:
    """'auto' means full detail for small networks, the layer view otherwise."""
    if detail != "auto":
        return detail
    return "full" if spec.n_parameters <= FULL_DETAIL_LIMIT else "layer"


def _lookup(data: dict[str, Any], quantity: str) -> Any:
    """Follow a JSON path like layers[2].a[0] into the JSON quantities."""
    value: Any = data
    for name, index in re.findall(r"(\w+)|\[(\d+)\]", quantity):
        value = value[name] if name else value[int(index)]
    return value


def claims_view(claims: tuple[Claim, ...], data: dict[str, Any], digits: int,
                explanations: dict[tuple[int, int], str] | None = None) -> list[dict[str, Any]]:
    """Each published number beside ours; it agrees when ours rounds to it; a mistake may explain it."""
    rows, explanations = [], explanations or {}
    for c, claim in enumerate(claims):
        ours = _lookup(data, claim.quantity)
        ours = ours if isinstance(ours, list) else [ours]
        for i, (pub, mine) in enumerate(zip(claim.value, ours)):
            label = claim.quantity + (f"[{i}]" if len(claim.value) > 1 else "")
            rows.append({"quantity": label, "published": given(pub), "ours": tex(mine, digits + 3),
                         "difference": tex(mine - pub, 3), "agrees": agrees(mine, pub), "source": claim.source,
                         "explained": explanations.get((c, i), "")})
    return rows


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _superscript(text: str) -> str:
    return text.translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))


def _picture(spec: Spec, p: Any) -> dict[str, Any]:
    """Labels of the network picture, plain for SVG and LaTeX for TikZ."""
    widths = spec.widths
    plain_labels = [[f"x{_subscript(k + 1)}" for k in range(widths[0])]]
    tex_labels = [[NAMES.a(0, k + 1) for k in range(widths[0])]]
    titles = ["input"]
    for l, layer in enumerate(spec.layers, start=1):
        plain_labels.append([f"a{_superscript(f'({l})')}{_subscript(j + 1)}" for j in range(layer.units)])
        tex_labels.append([NAMES.a(l, j + 1) for j in range(layer.units)])
        titles.append(f"{'output' if l == len(spec.layers) else f'layer {l}'} ({layer.activation})")
    edges = [[[given(w) for w in row] for row in layer.weights] for layer in spec.layers]
    plain_edges = [[[given_plain(w) for w in row] for row in layer.weights] for layer in spec.layers]
    return {"plain_labels": plain_labels, "tex_labels": tex_labels, "titles": titles, "edge_labels": edges,
            "plain_edge_labels": plain_edges}


def _summary(spec: Spec, ev: Evaluation, p: Any, digits: int) -> dict[str, Any]:
    return {
        "title": spec.name or "Worked example",
        "architecture": "-".join(str(w) for w in spec.widths),
        "widths": spec.widths, "n_layers": len(spec.layers), "batch": len(spec.inputs),
        "loss": spec.loss, "loss_title": LOSSES[spec.loss].title,
        "learning_rate": given(spec.learning_rate), "steps": spec.steps, "train_bias": spec.train_bias,
        "n_parameters": spec.n_parameters, "weight_layout": spec.weight_layout, "notes": spec.notes,
        "loss_value": tex(ev.loss, digits), "loss_after": tex(ev.loss_history[1], digits),
        "final_loss": tex(ev.loss_history[-1], digits),
        "loss_verb": "falls" if ev.loss_history[1] < ev.loss else "rises" if ev.loss_history[1] > ev.loss else "stays",
        "activations": [{"l": l, "name": layer.activation, "f": ACTIVATIONS[layer.activation].tex,
                         "units": layer.units, "alpha": given(layer.alpha),
                         **activation_definition(p, layer.activation, layer.alpha)}
                        for l, layer in enumerate(spec.layers, start=1)],
    }


def _history(ev: Evaluation, digits: int) -> list[dict[str, Any]]:
    """Loss before each step; at most HISTORY_ROWS rows, evenly spaced, always the first and last."""
    n = len(ev.loss_history)
    stride = max(1, -(-(n - 1) // (HISTORY_ROWS - 1)))
    indices = sorted(set(range(0, n, stride)) | {n - 1})
    return [{"step": i, "loss": tex(ev.loss_history[i], digits)} for i in indices]


def _checks(report: CheckReport) -> list[dict[str, Any]]:
    return [{"name": c.name, "method": c.method, "compared": c.compared, "ran": c.ran, "passed": c.passed,
             "max_abs_error": tex(c.max_abs_error, 2) if c.max_abs_error else rf"< {tex(NOISE_FLOOR, 2)}",
             "max_abs_error_plain": plain(c.max_abs_error, 2) if c.max_abs_error else f"< {plain(NOISE_FLOOR, 2)}",
             "tolerance": rf"{tex(c.atol, 2)} + {tex(c.rtol, 2)}\,\lvert g \rvert" if c.ran else "",
             "worst": c.worst, "note": c.note} for c in report.checks]


def build_document(spec: Spec, ev: Evaluation, grads: Gradients, report: CheckReport,
                   data: dict[str, Any], options: Options,
                   explanations: dict[tuple[int, int], str] | None = None) -> dict[str, Any]:
    """The view model every template receives (documented in README under 'Templates')."""
    digits = options.digits
    p = printer_for(options.notation, spec.widths)
    return {
        "summary": _summary(spec, ev, p, digits),
        "detail": resolved_detail(spec, options.detail),
        "digits": digits,
        "notation": options.notation,
        "parameters": [{"l": l, "W_name": f"W^{{({l})}}", "b_name": f"b^{{({l})}}",
                        "W": [[given(w) for w in row] for row in layer.weights],
                        "b": [given(b) for b in layer.bias],
                        "W_symbols": [[p.name(NAMES.w(l, j + 1, k + 1)) for k in range(spec.widths[l - 1])]
                                      for j in range(layer.units)],
                        "b_symbols": [p.name(NAMES.b(l, j + 1)) for j in range(layer.units)]}
                       for l, layer in enumerate(spec.layers, start=1)],
        "inputs": [[given(v) for v in row] for row in spec.inputs],
        "targets": [[given(v) for v in row] for row in spec.targets],
        "picture": _picture(spec, p),
        "forward": [{"n": n + 1, "layers": forward_example(spec, ev, p, n, digits)}
                    for n in range(len(spec.inputs))],
        "loss": loss_view(spec, ev, grads, p, digits),
        "backward": [backward_layer(spec, ev, grads, p, l, digits) for l in range(len(spec.layers), 0, -1)],
        "matrix_form": matrix_form(spec, ev, digits),
        "final": [{"l": l, "W": matrix(W, digits), "b": [tex(v, digits) for v in b]}
                  for l, (W, b) in enumerate(zip(ev.final_W, ev.final_b), start=1)],
        "history": _history(ev, digits),
        "checks": _checks(report),
        "published": claims_view(spec.published, data, digits, explanations),
        "notes": notes_view(data["notes"]),
        "code": code_view(spec, digits) if options.with_code else None,
    }
