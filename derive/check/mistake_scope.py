"""Where each catalogue mistake can happen: questions about a spec, answered from the registries' properties."""
from __future__ import annotations

import sympy as sp

from ..core.activations import ACTIVATIONS, Activation
from ..core.activations import a as a_sym
from ..core.gradients import output_gradient
from ..core.losses import LOSSES, loss_form
from ..core.quantities import Quantity
from ..core.spec import Spec
from ..core.symbol_names import NAMES


def activations(spec: Spec) -> list[Activation]:
    """The registry entry of every layer's activation, layer 1 first."""
    return [ACTIVATIONS[layer.activation] for layer in spec.layers]


def logistic(act: Activation) -> bool:
    """An elementwise activation whose derivative textbooks write a(1 − a): the sigmoid."""
    return not act.vector and sp.expand(act.textbook_derivative - a_sym * (1 - a_sym)) == 0


def softmax_layers(spec: Spec) -> list[int]:
    """The layers (1-based) whose activation couples their units, with more than one unit to couple."""
    return [l for l, (act, layer) in enumerate(zip(activations(spec), spec.layers), 1)
            if act.vector and layer.units > 1]


def square_unsymmetric(weights: tuple[tuple[float, ...], ...]) -> bool:
    """W and Wᵀ have the same shape but not the same entries."""
    return len(weights) == len(weights[0]) and any(weights[j][k] != weights[k][j]
                                                   for j in range(len(weights)) for k in range(j))


def _pre_activations(spec: Spec) -> dict[int, list[list[float]]]:
    """Each elementwise layer's z per example, in floats: enough to tell which side of a kink it is on."""
    rows, found = [list(x) for x in spec.inputs], {}
    for l, (act, layer) in enumerate(zip(activations(spec), spec.layers), 1):
        if act.vector:  # a coupled layer is the last one: nothing after it needs its outputs
            break
        found[l] = [[sum(w * a for w, a in zip(ws, row)) + layer.bias_of(j) for j, ws in enumerate(layer.weights, 1)]
                    for row in rows]
        rows = [[float(act.float_f(z, layer.alpha)) for z in zs] for zs in found[l]]
    return found


def _one_output_loss(spec: Spec) -> sp.Expr:
    """The spec's loss written for a single output, where its constant factor stands alone."""
    return loss_form(spec.loss, (sp.Symbol("a"),), (sp.Symbol("t"),)).expr


def has_softmax(spec: Spec) -> bool:
    return bool(softmax_layers(spec))


def has_shared_bias(spec: Spec) -> bool:
    """Some layer of several units shares one bias among them."""
    return any(layer.shared_bias and layer.units > 1 for layer in spec.layers)


def has_half(spec: Spec) -> bool:
    """The loss carries a factor 1/2 (the half squared error), not 1/K from a mean over outputs.

    sse has no 1/2 to forget (its factor is 1), so half_forgotten does not apply to it.
    """
    return _one_output_loss(spec).as_coeff_Mul()[0] == sp.Rational(1, 2)


def has_log(spec: Spec) -> bool:
    return _one_output_loss(spec).has(sp.log)


def has_batch(spec: Spec) -> bool:
    return len(spec.inputs) > 1


def has_zero_target_gradient(spec: Spec) -> bool:
    """Some target is 0 where the loss's derivative does not vanish with it (cross-entropy's does)."""
    gradient = output_gradient(spec)[1]
    return any(t == 0 and sp.simplify(gradient[k].subs(sp.Symbol(NAMES.t(k + 1)), 0)) != 0
               for row in spec.targets for k, t in enumerate(row))


def has_sigmoid(spec: Spec) -> bool:
    return any(logistic(act) for act in activations(spec))


def has_kink_below_zero(spec: Spec) -> bool:
    """Some ReLU-like unit has z ≤ 0, where its derivative is 0 (or α), in some example."""
    zs = _pre_activations(spec)
    return any(act.kink and not (act.has_parameter and layer.alpha == 1) and any(z <= 0 for row in zs[l] for z in row)
               for l, (act, layer) in enumerate(zip(activations(spec), spec.layers), 1) if l in zs)


def has_several_paths(spec: Spec) -> bool:
    """Some hidden layer feeds a layer of more than one unit."""
    return any(layer.units > 1 for layer in spec.layers[1:])


def has_square_hidden_weights(spec: Spec) -> bool:
    """Some layer after the first has a square weight matrix that is not symmetric."""
    return any(square_unsymmetric(layer.weights) for layer in spec.layers[1:])


def has_hidden_layer(spec: Spec) -> bool:
    return len(spec.layers) > 1


def updates(spec: Spec) -> bool:
    """The example takes a step; a gradient-only one (no learning rate) has no update to get wrong."""
    return spec.updates


def has_hidden_layer_updated(spec: Spec) -> bool:
    """A hidden layer, and a step whose updated weights above it could be read too early."""
    return has_hidden_layer(spec) and spec.updates


def has_learning_rate(spec: Spec) -> bool:
    """A step with a learning rate other than 1, which leaves nothing to forget."""
    return spec.updates and spec.learning_rate != 1


def always(spec: Spec) -> bool:
    """Every network has output gradients whose sign can go wrong."""
    return True


def negative_weights(spec: Spec) -> list[Quantity]:
    """Every weight below zero, whose minus sign can be dropped where it is copied into z."""
    return [Quantity("W", l, 0, j, k) for l, layer in enumerate(spec.layers, 1)
            for j, row in enumerate(layer.weights, 1) for k, w in enumerate(row, 1) if w < 0]


def has_negative_weight(spec: Spec) -> bool:
    return bool(negative_weights(spec))


def has_sigmoid_log_output(spec: Spec) -> bool:
    """A sigmoid output layer under a log loss, whose δ = a − t has σ′ cancelled already."""
    return logistic(activations(spec)[-1]) and has_log(spec)


def has_no_half(spec: Spec) -> bool:
    """A squared error with nothing in front of its sum (sse, or mse of one output): no ½ to add."""
    loss = LOSSES[spec.loss]
    return not loss.has_log and loss.prefactor(spec.layers[-1].units) == 1
