"""The catalogue's rewrites: the formulas of someone who makes each mistake, in the graph's own symbols."""
from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from ..core.activations import ACTIVATIONS
from ..core.graph import Step, StepGraph
from ..core.quantities import Quantity as Q
from ..core.rewrites import Formula
from ..core.symbol_names import NAMES, derivative_name
from .mistake_scope import activations, logistic, softmax_layers, square_unsymmetric

Rewrite = tuple[dict[Q, Formula], list[Q] | None]
ETA = sp.Symbol(r"\eta")


def _formula(expr: sp.Expr, meaning: dict[str, Q]) -> Formula:
    """A formula with the quantity behind each symbol; symbols not in meaning are the spec's constants."""
    reads = sorted(((s, meaning[s.name]) for s in expr.free_symbols if s.name in meaning), key=lambda p: p[1])
    return expr, tuple(reads)


def _meaning(step: Step) -> dict[str, Q]:
    """The quantity behind each symbol a step reads, by symbol name."""
    return {s.name: q for s, q in step.reads}


def _steps(graph: StepGraph, kind: str, layer: int | None = None) -> list[Step]:
    """The steps of one kind, of one layer if given, in graph order."""
    return [s for s in graph.steps if s.quantity.kind == kind and (layer is None or s.quantity.layer == layer)]


def _times(graph: StepGraph, steps: list[Step], factor: sp.Expr) -> dict[Q, Formula]:
    """The steps' own formulas times a factor, reading the same quantities."""
    return {s.quantity: (s.formula * factor, s.reads) for s in steps}


def _jacobian_name(l: int, k: int, j: int) -> str:
    """The symbol of the softmax Jacobian entry ∂a_k/∂z_j."""
    return rf"\frac{{\partial {NAMES.a(l, k)}}}{{\partial {NAMES.z(l, j)}}}"


def _jacobian_deltas(graph: StepGraph, l: int, diagonal: bool = False) -> dict[Q, Formula]:
    """δ_j = Σ_k ∂ℓ/∂a_k · ∂a_k/∂z_j of a softmax layer, from its own ∂ℓ/∂a and Jacobian steps.

    The graph's softmax deltas read a and t directly, so a wrong ∂ℓ/∂a reaches δ only this way.
    """
    units, replaced = graph.spec.layers[l - 1].units, {}
    for step in _steps(graph, "delta", l):
        n, j = step.quantity.example, step.quantity.unit
        terms, meaning = [], {}
        for k in ([j] if diagonal else range(1, units + 1)):
            grad, jac = derivative_name("dl_da", l, k), _jacobian_name(l, k, j)
            meaning.update({grad: Q("dl_da", l, n, k), jac: Q("da_dz", l, n, k, j)})
            terms.append(sp.Symbol(grad) * sp.Symbol(jac))
        replaced[step.quantity] = _formula(sp.Add(*terms), meaning)
    return replaced


def _output_gradients(graph: StepGraph, change: Callable[[Step], sp.Expr | None]) -> Rewrite:
    """Some output units' ∂ℓ/∂a changed; a softmax output layer's deltas then read them."""
    L = len(graph.spec.layers)
    replaced = {}
    for step in _steps(graph, "dl_da", L):
        expr = change(step)
        if expr is not None:
            replaced[step.quantity] = (expr, step.reads)
    if replaced and ACTIVATIONS[graph.spec.layers[-1].activation].vector:
        replaced.update(_jacobian_deltas(graph, L))
    return replaced, None


def _updates(graph: StepGraph, rule: Callable[[sp.Symbol, sp.Expr], sp.Expr]) -> Rewrite:
    """Every trained parameter's update rewritten from (old value, its update's formula)."""
    replaced = {}
    for step in graph.steps:
        if step.quantity.role != "update":
            continue
        old = next(s for s, q in step.reads if q.is_parameter)
        if step.formula != old:  # an untrained bias keeps its value whatever the rule
            replaced[step.quantity] = (rule(old, step.formula), step.reads)
    return replaced, None


