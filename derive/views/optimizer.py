"""View model of the optimizer: its rule in textbook order, one weight worked through two steps, every first step."""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..core.history import second_step
from ..core.naming import latex_name_in
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.spec import Spec
from ..core.symbol_names import STATE_LETTERS
from ..core.updates import LAMBDA, T, UPDATE_RULES, Symbols, UpdateRule, update_constants
from .formatting import as_factor, factor, given, tex
from .printer import DerivePrinter
from .shown import ShownLine, evaluated_on_shown, formula_line, relation, rounded

WORKED = Q("W", 1, 0, 1, 1)  # the parameter worked through two steps: the first weight, always trained


def _symbols(rule: UpdateRule, spec: Spec, before: str, now: str) -> tuple[Symbols, sp.Symbol, dict[str, int]]:
    """The rule's symbols between steps `before` and `now` (t-1 and t, or 0 and 1), the loss's
    gradient, and the ranks that write the formulas in textbook order."""
    theta, g = sp.Symbol(rf"\theta_{{{before}}}"), sp.Symbol(f"g_{{{now}}}")
    gradient = sp.Symbol(rf"\frac{{\partial L}}{{\partial \theta_{{{before}}}}}")
    decoupled = bool(spec.weight_decay) and rule.decoupled
    symbols = Symbols(theta * (1 - sp.Symbol(r"\eta") * LAMBDA) if decoupled else theta, g,
                      {s: sp.Symbol(f"{STATE_LETTERS[s]}_{{{before}}}") for s in rule.carried},
                      {s: sp.Symbol(f"{STATE_LETTERS[s]}_{{{now}}}") for s in rule.state})
    # the loss's gradient, the weight, the state carried in, the gradient, this step's state; constants last
    ranks = {gradient.name: 0, theta.name: 1, **{x.name: 2 for x in symbols.before.values()}, g.name: 3,
             **{x.name: 4 for x in symbols.now.values()}}
    return symbols, gradient, ranks


def _formulas(spec: Spec, before: str, now: str) -> tuple[list[tuple[str, str, sp.Expr]], dict[str, int]]:
    """(what, left side, formula) for g, each state and the new value, and the ranks to print them with."""
    rule = UPDATE_RULES[spec.optimizer.name]
    symbols, gradient, ranks = _symbols(rule, spec, before, now)
    formulas = rule.formulas(symbols, {**rule.defaults, **spec.optimizer.values})
    g = gradient + LAMBDA * sp.Symbol(rf"\theta_{{{before}}}") if spec.weight_decay and not rule.decoupled else gradient
    return ([("g", symbols.g.name, g)] + [(s, symbols.now[s].name, formulas[s]) for s in rule.state]
            + [("new", rf"\theta_{{{now}}}", formulas["new"])]), ranks


def _rule_lines(spec: Spec, p: DerivePrinter) -> list[list[Any]]:
    """The rule for one parameter at step t, as (left side, [right side]) LaTeX pairs: g_t, each state, theta_t."""
    formulas, ranks = _formulas(spec, "t-1", "t")
    return [[lhs, ShownLine(lhs, p.ranked(ranks).doprint(f), "", "", "").parts()] for _, lhs, f in formulas]


def _constants(spec: Spec) -> list[str]:
    """The rule's numbers as equations: \\eta = 0.5, \\beta_{1} = 0.9, \\lambda = 0.01."""
    return [f"{symbol.name} = {given(value)}" for symbol, value in update_constants(spec).items()]


def _written(spec: Spec, q: Q) -> float:
    """A weight or bias as the spec wrote it."""
    layer = spec.layer(q.layer)
    return layer.bias_of(q.unit) if q.of_bias else layer.weight(q.unit, q.input)


def _gradient(q: Q, decayed: bool) -> Q:
    """What the rule calls g for parameter q: its gradient, with the decay term where it is added."""
    return q.state("g") if decayed and not q.of_bias else q.gradient()


