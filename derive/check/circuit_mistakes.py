"""The mistakes of working a circuit back by hand: each one's id, words, the quantities it can strike, its formulas."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp

from ..core.circuit import Circuit, grad_of, inputs_of, local_of, value_of
from ..core.circuit_names import circuit_path
from ..core.gates import gate_pattern as pattern
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.rewrites import Formula

Rewrite = Callable[[StepGraph, Quantity], dict[Quantity, Formula]]


@dataclass(frozen=True)
class CircuitMistake:
    """One mistake made at one quantity (its subject): an id for JSON, words with {subject}, the formula it gives."""

    name: str
    title: str
    subjects: Callable[[Circuit], list[Quantity]]
    rewrite: Rewrite
    subject: Quantity | None = None
    path: str = ""  # the subject's JSON path in the circuit's JSON: local.q.x

    @property
    def id(self) -> str:
        """The name in marks and JSON: fork_path_left_out:local.q.x."""
        return f"{self.name}:{self.path}"

    def rewritten(self, graph: StepGraph) -> tuple[dict[Quantity, Formula], None]:
        """The formulas of someone who makes this mistake at its subject, in the graph's own symbols."""
        assert self.subject is not None
        return self.rewrite(graph, self.subject), None


def _stages(circuit: Circuit, *patterns: str) -> list[tuple[int, object]]:
    return [(n, s) for n, s in zip(circuit.stage_nodes, circuit.stages) if pattern(s.display) in patterns]


def _consumers(circuit: Circuit, n: int) -> list[int]:
    output = circuit.node(circuit.output)
    return [c for c in circuit.stage_nodes if c <= output and n in inputs_of(circuit, c)]


def _fork_paths(circuit: Circuit) -> list[Quantity]:
    """Each path out of a fork: the local derivative of a gate by a node that feeds several."""
    return [local_of(c, n) for n in range(1, len(circuit.nodes) + 1) if len(_consumers(circuit, n)) > 1
            for c in _consumers(circuit, n)]


def _without_path(graph: StepGraph, path: Quantity) -> dict[Quantity, Formula]:
    # the gradient of the fork's node without the term that comes back along this path
    stage, node = path.index
    step = graph.step(grad_of(node))
    terms = [t for t in sp.Add.make_args(step.formula)
             if not any(q == path for s, q in step.reads if s in t.free_symbols)]
    kept = sp.Add(*terms)
    return {grad_of(node): (kept, tuple(r for r in step.reads if r[0] in kept.free_symbols))}


def _multiply_inputs(circuit: Circuit) -> list[Quantity]:
    return [local_of(n, k) for n, _ in _stages(circuit, "multiply") for k in inputs_of(circuit, n)]


def _not_swapped(graph: StepGraph, local: Quantity) -> dict[Quantity, Formula]:
    # the input's own value as its local gradient, not the other input's
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    own = sp.Symbol("own")
    return {local: (own, ((own, value_of(circuit, local.index[1])),))}


def _routing_gates(circuit: Circuit) -> list[Quantity]:
    return [value_of(circuit, n) for n, _ in _stages(circuit, "max", "min")]


def _sent_to_all(graph: StepGraph, gate: Quantity) -> dict[Quantity, Formula]:
    # every input's local gradient 1: the gradient sent to all of them
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    n = gate.index[0]
    return {local_of(n, k): (sp.Integer(1), ()) for k in inputs_of(circuit, n)}


def _downstream(circuit: Circuit) -> list[Quantity]:
    """Every node's gradient that comes from a gate's (not the output's own)."""
    output = circuit.node(circuit.output)
    return [grad_of(n) for n in range(1, output) if _consumers(circuit, n)]


def _local_alone(graph: StepGraph, gradient: Quantity) -> dict[Quantity, Formula]:
    # the sum of the local gradients alone, each upstream gradient left out
    step = graph.step(gradient)
    locals_ = tuple(r for r in step.reads if r[1].kind == "local")
    return {gradient: (sp.Add(*(s for s, _ in locals_)), locals_)}


def _subtracted(circuit: Circuit) -> list[Quantity]:
    found = []
    for n, stage in _stages(circuit, "subtract"):
        negative = {(-t).name for t in stage.display.args if not t.is_Symbol}  # type: ignore[attr-defined]
        found += [local_of(n, k) for k in inputs_of(circuit, n) if circuit.nodes[k - 1] in negative]
    return found


def _sign_dropped(graph: StepGraph, local: Quantity) -> dict[Quantity, Formula]:
    return {local: (sp.Integer(1), ())}


CIRCUIT_MISTAKES: dict[str, CircuitMistake] = {m.name: m for m in (
    CircuitMistake("fork_path_left_out", "at a fork, the path through {gate} left out of the gradient of {node}: "
                   "gradients add where a value feeds several gates", _fork_paths, _without_path),
    CircuitMistake("multiply_not_swapped", "the multiply gate {gate}'s local gradient by {node} taken as {node} "
                   "itself, not the other input", _multiply_inputs, _not_swapped),
    CircuitMistake("max_to_every_input", "the {pattern} gate {gate} sent the gradient to every input, not only to "
                   "the one it chose", _routing_gates, _sent_to_all),
    CircuitMistake("upstream_not_multiplied", "the gradient of {node} taken as the local gradient alone: the "
                   "upstream gradient not multiplied in", _downstream, _local_alone),
    CircuitMistake("subtraction_sign_dropped", "the minus of {node} in the subtraction {gate} dropped: its local "
                   "gradient taken as 1, not −1", _subtracted, _sign_dropped),
)}


def circuit_instances(circuit: Circuit) -> list[CircuitMistake]:
    """Every mistake that can happen on this circuit, one per subject."""
    return [replace(m, subject=q, path=circuit_path(q, circuit)) for m in CIRCUIT_MISTAKES.values()
            for q in m.subjects(circuit)]


def describe_circuit_mistake(name: str, circuit: Circuit) -> str:
    """The words of a mistake's id (name:path), its gate and node by the names the document prints."""
    family, _, path = name.partition(":")
    mistake = CIRCUIT_MISTAKES[family]
    subject = next(q for q in mistake.subjects(circuit) if circuit_path(q, circuit) == path)
    gate = circuit.nodes[subject.index[0] - 1]
    node = circuit.nodes[subject.index[-1] - 1]
    stage = circuit.stages[subject.index[0] - len(circuit.given) - 1] if subject.index[0] > len(circuit.given) \
        else None
    return mistake.title.format(gate=gate, node=node, pattern=pattern(stage.display) if stage else "")
