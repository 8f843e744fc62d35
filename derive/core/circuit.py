"""A computational graph of a scalar expression (a circuit): its stages, and every step worked forward and back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from ..errors import NumericalError
from .codegen import DIGITS, MP
from .updates import ETA
from .gates import SIGMA, computing
from .graph import FLOAT_MAX, Step, StepGraph, compiled_runner
from .graph_build import Draft
from .quantities import Quantity as Q


@dataclass(frozen=True)
class Stage:
    """One stage, name = expression: its display form (lecture functions kept) and the line it was written on."""

    name: str
    display: sp.Expr
    text: str
    line: int = 0


@dataclass(frozen=True)
class Published:
    """A number a source prints for the circuit: which one (its JSON path), as written, and the source."""

    path: str
    value: float
    decimals: int
    source: str = ""


@dataclass(frozen=True)
class Circuit:
    """The given numbers (name, value as written), the stages in order, and the output stage."""

    name: str
    given: tuple[tuple[str, Any], ...]
    stages: tuple[Stage, ...]
    output: str
    symbols: tuple[sp.Symbol, ...]  # every name's symbol, in node order: the given numbers, then the stages
    source: str = ""
    expression: str = ""  # the one expression --expr broke into gates, else ""
    learning_rate: float | None = None  # with parameters: steps of gradient descent on the output
    parameters: tuple[str, ...] = ()  # the given numbers the steps update
    steps: int = 1
    published: tuple[Published, ...] = ()  # numbers a source prints, compared in the document

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every name, given numbers first, then the stages in order."""
        return tuple(s.name for s in self.symbols)

    def node(self, name: str) -> int:
        """A name's node number, from 1."""
        return self.nodes.index(name) + 1

    @property
    def stage_nodes(self) -> range:
        """The node numbers of the stages."""
        return range(len(self.given) + 1, len(self.symbols) + 1)


def value_of(circuit: Circuit, node: int) -> Q:
    """A node's value: a given number's, or a stage's."""
    return Q.at("number" if node <= len(circuit.given) else "value", 0, (node,))


def grad_of(node: int) -> Q:
    """The output's derivative by a node."""
    return Q.at("grad", 0, (node,))


def updated_of(node: int) -> Q:
    """A parameter's value after the step."""
    return Q.at("updated", 0, (node,))


def local_of(stage: int, node: int) -> Q:
    """A stage's local derivative by one of its inputs."""
    return Q.at("local", 0, (stage, node))


def inputs_of(circuit: Circuit, stage: int) -> tuple[int, ...]:
    """The nodes a stage reads, in node order."""
    names = {s.name for s in circuit.stages[stage - len(circuit.given) - 1].display.free_symbols}
    return tuple(n for n, s in enumerate(circuit.symbols, start=1) if s.name in names)


def _textbook(display: sp.Expr, own: sp.Symbol) -> sp.Expr | None:
    """A one-function stage's local derivative in its own value, as lectures write it: σ′ = σ(1 − σ)."""
    if not (display.args and len(display.args) == 1 and display.args[0].is_Symbol):
        return None
    return {SIGMA: own * (1 - own), sp.tanh: 1 - own ** 2, sp.exp: own}.get(display.func)


def circuit_drafts(circuit: Circuit) -> list[Draft]:
    """Every step: the given numbers, the stages, then back from the output each gradient and local derivative."""
    symbols, n_given = circuit.symbols, len(circuit.given)
    reads = {n: tuple((symbols[k - 1], value_of(circuit, k)) for k in inputs_of(circuit, n))
             for n in circuit.stage_nodes}
    drafts = [Draft(value_of(circuit, n), None, (), value) for n, (_, value) in enumerate(circuit.given, start=1)]
    formulas = {}
    for n, stage in zip(circuit.stage_nodes, circuit.stages):
        formulas[n] = computing(stage.display)
        drafts.append(Draft(value_of(circuit, n), formulas[n], reads[n], display=(stage.display, reads[n])))
    output = circuit.node(circuit.output)
    consumers = {n: [c for c in circuit.stage_nodes if n in inputs_of(circuit, c)] for n in range(1, output + 1)}
    # back from the output through the stages, then the given numbers in the order they are written
    for n in [*range(output, n_given, -1), *range(1, n_given + 1)]:
        drafts.append(_gradient(n, output, consumers[n]))
        if n > n_given:
            own = symbols[n - 1]
            for k in inputs_of(circuit, n):
                local = sp.diff(formulas[n], symbols[k - 1])
                shown = _textbook(circuit.stages[n - n_given - 1].display, own)
                draft_reads = tuple(r for r in reads[n] if r[0] in local.free_symbols)
                display = None if shown is None else (shown, ((own, value_of(circuit, n)),))
                drafts.append(Draft(local_of(n, k), local, draft_reads, display=display))
    for name in circuit.parameters if circuit.learning_rate is not None else ():
        # one step down the gradient: what lowers the output, as a loss is lowered
        n, theta, g = circuit.node(name), symbols[circuit.node(name) - 1], sp.Symbol("g")
        drafts.append(Draft(updated_of(n), theta - ETA * g, ((theta, value_of(circuit, n)), (g, grad_of(n)))))
    return drafts


