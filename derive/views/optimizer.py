"""View model of the optimizer: its rule written out, and every state value of the first step substituted."""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..core.evaluate import Evaluation
from ..core.graph import Step
from ..core.names import STATE_LETTERS
from ..core.naming import latex_name_in
from ..core.quantities import Quantity as Q
from ..core.spec import Spec
from ..core.updates import ETA, LAMBDA, UPDATE_RULES, Symbols, example_state, update_constants
from .formatting import as_factor, factor, given, tex
from .printer import DerivePrinter

_GIVEN = ("W", "b")  # numbers of the spec, shown as written


def _rule_lines(spec: Spec, p: DerivePrinter) -> list[list[str]]:
    """The rule for one weight at step t, as (left side, [right side]) LaTeX pairs: g_t, each state, w_t."""
    rule = UPDATE_RULES[spec.optimizer.name]
    settings = {**rule.defaults, **spec.optimizer.values}
    w, g = sp.Symbol("w_{t-1}"), sp.Symbol("g_{t}")
    decoupled = bool(spec.weight_decay) and rule.decoupled
    symbols = Symbols(w * (1 - ETA * LAMBDA) if decoupled else w, g,
                      {s: sp.Symbol(f"{STATE_LETTERS[s]}_{{t-1}}") for s in rule.carried},
                      {s: sp.Symbol(f"{STATE_LETTERS[s]}_{{t}}") for s in rule.state})
    formulas = rule.formulas(symbols, settings)
    gradient = sp.Symbol(r"\frac{\partial L}{\partial w_{t-1}}")
    lines = [["g_{t}", [p.doprint(gradient + LAMBDA * w if spec.weight_decay and not rule.decoupled else gradient)]]]
    lines += [[f"{STATE_LETTERS[s]}_{{t}}", [p.doprint(formulas[s])]] for s in rule.state]
    return lines + [["w_{t}", [p.doprint(formulas["new"])]]]


def _constants(spec: Spec) -> list[str]:
    """The rule's numbers as equations: \\eta = 0.5, \\beta_{1} = 0.9, \\lambda = 0.01."""
    return [f"{symbol.name} = {given(value)}" for symbol, value in update_constants(spec).items()]


def _line(step: Step, ev: Evaluation, notation: str, p: DerivePrinter, digits: int, rel: dict[Q, str],
          constants: dict[str, str]) -> list[Any]:
    """One state value or new value: its name, its formula, the numbers in it, and its value."""
    spec, graph = ev.graph.spec, ev.graph
    named = p.renamed({s.name: latex_name_in(q, spec, notation) for s, q in step.reads})
    numbers = {s.name: factor(graph.value(q), digits) if q.kind not in _GIVEN else as_factor(given(_written(spec, q)))
               for s, q in step.reads}
    return [latex_name_in(step.quantity, spec, notation),
            [named.doprint(step.formula), named.substituted(step.formula, {**numbers, **constants}),
             [rel.get(step.quantity, "="), tex(step.value, digits)]]]


def _written(spec: Spec, q: Q) -> float:
    """A weight or bias as the spec wrote it."""
    layer = spec.layers[q.layer - 1]
    return layer.weights[q.unit - 1][q.input - 1] if q.kind == "W" else layer.bias_of(q.unit)


def optimizer_view(spec: Spec, ev: Evaluation, p: DerivePrinter, notation: str, digits: int,
                   rel: dict[Q, str]) -> dict[str, Any] | None:
    """The optimizer of section 5: its rule, its numbers, and per parameter every value of the first step."""
    if not spec.updates:
        return None
    rule, state = UPDATE_RULES[spec.optimizer.name], example_state(spec)
    constants = {s.name: as_factor(given(v)) for s, v in update_constants(spec).items()}
    parameters: dict[tuple[int, int, int], dict[str, Any]] = {}
    for step in ev.graph.steps:
        q = step.quantity
        if q.kind not in state and (q.role != "update" or step.formula.is_Symbol):
            continue  # a fixed bias keeps its value: no line
        entry = parameters.setdefault((q.layer, q.unit, q.input), {
            "name": latex_name_in(q.parameter(), spec, notation),
            "lines": [], "shown": {}})
        if q.kind == "b_new" and "g_W" in state:  # a bias's g is its gradient: no decay term
            entry["shown"].setdefault("g", tex(ev.graph.value(Q("db", q.layer, 0, q.unit)), digits))
        entry["lines"].append(_line(step, ev, notation, p, digits, rel, constants))
        entry["shown"][q.kind[:-2] if q.kind in state else "new"] = tex(step.value, digits)
    columns = [k[:-2] for k in state if k.endswith("_W")]
    return {"name": rule.name, "title": rule.title, "torch": rule.torch,
            # a rule without state and no decay is plain gradient descent: documents read as ever
            "plain": not rule.state and not spec.weight_decay,
            "decay": given(spec.weight_decay) if spec.weight_decay else "", "decoupled": rule.decoupled,
            "rule": _rule_lines(spec, p), "constants": _constants(spec),
            "columns": [{"key": c, "name": STATE_LETTERS[c]} for c in columns],
            "parameters": [{"name": e["name"], "lines": e["lines"], "row": [e["shown"].get(c, "") for c in columns],
                            "new": e["shown"]["new"]} for e in parameters.values()]}
