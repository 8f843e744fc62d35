"""The view model of a feedback document: every answer marked, and the right derivation beside each wrong one."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sympy as sp

from ..check.catalogue import describe
from ..check.marking import Mark, Marking
from ..core.graph import StepGraph
from ..core.circuit_names import is_circuit_quantity
from ..core.naming import json_path_in, latex_name_in
from .formatting import plain, tex
from .shown import shown_line

STATUS_WORDS = {"correct": "correct", "carried_forward": "right from your own earlier values",
                "wrong": "wrong", "not_answered": "not answered"}


def _display(formula: sp.Expr) -> sp.Expr:
    """The formula as a textbook prints it: softmax without the shift by the largest z, which cancels."""
    return formula.replace(sp.Max, lambda *args: sp.Integer(0))


NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))(?:[eE]([-+]?\d+))?$")


def given_tex(text: str) -> str:
    """A number as the person wrote it, as LaTeX: its digits kept, 1.5e-3 as 1.5 \\times 10^{-3}."""
    match = NUMBER.fullmatch(text.strip())
    if not match:
        return r"\text{?}"
    mantissa, exponent = match.groups()
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


# Reads whose own formula is shown inside the step's: a hidden unit's ∂ℓ/∂a, the sum over the paths
# through the next layer, so that a slip inside the sum is visible in a δ's one line.
INLINED = frozenset({"dl_da"})


def _inlined(graph: StepGraph, step) -> tuple[sp.Expr, tuple]:
    """The step's formula with each INLINED read replaced by that read's own formula, and every read."""
    formula, reads = step.formula, list(step.reads)
    for symbol, q in step.reads:
        inner = graph.step(q)
        if q.kind in INLINED and not inner.given and inner.reads:
            formula = formula.subs(symbol, inner.formula)
            reads += [r for r in inner.reads if r not in reads]
    return formula, tuple(reads)


def derivation(graph: StepGraph, mark: Mark, notation: str, digits: int, inline: bool = False,
               written: dict | None = None) -> dict[str, Any]:
    """The step's formula, the key's numbers substituted into it, and its value, beside the person's.

    inline shows a hidden δ's ∂ℓ/∂a as its sum over the paths, in the same line; written names
    quantities a mistake is about as the answers file did.
    """
    spec = graph.spec
    step = graph.step(mark.quantity)
    formula, reads = _inlined(graph, step) if inline else (step.formula, step.reads)
    if is_circuit_quantity(mark.quantity) and step.display:  # a circuit's stage as written: σ(d), not 1/(1 + e^-d)
        formula, reads = step.display
    # each symbol printed as the quantity it reads is named in the notation, with its example:
    # dL/dw_1 in the numbered notation, a^{(2)[3]}_1 in a batch
    line = shown_line(graph, mark.quantity, lambda q: latex_name_in(q, spec, notation), digits,
                      formula=_display(formula), reads=reads)
    expected = tex(mark.expected, digits)
    return {"name": line.name, "formula": line.formula,
            "substituted": "" if line.substituted == expected else line.substituted,
            "expected": expected, "given": given_tex(mark.answer.text),
            "carried": tex(mark.carried, digits) if mark.carried is not None and mark.status == "carried_forward" else "",
            "status": mark.status, "mistakes": [describe(m, spec, notation, written) for m in mark.mistakes]}


def feedback_document(graph: StepGraph, marking: Marking, notation: str, digits: int = 6,
                      title: str = "") -> dict[str, Any]:
    """Everything a feedback template receives: a summary, a row per answer, the wrong steps worked."""
    spec = graph.spec
    written = {m.quantity: m.answer.name for m in marking.marks}
    rows = [{"name": latex_name_in(m.quantity, spec, notation),
             "path": json_path_in(m.quantity, spec), "written": m.answer.name,
             "given": given_tex(m.answer.text) if m.answer.text else "", "expected": tex(m.expected, digits), "tolerance": plain(m.tolerance, 2),
             "status": m.status, "status_words": STATUS_WORDS[m.status],
             "mistakes": [describe(x, spec, notation, written) for x in m.mistakes]}
            for m in marking.marks]
    first = marking.first_wrong
    return {
        "title": title or spec.name or "Worked example",
        "source": Path(marking.source).name,  # the file's own name, not where the marker keeps it
        "passed": marking.passed,
        "counts": {s: marking.count(s) for s in STATUS_WORDS},
        "answered": sum(m.status != "not_answered" for m in marking.marks),
        "first_wrong": derivation(graph, first, notation, digits, True, written) if first else None,
        "rows": rows,
        "steps": [derivation(graph, m, notation, digits, written=written) for m in marking.marks
                  if m.status == "wrong"],
    }
