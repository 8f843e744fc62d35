"""The plain view model of a circuit's exam: per variant its given numbers, its stages, its questions and answers."""
from __future__ import annotations

from typing import Any

from ..core.circuit import value_of
from ..core.circuit_names import circuit_name, circuit_path
from ..exam.circuit_exam import CircuitExam, CircuitVariant
from ..exam.generate import Question
from ..exam.portable import portable
from .circuit import Names
from .exam import ANSWER_DIGITS, fixed_decimals
from .formatting import given, plain, tex
from .printer import DerivePrinter

# what each kind asks, in words the sheets use
ASKS = {"value": "the value of", "gradient": "the gradient", "input_gradient": "the gradient",
        "update": "after one step of gradient descent,"}


def circuit_exam_document(exam: CircuitExam, recipe: str) -> dict[str, Any]:
    """Everything the question sheets, keys and learning-system files of a circuit's exam show."""
    return {"title": exam.name, "seed": exam.seed, "recipe": recipe, "rounding": exam.digits.words,
            "rounding_short": exam.digits.short, "variants": [_variant(v, exam, recipe) for v in exam.variants]}


def _variant(v: CircuitVariant, exam: CircuitExam, recipe: str) -> dict[str, Any]:
    c, names = v.circuit, Names(v.circuit)
    stages = [f"{names.symbols[n - 1]} = {_formula(v, n, names)}" for n in c.stage_nodes]
    return {"id": v.id, "seed": exam.seed, "command": f"{recipe} --seed {exam.seed} --only {v.id}",
            "given": [{"name": names.symbols[n - 1], "value": given(x)} for n, (_, x) in enumerate(c.given, 1)],
            "given_tex": ",\\; ".join(f"{names.symbols[n - 1]} = {given(x)}" for n, (_, x) in enumerate(c.given, 1)),
            "stages": stages, "output": names.output,
            "learning_rate": given(c.learning_rate) if c.learning_rate is not None else "",
            "questions": [_question(q, v, exam, names) for q in v.questions]}


def _formula(v: CircuitVariant, n: int, names: Names) -> str:
    """A stage's expression as the worked example prints it, in the variant's names."""
    step = v.graph.step(value_of(v.circuit, n))
    formula, reads = step.display or (step.formula, step.reads)
    return DerivePrinter().thin().renamed({s.name: names(q) for s, q in reads}).doprint(formula)


def _question(q: Question, v: CircuitVariant, exam: CircuitExam, names: Names) -> dict[str, Any]:
    """One question: what it asks, its names, the answer and how close counts, and as a learning system asks it."""
    scaled = portable(q.value, q.tolerance, exam.digits)
    return {"number": q.number, "kind": q.kind, "path": circuit_path(q.quantity, v.circuit),
            "name": names(q.quantity), "plain": circuit_name(q.quantity, v.circuit), "asks": ASKS[q.kind],
            "value": plain(q.value, ANSWER_DIGITS), "value_tex": tex(q.value, ANSWER_DIGITS),
            "rounded": exam.digits.written(q.value), "points": "1", "points_value": 1.0,
            "tolerance": fixed_decimals(q.tolerance), "scale": scaled.power,
            "scaled_value": plain(scaled.value, ANSWER_DIGITS), "scaled_tolerance": fixed_decimals(scaled.tolerance)}
