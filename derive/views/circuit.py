"""View model of a circuit's worked example: the stages, the forward pass, the backward pass gate by gate."""
from __future__ import annotations

import re
from typing import Any


from ..core.circuit import Circuit, circuit_history, grad_of, inputs_of, local_of, updated_of, value_of
from ..core.circuit_names import circuit_latex_name, circuit_quantity, node_latex
from ..core.gates import gate_pattern as pattern
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..oracles.checks import CheckReport
from .formatting import as_factor, given, plain, tex
from .printer import DerivePrinter
from .shown import ShownLine, relations, shown_line

def chain(line: ShownLine) -> list[Any]:
    """A line as [name, steps] for the templates' chains, without repeats: ∂d/∂c = 1, not 1 = 1 = 1."""
    steps: list[Any] = [line.formula]
    if line.substituted not in (line.formula, as_factor(line.value)):
        steps.append(line.substituted)
    if line.value != line.formula:
        steps.append([line.relation, line.value])
    return [line.name, steps]


class Names:
    """Every circuit quantity's LaTeX name (core.circuit_names): w_{0}, ∂f/∂w_{0}, ∂d/∂c, w_{0}^new."""

    def __init__(self, circuit: Circuit):
        self.circuit = circuit
        self.symbols = [node_latex(s.name) for s in circuit.symbols]
        self.output = node_latex(circuit.output)

    def __call__(self, q: Quantity) -> str:
        return circuit_latex_name(q, self.circuit)


def _written_order(text: str) -> dict[str, int]:
    """Each name's rank by where it first appears in a stage's text."""
    ranks: dict[str, int] = {}
    for name in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text):
        ranks.setdefault(name, len(ranks))
    return ranks


def circuit_document(graph: StepGraph, checks: CheckReport, digits: int = 6) -> dict[str, Any]:
    """Everything the circuit templates receive: the stages, each forward line, each gate worked back, the table."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    # a product of names with a thin space between them: q\, z, \mathit{num}\, \mathit{invden}
    name, rel, p = Names(circuit), relations(graph, digits), DerivePrinter().thin()
    n_given, output = len(circuit.given), circuit.node(circuit.output)
    # each step printed in its display form where it has one (σ(d), not 1/(1 + e^{-d}); f(1 - f))
    line = (lambda q, printer=p: chain(shown_line(graph, q, name, digits, rel.get(q, "="), printer,
                                                  *(graph.step(q).display or (None, None)))))
    stages, backward = [], []
    for n, stage in zip(circuit.stage_nodes, circuit.stages):
        # a stage's terms and factors in the order it was written: x + sigy, not sigy + x
        worked = line(value_of(circuit, n), p.ranked(_written_order(stage.text)))
        stages.append({"name": name.symbols[n - 1], "plain": stage.name, "text": stage.text,
                       "pattern": pattern(stage.display), "chain": worked,
                       "equation": f"{worked[0]} = {worked[1][0]}"})
    for n in [*range(output, n_given, -1), *range(1, n_given + 1)]:
        consumers = [c for c in circuit.stage_nodes if n in inputs_of(circuit, c) and c <= output]
        step = {"name": name.symbols[n - 1], "plain": circuit.nodes[n - 1], "given": n <= n_given,
                "output": n == output, "fork": len(consumers) > 1,
                "from": [name.symbols[c - 1] for c in consumers],
                "gradient_chain": line(grad_of(n)), "value": tex(graph.value(grad_of(n)), digits), "locals": []}
        if n > n_given:
            stage = circuit.stages[n - n_given - 1]
            step["pattern"] = pattern(stage.display)
            step["locals"] = [{"input": name.symbols[k - 1], "chain": line(local_of(n, k))}
                              for k in inputs_of(circuit, n)]
        backward.append(step)
    table = [{"name": name.symbols[n - 1], "value": given(v), "gradient": tex(graph.value(grad_of(n)), digits)}
             for n, (_, v) in enumerate(circuit.given, start=1)]
    return {"title": circuit.name, "output": name.output, "expression": circuit.expression, "output_plain": circuit.output, "digits": digits,
            "given": [{"name": name.symbols[n - 1], "value": given(v),
                       "equation": f"{name.symbols[n - 1]} = {given(v)}"} for n, (_, v) in enumerate(circuit.given, 1)],
            "stages": stages, "backward": backward, "table": table,
            "result": tex(graph.value(value_of(circuit, output)), digits),
            "picture": _picture(graph, min(digits, PICTURE_DIGITS)),
            "updates": _updates(graph, line, digits),
            "published": [{**c, "name": name(circuit_quantity(c["quantity"], circuit)), "ours": tex(c["ours"], digits)}
                          for c in published_numbers(graph)],
            "checks_ran": [c.name for c in checks.checks if c.ran],
            "checks_not_run": [c.name for c in checks.checks if not c.ran],
            "checks": [{"name": c.name, "method": c.method, "ran": c.ran, "compared": c.compared,
                        "error": plain(c.max_abs_error, 2), "note": c.note} for c in checks.checks]}


PICTURE_DIGITS = 4  # a wire's labels, as lectures round them


def _updates(graph: StepGraph, line: Any, digits: int) -> dict[str, Any] | None:
    """The step down the gradient: the learning rate, each parameter's new value, the output before and after."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    if circuit.learning_rate is None:
        return None
    history = circuit_history(graph)
    return {"eta": given(circuit.learning_rate), "steps": circuit.steps,
            "lines": [line(updated_of(circuit.node(p))) for p in circuit.parameters],
            "history": [{"step": t, "value": tex(v, digits)} for t, v in enumerate(history)]}


