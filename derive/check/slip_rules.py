"""The catalogue's rewrites of a sign or a factor slipped: a weight's sign, σ(−z), ∂ℓ/∂a's sign, an extra σ′, a ½."""
from __future__ import annotations

import sympy as sp

from ..core.graph import StepGraph
from ..core.quantities import Quantity as Q
from .mistake_rules import Rewrite, _formula, _output_gradients, _steps, _times
from .mistake_scope import activations, logistic


def hidden_delta_without_weights(graph: StepGraph) -> Rewrite:
    """Hidden unit k's ∂ℓ/∂a = Σ_j δ_j: the next layer's deltas summed without their weights w_jk."""
    replaced = {}
    for l in range(1, len(graph.spec.layers)):
        for step in _steps(graph, "dl_da", l):
            deltas = {s.name: q for s, q in step.reads if q.kind == "delta"}
            replaced[step.quantity] = _formula(sp.Add(*map(sp.Symbol, deltas)), deltas)
    return replaced, None


def weight_sign_dropped(graph: StepGraph, weight: Q) -> Rewrite:
    """The weight copied into its unit's z without its minus sign, in every example; nothing else changed."""
    replaced = {}
    for step in _steps(graph, "z", weight.layer):
        w = next((s for s, q in step.reads if q == weight), None)
        if w is not None:
            replaced[step.quantity] = (step.formula.subs(w, -w), step.reads)
    return replaced, None


def sigmoid_of_negative_z(graph: StepGraph) -> Rewrite:
    """Every sigmoid unit's a = σ(−z) = 1 − σ(z)."""
    replaced = {}
    for l, act in enumerate(activations(graph.spec), 1):
        if logistic(act):
            for step in _steps(graph, "a", l):
                z = next(s for s, q in step.reads if q.kind == "z")
                replaced[step.quantity] = (step.formula.subs(z, -z), step.reads)
    return replaced, None


def extra_sigmoid_derivative(graph: StepGraph) -> Rewrite:
    """Each sigmoid output's δ (a − t over K, from the log loss) times σ′(z) once more."""
    L = len(graph.spec.layers)
    replaced = {}
    for step in _steps(graph, "delta", L):
        sigma_prime = next(s for s, q in step.reads if q.kind == "da_dz")
        replaced[step.quantity] = (step.formula * sigma_prime, step.reads)
    return replaced, None


def gradient_sign_flipped(graph: StepGraph) -> Rewrite:
    """Every output unit's ∂ℓ/∂a negated: t − a where a − t belongs."""
    return _output_gradients(graph, lambda s: -s.formula)


def half_added(graph: StepGraph) -> Rewrite:
    """Each example's loss and the output units' ∂ℓ/∂a halved: a ½ the loss does not have."""
    replaced, _ = _output_gradients(graph, lambda s: s.formula / 2)
    replaced.update(_times(graph, _steps(graph, "example_loss"), sp.Rational(1, 2)))
    return replaced, None