def softmax_without_exp(graph: StepGraph) -> Rewrite:
    """Each softmax output a_j = z_j / Σ_k z_k."""
    replaced = {}
    for l in softmax_layers(graph.spec):
        zs = [sp.Symbol(NAMES.z(l, j)) for j in range(1, graph.spec.layers[l - 1].units + 1)]
        for step in _steps(graph, "a", l):
            replaced[step.quantity] = _formula(zs[step.quantity.unit - 1] / sp.Add(*zs), _meaning(step))
    return replaced, None


def half_forgotten(graph: StepGraph) -> Rewrite:
    """Each example's loss and the output units' ∂ℓ/∂a doubled."""
    replaced, _ = _output_gradients(graph, lambda s: 2 * s.formula)
    replaced.update(_times(graph, _steps(graph, "example_loss"), sp.Integer(2)))
    return replaced, None


def log10_loss(graph: StepGraph) -> Rewrite:
    """log base 10 in each example's loss, and the 1/ln 10 it brings into the output ∂ℓ/∂a."""
    replaced, _ = _output_gradients(graph, lambda s: s.formula / sp.log(10))
    for step in _steps(graph, "example_loss"):
        replaced[step.quantity] = (step.formula.replace(sp.log, lambda x: sp.log(x) / sp.log(10)), step.reads)
    return replaced, None


def batch_mean_forgotten(graph: StepGraph) -> Rewrite:
    """The loss, dW and db summed over the examples: N times the mean."""
    N = len(graph.spec.inputs)
    steps = [*_steps(graph, "loss"), *_steps(graph, "dW"), *_steps(graph, "db")]
    return _times(graph, steps, sp.Integer(N)), None


def _shared_bias_gradients(graph: StepGraph, keep: Callable[[Q], bool], factor: Callable[[int], sp.Expr]) -> Rewrite:
    """Each shared bias's gradient from the deltas keep() picks, times factor(units of the layer)."""
    replaced = {}
    for l, layer in enumerate(graph.spec.layers, 1):
        if layer.shared_bias and layer.units > 1:
            step = graph.step(Q("db", l, 0, 0))
            kept = [(s, q) for s, q in step.reads if keep(q)]
            total = sp.Add(*[s for s, _ in kept]) / graph.spec.divisor * factor(layer.units)
            replaced[step.quantity] = _formula(total, {s.name: q for s, q in kept})
    return replaced, None


def shared_bias_first_unit(graph: StepGraph) -> Rewrite:
    """A shared bias's gradient from the first unit's δ alone, not the sum over the layer's units."""
    return _shared_bias_gradients(graph, lambda q: q.unit == 1, lambda units: sp.Integer(1))


def shared_bias_mean_of_units(graph: StepGraph) -> Rewrite:
    """A shared bias's gradient as the mean of the layer's δ, not their sum."""
    return _shared_bias_gradients(graph, lambda q: True, lambda units: sp.Rational(1, units))


def zero_target_sign_dropped(graph: StepGraph) -> Rewrite:
    """The output ∂ℓ/∂a negated where the example's target is 0."""
    targets = graph.spec.targets
    return _output_gradients(graph, lambda s: -s.formula if targets[s.quantity.example - 1][s.quantity.unit - 1] == 0
                             else None)


def _logistic_derivative(graph: StepGraph, make: Callable[[sp.Symbol, sp.Symbol], sp.Expr]) -> Rewrite:
    """Every sigmoid unit's f'(z) replaced by make(z, a), reading that unit's z and a."""
    replaced = {}
    for l, act in enumerate(activations(graph.spec), 1):
        if not logistic(act):
            continue
        for step in _steps(graph, "da_dz", l):
            n, j = step.quantity.example, step.quantity.unit
            z, a = NAMES.z(l, j), NAMES.a(l, j)
            replaced[step.quantity] = _formula(make(sp.Symbol(z), sp.Symbol(a)),
                                               {z: Q("z", l, n, j), a: Q("a", l, n, j)})
    return replaced, None


def sigmoid_derivative_of_z(graph: StepGraph) -> Rewrite:
    """σ′(z) = z(1 − z)."""
    return _logistic_derivative(graph, lambda z, a: z * (1 - z))


def sigmoid_derivative_as_sigma(graph: StepGraph) -> Rewrite:
    """σ′(z) = a."""
    return _logistic_derivative(graph, lambda z, a: a)