def _picture(graph: StepGraph, digits: int) -> dict[str, Any]:
    """The nodes (given or a gate's pattern, the nodes it reads) and every wire with its value and gradient."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    n_given, stages = len(circuit.given), {n: s for n, s in zip(circuit.stage_nodes, circuit.stages)}
    tex_names = Names(circuit).symbols
    nodes = [{"name": name, "tex_name": tex_names[n - 1], "given": n <= n_given,
              "pattern": "" if n <= n_given else pattern(stages[n].display),
              "reads": [k - 1 for k in inputs_of(circuit, n)] if n > n_given else []}
             for n, name in enumerate(circuit.nodes, start=1)]
    # along each wire flows back the gate's gradient times its local gradient by the wire's source
    def labels(value: Any, gradient: Any) -> dict[str, str]:
        # as text (a minus sign, not a hyphen) and as LaTeX
        return {"value": plain(value, digits).replace("-", "\u2212"), "value_tex": tex(value, digits),
                "gradient": plain(gradient, digits).replace("-", "\u2212"), "gradient_tex": tex(gradient, digits)}
    wires = [{"from": k - 1, "to": c - 1,
              **labels(graph.value(value_of(circuit, k)), graph.value(grad_of(c)) * graph.value(local_of(c, k)))}
             for c in circuit.stage_nodes for k in inputs_of(circuit, c)]
    out = circuit.node(circuit.output)
    return {"nodes": nodes, "wires": wires, "output": labels(graph.value(value_of(circuit, out)), 1)}


def published_numbers(graph: StepGraph) -> list[dict[str, Any]]:
    """Each number a source prints against derive's: whether it agrees to the digits printed, and, where it does
    not, the mistakes of the catalogue (or slips) that give it."""
    from ..check.catalogue import describe
    from ..check.mistakes import diagnose
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    found = []
    for p in circuit.published:
        q = circuit_quantity(p.path, circuit)
        ours, half = graph.value(q), 0.5 * 10.0 ** -p.decimals
        agrees = abs(float(ours) - p.value) <= half * (1 + 1e-9)
        named = [] if agrees else diagnose(graph, {q: p.value}, {q: half}, [q], slipped=True)[q]
        found.append({"quantity": p.path, "value": p.value, "written": given(p.value) if not p.decimals else
                      f"{p.value:.{p.decimals}f}", "source": p.source, "ours": ours, "agrees": agrees,
                      "mistakes": named, "explained": [describe(m, circuit, "layer") for m in named]})
    return found


def circuit_data(graph: StepGraph, checks: CheckReport) -> dict[str, Any]:
    """Every number of the circuit as JSON: values and gradients by name, each stage's local gradients."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    nodes, output = circuit.nodes, circuit.node(circuit.output)
    value = (lambda q: float(graph.value(q)))
    return {
        "name": circuit.name, "output": circuit.output,
        "stages": [{"name": s.name, "expression": s.text} for s in circuit.stages],
        "at": dict(circuit.given),
        "values": {nodes[n - 1]: value(value_of(circuit, n)) for n in range(1, len(nodes) + 1)},
        "gradients": {nodes[n - 1]: value(grad_of(n)) for n in range(1, output + 1)},
        "local": {nodes[n - 1]: {nodes[k - 1]: value(local_of(n, k)) for k in inputs_of(circuit, n)}
                  for n in circuit.stage_nodes},
        "checks": [{"name": c.name, "method": c.method, "ran": c.ran, "compared": c.compared,
                    "max_abs_error": c.max_abs_error, "passed": c.passed, "note": c.note} for c in checks.checks],
        **({} if not circuit.published else {
            "published": [{"quantity": c["quantity"], "value": c["value"], "ours": float(c["ours"]),
                           "agrees": c["agrees"], "mistakes": c["mistakes"]} for c in published_numbers(graph)]}),
        **({} if circuit.learning_rate is None else {
            "learning_rate": circuit.learning_rate, "steps": circuit.steps,
            "updated": {p: value(updated_of(circuit.node(p))) for p in circuit.parameters},
            "history": [float(v) for v in circuit_history(graph)]}),
    }
