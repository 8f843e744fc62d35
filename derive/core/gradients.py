"""The chain rule as symbolic rules: for every unit, dl/da, da/dz and delta as SymPy expressions."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .activations import ACTIVATIONS
from .activations import a as a_sym
from .activations import alpha as alpha_sym
from .activations import z as z_sym
from .losses import LOSSES, loss_form
from .spec import Spec
from .symbol_names import NAMES, alpha_symbol, layer_symbols, symbols


@dataclass(frozen=True)
class UnitRule:
    """delta_j = dl/da_j * da_j/dz_j for one unit (for softmax, the sum over the Jacobian)."""

    dL_da: sp.Expr
    da_dz: sp.Expr | None
    delta: sp.Expr  # as printed: the product, or the simplified softmax form
    # the product when SymPy's own multiplication cancelled factors of the two (sigmoid with
    # binary cross-entropy: (a - t)/K; identity: dl/da), the form a textbook shows; else None
    closed: sp.Expr | None = None


@dataclass(frozen=True)
class LayerRule:
    """The units' rules of one layer, and for softmax the unsimplified Jacobian sum."""

    units: tuple[UnitRule, ...]
    softmax_sum: tuple[sp.Expr, ...] | None
    softmax_simplified: bool


def local_derivative(activation: str, l: int, j: int) -> sp.Expr:
    """f'(z^{(l)}_j) in textbook form (sigma' = a(1 - a)), in layer l's own symbols."""
    d = ACTIVATIONS[activation].textbook_derivative
    return d.subs({a_sym: sp.Symbol(NAMES.a(l, j)), z_sym: sp.Symbol(NAMES.z(l, j)), alpha_sym: alpha_symbol(l)})


def output_gradient(spec: Spec) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
    """The per-example loss and dl/da_k of every output unit, from sympy.diff of the loss."""
    L, K = len(spec.layers), spec.layers[-1].units
    form = loss_form(spec.loss, layer_symbols("a", L, K), symbols("t", K))
    return form.expr, form.gradient


def hidden_gradient(spec: Spec, l: int) -> tuple[sp.Expr, ...]:
    """dl/da^{(l)}_k = sum_j delta^{(l+1)}_j w^{(l+1)}_{jk}: every path through layer l + 1."""
    deltas = layer_symbols("delta", l + 1, spec.layers[l].units)
    return tuple(sp.Add(*[deltas[j] * sp.Symbol(NAMES.w(l + 1, j + 1, k)) for j in range(len(deltas))])
                 for k in range(1, spec.widths[l] + 1))


def softmax_jacobian(l: int, j: int, m: int) -> sp.Expr:
    """da_j/dz_m = a_j (delta_jm - a_m) of a softmax layer."""
    a = sp.Symbol(NAMES.a(l, j))
    return a * (sp.KroneckerDelta(j, m) - sp.Symbol(NAMES.a(l, m)))


def softmax_rules(spec: Spec, dL_da: tuple[sp.Expr, ...]) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...], bool]:
    """delta_j = sum_k dl/da_k a_k (delta_kj - a_j); with cross-entropy SymPy proves it is a_j - t_j."""
    return _softmax_rules(spec.loss, len(spec.layers), spec.layers[-1].units, tuple(dL_da))


# Every graph of the same shape asks for the same rules (an exam's variants, a mistake's graph, a
# network whose weights are zeroed): SymPy works them (and proves them) once per shape.
@lru_cache(maxsize=64)
def _softmax_rules(loss: str, L: int, K: int,
                   dL_da: tuple[sp.Expr, ...]) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...], bool]:
    a, t = layer_symbols("a", L, K), symbols("t", K)
    sums = tuple(sp.Add(*[dL_da[k] * a[k] * (sp.KroneckerDelta(k, j) - a[j]) for k in range(K)])
                 for j in range(K))
    if not LOSSES[loss].softmax_simplifies:
        return sums, sums, False
    # the targets sum to 1: with t_K = 1 - (t_1 + ... + t_{K-1}) the difference must expand to 0
    t_last = 1 - sp.Add(*t[:-1])
    simple = tuple(a[j] - t[j] for j in range(K))
    if any(sp.expand((s - d).subs(t[-1], t_last)) != 0 for s, d in zip(sums, simple)):
        raise AssertionError("softmax with cross-entropy did not simplify to a - t")
    return sums, simple, True


def layer_rule(spec: Spec, l: int, dL_da: tuple[sp.Expr, ...]) -> LayerRule:
    """The rules of layer l given its units' dl/da."""
    layer = spec.layers[l - 1]
    if ACTIVATIONS[layer.activation].vector:
        sums, deltas, simplified = softmax_rules(spec, dL_da)
        return LayerRule(tuple(UnitRule(dL_da[j], None, deltas[j]) for j in range(layer.units)), sums, simplified)
    return _unit_rules(layer.activation, l, tuple(dL_da))


@lru_cache(maxsize=64)
def _unit_rules(activation: str, l: int, dL_da: tuple[sp.Expr, ...]) -> LayerRule:
    """The rules of an elementwise layer l given its units' dl/da (one per unit): they depend on no number."""
    units = []
    for j in range(len(dL_da)):
        d = local_derivative(activation, l, j + 1)
        product = dL_da[j] * d
        shorter = sp.count_ops(product) < sp.count_ops(dL_da[j]) + sp.count_ops(d) + 1
        units.append(UnitRule(dL_da[j], d, product, product if shorter else None))
    return LayerRule(tuple(units), None, False)