def _worked_step(spec: Spec, t: int, now: dict[Q, Any], before: dict[Q, Any] | None, p: DerivePrinter,
                 digits: int) -> list[list[Any]]:
    """The worked weight's lines at step t: each formula, the numbers in it, its value.

    now holds the values of step t; before those of step t - 1 (None at t = 1, where the state is 0).
    """
    rule = UPDATE_RULES[spec.optimizer.name]
    formulas, ranks = _formulas(spec, str(t - 1), str(t))
    printer = p.ranked(ranks).renamed({T.name: str(t)})
    constants = update_constants(spec)
    # each symbol's shown text and the number a reader computes with: constants and the spec's weight as written
    shown: dict[str, tuple[str, Any]] = {s.name: (as_factor(given(v)), v) for s, v in constants.items()}
    shown[T.name] = (str(t), t)
    start = (as_factor(given(_written(spec, WORKED))), _written(spec, WORKED)) if before is None else \
        (factor(before[WORKED.updated()], digits), rounded(before[WORKED.updated()], digits))
    shown[rf"\theta_{{{t - 1}}}"] = start
    shown[rf"\frac{{\partial L}}{{\partial \theta_{{{t - 1}}}}}"] = _number(now[WORKED.gradient()], digits)
    for s in rule.carried:
        shown[f"{STATE_LETTERS[s]}_{{{t - 1}}}"] = ("0", 0) if before is None else \
            _number(before[WORKED.state(s)], digits)
    decayed = bool(spec.weight_decay) and not rule.decoupled
    lines = []
    for what, lhs, formula in formulas:
        q = WORKED.updated() if what == "new" else _gradient(WORKED, decayed) if what == "g" else WORKED.state(what)
        value = now[q]
        if formula.is_Symbol:  # g is the loss's gradient itself: nothing to substitute
            line = ShownLine(lhs, printer.doprint(formula), "", "", tex(value, digits))
        else:
            from_shown = evaluated_on_shown(formula, {name: x for name, (_, x) in shown.items()}, digits)
            line = formula_line(formula, {name: text for name, (text, _) in shown.items()}, value,
                                relation(value, from_shown, digits), printer, digits, lhs)
        lines.append([lhs, line.parts()])
        shown[lhs] = _number(value, digits)
    return lines


def _number(x: Any, digits: int) -> tuple[str, Any]:
    """A computed value as a factor and as the rounded number a reader goes on with."""
    return factor(x, digits), rounded(x, digits)


def _rows(run: Run, notation: str, digits: int) -> list[dict[str, Any]]:
    """Every trained parameter's first step: its g, each state value, its new value."""
    spec = run.graph.spec
    rule = UPDATE_RULES[spec.optimizer.name]
    decayed, rows = bool(spec.weight_decay) and not rule.decoupled, []
    for step in run.graph.steps:
        q = step.quantity
        if q.role != "update" or step.formula.is_Symbol:
            continue  # a fixed bias keeps its value: no row
        p = q.parameter()
        values = [run.graph.value(_gradient(p, decayed))] + [run.graph.value(p.state(s)) for s in rule.state]
        rows.append({"name": latex_name_in(p, spec, notation), "row": [tex(v, digits) for v in values],
                     "new": tex(step.value, digits)})
    return rows


def optimizer_view(run: Run, p: DerivePrinter, notation: str, digits: int) -> dict[str, Any] | None:
    """The optimizer of section 5: its rule, its numbers, the first weight worked through two steps, all first steps."""
    spec = run.graph.spec
    if not spec.updates:
        return None
    rule = UPDATE_RULES[spec.optimizer.name]
    # a rule without state and no decay is plain gradient descent: documents read as ever, without this section
    plain = not rule.state and not spec.weight_decay
    values, worked = {s.quantity: s.value for s in run.graph.steps}, []
    if not plain:
        worked.append({"t": 1, "lines": _worked_step(spec, 1, values, None, p, digits)})
    # step 2 only where the spec takes it: every number shown belongs to a step the document is about
    if not plain and spec.steps > 1:
        worked.append({"t": 2, "lines": _worked_step(spec, 2, second_step(run.graph), values, p, digits)})
    # the call as the spec makes it: weight decay is one of its arguments
    torch = rule.torch[:-1] + ", weight_decay)" if spec.weight_decay else rule.torch
    return {"name": rule.name, "title": rule.title, "torch": torch, "plain": plain,
            "decay": given(spec.weight_decay) if spec.weight_decay else "", "decoupled": rule.decoupled,
            "rule": _rule_lines(spec, p), "constants": _constants(spec),
            "columns": ["g"] + [STATE_LETTERS[s] for s in rule.state],
            "worked": {"name": latex_name_in(WORKED, spec, notation), "start": given(_written(spec, WORKED)),
                       "steps": worked},
            "parameters": _rows(run, notation, digits), "state": bool(rule.carried)}
