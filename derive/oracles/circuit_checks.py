"""A circuit's gradients checked apart from its gates: the composed expression's sympy.diff, central differences."""
from __future__ import annotations

from dataclasses import replace

import mpmath
import sympy as sp
from sympy.core.relational import Relational

from ..core.circuit import Circuit, grad_of
from ..core.codegen import DIGITS
from ..core.gates import computing
from ..core.graph import StepGraph
from .checks import Check, CheckReport
from .dual_numbers import forward_gradient

# at 40 digits a central difference with h = 1e-15 is good to about 25 digits (h² f‴ and 10^-40 / h)
FD_STEP = mpmath.mpf("1e-15")
ATOL, RTOL = 1e-18, 1e-18
SYMBOLIC_LIMIT = 12  # stages up to which the composed expression is differentiated by sympy.diff
KINK = 1e-12  # a ReLU, |x|, max or min this near its kink: a central difference straddles it


def composed(circuit: Circuit) -> sp.Expr:
    """The output as one expression of the given numbers: every stage put into the ones after it."""
    symbols = {s.name: s for s in circuit.symbols}
    expressions: dict[sp.Symbol, sp.Expr] = {}
    for stage in circuit.stages:
        expressions[symbols[stage.name]] = computing(stage.display).xreplace(expressions)
    return expressions[symbols[circuit.output]]


def _point(circuit: Circuit) -> dict[sp.Symbol, sp.Expr]:
    return {s: sp.Rational(str(v)) for s, (_, v) in zip(circuit.symbols, circuit.given)}


def kinks(circuit: Circuit) -> list[str]:
    """The stages at a kink of a ReLU, |x|, max or min at the given numbers, where the convention picks a slope."""
    point, found = _point(circuit), []
    symbols = {s.name: s for s in circuit.symbols}
    values: dict[sp.Symbol, sp.Expr] = dict(point)
    for stage in circuit.stages:
        formula = computing(stage.display)
        for piece in formula.atoms(sp.Piecewise):
            # every comparison of the piece (nested pieces join them with and, or, if)
            relations = {r for _, condition in piece.args for r in condition.atoms(Relational)}
            if any(abs(float((r.lhs - r.rhs).xreplace(values))) < KINK for r in relations):
                found.append(stage.name)
        values[symbols[stage.name]] = formula.xreplace(values)
    return sorted(set(found), key=[s.name for s in circuit.stages].index)


def _compare(name: str, method: str, graph: StepGraph, theirs: dict[int, mpmath.mpf], note: str = "") -> Check:
    worst, error = "", 0.0
    for node, value in theirs.items():
        ours = graph.value(grad_of(node))
        e = float(abs(ours - value))
        if e > error or not worst:
            worst, error = f"d{graph.spec.output}/d{graph.spec.nodes[node - 1]}", e
    passed = all(abs(graph.value(grad_of(n)) - v) <= ATOL + RTOL * abs(v) for n, v in theirs.items())
    return Check(name, method, len(theirs), error, ATOL, RTOL, passed, worst, note)


def forward_mode(graph: StepGraph) -> Check:
    """Each given number's gradient carried forward through the whole composed expression (dual numbers), 40 digits."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    whole, point = composed(circuit), _point(circuit)
    with mpmath.workdps(DIGITS):
        theirs = {n: forward_gradient(whole, point, s)
                  for n, s in enumerate(circuit.symbols[:len(circuit.given)], start=1)}
    return _compare("forward mode", "forward-mode derivatives of the composed expression", graph, theirs)


def symbolic_check(graph: StepGraph) -> Check:
    """Each given number's gradient as the composed expression's sympy.diff, evaluated exactly, to 40 digits."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    if len(circuit.stages) > SYMBOLIC_LIMIT:
        return Check("full symbolic derivative", "sympy.diff of the composed expression", 0, 0.0, 0.0, 0.0, True, "",
                     f"not run: {len(circuit.stages)} stages is over the limit of {SYMBOLIC_LIMIT}, beyond which "
                     f"the composed expression's derivative grows too long to take quickly", ran=False)
    whole, point = composed(circuit), _point(circuit)
    with mpmath.workdps(DIGITS):
        theirs = {n: mpmath.mpf(sp.N(sp.diff(whole, s).xreplace(point), DIGITS + 5))
                  for n, s in enumerate(circuit.symbols[:len(circuit.given)], start=1)}
    return _compare("full symbolic derivative", "sympy.diff of the composed expression", graph, theirs)


def finite_differences(graph: StepGraph) -> Check:
    """Each given number's gradient as (f(v + h) − f(v − h)) / 2h on the composed expression, h = 1e-15, 40 digits."""
    circuit: Circuit = graph.spec  # type: ignore[assignment]
    at_kinks = kinks(circuit)
    if at_kinks:
        return Check("finite differences", "central differences", 0, 0.0, 0.0, 0.0, True, "",
                     f"not run: {'stage' if len(at_kinks) == 1 else 'stages'} {', '.join(at_kinks)} "
                     f"{'is' if len(at_kinks) == 1 else 'are'} at a kink, where the slope is the convention's",
                     ran=False)
    whole, point = composed(circuit), _point(circuit)
    given = circuit.symbols[:len(circuit.given)]
    f = sp.lambdify(given, whole, modules="mpmath")
    theirs = {}
    with mpmath.workdps(DIGITS):
        at = [mpmath.mpf(point[s].p) / point[s].q for s in given]
        for n in range(len(given)):
            up, down = list(at), list(at)
            up[n] += FD_STEP
            down[n] -= FD_STEP
            theirs[n + 1] = (f(*up) - f(*down)) / (2 * FD_STEP)
    return replace(_compare("finite differences", "central differences", graph, theirs), step=float(FD_STEP))


def circuit_checks(graph: StepGraph) -> CheckReport:
    """The checks of a circuit's gradients: central differences, forward mode, and sympy.diff where small."""
    return CheckReport((finite_differences(graph), forward_mode(graph), symbolic_check(graph)))
