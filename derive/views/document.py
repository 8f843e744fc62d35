"""The plain view model of a worked example: LaTeX strings, formatted numbers, steps and tables."""
from __future__ import annotations

import re
from typing import Any

from ..check.catalogue import describe
from ..check.claims import agrees
from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..core.naming import latex_name_in, path_quantities
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.spec import Spec
from ..core.symbol_names import NAMES, with_example
from ..oracles.checks import NOISE_FLOOR, CheckReport
from .backward import backward_layer, matrix, matrix_form
from .code import code_view
from .exercises import exercises_view
from .formatting import given, given_plain, plain, tex
from .forward import activation_definition, forward_example, loss_view
from .model import Check, Document, Final, HistoryRow, Legend, Picture, Summary
from .notes import notes_view
from .optimizer import optimizer_view
from .options import Options
from .printer import DerivePrinter, printer_for
from .shown import relations
from .wrapup import wrap_up

FULL_DETAIL_LIMIT = 100  # parameters; above this the default detail is "layer"
HISTORY_ROWS = 20



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


def _published(value: float, decimals: int) -> str:
    """A published number with the decimals it was published with (a quoted "0.650" keeps its zero)."""
    return given(value) if "e" in repr(float(value)) else f"{value:.{decimals}f}"


def claims_view(spec: Spec, data: dict[str, Any], notation: str, digits: int,
                explanations: dict[tuple[int, int], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each published number beside ours, named in the document's notation; ours minus published."""
    rows, explanations = [], explanations or {}
    for c, claim in enumerate(spec.published):
        ours = _lookup(data, claim.quantity)
        ours = ours if isinstance(ours, list) else [ours]
        quantities = path_quantities(claim.quantity, spec)
        for i, (pub, mine, q) in enumerate(zip(claim.value, ours, quantities)):
            label = claim.quantity + (f"[{i}]" if len(claim.value) > 1 else "")
            rows.append({"quantity": label, "name": latex_name_in(q, spec, notation),
                         "published": _published(pub, claim.decimals_of(i)), "ours": tex(mine, digits + 3),
                         "difference": tex(mine - pub, 3), "agrees": agrees(mine, pub, claim.decimals_of(i)),
                         "source": claim.source,
                         **_reason(explanations.get((c, i)), spec, notation)})
    return rows


def _reason(reason: dict[str, Any] | None, spec: Spec, notation: str) -> dict[str, Any]:
    """What explains a differing published number, for the templates: mistakes, follows (names), rounded."""
    reason = reason or {"mistakes": [], "follows": [], "rounded": ""}
    return {"explained": "; or ".join(describe(n, spec, notation) for n in reason["mistakes"]), "rounded": reason["rounded"],
            "follows": [latex_name_in(q, spec, notation) for q in reason["follows"]]}


def _subscript(n: int | str) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _superscript(text: str) -> str:
    return text.translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))


def _plain_name(name: str) -> str:
    """A symbol's LaTeX name as Unicode text for the SVG: w_{1} as w₁, b^{(2)}_{1} as b⁽²⁾₁."""
    text = re.sub(r"\^\{([^}]*)\}", lambda m: _superscript(m.group(1)), name)
    return re.sub(r"_\{?([0-9,]+)\}?", lambda m: _subscript(m.group(1)), text)


def _span(names: list[str]) -> list[str]:
    """A run of symbols as the legend writes it: all of up to three, else the first and the last."""
    distinct = list(dict.fromkeys(names))
    return distinct if len(distinct) <= 3 else [distinct[0], r"\ldots", distinct[-1]]


def _legend(spec: Spec, p: Any) -> Legend:
    """The names the picture's legend lists, in the document's notation: TeX and plain; its words are a template's."""
    widths = spec.widths
    weights = _span([p.name(NAMES.w(l, j, k)) for l in range(1, len(widths))
                     for j in range(1, widths[l] + 1) for k in range(1, widths[l - 1] + 1)])
    biases = _span([p.name(NAMES.b(l, j)) for l, layer in enumerate(spec.layers, 1) for j in layer.bias_units])
    plain = (lambda names: ["…" if n == r"\ldots" else _plain_name(n) for n in names])
    return {"weights": weights, "biases": biases, "plain_weights": plain(weights), "plain_biases": plain(biases),
            "shared": sorted(spec.shared_bias_layers), "layers": len(spec.layers)}


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")


