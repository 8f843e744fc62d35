"""The chain rule as symbolic steps: for every unit, dl/da, da/dz and delta as SymPy expressions."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .activations import ACTIVATIONS
from .activations import a as a_sym
from .activations import alpha as alpha_sym
from .activations import z as z_sym
from .losses import loss_form
from .names import NAMES
from .spec import Spec


@dataclass(frozen=True)
class UnitRule:
    """delta_j = dl/da_j * da_j/dz_j for one unit (for softmax, the sum over the Jacobian)."""

    dL_da: sp.Expr
    da_dz: sp.Expr | None
    delta: sp.Expr  # as printed: the product, or the simplified softmax form


@dataclass(frozen=True)
class LayerRule:
    """The units' rules of one layer, and for softmax the unsimplified Jacobian sum."""

    units: tuple[UnitRule, ...]
    softmax_sum: tuple[sp.Expr, ...] | None
    softmax_simplified: bool


@dataclass(frozen=True)
class Gradients:
    """The per-example loss and the chain-rule rules of every layer (index 0 is layer 1)."""

    loss: sp.Expr
    layers: tuple[LayerRule, ...]


def symbols(name: str, count: int) -> tuple[sp.Symbol, ...]:
    """A tuple of symbols named by a Names method over 1..count."""
    return tuple(sp.Symbol(getattr(NAMES, name)(k)) for k in range(1, count + 1))


def layer_symbols(kind: str, l: int, count: int) -> tuple[sp.Symbol, ...]:
    """z, a or delta symbols of layer l."""
    return tuple(sp.Symbol(getattr(NAMES, kind)(l, j)) for j in range(1, count + 1))


def _elementwise(act_name: str, alpha: float, l: int, j: int) -> sp.Expr:
    """f'(z^{(l)}_j) in textbook form, written in the layer's own symbols."""
    d = ACTIVATIONS[act_name].textbook_derivative
    return d.subs({a_sym: sp.Symbol(NAMES.a(l, j)), z_sym: sp.Symbol(NAMES.z(l, j)),
                   alpha_sym: sp.Float(alpha, 15) if act_name == "leaky_relu" else alpha_sym})


def _softmax_rules(spec: Spec, dL_da: tuple[sp.Expr, ...], a: tuple[sp.Symbol, ...], t: tuple[sp.Symbol, ...]):
    """delta_j = sum_k dl/da_k a_k (delta_kj - a_j); with cross-entropy SymPy proves it is a_j - t_j."""
    K = len(a)
    sums = tuple(sp.Add(*[dL_da[k] * a[k] * (sp.KroneckerDelta(k, j) - a[j]) for k in range(K)])
                 for j in range(K))
    if spec.loss != "cross_entropy":
        return sums, sums, False
    # the targets sum to 1: with t_K = 1 - (t_1 + ... + t_{K-1}) the difference must expand to 0
    t_last = 1 - sp.Add(*t[:-1])
    simple = tuple(a[j] - t[j] for j in range(K))
    if any(sp.expand((s - d).subs(t[-1], t_last)) != 0 for s, d in zip(sums, simple)):
        raise AssertionError("softmax with cross-entropy did not simplify to a - t")
    return sums, simple, True


def derive_gradients(spec: Spec) -> Gradients:
    """Build the chain-rule rules of every layer, from the loss back to the first layer."""
    L = len(spec.layers)
    K = spec.layers[-1].units
    a_out, t = layer_symbols("a", L, K), symbols("t", K)
    form = loss_form(spec.loss, a_out, t)
    rules: list[LayerRule] = []
    dL_da: tuple[sp.Expr, ...] = form.gradient
    for l in range(L, 0, -1):
        layer = spec.layers[l - 1]
        a_l = layer_symbols("a", l, layer.units)
        if layer.activation == "softmax":
            sums, deltas, simplified = _softmax_rules(spec, dL_da, a_l, t)
            units = tuple(UnitRule(dL_da[j], None, deltas[j]) for j in range(layer.units))
            rules.append(LayerRule(units, sums, simplified))
        else:
            units = []
            for j in range(layer.units):
                d = _elementwise(layer.activation, layer.alpha, l, j + 1)
                units.append(UnitRule(dL_da[j], d, dL_da[j] * d))
            rules.append(LayerRule(tuple(units), None, False))
        if l > 1:
            # dl/da^{(l-1)}_k = sum_j delta^{(l)}_j w^{(l)}_{jk}: every path through layer l
            deltas_l = layer_symbols("delta", l, layer.units)
            n_in = spec.widths[l - 1]
            dL_da = tuple(sp.Add(*[deltas_l[j] * sp.Symbol(NAMES.w(l, j + 1, k)) for j in range(layer.units)])
                          for k in range(1, n_in + 1))
    return Gradients(form.expr, tuple(reversed(rules)))
