"""The symbolic chain rule: textbook derivatives, the softmax simplification, the sum over paths."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.core.activations import ACTIVATIONS, a, alpha, z
from derive.core.graph import build_graph
from derive.core.losses import LOSSES, loss_form
from derive.core.quantities import Quantity
from derive.core.symbol_names import NAMES
from derive.views.printer import printer_for
from tests.conftest import example_spec


@pytest.mark.parametrize("name", [n for n, act in ACTIVATIONS.items() if not act.vector])
def test_textbook_derivative_equals_sympy_diff(name):
    act = ACTIVATIONS[name]
    textbook = act.textbook_derivative.subs(a, act.f)
    for point in (-1.7, -0.3, 0.4, 2.2):
        values = {z: point, alpha: 0.01}
        assert float(textbook.subs(values)) == pytest.approx(float(act.derivative.subs(values)), rel=1e-12)


def test_softmax_jacobian_is_a_times_kronecker_minus_a():
    from derive.core.activations import softmax_symbolic

    zs = sp.symbols("z1:4")
    out = softmax_symbolic(list(zs))
    for i in range(3):
        for j in range(3):
            expected = out[i] * ((1 if i == j else 0) - out[j])
            assert sp.simplify(sp.diff(out[i], zs[j]) - expected) == 0


def test_softmax_with_cross_entropy_simplifies_to_a_minus_t():
    spec = example_spec("relu-softmax-3-3-3-3")
    graph = build_graph(spec)
    shorts = [graph.step(Quantity("delta", 3, 1, j)).display for j in (1, 2, 3)]
    assert all(shorts)
    p = printer_for("layer", spec.widths)
    assert [p.doprint(expr) for expr, _ in shorts] == [f"{NAMES.a(3, j)} - t_{{{j}}}" for j in (1, 2, 3)]


def test_hidden_unit_sums_over_every_unit_it_feeds():
    # seed 000's post kept only one path; every unit of the next layer must appear
    spec = example_spec("relu-softmax-3-3-3-3")
    names = {s.name for s in build_graph(spec).step(Quantity("dl_da", 1, 1, 2)).formula.free_symbols}
    assert names == {NAMES.delta(2, m) for m in (1, 2, 3)} | {NAMES.w(2, m, 2) for m in (1, 2, 3)}


@pytest.mark.parametrize("loss", list(LOSSES))
def test_loss_gradient_is_the_derivative_of_the_loss(loss):
    a_s, t_s = sp.symbols("p1:3"), sp.symbols("q1:3")
    form = loss_form(loss, a_s, t_s)
    point = {a_s[0]: 0.3, a_s[1]: 0.6, t_s[0]: 0.25, t_s[1]: 0.75}
    h = 1e-7
    for k in range(2):
        up, down = dict(point), dict(point)
        up[a_s[k]] += h
        down[a_s[k]] -= h
        numeric = (float(form.expr.subs(up)) - float(form.expr.subs(down))) / (2 * h)
        assert float(form.gradient[k].subs(point)) == pytest.approx(numeric, rel=1e-6)


def test_sums_over_ten_or_more_units_print_in_numeric_order_with_consistent_indices():
    p = printer_for("layer", [12, 12])
    expr = sum(sp.Symbol(NAMES.delta(2, m)) * sp.Symbol(NAMES.w(2, m, 1)) for m in range(1, 13))
    text = p.doprint(expr)
    assert text.index(r"\delta^{(2)}_{2} ") < text.index(r"\delta^{(2)}_{10} ")
    assert "w^{(2)}_{1,1}" in text and "w^{(2)}_{12,1}" in text
    assert printer_for("layer", [3, 3]).name(NAMES.w(1, 2, 3)) == "w^{(1)}_{23}"