def _bias_labels(layer: Any, text: Any) -> list[str]:
    """The label of each unit's bias line: its bias, or for a shared bias the number once, the other lines bare."""
    if layer.shared_bias:
        return [text(layer.bias[0])] + [""] * (layer.units - 1)
    return [text(b) for b in layer.bias]


def _picture(spec: Spec, p: Any) -> Picture:
    """Labels of the network picture, plain for SVG and LaTeX for TikZ: weights, biases, legend."""
    names = [[p.name(NAMES.a(l, j)) for j in range(1, width + 1)] for l, width in enumerate(spec.widths)]
    captions = [{"l": 0, "output": False, "activation": ""}] + [
        {"l": l, "output": l == len(spec.layers), "activation": ACTIVATIONS[layer.activation].words}
        for l, layer in enumerate(spec.layers, start=1)]
    edges = [[[given(w) for w in row] for row in layer.weights] for layer in spec.layers]
    # the picture's text writes a minus sign, as the maths does, not a hyphen
    plain_edges = [[[_minus(given_plain(w)) for w in row] for row in layer.weights] for layer in spec.layers]
    return {"plain_labels": [[_plain_name(n) for n in layer] for layer in names], "tex_labels": names,
            "captions": captions, "edge_labels": edges,
            # a shared bias is one number: labelled on the line to the layer's first unit alone
            "plain_edge_labels": plain_edges, "bias_labels": [_bias_labels(layer, given) for layer in spec.layers],
            "plain_bias_labels": [_bias_labels(layer, lambda b: _minus(given_plain(b))) for layer in spec.layers],
            "legend": _legend(spec, p)}


def _summary(spec: Spec, run: Run, p: Any, digits: int) -> Summary:
    return {
        "title": spec.name or "Worked example",
        "architecture": "-".join(str(w) for w in spec.widths),
        "widths": spec.widths, "n_layers": len(spec.layers), "batch": len(spec.inputs),
        "loss": spec.loss, "loss_title": LOSSES[spec.loss].title, "natural_log": LOSSES[spec.loss].has_log,
        # with one example the mean loss L is the example's loss: documents then write L alone
        "ell": r"\ell" if len(spec.inputs) > 1 else "L",
        "learning_rate": given(spec.learning_rate) if spec.updates else "", "updates": spec.updates,
        "steps": spec.steps, "train_bias": spec.train_bias,
        "reduction": spec.reduction,
        # which layers' units share one bias: "all", "some" (their numbers in shared_layers) or ""
        "shared_bias": _shared(spec), "shared_layers": sorted(spec.shared_bias_layers),
        "n_parameters": spec.n_parameters, "weight_layout": spec.weight_layout, "notes": spec.notes,
        "loss_value": tex(run.value(Q("loss")), digits), "final_loss": tex(run.loss_history[-1], digits),
        "activations": [{"l": l, "name": ACTIVATIONS[layer.activation].words, "code": layer.activation,
                         "f": ACTIVATIONS[layer.activation].tex,
                         "units": layer.units, "alpha": given(layer.alpha),
                         **activation_definition(p, layer.activation, layer.alpha)}
                        for l, layer in enumerate(spec.layers, start=1)],
    }


def _shared(spec: Spec) -> str:
    """Whether every layer, some layers or none share one bias among their units."""
    shared = spec.shared_bias_layers
    return "all" if len(shared) == len(spec.layers) else "some" if shared else ""


