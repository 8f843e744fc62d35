"""What the worked examples print is the step graph: every printed formula is a step's formula or its display form.

For every gallery example the forward pass, the loss, the backward pass and the gradients are held
against the steps that compute their numbers; a display form (delta = a - t) is held against the
formula it stands for, symbolically where the algebra needs no assumption and in numbers always.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.core.activations import ACTIVATIONS
from derive.core.activations import alpha as alpha_sym
from derive.core.activations import z as z_sym
from derive.core.losses import LOSSES
from derive.core.symbol_names import NAMES, alpha_symbol, layer_symbols, symbols
from derive.core.quantities import Quantity as Q
from derive.io.examples import example_names
from derive.pipeline import derive
from derive.views.document import example_printers
from derive.views.formatting import factor, tex
from derive.views.printer import printer_for
from tests.conftest import example_spec

GALLERY = example_names()


@pytest.fixture(scope="module", params=GALLERY)
def worked(request):
    example = derive(example_spec(request.param), full_check_limit=0)
    spec = example.spec
    p = printer_for(example.default_options().notation, spec.widths, spec.shared_bias_layers)
    return example, example.document(), example_printers(p, spec)


def _inlined(graph, step):
    """The step's formula with each read's own formula put in, and the reads of both."""
    reads = dict(step.reads)
    formula = step.formula
    for symbol, q in step.reads:
        inner = graph.step(q)
        if not inner.given:
            formula = formula.subs(symbol, inner.formula)
            reads.update(dict(inner.reads))
    return formula, reads


def _at(expr, reads, graph):
    """expr at the graph's 40-digit values of the quantities its symbols stand for, constants included."""
    numbers = {s: sp.Float(str(graph.value(q)), 40) for s, q in reads.items()}
    numbers.update({s: sp.Float(str(v), 40) for s, v in graph.constants})
    return sp.N(expr.subs(numbers), 40)


def test_every_display_form_equals_the_formula_it_stands_for(worked):
    example, _, _ = worked
    graph, shown = example.graph, 0
    for step in graph.steps:
        if step.display is None:
            continue
        display, display_reads = step.display
        formula, reads = _inlined(graph, step)
        # the display's symbols stand for what the same symbols of the inlined formula read
        assert set(display_reads) <= set(reads.items()), step.quantity
        assert set(display.free_symbols) <= {s for s, _ in display_reads} | {s for s, _ in graph.constants}
        with mpmath.workdps(40):
            assert abs(_at(display, dict(display_reads), graph) - step.value) <= 1e-30 * max(1, abs(step.value))
        # a - t for softmax holds because the targets sum to 1; an elementwise delta's short form is algebra
        if not ACTIVATIONS[graph.spec.layer(step.quantity.layer).activation].vector:
            assert sp.simplify(display - formula) == 0, step.quantity
        shown += 1
    assert shown or not any(s.quantity.kind == "delta" and _short(graph, s) for s in graph.steps)


def _short(graph, step):
    """True where a delta has a textbook short form: softmax with cross-entropy, sigmoid with (binary) cross-entropy."""
    layer = graph.spec.layer(step.quantity.layer)
    return step.quantity.layer == len(graph.spec.layers) and LOSSES[graph.spec.loss].has_log and \
        layer.activation in ("softmax", "sigmoid")


def test_the_backward_pass_prints_each_step_s_own_formula(worked):
    example, doc, printers = worked
    graph, spec = example.graph, example.spec
    for block in doc["backward"]:
        l = block["l"]
        layer = spec.layer(l)
        slope = {alpha_symbol(l): sp.Float(layer.alpha, 15)}
        for unit in block["units"]:
            for e in unit["examples"]:
                n, j, pn = e["n"], unit["j"], printers[e["n"] - 1]
                assert e["dL_da"] == pn.doprint(graph.step(Q("dl_da", l, n, j)).formula)
                if not ACTIVATIONS[layer.activation].vector:
                    assert e["da_dz"] == pn.doprint(graph.step(Q("da_dz", l, n, j)).formula.subs(slope))
                display = graph.step(Q("delta", l, n, j)).display
                assert e["closed"] == ("" if display is None else pn.doprint(display[0].subs(slope)))
    assert len(doc["backward"]) == len(spec.layers)


def test_the_forward_pass_prints_each_z_as_its_step_sums(worked):
    example, doc, printers = worked
    graph = example.graph
    for example_block in doc["forward"]:
        n, pn = example_block["n"], printers[example_block["n"] - 1]
        for layer in example_block["layers"]:
            for j, unit in enumerate(layer["units"], start=1):
                step = graph.step(Q("z", layer["l"], n, j))
                symbol_of = {pn.name(s.name): s for s in step.formula.free_symbols}
                # read back: w_1 a_1 + w_2 a_2 + ... + b, each product's weight first, the bias last
                terms = [term.split(r"\, ") for term in unit["z_formula"].split(" + ")]
                assert all(len(t) == 2 and t[0].startswith("w") for t in terms[:-1]) and len(terms[-1]) == 1
                assert terms[-1][0].startswith("b")
                read = sp.Add(*[sp.Mul(*[symbol_of[name] for name in term]) for term in terms])
                assert read == step.formula
                # and the numbers under it are the values it reads, in the same places
                values = [part.split(r" \cdot ") for part in unit["z_substituted"].split(" + ")]
                assert [len(v) for v in values] == [len(t) for t in terms]


