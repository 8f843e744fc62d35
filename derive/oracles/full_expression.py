"""The independent symbolic check: the whole loss as one SymPy expression, differentiated per parameter."""
from __future__ import annotations

import mpmath
import sympy as sp

from ..core.activations import ACTIVATIONS, softmax_symbolic
from ..core.activations import alpha as alpha_sym
from ..core.activations import z as z_sym
from ..core.evaluate import DIGITS
from ..core.losses import LOSSES
from ..core.quantities import Quantity
from ..core.spec import Spec
from ..core.symbol_names import NAMES

# Beyond this many parameters (times examples) expanding and differentiating the whole loss is slow.
FULL_EXPRESSION_LIMIT = 20


# The whole loss repeats every earlier layer inside every unit: its size grows as the product of
# the widths, and SymPy's time with it. Past this size the check is not run, whatever the limit.
FULL_EXPRESSION_SIZE = 1000


def expression_size(spec: Spec) -> int:
    """Roughly how many copies of the inputs the expanded loss holds: examples x product of widths."""
    size = len(spec.inputs)
    for width in spec.widths:
        size *= width
    size *= spec.widths[-1] if ACTIVATIONS[spec.layers[-1].activation].vector else 1
    # ReLU layers nest piecewise cases, whose derivative SymPy expands case by case (seconds each)
    pieces = sum(ACTIVATIONS[layer.activation].kink for layer in spec.layers)
    return size * 50 ** max(0, pieces - 1)


def _weight(l: int, j: int, k: int) -> sp.Symbol:
    # declared real, as every parameter is: SymPy then asks fewer questions of each product, and
    # differentiates the whole loss in about half the time
    return sp.Symbol(NAMES.w(l, j, k), real=True)


def _bias(l: int, j: int) -> sp.Symbol:
    return sp.Symbol(NAMES.b(l, j), real=True)


def parameter_symbols(spec: Spec) -> list[tuple[Quantity, sp.Symbol]]:
    """Every parameter's gradient quantity (dW or db) with the parameter's symbol."""
    out = []
    for l, layer in enumerate(spec.layers, start=1):
        for j in range(1, layer.units + 1):
            for k in range(1, spec.widths[l - 1] + 1):
                out.append((Quantity("dW", l, 0, j, k), _weight(l, j, k)))
        out += [(Quantity("db", l, 0, j), _bias(l, j)) for j in layer.bias_units]
    return out


def _exact(value: float) -> sp.Float:
    return sp.Float(repr(value), DIGITS)


def loss_expression(spec: Spec) -> sp.Expr:
    """The mean (or summed) loss over the batch as one expression in the parameter symbols."""
    per_example = []
    for x_row, t_row in zip(spec.inputs, spec.targets):
        a_prev: list[sp.Expr] = [_exact(v) for v in x_row]
        for l, layer in enumerate(spec.layers, start=1):
            zs = [sp.Add(*[_weight(l, j, k) * a_prev[k - 1] for k in range(1, len(a_prev) + 1)])
                  + _bias(l, 0 if layer.shared_bias else j) for j in range(1, layer.units + 1)]
            act = ACTIVATIONS[layer.activation]
            if act.vector:
                a_prev = softmax_symbolic(zs)
            else:
                f = act.f.subs(alpha_sym, _exact(layer.alpha))
                a_prev = [f.subs(z_sym, zj) for zj in zs]
        per_example.append(LOSSES[spec.loss].build(a_prev, [_exact(v) for v in t_row]))
    return sp.Add(*per_example) / (len(per_example) if spec.reduction == "mean" else 1)


def parameter_value(spec: Spec, q: Quantity) -> float:
    """The spec's value of the parameter whose gradient is q."""
    layer = spec.layers[q.layer - 1]
    return layer.bias_of(q.unit) if q.of_bias else layer.weights[q.unit - 1][q.input - 1]


def full_gradients(spec: Spec) -> dict[Quantity, mpmath.mpf]:
    """sympy.diff of the whole loss for every parameter, evaluated at the spec's values."""
    params = parameter_symbols(spec)
    values = [parameter_value(spec, q) for q, _ in params]
    loss = loss_expression(spec)
    derivatives = [sp.diff(loss, p[-1]) for p in params]
    fn = sp.lambdify([p[-1] for p in params], derivatives, "mpmath", cse=True)
    with mpmath.workdps(DIGITS):
        numbers = fn(*[mpmath.mpf(repr(v)) if isinstance(v, float) else mpmath.mpf(v) for v in values])
        return {q: +g for (q, _), g in zip(params, numbers)}