def _history(run: Run, digits: int) -> list[HistoryRow]:
    """Loss before each step; at most HISTORY_ROWS rows, evenly spaced, always the first and last."""
    n = len(run.loss_history)
    stride = max(1, -(-(n - 1) // (HISTORY_ROWS - 1)))
    indices = sorted(set(range(0, n, stride)) | {n - 1})
    return [{"step": i, "loss": tex(run.loss_history[i], digits)} for i in indices]


def _checks(report: CheckReport) -> list[Check]:
    return [{"name": c.name, "method": c.method, "compared": c.compared, "ran": c.ran, "passed": c.passed,
             "max_abs_error": tex(c.max_abs_error, 2) if c.max_abs_error else rf"< {tex(NOISE_FLOOR, 2)}",
             "max_abs_error_plain": plain(c.max_abs_error, 2) if c.max_abs_error else f"< {plain(NOISE_FLOOR, 2)}",
             "tolerance": rf"{tex(c.atol, 2)} + {tex(c.rtol, 2)}\,\lvert g \rvert" if c.ran else "",
             "worst": c.worst, "note": c.note, "step": tex(c.step, 1) if c.step else ""} for c in report.checks]


def example_printers(p: DerivePrinter, spec: Spec) -> list[DerivePrinter]:
    """One printer per example; in a batch each names its example's x, t, z, a and delta with [n]."""
    N, widths = len(spec.inputs), spec.widths
    if N == 1:
        return [p]
    names = [NAMES.a(l, j) for l in range(len(widths)) for j in range(1, widths[l] + 1)]
    names += [f(l, j) for f in (NAMES.z, NAMES.delta) for l in range(1, len(widths)) for j in range(1, widths[l] + 1)]
    names += [NAMES.t(k) for k in range(1, widths[-1] + 1)]
    return [p.renamed({name: with_example(p.name(name), n, N) for name in names}) for n in range(1, N + 1)]


def _final(run: Run, digits: int) -> list[Final]:
    """Every layer's weights and biases after the last step."""
    spec, value = run.graph.spec, run.final.__getitem__
    return [{"l": l, "W": matrix([[value(Q("W", l, 0, j, k)) for k in range(1, spec.widths[l - 1] + 1)]
                                  for j in range(1, layer.units + 1)], digits),
             "b": [tex(value(Q("b", l, 0, j)), digits) for j in layer.bias_units], "shared_bias": layer.shared_bias}
            for l, layer in enumerate(spec.layers, start=1)]


def build_document(spec: Spec, run: Run, report: CheckReport,
                   data: dict[str, Any], options: Options,
                   explanations: dict[tuple[int, int], dict[str, Any]] | None = None) -> Document:
    """The view model every template receives (documented in README under 'Templates')."""
    digits = options.digits
    p = printer_for(options.notation, spec.widths, spec.shared_bias_layers)
    printers = example_printers(p, spec)
    rel = relations(run.graph, digits)
    summary = _summary(spec, run, p, digits)
    ell, detail = summary["ell"], resolved_detail(spec, options.detail)
    full = detail == "full"  # only the full detail prints each unit's lines
    return {
        "summary": summary,
        "detail": detail,
        "digits": digits,
        "math": options.math,
        "notation": options.notation,
        "parameters": [{"l": l, "W_name": f"W^{{({l})}}", "b_name": f"b^{{({l})}}",
                        "W": [[given(w) for w in row] for row in layer.weights],
                        "b": [given(b) for b in layer.bias], "shared_bias": layer.shared_bias,
                        "W_symbols": [[p.name(NAMES.w(l, j, k)) for k in range(1, spec.widths[l - 1] + 1)]
                                      for j in range(1, layer.units + 1)],
                        "b_symbols": [p.name(NAMES.b(l, j)) for j in layer.bias_units]}
                       for l, layer in enumerate(spec.layers, start=1)],
        "inputs": [[given(v) for v in row] for row in spec.inputs],
        "targets": [[given(v) for v in row] for row in spec.targets],
        "target_classes": list(spec.target_classes),
        "picture": _picture(spec, p),
        "forward": [{"n": n, "layers": forward_example(run.graph, printer, n, digits, rel, full)}
                    for n, printer in enumerate(printers, start=1)],
        "loss": loss_view(run.graph, p, printers, digits, rel),
        "backward": [backward_layer(run.graph, p, printers, l, digits, rel, ell, full)
                     for l in range(len(spec.layers), 0, -1)],
        "matrix_form": matrix_form(run.graph, digits),
        "final": _final(run, digits),
        "history": _history(run, digits),
        "checks": _checks(report),
        # page 1 claims only the checks that ran, named, and names any that did not
        "checks_ran": [c.name for c in report.checks if c.ran],
        "checks_not_run": [c.name for c in report.checks if not c.ran],
        "published": claims_view(spec, data, options.notation, digits, explanations),
        "wrap_up": wrap_up(run, p, digits) if spec.updates else None,
        "optimizer": optimizer_view(run, p, options.notation, digits),
        "notes": notes_view(data["notes"]),
        "code": code_view(spec, digits) if options.with_code else None,
        "exercises": exercises_view(spec, run, p, options.notation, digits, rel) if options.exercises else None,
    }
