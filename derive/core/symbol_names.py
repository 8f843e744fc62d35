"""Canonical symbol names of every quantity, and the renamings of each notation style."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

STYLES = ("layer", "numbered")


def _sub(*indices: int) -> str:
    """Subscript indices, comma-separated (printers drop the comma where every width is below 10)."""
    return "{" + ",".join(str(i) for i in indices) + "}"


@dataclass(frozen=True)
class Names:
    """Canonical layer-indexed names: w^{(l)}_{jk}, b^{(l)}_j, z, a, delta; x_k inputs, t_k targets."""

    def w(self, l: int, j: int, k: int) -> str:
        return f"w^{{({l})}}_{_sub(j, k)}"

    def b(self, l: int, j: int) -> str:
        """The bias of unit j; j = 0 for the one bias the units of layer l share, b^{(l)}."""
        return f"b^{{({l})}}_{_sub(j)}" if j else f"b^{{({l})}}"

    def z(self, l: int, j: int) -> str:
        return f"z^{{({l})}}_{_sub(j)}"

    def a(self, l: int, j: int) -> str:
        return f"x_{_sub(j)}" if l == 0 else f"a^{{({l})}}_{_sub(j)}"

    def delta(self, l: int, j: int) -> str:
        return rf"\delta^{{({l})}}_{_sub(j)}"

    def t(self, k: int) -> str:
        return f"t_{_sub(k)}"


NAMES = Names()


def compact_names(widths: list[int]) -> dict[str, str]:
    """w^{(l)}_{jk} without the comma, for networks whose widths are all below 10."""
    return {NAMES.w(l, j, k): f"w^{{({l})}}_{{{j}{k}}}" for l in range(1, len(widths))
            for j in range(1, widths[l] + 1) for k in range(1, widths[l - 1] + 1)}


def numbered_names(widths: list[int], shared_bias: frozenset[int] = frozenset()) -> dict[str, str]:
    """The numbered form of seed 001: w_1, w_2, ... in order (l, j, k); b_1, ... in order (l, j).

    A layer in shared_bias has one bias, numbered once: the classic post's b_1, b_2.
    """
    mapping, n_w, n_b = {}, 0, 0
    for l in range(1, len(widths)):
        for j in range(1, widths[l] + 1):
            for k in range(1, widths[l - 1] + 1):
                n_w += 1
                mapping[NAMES.w(l, j, k)] = f"w_{_sub(n_w)}"
    for l in range(1, len(widths)):
        for j in (0,) if l in shared_bias else range(1, widths[l] + 1):
            n_b += 1
            mapping[NAMES.b(l, j)] = f"b_{_sub(n_b)}"
    return mapping


def with_example(name: str, n: int, batch: int) -> str:
    """A per-example name with its example index as a bracketed superscript, when there are several.

    a^{(2)}_{1} becomes a^{(2)[3]}_{1}, x_{1} becomes x^{[3]}_{1}, \\ell becomes \\ell^{[3]}.
    """
    if batch <= 1:
        return name
    if "^{" in name:
        head, _, rest = name.partition("^{")
        script, _, tail = rest.partition("}")
        return f"{head}^{{{script}[{n}]}}{tail}"
    head, underscore, tail = name.partition("_")
    return f"{head}^{{[{n}]}}{underscore}{tail}"


def derivative_name(kind: str, l: int, j: int, k: int = 0, bias: bool = False) -> str:
    """The canonical name of a derivative: dl/da, da/dz of unit j of layer l, or dL/dw_jk, dL/db_j."""
    if kind == "dl_da":
        return rf"\frac{{\partial \ell}}{{\partial {NAMES.a(l, j)}}}"
    if kind == "da_dz":
        return rf"\frac{{\partial {NAMES.a(l, j)}}}{{\partial {NAMES.z(l, j)}}}"
    parameter = NAMES.b(l, j) if bias else NAMES.w(l, j, k)
    return rf"\frac{{\partial L}}{{\partial {parameter}}}"


STATE_LETTERS = {"g": "g", "velocity": "v", "m": "m", "v": "v", "m_hat": r"\hat{m}", "v_hat": r"\hat{v}"}


def state_name(state: str, parameter: str) -> str:
    r"""The canonical name of one optimizer state value of a parameter: m_{w^{(1)}_{1,1}}, \hat{v}_{b^{(2)}_{1}}."""
    return f"{STATE_LETTERS[state]}_{{{parameter}}}"


def symbols(name: str, count: int) -> tuple[sp.Symbol, ...]:
    """A tuple of symbols named by a Names method over 1..count."""
    return tuple(sp.Symbol(getattr(NAMES, name)(k)) for k in range(1, count + 1))


def layer_symbols(kind: str, l: int, count: int) -> tuple[sp.Symbol, ...]:
    """z, a or delta symbols of layer l."""
    return tuple(sp.Symbol(getattr(NAMES, kind)(l, j)) for j in range(1, count + 1))


def alpha_symbol(l: int) -> sp.Symbol:
    """The leaky slope of layer l, a constant of the rules."""
    return sp.Symbol(rf"\alpha^{{({l})}}")
