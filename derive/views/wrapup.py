"""What the step achieved: the loss before and after, the first-order prediction, the parameters that moved most."""
from __future__ import annotations

import mpmath

from ..core.codegen import DIGITS
from ..core.graph import recompute
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.symbol_names import NAMES
from .formatting import given, tex
from .model import WrapUp
from .printer import DerivePrinter
from .shown import relation, rounded

MOVED_MOST = 3


def wrap_up(run: Run, p: DerivePrinter, digits: int) -> WrapUp:
    """The loss change of the step beside -eta * |grad L|^2, and the parameters with the largest change."""
    graph, spec = run.graph, run.graph.spec
    before, after = graph.value(Q("loss")), run.loss_history[1]
    moves = []
    for q in _trained(spec):
        old, new, g = float(graph.value(q)), graph.value(q.updated()), graph.value(q.gradient())
        moves.append((abs(new - old), p.name(_symbol(q)), old, new, g))
    # to first order a step of -eta * grad changes L by -eta * sum of the squared gradients
    squared = sum(g * g for *_, g in moves)
    predicted = -spec.learning_rate * squared
    # any optimizer: to first order the loss changes by the gradient times the step each parameter took
    first_order = sum(g * (new - old) for _, _, old, new, g in moves)
    moves.sort(key=lambda m: -m[0])  # stable: ties keep the order of computation
    # the forward pass again with the new parameters: what the step did to the outputs
    new = {s.quantity.before(): s.value for s in graph.steps if s.quantity.role == "update"}
    after_graph = recompute(graph, new)
    L, N = len(spec.layers), len(spec.inputs)
    outputs = [{"n": n, "before": [tex(graph.value(Q("a", L, n, j)), digits) for j in range(1, spec.widths[-1] + 1)],
                "after": [tex(after_graph.value(Q("a", L, n, j)), digits) for j in range(1, spec.widths[-1] + 1)]}
               for n in range(1, N + 1)]
    with mpmath.workdps(DIGITS):  # eta times the shown sum, in decimal digits: a tie stays a tie
        from_shown = -mpmath.mpf(str(spec.learning_rate)) * rounded(squared, digits)
    return {"before": tex(before, digits), "after": tex(after, digits), "change": tex(after - before, digits),
            "relative": tex(100 * (after - before) / before, 3) if before else "",
            "falls": after < before, "predicted": tex(predicted, digits), "squared": tex(squared, digits),
            # '=' only where eta times the shown sum gives the shown prediction
            "predicted_rel": relation(predicted, from_shown, digits),
            "eta": given(spec.learning_rate), "outputs": outputs, "first_order": tex(first_order, digits),
            "moved": [{"name": name, "old": given(old), "new": tex(new, digits), "change": tex(new - old, digits),
                       "gradient": tex(g, digits)} for _, name, old, new, g in moves[:MOVED_MOST]]}


def _trained(spec) -> list[Q]:
    """Every parameter the step moves, layer by layer: the weights row by row, then the biases if trained."""
    out = []
    for l, layer in enumerate(spec.layers, start=1):
        out += [Q("W", l, 0, j, k) for j in range(1, layer.units + 1) for k in range(1, spec.widths[l - 1] + 1)]
        out += [Q("b", l, 0, j) for j in layer.bias_units] if spec.train_bias else []
    return out


def _symbol(q: Q) -> str:
    """The canonical symbol name of a weight or bias."""
    return NAMES.b(q.layer, q.unit) if q.of_bias else NAMES.w(q.layer, q.unit, q.input)
