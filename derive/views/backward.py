"""View model of the backward pass: deltas by the chain rule, every weight's gradient, matrix form."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.activations import ACTIVATIONS
from ..core.graph import StepGraph
from ..core.quantities import Quantity as Q
from ..core.symbol_names import NAMES, alpha_symbol, with_example
from .formatting import factor, given, tex
from .forward import input_value, is_identity
from .model import BackwardLayer, MatrixForm
from .printer import DerivePrinter
from .shown import evaluated_on_shown, relation, shown_line, shown_terms, shown_values


def _factor_of(p: DerivePrinter, expr: sp.Expr) -> str:
    """expr printed as a factor of a product: a sum in parentheses."""
    return rf"\left({p.doprint(expr)}\right)" if isinstance(expr, sp.Add) else p.doprint(expr)


@dataclass(frozen=True)
class UnitForms:
    """The formulas one unit's delta is printed with: dl/da, da/dz (None for softmax), a short form or None."""

    dL_da: sp.Expr
    da_dz: sp.Expr | None
    closed: sp.Expr | None
    closed_reads: tuple = ()  # what the short form's symbols stand for in example 1


def unit_forms(graph: StepGraph, l: int, j: int) -> UnitForms:
    """Unit j's steps of layer l as printed (every example's alike): a leaky slope written as its number."""
    layer = graph.spec.layer(l)
    numbers = {alpha_symbol(l): sp.Float(layer.alpha, 15)} if ACTIVATIONS[layer.activation].has_parameter else {}
    shown = (lambda expr: None if expr is None else expr.subs(numbers) if numbers else expr)
    da_dz = None if ACTIVATIONS[layer.activation].vector else graph.step(Q("da_dz", l, 1, j)).formula
    closed, reads = graph.step(Q("delta", l, 1, j)).display or (None, ())
    return UnitForms(graph.step(Q("dl_da", l, 1, j)).formula, shown(da_dz), shown(closed), reads)


def _unit(graph: StepGraph, rule: UnitForms, printers: list[DerivePrinter], l: int, j: int,
          digits: int, rel: dict[Q, str], ell: str) -> dict:
    """delta_j of layer l: each step's formula and the numbers in it, for every example."""
    spec, N, closed = graph.spec, len(graph.spec.inputs), rule.closed
    examples = []
    for n, pn in enumerate(printers, start=1):
        q = Q("delta", l, n, j)
        dL_da = shown_line(graph, Q("dl_da", l, n, j), None, digits, rel[Q("dl_da", l, n, j)], pn)
        delta = graph.value(q)
        e = {"n": n, "a": pn.name(NAMES.a(l, j)), "z": pn.name(NAMES.z(l, j)),
             "delta": pn.name(NAMES.delta(l, j)), "ell": with_example(ell, n, N),
             "dL_da": dL_da.formula, "dL_da_num": dL_da.substituted, "dL_da_val": dL_da.value,
             "dL_da_factor": factor(graph.value(Q("dl_da", l, n, j)), digits), "dL_da_rel": dL_da.relation,
             "delta_val": tex(delta, digits), "delta_factor": factor(delta, digits),
             "delta_rel": rel[q], "closed": "", "closed_num": "", "product": ""}
        if rule.da_dz is not None:
            da_dz = shown_line(graph, Q("da_dz", l, n, j), None, digits, rel[Q("da_dz", l, n, j)], pn, rule.da_dz)
            # a piecewise derivative (ReLU) picks a branch: its value says which, no substitution needed
            e.update({"da_dz": da_dz.formula, "da_dz_num": "" if rule.da_dz.has(sp.Piecewise) else da_dz.substituted,
                      "da_dz_val": da_dz.value, "da_dz_factor": factor(graph.value(Q("da_dz", l, n, j)), digits),
                      "da_dz_rel": da_dz.relation})
        if closed is not None:
            # the two factors side by side, so the reader sees what cancels before the short form;
            # the identity's factor is 1, and its delta is its dL/da: nothing to multiply out
            product = "" if rule.da_dz is None or is_identity(spec.layer(l).activation) else \
                f"{_factor_of(pn, rule.dL_da)} \\cdot {_factor_of(pn, rule.da_dz)}"
            reads = tuple((s, r.with_example(n) if r.example else r) for s, r in rule.closed_reads)
            # '=' where the short form on the shown numbers gives the shown delta
            from_shown = evaluated_on_shown(closed, shown_values(graph, reads), digits)
            line = shown_line(graph, q, None, digits, relation(delta, from_shown, digits), pn, closed, reads)
            e.update({"closed": line.formula, "product": product, "closed_num": line.substituted,
                      "delta_rel": line.relation})
        examples.append(e)
    return {"j": j, "examples": examples}


