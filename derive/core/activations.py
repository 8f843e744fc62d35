"""Registry of activation functions: SymPy definition, derivative, LaTeX name, numeric twins."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import sympy as sp

z, a, alpha = sp.symbols("z a alpha", real=True)


@dataclass(frozen=True)
class Activation:
    """One activation: f(z), its textbook derivative in terms of a = f(z) (and z), and a TeX name."""

    name: str
    tex: str
    f: sp.Expr
    # The derivative as textbooks write it, e.g. sigma' = a(1 - a); tests prove it equals diff(f, z).
    textbook_derivative: sp.Expr
    vector: bool = False  # couples the units of a layer (softmax): its derivative is a Jacobian
    has_parameter: bool = False  # reads the layer's alpha
    kink: bool = False  # not differentiable at z = 0; derivative there taken as PyTorch does
    unit_interval: bool = False  # outputs lie in (0, 1), as cross-entropy losses need
    last_layer_only: bool = False
    saturates: bool = False  # flattens out for large |z|: its derivative tends to 0 there
    title: str = ""  # the name in words, as headings print it

    @property
    def words(self) -> str:
        """The activation's name as a textbook writes it: ReLU, leaky ReLU, sigmoid."""
        return self.title or self.name

    @cached_property
    def derivative(self) -> sp.Expr:
        """f'(z) from sympy.diff, for elementwise activations."""
        return sp.diff(self.f, z)

    @cached_property
    def float_f(self) -> Callable:
        """f(z, alpha) on Python floats."""
        return sp.lambdify((z, alpha), self.f, "math")


def softmax_symbolic(zs: list[sp.Symbol]) -> list[sp.Expr]:
    """softmax(z)_j = exp(z_j) / sum_k exp(z_k) as SymPy expressions."""
    total = sp.Add(*[sp.exp(zk) for zk in zs])
    return [sp.exp(zj) / total for zj in zs]


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        Activation("identity", r"\operatorname{id}", z, sp.Integer(1), title="identity"),
        Activation("sigmoid", r"\sigma", 1 / (1 + sp.exp(-z)), a * (1 - a), unit_interval=True,
                   saturates=True, title="sigmoid"),
        Activation("tanh", r"\tanh", sp.tanh(z), 1 - a**2, saturates=True, title="tanh"),
        # ReLU'(0) = 0, as in PyTorch.
        Activation(
            "relu",
            r"\operatorname{ReLU}",
            sp.Piecewise((z, z > 0), (0, True)),
            sp.Piecewise((1, z > 0), (0, True)),
            kink=True,
            title="ReLU",
        ),
        Activation(
            "leaky_relu",
            r"\operatorname{LeakyReLU}",
            sp.Piecewise((z, z > 0), (alpha * z, True)),
            sp.Piecewise((1, z > 0), (alpha, True)),
            has_parameter=True,
            kink=True,
            title="leaky ReLU",
        ),
        # Softmax couples the units of a layer; its Jacobian is a_i (delta_ij - a_j).
        Activation("softmax", r"\operatorname{softmax}", sp.Integer(0), sp.Integer(0), vector=True,
                   unit_interval=True, last_layer_only=True, title="softmax"),
    )
}
