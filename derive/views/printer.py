"""The one LaTeX printer: symbols printed as their names, renamed by the notation, or as numbers."""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import UndefinedFunction
from sympy.printing.latex import LatexPrinter

from ..core.symbol_names import compact_names, numbered_names


def _natural_key(term: sp.Expr) -> list[tuple]:
    """A term's symbol names with their indices read as numbers: delta_2 sorts before delta_10."""
    names = sorted(s.name for s in term.free_symbols)
    return [tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", name)))
            for name in names]


class ScaledSum(sp.Function):
    """A display form only: a number times a sum, kept as a textbook writes a loss, 1/2 (term + term)."""

    @classmethod
    def eval(cls, *args: sp.Expr) -> None:
        return None  # stays as written: SymPy would fold the number into each term

    def expanded(self) -> sp.Expr:
        """The ordinary expression it stands for, to check it against a step's formula."""
        prefactor, *terms = self.args
        return prefactor * sp.Add(*terms)


CONSTANT = 99  # the rank of a symbol a textbook order does not name: a constant (eta, beta, epsilon)


class DerivePrinter(LatexPrinter):
    """LaTeX printer whose symbols print as their names, renamed, or replaced by their numbers.

    ranks, where given, order terms and factors as a textbook does: a sum's terms by the lowest rank
    of their symbols (constants last: sqrt(v) + epsilon), a product's constants before the rest.
    """

    def __init__(self, renames: dict[str, str] | None = None, values: dict[str, str] | None = None,
                 ranks: dict[str, int] | None = None, product: str | None = None):
        # with numbers in place of symbols, products need a visible dot; product, where given, stands
        # between symbols instead of a space (a thin space: w_{1}\, x_{1})
        super().__init__({"mul_symbol": "dot" if values else product, "ln_notation": False})
        self.renames = renames or {}
        self.values = values or {}
        self.ranks = ranks or {}
        self.product = product

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr.name in self.values:
            return self.values[expr.name]
        if expr.name in self.renames:
            return self.renames[expr.name]
        # project names are already LaTeX; plain ones (alpha, z) get SymPy's treatment
        return expr.name if any(c in expr.name for c in "^_{\\") else super()._print_Symbol(expr, style)

    def _print_Pow(self, expr: sp.Pow) -> str:
        # a symbol printed as a fraction (dL/dw) needs brackets under an exponent, as a number does
        base = expr.base
        if isinstance(base, sp.Symbol) and expr.exp.is_Integer and expr.exp > 1 and r"\frac" in self._print(base):
            return rf"\left({self._print(base)}\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr)

    def _print_Function(self, expr: sp.Expr, exp: str | None = None) -> str:
        # a display form's named function, sigma(z) for its formula: its own parentheses hold the number
        if not isinstance(expr.func, UndefinedFunction) or exp is not None:
            return super()._print_Function(expr, exp)
        inner = [self._print(arg) for arg in expr.args]
        if len(expr.args) == 1 and isinstance(expr.args[0], sp.Symbol) and expr.args[0].name in self.values \
                and inner[0].startswith(r"\left("):
            inner[0] = inner[0].removeprefix(r"\left(").removesuffix(r"\right)")
        return f"{expr.func.__name__}({', '.join(inner)})"

    def _print_ScaledSum(self, expr: ScaledSum) -> str:
        # the number in front (-, nothing for 1), each term that is itself a sum in square brackets, and
        # the terms in parentheses where there are several and a number in front
        prefactor, *terms = expr.args
        texts = [rf"\left[ {self._print(t)} \right]" if isinstance(t, sp.Add) else self._print(t) for t in terms]
        body = rf"\left( {' + '.join(texts)} \right)" if len(texts) > 1 and prefactor != 1 else " + ".join(texts)
        return f"{self.prefactor(prefactor)} {body}".strip()

    def prefactor(self, value: sp.Expr) -> str:
        """A number in front of a sum: \\frac{1}{2}, -, -\\frac{1}{3}, or nothing for 1."""
        return "-" if value == -1 else "" if value == 1 else self._print(value)

    def substituted(self, expr: sp.Expr, values: dict[str, str]) -> str:
        """expr printed with each symbol replaced by its (already formatted) number."""
        return DerivePrinter(self.renames, values, self.ranks, self.product).doprint(expr)

    def substituted_terms(self, expr: sp.Expr, values: dict[str, str]) -> list[str]:
        """Each term of expr's sum (expr a sum, or a number times one) with its numbers, in this printer's order."""
        # SymPy spreads a mean's 1/N over the terms: take it out again
        _, body = expr.as_content_primitive()
        p = DerivePrinter(self.renames, values, self.ranks, self.product)
        return [p.doprint(t) for t in p._as_ordered_terms(body)] if isinstance(body, sp.Add) else [p.doprint(body)]

    def _rank(self, expr: sp.Expr) -> int:
        return min((self.ranks.get(s.name, CONSTANT) for s in expr.free_symbols), default=CONSTANT)

    def _as_ordered_terms(self, expr: sp.Expr, order: str | None = None) -> list[sp.Expr]:
        # SymPy sorts symbol names as strings (delta_10 before delta_2) and puts -a before t;
        # a textbook writes positive terms first (t - a, 1 - a) and indices in numeric order
        return sorted(super()._as_ordered_terms(expr, order=order),
                      key=lambda term: (term.could_extract_minus_sign(), self._rank(term) if self.ranks else 0,
                                        _natural_key(term)))

    def _print_Mul(self, expr: sp.Expr) -> str:
        # SymPy writes g (1 - beta) and w (1 - eta lambda); a textbook puts the constant first.
        # Signs and fractions keep SymPy's layout, whose numerator and denominator come back here.
        if not self.ranks or expr.could_extract_minus_sign() or sp.fraction(expr, exact=True)[1] != 1:
            return super()._print_Mul(expr)
        factors = sorted(expr.as_ordered_factors(), key=lambda f: (self._rank(f) != CONSTANT, self._rank(f)))
        parts = [self._print(f) for f in factors]
        parts = [rf"\left({tex}\right)" if self._needs_mul_brackets(f, first=i == 0, last=i == len(factors) - 1)
                 else tex for i, (f, tex) in enumerate(zip(factors, parts))]
        return self._settings["mul_symbol_latex"].join(parts)

    def renamed(self, extra: dict[str, str]) -> DerivePrinter:
        """This printer with some symbols renamed further (a batch example's own names)."""
        return DerivePrinter({**self.renames, **extra}, self.values, self.ranks, self.product)

    def ranked(self, ranks: dict[str, int]) -> DerivePrinter:
        """This printer writing sums and products in the textbook order the ranks of their symbols give."""
        return DerivePrinter(self.renames, self.values, ranks, self.product)

    def thin(self) -> DerivePrinter:
        """This printer writing a product of symbols with a thin space between them: w_{1}\\, x_{1}."""
        return DerivePrinter(self.renames, self.values, self.ranks, r"\, ")

    def name(self, canonical: str) -> str:
        """The display name of a canonical symbol name."""
        return self.renames.get(canonical, canonical)


def printer_for(style: str, widths: list[int], shared_bias: frozenset[int] = frozenset()) -> DerivePrinter:
    """The printer for a notation style; shared_bias, the layers whose units share one bias, numbers b_n."""
    if style == "numbered":
        return DerivePrinter(numbered_names(widths, shared_bias))
    return DerivePrinter(compact_names(widths) if max(widths) <= 9 else None)