def _parameter(name: str, chain: dict[str, str], factors: list[tuple[str, str]], g: Any, g_rel: str,
               old: str, new: Any, new_rel: str, digits: int, terms: tuple[str, ...] = ()) -> dict:
    """One weight or bias: its chain-rule factors per example, gradient and updated value.

    terms are the gradient step's terms with their numbers, as shown_line prints them: one per example
    (delta times input), or per unit and example for a shared bias.
    """
    return {"name": name, **chain, "factors": factors, "terms": list(terms), "value": tex(g, digits), "rel": g_rel,
            "value_factor": factor(g, digits), "old": old, "new": new if isinstance(new, str) else tex(new, digits),
            "new_rel": new_rel}


def _new(graph: StepGraph, q: Q) -> Any:
    """A parameter's value after the step: the updated one, a fixed bias as written, nothing without updates."""
    spec = graph.spec
    if not spec.updates:
        return ""
    return graph.value(q.updated()) if spec.train_bias or not q.of_bias else given(float(graph.value(q)))


def _bias(graph: StepGraph, p: DerivePrinter, l: int, j: int, chain: dict[str, str],
          factors: list[tuple[str, str]], rel: dict[Q, str], digits: int, lines: bool) -> dict:
    """The bias of unit j (0: the layer's shared one): its gradient from the deltas, and its new value."""
    q, N = Q("b", l, 0, j), len(graph.spec.inputs)
    # a shared bias sums example by example over every unit: delta_1[1] + delta_2[1] + ... + delta_1[2] + ...
    units = range(1, graph.spec.widths[l] + 1) if not j else [j]
    ranks = {with_example(NAMES.delta(l, u), n, N): (n - 1) * len(units) + i
             for n in range(1, N + 1) for i, u in enumerate(units, 1)}
    terms = shown_terms(graph, q.gradient(), digits, p.ranked(ranks)) if lines else ()
    return {**_parameter(p.name(NAMES.b(l, j)), chain, factors, graph.value(q.gradient()), rel[q.gradient()],
                         given(float(graph.value(q))), _new(graph, q), rel.get(q.updated(), "="), digits, terms),
            "shared": not j}


def backward_layer(graph: StepGraph, p: DerivePrinter, printers: list[DerivePrinter], l: int, digits: int,
                   rel: dict[Q, str], ell: str, lines: bool = True) -> BackwardLayer:
    """Layer l of the backward pass: its deltas, then every weight's and bias's gradient.

    lines False leaves out the gradients' printed terms, which only the full detail shows.
    """
    spec = graph.spec
    layer, N = spec.layer(l), len(spec.inputs)
    vector = ACTIVATIONS[layer.activation].vector
    forms = [unit_forms(graph, l, j) for j in range(1, layer.units + 1)]
    examples = range(1, N + 1)
    units = [_unit(graph, u, printers, l, j, digits, rel, ell) for j, u in enumerate(forms, start=1)]
    # inside a sum over the examples, each per-example symbol carries the running index n
    each = (lambda name: with_example(name, "n", N))
    weights, biases = [], []
    for unit in units:
        j = unit["j"]
        chain = {"delta": each(p.name(NAMES.delta(l, j))), "a": each(p.name(NAMES.a(l, j))),
                 "z": each(p.name(NAMES.z(l, j))), "ell": each(ell)}
        deltas = [e["delta_factor"] for e in unit["examples"]]
        for k in range(1, spec.widths[l - 1] + 1):
            q = Q("W", l, 0, j, k)
            factors = [(d, input_value(graph, l - 1, n, k, digits)) for d, n in zip(deltas, examples)]
            # example by example, each delta before the input it multiplies
            ranks = {**{with_example(NAMES.delta(l, j), n, N): 2 * n - 1 for n in examples},
                     **{with_example(NAMES.a(l - 1, k), n, N): 2 * n for n in examples}}
            terms = shown_terms(graph, q.gradient(), digits, p.ranked(ranks)) if lines else ()
            weights.append(_parameter(p.name(NAMES.w(l, j, k)), {**chain, "input": each(p.name(NAMES.a(l - 1, k)))},
                                      factors, graph.value(q.gradient()), rel[q.gradient()],
                                      given(float(graph.value(q))), _new(graph, q), rel.get(q.updated(), "="), digits,
                                      terms))
        if not layer.shared_bias:
            biases.append(_bias(graph, p, l, j, {**chain, "input": ""}, [(d, "") for d in deltas], rel, digits,
                                lines))
    if layer.shared_bias:
        # the one bias moves every z of the layer: its gradient sums the deltas of every unit (and example)
        chain = {"delta": r"\sum_{j} " + each(p.name(NAMES.delta(l, "j"))), "input": "", "ell": each(ell)}
        factors = [(unit["examples"][n]["delta_factor"], "") for n in range(N) for unit in units]
        biases.append(_bias(graph, p, l, 0, chain, factors, rel, digits, lines))
    softmax = None
    if vector:
        out = range(1, layer.units + 1)
        softmax = {"simplified": forms[0].closed is not None,
                   "jacobians": [{"n": n, "J": matrix([[graph.value(Q("da_dz", l, n, j, m)) for m in out] for j in out],
                                                      digits),
                                  "dl_da": [tex(graph.value(Q("dl_da", l, n, j)), digits) for j in out],
                                  "delta": [tex(graph.value(Q("delta", l, n, j)), digits) for j in out]}
                                 for n in examples]}
    return {"l": l, "kind": layer.kind, "output": l == len(spec.layers), "activation": layer.activation,
            "units": units,
            "identity": is_identity(layer.activation), "closed": not vector and any(u.closed is not None for u in forms),
            "weights": weights, "biases": biases, "softmax": softmax, "next": l + 1,
            "train_bias": spec.train_bias}


