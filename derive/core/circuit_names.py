"""A circuit's quantities by name both ways: q, df/dx, dq/dx, w0_new, and JSON paths values.q, gradients.x, local.q.x."""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..errors import AddressError
from .kinds import CIRCUIT_KINDS
from .quantities import Quantity as Q

PATH = re.compile(r"(values|gradients|updated)\.([A-Za-z_][A-Za-z_0-9]*)|local\.([A-Za-z_][A-Za-z_0-9]*)\."
                  r"([A-Za-z_][A-Za-z_0-9]*)")
DERIVATIVE = re.compile(r"d([A-Za-z_][A-Za-z_0-9]*)/d([A-Za-z_][A-Za-z_0-9]*)")


def is_circuit_quantity(q: Q) -> bool:
    """True for the quantities of a circuit (core.kinds.CIRCUIT_KINDS)."""
    return q.kind in CIRCUIT_KINDS


def circuit_name(q: Q, circuit: Any) -> str:
    """The name the documents print a circuit quantity by, in plain text: q, df/dx, dq/dx, w0_new."""
    nodes = circuit.nodes
    name = nodes[q.index[0] - 1]
    if q.kind in ("number", "value"):
        return name
    if q.kind == "updated":
        return f"{name}_new"
    if q.kind == "grad":
        return f"d{circuit.output}/d{name}"
    if name == circuit.output:  # d f/dd names the gradient; the output gate's own local one goes by its path
        return circuit_path(q, circuit)
    return f"d{name}/d{nodes[q.index[1] - 1]}"


def node_latex(name: str) -> str:
    """A node's name as LaTeX: w0 as w_{0}, alpha as \\alpha, a name of several letters as one word, \\mathit{num}."""
    if not re.fullmatch(r"[A-Za-z]+(\d*|_[A-Za-z0-9]+)", name):  # _x, a__b, x_: as written, one word
        return rf"\mathit{{{name.replace('_', chr(92) + '_')}}}"
    printed = sp.latex(sp.Symbol(name))
    match = re.fullmatch(r"([A-Za-z]{2,})(_\{.*\})?", printed)
    return rf"\mathit{{{match.group(1)}}}{match.group(2) or ''}" if match else printed


def circuit_latex_name(q: Q, circuit: Any) -> str:
    """The LaTeX name the documents print a circuit quantity by: w_{0}, ∂f/∂w_{0}, ∂d/∂c, w_{0}^new."""
    nodes = circuit.nodes
    name = node_latex(nodes[q.index[0] - 1])
    if q.kind in ("number", "value"):
        return name
    if q.kind == "updated":
        return rf"{name}^{{\text{{new}}}}"
    top = node_latex(circuit.output) if q.kind == "grad" else name
    return rf"\frac{{\partial {top}}}{{\partial {node_latex(nodes[q.index[-1] - 1])}}}"


def circuit_path(q: Q, circuit: Any) -> str:
    """The quantity's JSON path: values.q, gradients.x, local.q.x, updated.w0."""
    nodes = circuit.nodes
    name = nodes[q.index[0] - 1]
    if q.kind == "local":
        return f"local.{name}.{nodes[q.index[1] - 1]}"
    return f"{ {'number': 'values', 'value': 'values', 'grad': 'gradients', 'updated': 'updated'}[q.kind] }.{name}"


def circuit_quantity(text: str, circuit: Any) -> Q:
    """The quantity a name (q, df/dx, dq/dx, w0_new) or JSON path names in the circuit, or an AddressError."""
    nodes, given = circuit.nodes, len(circuit.given)
    node = (lambda name: nodes.index(name) + 1 if name in nodes else None)
    value = (lambda n: Q.at("number" if n <= given else "value", 0, (n,)))
    text = text.strip()
    path, derivative = PATH.fullmatch(text), DERIVATIVE.fullmatch(text)
    found: Q | None = None
    if path and path.group(1):
        n = node(path.group(2))
        kind = {"values": None, "gradients": "grad", "updated": "updated"}[path.group(1)]
        found = None if n is None else value(n) if kind is None else Q.at(kind, 0, (n,))
    elif path:
        s, k = node(path.group(3)), node(path.group(4))
        found = None if s is None or k is None else Q.at("local", 0, (s, k))
    elif derivative:
        top, by = derivative.groups()
        s, k = node(top), node(by)
        if s is not None and k is not None:
            found = Q.at("grad", 0, (k,)) if top == circuit.output else Q.at("local", 0, (s, k))
    elif text.endswith("_new") and node(text[:-4]) is not None:
        found = Q.at("updated", 0, (node(text[:-4]),))
    elif node(text) is not None:
        found = value(node(text))
    if found is None or not _exists(found, circuit):
        examples = ", ".join([*nodes[-1:], f"d{circuit.output}/d{nodes[0]}", f"gradients.{nodes[0]}"])
        raise AddressError(f"{text!r} names no number of this circuit; try names like {examples}")
    return found


def _exists(q: Q, circuit: Any) -> bool:
    """Whether the circuit computes the quantity: a local derivative of a stage by an input it reads, an update
    of a parameter."""
    if q.kind == "local":
        stage, read = q.index
        return stage > len(circuit.given) and circuit.nodes[read - 1] in {
            s.name for s in circuit.stages[stage - len(circuit.given) - 1].display.free_symbols}
    if q.kind == "updated":
        return circuit.learning_rate is not None and circuit.nodes[q.index[0] - 1] in circuit.parameters
    return True
