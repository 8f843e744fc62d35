"""Symbol names for every quantity and the one LaTeX printer that prints them."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy.printing.latex import LatexPrinter

STYLES = ("layer", "numbered")


def _sub(*indices: int) -> str:
    """Subscript indices, comma-separated (printers drop the comma where every width is below 10)."""
    return "{" + ",".join(str(i) for i in indices) + "}"


def _natural_key(term: sp.Expr) -> list[tuple]:
    """A term's symbol names with their indices read as numbers: delta_2 sorts before delta_10."""
    names = sorted(s.name for s in term.free_symbols)
    return [tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", name)))
            for name in names]


@dataclass(frozen=True)
class Names:
    """Canonical layer-indexed names: w^{(l)}_{jk}, b^{(l)}_j, z, a, delta; x_k inputs, t_k targets."""

    def w(self, l: int, j: int, k: int) -> str:
        return f"w^{{({l})}}_{_sub(j, k)}"

    def b(self, l: int, j: int) -> str:
        return f"b^{{({l})}}_{_sub(j)}"

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


def numbered_names(widths: list[int]) -> dict[str, str]:
    """The numbered form of seed 001: w_1, w_2, ... in order (l, j, k); b_1, ... in order (l, j)."""
    mapping, n_w, n_b = {}, 0, 0
    for l in range(1, len(widths)):
        for j in range(1, widths[l] + 1):
            for k in range(1, widths[l - 1] + 1):
                n_w += 1
                mapping[NAMES.w(l, j, k)] = f"w_{_sub(n_w)}"
    for l in range(1, len(widths)):
        for j in range(1, widths[l] + 1):
            n_b += 1
            mapping[NAMES.b(l, j)] = f"b_{_sub(n_b)}"
    return mapping


class DerivePrinter(LatexPrinter):
    """LaTeX printer whose symbols print as their names, renamed, or replaced by their numbers."""

    def __init__(self, renames: dict[str, str] | None = None, values: dict[str, str] | None = None):
        # with numbers in place of symbols, products need a visible dot
        super().__init__({"mul_symbol": "dot" if values else None, "ln_notation": False})
        self.renames = renames or {}
        self.values = values or {}

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr.name in self.values:
            return self.values[expr.name]
        if expr.name in self.renames:
            return self.renames[expr.name]
        # project names are already LaTeX; plain ones (alpha, z) get SymPy's treatment
        return expr.name if any(c in expr.name for c in "^_{\\") else super()._print_Symbol(expr, style)

    def substituted(self, expr: sp.Expr, values: dict[str, str]) -> str:
        """expr printed with each symbol replaced by its (already formatted) number."""
        return DerivePrinter(self.renames, values).doprint(expr)

    def _as_ordered_terms(self, expr: sp.Expr, order: str | None = None) -> list[sp.Expr]:
        # SymPy sorts symbol names as strings (delta_10 before delta_2); keep its order otherwise
        return sorted(super()._as_ordered_terms(expr, order=order), key=_natural_key)

    def name(self, canonical: str) -> str:
        """The display name of a canonical symbol name."""
        return self.renames.get(canonical, canonical)


def printer_for(style: str, widths: list[int]) -> DerivePrinter:
    """The printer for a notation style."""
    if style == "numbered":
        return DerivePrinter(numbered_names(widths))
    return DerivePrinter(compact_names(widths) if max(widths) <= 9 else None)
