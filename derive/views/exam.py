"""The plain view model of an exam: per variant its given numbers, its questions and their answers."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..core.naming import latex_name_in, plain_name_in
from ..core.quantities import Quantity
from ..core.spec import Spec
from ..core.updates import UPDATE_RULES
from ..exam.generate import Exam, Question, Variant
from ..exam.portable import portable
from .formatting import given, plain, tex

ANSWER_DIGITS = 6  # significant figures of an answer in the key


def exam_document(exam: Exam, notation: str, recipe: str) -> dict[str, Any]:
    """Everything the question and answer templates show; recipe is the command that draws the exam."""
    shape = exam.variants[0].spec
    return {"title": exam.name, "seed": exam.seed, "recipe": recipe, "notation": notation,
            "rounding": exam.digits.words, "rounding_short": exam.digits.short,
            # the data's names differ from the rules' w^{(l)}_{jk}: the sheets say which is which
            "renamed": notation != "layer", "network": _network(shape),
            "total_points": _points(sum(exam.points_of(q.kind) for q in exam.variants[0].questions)),
            "variants": [_variant(v, exam, notation, recipe) for v in exam.variants]}


def _network(spec: Spec) -> dict[str, Any]:
    """What every variant shares: the shape, activations, loss and learning rate."""
    return {"architecture": "-".join(map(str, spec.widths)), "widths": spec.widths, "batch": len(spec.inputs),
            "layers": [{"l": l, "units": layer.units, "activation": ACTIVATIONS[layer.activation].words,
                        "tex": ACTIVATIONS[layer.activation].tex, "output": l == len(spec.layers),
                        "shared_bias": layer.shared_bias}
                       for l, layer in enumerate(spec.layers, 1)],
            "loss": spec.loss, "loss_title": LOSSES[spec.loss].title, "learning_rate": given(spec.learning_rate),
            "train_bias": spec.train_bias, "reduction": spec.reduction, "optimizer": _optimizer(spec)}


def _optimizer(spec: Spec) -> dict[str, Any]:
    """The update rule as the questions state it: plain gradient descent, or the optimizer's title and its torch call."""
    rule = UPDATE_RULES[spec.optimizer.name]
    # as the spec writes them: momentum 0.9, nesterov false, betas [0.9, 0.999]
    settings = ", ".join(f"{key} {str(value).lower() if isinstance(value, bool) else list(value) if isinstance(value, tuple) else value}"
                         for key, value in spec.optimizer.settings)
    return {"plain": not rule.state and not spec.weight_decay, "title": rule.title, "state": bool(rule.state),
            "settings": settings, "decay": given(spec.weight_decay) if spec.weight_decay else ""}


def _variant(v: Variant, exam: Exam, notation: str, recipe: str) -> dict[str, Any]:
    spec = v.spec

    def name(q: Quantity) -> str:
        return latex_name_in(q, spec, notation)

    def parameter(q: Quantity, value: float) -> dict[str, Any]:
        """A weight or bias: its name, the rules' name for it, the units it joins, its value."""
        return {"name": name(q), "rule": latex_name_in(q, spec, "layer"), "plain": plain_name_in(q, spec, notation),
                "value": given(value), "layer": q.layer, "unit": q.unit, "input": q.input}

    examples = [{"n": n, "x": [{"name": name(Quantity("x", 0, n, k)), "value": given(x)} for k, x in enumerate(xs, 1)],
                 "t": [{"name": name(Quantity("t", 0, n, k)), "value": given(t)} for k, t in enumerate(ts, 1)]}
                for n, (xs, ts) in enumerate(zip(spec.inputs, spec.targets), 1)]
    layers = [{"l": l, "weights": [parameter(Quantity("W", l, 0, j, k), w)
                                   for j, row in enumerate(layer.weights, 1) for k, w in enumerate(row, 1)],
               "biases": [parameter(Quantity("b", l, 0, j), b) for j, b in zip(layer.bias_units, layer.bias)]}
              for l, layer in enumerate(spec.layers, 1)]
    return {"id": v.id, "seed": exam.seed, "command": f"{recipe} --seed {exam.seed} --only {v.id}",
            "examples": examples, "layers": layers,
            "questions": [_question(q, exam, notation, spec) for q in v.questions]}


def _question(q: Question, exam: Exam, notation: str, spec: Spec) -> dict[str, Any]:
    """One question: what it asks (by kind and address), its name, its points, the answer and how close counts."""
    a = q.quantity
    scaled = portable(q.value, q.tolerance, exam.digits)
    return {"number": q.number, "kind": q.kind, "quantity": a.kind, "path": a.json_path,
            "name": latex_name_in(a, spec, notation), "plain": plain_name_in(a, spec, notation),
            "parameter": latex_name_in(_parameter(a), spec, notation),
            "layer": a.layer, "unit": a.unit, "input": a.input, "example": a.example, "batch": len(spec.inputs),
            "output": a.layer == len(spec.layers), "value": plain(q.value, ANSWER_DIGITS),
            "value_tex": tex(q.value, ANSWER_DIGITS), "rounded": exam.digits.written(q.value),
            "points": _points(exam.points_of(q.kind)), "points_value": exam.points_of(q.kind),
            "tolerance": fixed_decimals(q.tolerance), "tolerance_tex": fixed_decimals(q.tolerance),
            "scale": scaled.power, "scaled_value": plain(scaled.value, ANSWER_DIGITS),
            "scaled_tolerance": fixed_decimals(scaled.tolerance)}


def _parameter(q: Quantity) -> Quantity:
    """The weight or bias a gradient or update is about (the quantity itself otherwise)."""
    return q.parameter() if q.role in ("gradient", "update") else q


def _points(p: float) -> str:
    """Points as a person writes them: 2, 1.5."""
    return f"{p:g}"


def fixed_decimals(x: float) -> str:
    """A tolerance (two significant figures already) in plain decimals, as a person compares it: 0.000078."""
    return format(Decimal(repr(x)).normalize(), "f")


def named_picture(picture: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    """A worked example's picture labelled with each weight's and bias's name instead of its value.

    The question sheet's table gives the values and says what the lines are, so the picture has no legend;
    a line labelled w_3 shows which line w_3 is.
    """
    def rows(layer: dict[str, Any], key: str) -> list[list[str]]:
        units = max(w["unit"] for w in layer["weights"])
        return [[w[key] for w in layer["weights"] if w["unit"] == j] for j in range(1, units + 1)]

    def biases(layer: dict[str, Any], key: str) -> list[str]:
        units = max(w["unit"] for w in layer["weights"])
        names = [b[key] for b in layer["biases"]]
        return names + [""] * (units - len(names))  # a shared bias: named on its first line alone

    layers = variant["layers"]
    return {**picture, "legend": None, "edge_labels": [rows(layer, "name") for layer in layers],
            "plain_edge_labels": [rows(layer, "plain") for layer in layers],
            "bias_labels": [biases(layer, "name") for layer in layers],
            "plain_bias_labels": [biases(layer, "plain") for layer in layers]}
