"""One expression broken into gates, one per operation of its tree, as --expr works it: (x + y) z is q1 = x + y, f = q1 z."""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.printing.str import StrPrinter

from ..core.gates import MAX, MIN, RELU, SIGMA
from ..errors import SpecError
from .expression import ExpressionError, parse_expression

OUTPUT = "f"  # the last gate's name, as lectures call the output (out where f is a given name)
_PLAIN = {SIGMA: "sigmoid", RELU: "relu", MAX: "max", MIN: "min"}


class _Plain(StrPrinter):
    """An expression in the circuit language's own syntax, which parse_expression reads back."""

    def _print_Function(self, expr: sp.Expr) -> str:
        name = _PLAIN.get(expr.func, expr.func.__name__)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "exp(1)"  # SymPy's E: e itself would read back as a name

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Rational(self, expr: sp.Rational) -> str:
        return f"({expr.p}/{expr.q})"


def expression_text(expr: sp.Expr) -> str:
    """The expression written as a stage is: x*y + sigmoid(z)^2."""
    return _Plain({"order": "none"}).doprint(expr).replace("**", "^")


def _inline(node: sp.Expr, arg: sp.Expr) -> bool:
    """Whether an argument stays inside its gate: a name, a number, a negated name, a divisor's reciprocal."""
    if arg.is_Atom:
        return True
    if isinstance(node, sp.Add) and isinstance(arg, sp.Mul) and len(arg.args) == 2 and arg.args[0] == -1:
        return arg.args[1].is_Atom  # x - y is one gate
    if isinstance(node, sp.Mul) and isinstance(arg, sp.Pow) and arg.exp == -1:
        return arg.base.is_Atom  # x / y is one gate
    return False


def gates(expr: sp.Expr, taken: set[str]) -> list[tuple[str, str]]:
    """(name, expression) of each gate, the operations of expr's tree from the leaves up, the last the output."""
    found: list[tuple[str, str]] = []
    output = next(n for n in (OUTPUT, "out", *(f"out{k}" for k in range(2, len(taken) + 3))) if n not in taken)

    def gate(node: sp.Expr, last: bool) -> sp.Expr:
        args = []
        for arg in node.args:
            if _inline(node, arg):
                args.append(arg)
            elif isinstance(arg, sp.Mul) and isinstance(node, sp.Add) and arg.args[0] == -1:
                args.append(-gate(sp.Mul(*arg.args[1:]), False))
            elif isinstance(arg, sp.Pow) and isinstance(node, sp.Mul) and arg.exp == -1:
                args.append(1 / gate(arg.base, False))
            else:
                args.append(gate(arg, False))
        name = output if last else _fresh(taken, len(found) + 1)
        taken.add(name)
        found.append((name, expression_text(node.func(*args))))
        return sp.Symbol(name, real=True)

    if expr.is_Atom:
        found.append((output, expression_text(expr)))
    else:
        gate(expr, True)
    return found


def _fresh(taken: set[str], n: int) -> str:
    name, k = f"q{n}", n
    while name in taken:
        k += 1
        name = f"q{k}"
    return name


AT = re.compile(r"\s*([A-Za-z_][A-Za-z_0-9]*)\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*")


def expression_spec(text: str, at: str) -> dict[str, Any]:
    """The circuit spec of --expr TEXT --at x=-2,y=5: its gates as stages, the given numbers, the expression."""
    try:
        expr = parse_expression(text)
    except ExpressionError as err:
        raise SpecError(f"--expr {text!r}: {err}") from None
    given: dict[str, Any] = {}
    for part in at.split(",") if at.strip() else []:
        match = AT.fullmatch(part)
        if match is None:
            raise SpecError(f"--at: expected name=number pairs separated by commas (x=-2,y=5), got {part.strip()!r}")
        number = float(match.group(2))
        if match.group(1) in given:
            raise SpecError(f"--at: {match.group(1)} is given twice; give each name once")
        given[match.group(1)] = int(number) if number.is_integer() and "." not in match.group(2) else number
    if not expr.free_symbols:
        raise SpecError(f"--expr {text!r}: the expression has no names: a circuit's gradients are by its names")
    missing = sorted({s.name for s in expr.free_symbols} - set(given))
    if missing:
        raise SpecError(f"--at: give a number for {', '.join(missing)} (the expression's names)")
    stages = gates(expr, set(given))
    return {"name": f"{stages[-1][0]} = {text.strip()}",
            "graph": [f"{name} = {body}" for name, body in stages], "at": given}