def _gradient(n: int, output: int, consumers: list[int]) -> Draft:
    """∂output/∂node n: 1 at the output, else the sum over the stages that read it (gradients add at a fork)."""
    if n == output:
        return Draft(grad_of(n), sp.Integer(1), ())
    terms, reads = [], []
    for c in consumers:
        g, l = sp.Symbol(f"g_{c}"), sp.Symbol(f"l_{c}_{n}")
        terms.append(g * l)
        reads += [(g, grad_of(c)), (l, local_of(c, n))]
    return Draft(grad_of(n), sp.Add(*terms) if terms else sp.Integer(0), tuple(reads))


def build_circuit(circuit: Circuit) -> StepGraph:
    """Every step of the circuit evaluated in 40 digits; an undefined value is a NumericalError naming its stage."""
    drafts = circuit_drafts(circuit)
    constants = {ETA: circuit.learning_rate} if circuit.learning_rate is not None else {}
    with mpmath.workdps(DIGITS):
        run = compiled_runner(drafts, constants, MP)
        numbers = tuple((s, MP.number(v)) for s, v in constants.items())
        values = _evaluated(circuit, drafts, run, [MP.number(d.value) if d.formula is None else None for d in drafts],
                            [v for _, v in numbers])
    steps = tuple(Step(d.quantity, d.formula, d.reads, v, d.later, d.display) for d, v in zip(drafts, values))
    return StepGraph(circuit, steps, numbers, run)  # type: ignore[arg-type]


def _evaluated(circuit: Circuit, drafts: list[Draft], run: Any, values: list, constants: list) -> list:
    """The drafts' values from the given ones (None for those computed), each checked to be a finite real number."""
    work = values + constants
    try:
        run(work, [d.formula is None for d in drafts] + [True] * len(constants))
    except (ZeroDivisionError, ValueError, OverflowError, TypeError) as err:  # TypeError: a complex compared
        _first_undefined(circuit, drafts, work)
        failed = next(d for d, v in zip(drafts, work) if v is None and d.formula is not None)
        raise NumericalError(_undefined(circuit, failed.quantity, "divides by zero"
                                        if isinstance(err, ZeroDivisionError) else "is undefined")) from None
    _first_undefined(circuit, drafts, work)
    return work[:len(drafts)]


def circuit_history(graph: StepGraph) -> tuple[Any, ...]:
    """The output before the first step and after each of the circuit's steps (its parameters moved each time)."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    drafts = [Draft(s.quantity, s.formula, s.reads, s.value) for s in graph.steps]
    out = graph.index[value_of(circuit, circuit.node(circuit.output))]
    moved = {graph.index[value_of(circuit, circuit.node(p))]: graph.index[updated_of(circuit.node(p))]
             for p in circuit.parameters}
    constants = [v for _, v in graph.constants]
    with mpmath.workdps(DIGITS):
        values, history = [s.value for s in graph.steps], [graph.steps[out].value]
        for step in range(1, circuit.steps + 1):
            given = [values[moved[i]] if i in moved else values[i] if d.formula is None else None
                     for i, d in enumerate(drafts)]
            try:
                values = _evaluated(circuit, drafts, graph.compiled, given, constants)
            except NumericalError as err:
                raise NumericalError(f"after step {step}: {err} (or a smaller learning_rate, or fewer steps)") from None
            history.append(values[out])
    return tuple(history)


def _first_undefined(circuit: Circuit, drafts: list[Draft], values: list) -> None:
    """A NumericalError for the first value that is complex (log of a negative) or infinite (log of 0), if any."""
    for d, v in zip(drafts, values):
        if v is not None and (not isinstance(v, mpmath.mpf) or not mpmath.isfinite(v)):
            raise NumericalError(_undefined(circuit, d.quantity, "is not a real number" if isinstance(v, mpmath.mpc)
                                            else "is infinite"))
        if v is not None and abs(v) > FLOAT_MAX:  # the JSON and the float checks hold every number as a float64
            raise NumericalError(_undefined(circuit, d.quantity, f"is {mpmath.nstr(v, 3)}, beyond float64's "
                                                                  f"{FLOAT_MAX:.2g},"))


def _undefined(circuit: Circuit, q: Q, what: str) -> str:
    """Which stage's value or derivative is undefined at the given numbers, and what to change."""
    node = q.index[0]
    name = circuit.nodes[node - 1]
    which = {"value": f"stage {name}", "grad": f"the gradient by {name}",
             "local": f"the local derivative of stage {name} by {circuit.nodes[q.index[-1] - 1]}",
             "updated": f"{name} after the step"}[q.kind]
    if "float64" in what:
        return f"{which} {what} too large for a worked example: choose smaller numbers in at:"
    return (f"{which} {what} at these numbers (a log of a number ≤ 0, a square root of a negative, or a "
            f"division by zero): choose other numbers in at:")
