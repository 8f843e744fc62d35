"""A circuit stage's expression read safely (no Python eval): numbers, names, + − × ÷, powers and the gates."""
from __future__ import annotations

import re

import sympy as sp

from ..core.gates import GATES

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^(),]))")
MAX_POWER = 64  # a hand-worked circuit squares or cubes; 9^9^9 would never finish
MAX_LENGTH = 2000  # characters of one expression: a circuit is worked by hand


class ExpressionError(ValueError):
    """What is wrong with an expression, in words, and where (its character position)."""


def names_of(symbols: dict[str, sp.Symbol], name: str) -> sp.Symbol:
    """The symbol of a name: every identifier is a name (e is a name, not Euler's number)."""
    if name not in symbols:
        symbols[name] = sp.Symbol(name, real=True)
    return symbols[name]


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) of each token: number, name or an operator's own text."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"an expression of {len(text)} characters is over the limit of {MAX_LENGTH}")
    found, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        m = TOKEN.match(text, at)
        if not m:
            start = len(text) - len(text[at:].lstrip())
            raise ExpressionError(f"unexpected {text[start]!r} at character {start + 1}")
        number, name, op = m.groups()
        start = m.start(1 if number else 2 if name else 3)
        found.append(("number", number, start) if number else ("name", name, start) if name else (op, op, start))
        at = m.end()
    return found


class _Parser:
    """Recursive descent: sum of products of signed powers of atoms (a number, a name, a call, a bracket)."""

    def __init__(self, text: str, symbols: dict[str, sp.Symbol]):
        self.text, self.items, self.at, self.symbols = text, tokens(text), 0, symbols

    def peek(self) -> str | None:
        return self.items[self.at][0] if self.at < len(self.items) else None

    def take(self) -> tuple[str, str, int]:
        if self.at >= len(self.items):
            raise ExpressionError("the expression ends too early" if self.items else "the expression is empty")
        self.at += 1
        return self.items[self.at - 1]

    def expect(self, kind: str) -> None:
        got = self.take()
        if got[0] != kind:
            raise ExpressionError(f"expected {kind!r} at character {got[2] + 1}, got {got[1]!r}")

    def whole(self) -> sp.Expr:
        expr = self.sum()
        if self.at < len(self.items):
            kind, text, at = self.items[self.at]
            raise ExpressionError(f"unexpected {text!r} at character {at + 1}")
        return expr

    def sum(self) -> sp.Expr:
        expr = self.product()
        while self.peek() in ("+", "-"):
            op = self.take()[0]
            right = self.product()
            expr = expr + right if op == "+" else expr - right
        return expr

    def product(self) -> sp.Expr:
        expr = self.signed()
        while self.peek() in ("*", "/"):
            op = self.take()[0]
            right = self.signed()
            expr = expr * right if op == "*" else expr / right
        return expr

    def signed(self) -> sp.Expr:
        if self.peek() in ("-", "+"):
            op = self.take()[0]
            inner = self.signed()
            return -inner if op == "-" else inner
        return self.power()

    def power(self) -> sp.Expr:
        base = self.atom()
        if self.peek() in ("^", "**"):
            at = self.take()[2]
            exponent = self.signed()  # right-associative: 2^3^2 = 2^9, and 2^-1 = 1/2
            if exponent.is_number and abs(exponent) > MAX_POWER:
                raise ExpressionError(f"a power of {exponent} at character {at + 1} is over the limit of {MAX_POWER}")
            return base ** exponent
        return base

    def atom(self) -> sp.Expr:
        kind, text, at = self.take()
        if kind == "number":
            return sp.Rational(text)  # exactly as written: 0.1 is 1/10
        if kind == "(":
            expr = self.sum()
            self.expect(")")
            return expr
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r} at character {at + 1}")
        if self.peek() != "(":
            return names_of(self.symbols, text)
        if text not in GATES:
            raise ExpressionError(f"unknown function {text!r} at character {at + 1}; known: {', '.join(GATES)}")
        self.take()
        args = [self.sum()]
        while self.peek() == ",":
            self.take()
            args.append(self.sum())
        self.expect(")")
        gate = GATES[text]
        if (gate.arity is None and len(args) < 2) or (gate.arity is not None and len(args) != gate.arity):
            wanted = "two or more arguments" if gate.arity is None else "one argument"
            raise ExpressionError(f"{text} takes {wanted}, got {len(args)} (at character {at + 1})")
        return gate.display(*args)


def parse_expression(text: str, symbols: dict[str, sp.Symbol] | None = None) -> sp.Expr:
    """The expression's display form (σ, ReLU, max, min as lecture functions); symbols collects its names."""
    return _Parser(text, {} if symbols is None else symbols).whole()