def test_the_forward_pass_prints_each_a_as_its_activation_of_z(worked):
    example, doc, printers = worked
    graph, spec = example.graph, example.spec
    for example_block in doc["forward"]:
        n = example_block["n"]
        for layer in example_block["layers"]:
            l, act = layer["l"], ACTIVATIONS[spec.layers[layer["l"] - 1].activation]
            if act.vector or layer["identity"]:  # the template writes softmax's lines and a = z itself
                continue
            for j, unit in enumerate(layer["units"], start=1):
                # printed as f(z) by name, and f of that z is what the step computes
                assert unit["a_formula"] == f"{layer['f']}({unit['z']})"
                z = sp.Symbol(NAMES.z(l, j))
                assert act.f.subs({z_sym: z, alpha_sym: alpha_symbol(l)}) == graph.step(Q("a", l, n, j)).formula
                # and under it the number z is shown as, without the brackets of a factor
                assert unit["a_substituted"] == f"{layer['f']}({tex(graph.value(Q('z', l, n, j)), doc['digits'])})"


def test_the_loss_printed_is_the_loss_step(worked):
    example, _, _ = worked
    graph, spec = example.graph, example.spec
    loss, L, K = LOSSES[spec.loss], len(spec.layers), spec.widths[-1]
    a, t = layer_symbols("a", L, K), symbols("t", K)
    printed = loss.prefactor(K) * sp.Add(*[loss.term(ak, tk) for ak, tk in zip(a, t)])
    for n in range(1, len(spec.inputs) + 1):
        assert sp.simplify(printed - graph.step(Q("example_loss", 0, n)).formula) == 0


def test_each_gradient_is_printed_with_the_deltas_and_inputs_its_step_reads(worked):
    example, doc, _ = worked
    graph, spec, digits = example.graph, example.spec, doc["digits"]
    for block in doc["backward"]:
        l = block["l"]
        steps = [graph.step(q) for q in graph.of_kind("dW", l)]  # unit by unit, input by input, as printed
        assert len(block["weights"]) == len(steps)
        for w, step in zip(block["weights"], steps):
            assert w["value"] == tex(step.value, digits)
            # the products the step sums, example by example: delta_j[n] times the input a_k[n]
            pairs = sorted((r.example, r.kind != "delta") for _, r in step.reads)
            assert pairs == [(n, d) for n in range(1, len(spec.inputs) + 1) for d in (False, True)]
            assert {r.kind for _, r in step.reads} == {"delta", "x" if l == 1 else "a"}
            deltas = [graph.value(r) for _, r in sorted(step.reads, key=lambda p: p[1]) if r.kind == "delta"]
            assert [d for d, _ in w["factors"]] == [factor(d, digits) for d in deltas]
            # printed term by term, example by example: the delta's number times the input's
            by_example = {n: {r.kind: r for _, r in step.reads if r.example == n} for n in range(1, len(deltas) + 1)}
            inputs = [graph.value(by_example[n]["x" if l == 1 else "a"]) for n in by_example]
            shown_input = [factor(v, digits) if l > 1 else None for v in inputs]
            for term, d, x_shown in zip(w["terms"], deltas, shown_input):
                left, right = term.split(r" \cdot ")
                assert left == factor(d, digits) and (x_shown is None or right == x_shown)
            assert len(w["terms"]) == len(deltas)
        biases = [graph.step(q) for q in graph.of_kind("db", l)]
        assert [b["value"] for b in block["biases"]] == [tex(step.value, digits) for step in biases]
        for b, step in zip(block["biases"], biases):
            assert len(b["factors"]) == len(step.reads) == len(b["terms"])
            # each delta the bias's gradient sums, once, as its number
            assert sorted(b["terms"]) == sorted(factor(graph.value(r), digits) for _, r in step.reads)


def test_the_mean_loss_is_printed_with_each_examples_loss_in_order(worked):
    example, doc, _ = worked
    graph = example.graph
    losses = [graph.value(Q("example_loss", 0, n)) for n in range(1, len(example.spec.inputs) + 1)]
    assert doc["loss"]["terms"] == [factor(v, doc["digits"]) for v in losses]


def test_a_softmax_is_printed_over_the_sum_of_its_exponentials_which_is_its_step(worked):
    example, doc, _ = worked
    graph, digits = example.graph, doc["digits"]
    for block in doc["forward"]:
        n = block["n"]
        for layer in block["layers"]:
            if not layer["softmax"]:
                assert layer["exps"] == []
                continue
            l, units = layer["l"], len(layer["units"])
            z = [graph.value(Q("z", l, n, m)) for m in range(1, units + 1)]
            assert layer["exps"] == [f"e^{{{factor(v, digits)}}}" for v in z]
            # the unshifted e^{z_j} / sum e^{z_m} the line shows is the a its step computes
            with mpmath.workdps(40):
                total = sum(mpmath.exp(v) for v in z)
                for j in range(1, units + 1):
                    assert abs(mpmath.exp(z[j - 1]) / total - graph.value(Q("a", l, n, j))) < mpmath.mpf(10) ** -30