def matrix(rows: list[list[Any]], digits: int) -> list[list[str]]:
    """A matrix of numbers as rows of LaTeX strings."""
    return [[tex(v, digits) for v in row] for row in rows]


def matrix_form(graph: StepGraph, digits: int) -> MatrixForm:
    """The layer-wise matrix equations with each matrix's numbers and dimensions."""
    spec, value = graph.spec, graph.value
    N, widths = len(spec.inputs), spec.widths
    # what each matrix is, in words, is the template's (matrix_table.j2); here its name, kind and dimensions
    table = [{"name": "X = A^{(0)}", "what": "inputs", "l": 0, "shared": False, "dims": f"{N} \\times {widths[0]}"}]
    layers = []
    for l, layer in enumerate(spec.layers, start=1):
        n_out, n_in = widths[l], widths[l - 1]
        row = (lambda name, what, dims: {"name": name, "what": what, "l": l, "shared": layer.shared_bias, "dims": dims})
        table += [
            row(f"W^{{({l})}}", "weights", f"{n_out} \\times {n_in}"),
            row(f"b^{{({l})}}", "bias", r"\text{one number}" if layer.shared_bias else f"{n_out}"),
            row(f"Z^{{({l})}}", "z", f"{N} \\times {n_out}"),
            row(f"A^{{({l})}}", "a", f"{N} \\times {n_out}"),
            row(f"\\Delta^{{({l})}}", "delta", f"{N} \\times {n_out}"),
            row(f"\\partial L / \\partial W^{{({l})}}", "dW", f"{n_out} \\times {n_in}"),
        ]
        units, inputs, examples = range(1, n_out + 1), range(1, n_in + 1), range(1, N + 1)
        grid = (lambda kind: [[value(Q(kind, l, 0, j, k)) for k in inputs] for j in units])
        biases = [Q("b", l, 0, j) for j in layer.bias_units]
        layers.append({"l": l, "activation": layer.activation, "output": l == len(spec.layers),
                       "shared_bias": layer.shared_bias,
                       "delta": matrix([[value(Q("delta", l, n, j)) for j in units] for n in examples], digits),
                       "dW": matrix(grid("dW"), digits),
                       "db": [tex(value(b.gradient()), digits) for b in biases],
                       "W_new": matrix(grid("W_new") if spec.updates else [], digits),
                       "b_new": [] if not spec.updates else [tex(value(b.updated()), digits) for b in biases]
                       if spec.train_bias else [given(float(value(b))) for b in biases]})
    return {"table": table, "layers": layers, "batch": N, "L": len(spec.layers), "T_dims": f"{N} \\times {widths[-1]}"}