def relu_derivative_one(graph: StepGraph) -> Rewrite:
    """f′(z) = 1 for every unit of a ReLU-like layer."""
    replaced = {}
    for l, act in enumerate(activations(graph.spec), 1):
        if act.kink:
            replaced.update({s.quantity: (sp.Integer(1), ()) for s in _steps(graph, "da_dz", l)})
    return replaced, None


def softmax_jacobian_diagonal(graph: StepGraph) -> Rewrite:
    """δ_j = ∂ℓ/∂a_j · ∂a_j/∂z_j: the Jacobian's diagonal only."""
    replaced = {}
    for l in softmax_layers(graph.spec):
        replaced.update(_jacobian_deltas(graph, l, diagonal=True))
    return replaced, None


def _one_path(graph: StepGraph, through: Callable[[int], int]) -> Rewrite:
    """Hidden unit k's ∂ℓ/∂a keeps only δ_j w_jk of the next layer's unit j = through(k), where it exists."""
    replaced = {}
    for l in range(1, len(graph.spec.layers)):
        for step in _steps(graph, "dl_da", l):
            k = step.quantity.unit
            j = through(k)
            if j <= graph.spec.layers[l].units:
                expr = sp.Symbol(NAMES.delta(l + 1, j)) * sp.Symbol(NAMES.w(l + 1, j, k))
                replaced[step.quantity] = _formula(expr, _meaning(step))
    return replaced, None


def hidden_gradient_one_path(graph: StepGraph) -> Rewrite:
    """Hidden unit k keeps only the path through the next layer's unit k."""
    return _one_path(graph, lambda k: k)


def hidden_gradient_first_path(graph: StepGraph) -> Rewrite:
    """Every hidden unit keeps only the path through the next layer's first unit."""
    return _one_path(graph, lambda k: 1)


def weights_transposed(graph: StepGraph) -> Rewrite:
    """∂ℓ/∂a_k = Σ_j δ_j w_kj: the next layer's W where Wᵀ belongs."""
    replaced, spec = {}, graph.spec
    for l in range(1, len(spec.layers)):
        if not square_unsymmetric(spec.layers[l].weights):
            continue
        for step in _steps(graph, "dl_da", l):
            n, k = step.quantity.example, step.quantity.unit
            terms, meaning = [], {}
            for j in range(1, spec.layers[l].units + 1):
                delta, w = NAMES.delta(l + 1, j), NAMES.w(l + 1, k, j)
                meaning.update({delta: Q("delta", l + 1, n, j), w: Q("W", l + 1, 0, k, j)})
                terms.append(sp.Symbol(delta) * sp.Symbol(w))
            replaced[step.quantity] = _formula(sp.Add(*terms), meaning)
    return replaced, None


def updated_weights_in_backward(graph: StepGraph) -> Rewrite:
    """Hidden ∂ℓ/∂a read W_new of the layer above, each layer's updates done right after its gradients."""
    replaced = {}
    for l in range(1, len(graph.spec.layers)):
        for step in _steps(graph, "dl_da", l):
            replaced[step.quantity] = (step.formula, tuple(
                (s, q.updated() if q.is_parameter and not q.of_bias else q) for s, q in step.reads))
    # an optimizer's state moves with the update it feeds
    moving = ("update", "state")
    rest = [s.quantity for s in graph.steps if s.quantity.role not in moving]
    updates = [s.quantity for s in graph.steps if s.quantity.role in moving]
    last = {q.layer: i for i, q in enumerate(rest) if q.role == "gradient"}
    order: list[Q] = []
    for i, q in enumerate(rest):
        order.append(q)
        if q.role == "gradient" and last[q.layer] == i:
            order += [u for u in updates if u.layer == q.layer]
    return replaced, order


def gradient_added(graph: StepGraph) -> Rewrite:
    """The step taken the other way: W + η ∂L/∂W for gradient descent, 2w − (its update) for any optimizer."""
    return _updates(graph, lambda old, formula: 2 * old - formula)


def learning_rate_forgotten(graph: StepGraph) -> Rewrite:
    """The update rule with η = 1."""
    return _updates(graph, lambda old, formula: formula.subs(ETA, 1))
