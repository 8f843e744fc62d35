"""Names of quantities: LaTeX and plain names in each notation, hand-written aliases, and reading them back."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.core.aliases import normalise
from derive.core.naming import (
    NOTATIONS,
    all_quantities,
    latex_name,
    parse_name,
    plain_name,
)
from derive.core.quantities import KINDS, Quantity, parse_path
from derive.core.symbol_names import NAMES, compact_names
from derive.core.updates import STATE_KINDS, UPDATE_RULES, state_kinds
from derive.errors import AddressError

# (widths, batch, softmax layers): the classic 2-2-2, a batch with a softmax output, a layer of 11 units
NETWORKS = [([2, 2, 2], 1, frozenset()), ([3, 4, 3], 2, frozenset({2})), ([2, 11, 1], 1, frozenset())]
STEPS = 2
W5, OUT_O1 = Quantity("dW", 2, 0, 1, 1), Quantity("a", 2, 1, 1)


def parse(text: str, notation: str | None = "numbered", widths=(2, 2, 2), batch: int = 1, softmax=frozenset()):
    return parse_name(text, notation, list(widths), batch, softmax, steps=STEPS)


def latex_errors(latex: str) -> list[str]:
    """What would stop LaTeX from typesetting a formula: unbalanced braces, a second ^ or _ on one atom."""
    errors, stack = [], [[False, False]]  # per group: has the current atom a superscript, a subscript
    i = 0
    while i < len(latex):
        c = latex[i]
        if c in "^_":
            slot = 0 if c == "^" else 1
            if stack[-1][slot]:
                errors.append(f"double {'superscript' if c == '^' else 'subscript'} at {i}")
            stack[-1][slot] = True
            i += 1
            while i < len(latex) and latex[i] == " ":
                i += 1
            if i < len(latex) and latex[i] == "\\":  # a command as the script: skip its name
                i = re.match(r"\\(?:[A-Za-z]+|.)", latex[i:]).end() + i
            elif i < len(latex) and latex[i] == "{":
                stack.append([False, False])  # the script's group; its own atoms start afresh
                stack[-2].append("script")
                i += 1
            else:
                i += 1
            continue
        if c == "{":
            stack.append([False, False])
        elif c == "}":
            if len(stack) == 1:
                errors.append(f"unmatched }} at {i}")
            else:
                stack.pop()
                if stack[-1][-1] == "script":
                    stack[-1].pop()  # the script group closed: the atom may still take the other script
                else:
                    stack[-1][:2] = [False, False]  # a closed group is a new atom
        elif c == "\\":
            i += re.match(r"\\(?:[A-Za-z]+|.)", latex[i:]).end() - 1
            stack[-1][:2] = [False, False]
        elif c != " ":
            stack[-1][:2] = [False, False]
        i += 1
    return errors + (["unclosed {"] if len(stack) > 1 else [])


def every_name(widths, batch, softmax):
    """Every (quantity, notation, LaTeX name, plain name) of a network."""
    return [(q, notation, latex_name(q, notation, widths, batch), plain_name(q, notation, widths, batch))
            for notation in NOTATIONS for q in all_quantities(widths, batch, STEPS, softmax)]


# --- round trips -------------------------------------------------------------------------------------

@pytest.mark.parametrize("widths, batch, softmax", NETWORKS)
def test_latex_plain_and_json_names_read_back(widths, batch, softmax):
    for q, notation, latex, plain in every_name(widths, batch, softmax):
        for text in (latex, plain, q.json_path):
            assert parse_name(text, notation, widths, batch, softmax, steps=STEPS) == q, (text, notation)


@pytest.mark.parametrize("widths, batch, softmax", NETWORKS)
def test_names_read_back_without_a_notation_unless_ambiguous(widths, batch, softmax):
    for q, _, latex, plain in every_name(widths, batch, softmax):
        for text in (latex, plain):
            try:
                assert parse_name(text, None, widths, batch, softmax, steps=STEPS) == q, text
            except AddressError as error:
                assert "ambiguous" in str(error), text


@pytest.mark.parametrize("widths, batch, softmax", NETWORKS)
def test_names_are_unique_within_a_notation(widths, batch, softmax):
    for notation in NOTATIONS:
        quantities = all_quantities(widths, batch, STEPS, softmax)
        for name in (latex_name, plain_name):
            names = [name(q, notation, widths, batch) for q in quantities]
            assert len(set(names)) == len(names)


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 12), min_size=2, max_size=4), batch=st.integers(1, 3),
       softmax=st.booleans(), notation=st.sampled_from(NOTATIONS))
def test_random_networks_round_trip(widths, batch, softmax, notation):
    layers = frozenset({len(widths) - 1}) if softmax else frozenset()
    for q in all_quantities(widths, batch, STEPS, layers):
        for text in (latex_name(q, notation, widths, batch), plain_name(q, notation, widths, batch), q.json_path):
            assert parse_name(text, notation, widths, batch, layers, steps=STEPS) == q, text


@pytest.mark.parametrize("rule", sorted(UPDATE_RULES))
@pytest.mark.parametrize("notation", NOTATIONS)
def test_optimizer_state_names_round_trip(rule, notation):
    widths, batch = [2, 3, 2], 2
    state = state_kinds(UPDATE_RULES[rule], True, True)
    quantities = [q for q in all_quantities(widths, batch, STEPS, frozenset(), state) if q.kind in STATE_KINDS]
    assert len(quantities) == sum(12 if kind.endswith("_W") else 5 for kind in state)  # 12 weights, 5 biases
    names = {plain_name(q, notation, widths, batch) for q in quantities}
    assert len(names) == len(quantities)
    for q in quantities:
        for text in (latex_name(q, notation, widths, batch), plain_name(q, notation, widths, batch), q.json_path):
            assert parse_name(text, notation, widths, batch, steps=STEPS, state=state) == q, text


def test_optimizer_state_is_named_after_its_parameter():
    widths = [2, 2, 2]
    assert plain_name(Quantity("m_hat_W", 2, 0, 1, 1), "numbered", widths, 1) == "mhat_w5"
    assert latex_name(Quantity("v_hat_b", 2, 0, 1), "layer", widths, 1) == r"\hat{v}_{b^{(2)}_{1}}"
    assert latex_name(Quantity("velocity_W", 1, 0, 2, 1), "layer", widths, 1) == "v_{w^{(1)}_{21}}"
    assert parse_name("velocity_w5", "numbered", widths, 1, state=("velocity_W", "velocity_b")) == \
        Quantity("velocity_W", 2, 0, 1, 1)
    assert parse_name("g_w1", None, widths, 1, state=("g_W",)) == Quantity("g_W", 1, 0, 1, 1)
    with pytest.raises(AddressError):  # an example without the optimizer has no such quantity
        parse_name("m_w5", "numbered", widths, 1)


# --- the enumeration ---------------------------------------------------------------------------------

@pytest.mark.parametrize("state", [(), tuple(sorted(STATE_KINDS))])
@pytest.mark.parametrize("widths, batch, softmax", NETWORKS)
def test_all_quantities_are_exactly_the_numbers_of_the_json(widths, batch, softmax, state):
    quantities = all_quantities(widths, batch, STEPS, softmax, state)
    assert len(set(quantities)) == len(quantities)
    assert {q.kind for q in quantities} == set(KINDS) - STATE_KINDS | set(state)
    from_paths = set()
    for kind in (k for k in KINDS.values() if k.name not in STATE_KINDS or k.name in state):
        heads = [f"layers[{l}].{kind.field}" for l in range(len(widths) - 1)] if kind.per_layer else [kind.field]
        for head in heads:
            from_paths.update(parse_path(head, widths, batch, STEPS, softmax))
    assert set(quantities) == from_paths


def test_all_quantities_follow_the_computation():
    quantities = all_quantities([2, 2, 2], 1, STEPS)
    kinds = [q.kind for q in quantities]
    assert kinds[:4] == ["x", "x", "t", "t"] and kinds[-1] == "loss_history"
    first = {kind: kinds.index(kind) for kind in KINDS if kind not in STATE_KINDS}
    assert first["W"] < first["z"] < first["a"] < first["example_loss"] < first["loss"] < first["dl_da"]
    # the output layer's gradients come before the hidden layer's chain, as in the documents
    assert quantities.index(Quantity("db", 2, 0, 2)) < quantities.index(Quantity("dl_da", 1, 1, 1))
    assert quantities.index(Quantity("db", 1, 0, 2)) < first["W_new"]
    assert [q.step for q in quantities if q.kind == "loss_history"] == [0, 1, 2]


def test_softmax_layers_have_the_whole_jacobian():
    jacobian = [q for q in all_quantities([3, 4, 3], 1, 1, frozenset({2})) if q.kind == "da_dz"]
    assert [q.input for q in jacobian if q.layer == 2] == [1, 2, 3] * 3
    assert {q.input for q in jacobian if q.layer == 1} == {0}


# --- the forms chosen ----------------------------------------------------------------------------------

@pytest.mark.parametrize("q, notation, widths, batch, latex, plain", [
    (Quantity("W", 2, 0, 1, 1), "layer", [2, 2, 2], 1, "w^{(2)}_{11}", "w(2)_11"),
    (Quantity("W", 2, 0, 1, 1), "numbered", [2, 2, 2], 1, "w_{5}", "w5"),
    (Quantity("W", 2, 0, 1, 11), "layer", [2, 11, 1], 1, "w^{(2)}_{1,11}", "w(2)_1,11"),
    (Quantity("b", 2, 0, 1), "numbered", [2, 2, 2], 1, "b_{3}", "b3"),
    (Quantity("b", 2, 0, 1), "layer", [2, 2, 2], 1, "b^{(2)}_{1}", "b(2)_1"),
    (Quantity("x", 0, 3, 1), "layer", [2, 2, 2], 4, "x^{[3]}_{1}", "x_1[3]"),
    (Quantity("t", 0, 1, 2), "numbered", [2, 2, 2], 1, "t_{2}", "t_2"),
    (Quantity("a", 2, 3, 1), "numbered", [2, 2, 2], 4, "a^{(2)[3]}_{1}", "a(2)_1[3]"),
    (Quantity("delta", 2, 3, 1), "layer", [2, 2, 2], 4, r"\delta^{(2)[3]}_{1}", "delta(2)_1[3]"),
    (Quantity("example_loss", 0, 3), "layer", [2, 2, 2], 4, r"\ell^{[3]}", "l[3]"),
    (Quantity("dl_da", 2, 1, 1), "layer", [2, 2, 2], 1, r"\frac{\partial L}{\partial a^{(2)}_{1}}", "dl/da(2)_1"),
    (Quantity("da_dz", 2, 1, 1), "layer", [2, 2, 2], 1,
     r"\frac{\partial a^{(2)}_{1}}{\partial z^{(2)}_{1}}", "da(2)_1/dz(2)_1"),
    (Quantity("da_dz", 2, 2, 1, 3), "layer", [2, 2, 3], 2,
     r"\frac{\partial a^{(2)[2]}_{1}}{\partial z^{(2)[2]}_{3}}", "da(2)_1/dz(2)_3[2]"),
    (Quantity("dW", 2, 0, 1, 1), "numbered", [2, 2, 2], 1, r"\frac{\partial L}{\partial w_{5}}", "dL/dw5"),
    (Quantity("db", 2, 0, 1), "layer", [2, 2, 2], 1, r"\frac{\partial L}{\partial b^{(2)}_{1}}", "dL/db(2)_1"),
    (Quantity("W_new", 2, 0, 1, 1), "numbered", [2, 2, 2], 1, r"w_{5}^{\text{new}}", "w5_new"),
    (Quantity("W_new", 2, 0, 1, 1), "layer", [2, 2, 2], 1, r"w^{(2)}_{11}{}^{\text{new}}", "w(2)_11_new"),
    (Quantity("b_new", 1, 0, 2), "numbered", [2, 2, 2], 1, r"b_{2}^{\text{new}}", "b2_new"),
    (Quantity("loss"), "layer", [2, 2, 2], 4, "L", "L"),
    (Quantity("example_loss", 0, 1), "layer", [2, 2, 2], 1, r"\ell", "l"),
    (Quantity("loss_history", step=2), "numbered", [2, 2, 2], 1, "L_{2}", "L_2"),
])
def test_name_forms(q, notation, widths, batch, latex, plain):
    assert latex_name(q, notation, widths, batch) == latex
    assert plain_name(q, notation, widths, batch) == plain


def test_layer_names_are_the_canonical_symbols_of_the_documents():
    widths = [3, 4, 2]
    for q in all_quantities(widths, 1):
        latex = latex_name(q, "layer", widths, 1)
        expected = {"W": compact_names(widths).get(NAMES.w(q.layer, q.unit, q.input)), "b": NAMES.b(q.layer, q.unit),
                    "z": NAMES.z(q.layer, q.unit), "a": NAMES.a(q.layer, q.unit), "x": NAMES.a(0, q.unit),
                    "t": NAMES.t(q.unit), "delta": NAMES.delta(q.layer, q.unit)}.get(q.kind, latex)
        assert latex == expected


def test_unknown_notation_is_a_programming_error():
    with pytest.raises(AddressError, match="notation"):
        latex_name(Quantity("loss"), "greek", [2, 2], 1)


# --- aliases -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["dE/dw5", "∂E/∂w5", "dL/dw5", "dE/dw_5", "dE_total/dw5", "dEtotal/dw5", "DL/Dw5",
                                  r"\frac{\partial E_{total}}{\partial w_5}", r"\dfrac{\mathrm{d} L}{\mathrm{d} w_{5}}",
                                  "layers[1].dW[0][0]", " d E / d w 5 ", "dl/dw5"])
def test_aliases_of_a_gradient(text):
    assert parse(text) == W5


@pytest.mark.parametrize("text, expected", [
    ("w5", Quantity("W", 2, 0, 1, 1)), ("w_5", Quantity("W", 2, 0, 1, 1)), ("w_{5}", Quantity("W", 2, 0, 1, 1)),
    ("*w5*", Quantity("W", 2, 0, 1, 1)), ("w5_new", Quantity("W_new", 2, 0, 1, 1)),
    ("w5+", Quantity("W_new", 2, 0, 1, 1)), ("new_w5", Quantity("W_new", 2, 0, 1, 1)),
    ("w_5^{new}", Quantity("W_new", 2, 0, 1, 1)), ("b3", Quantity("b", 2, 0, 1)), ("dE/db4", Quantity("db", 2, 0, 2)),
    ("E", Quantity("loss")), ("E_total", Quantity("loss")), ("E_{total}", Quantity("loss")),
    ("loss", Quantity("loss")), ("L", Quantity("loss")), ("l", Quantity("example_loss", 0, 1)),
    ("ℓ", Quantity("example_loss", 0, 1)), ("L_0", Quantity("loss_history", step=0)),
    ("loss_history[2]", Quantity("loss_history", step=2)), ("a^{(0)}_{2}", Quantity("x", 0, 1, 2)),
    ("a⁽²⁾₁", OUT_O1), ("x₂", Quantity("x", 0, 1, 2)),
])
def test_numbered_aliases(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("w^{(2)}_{11}", Quantity("W", 2, 0, 1, 1)), ("w^(2)_11", Quantity("W", 2, 0, 1, 1)),
    ("w2_11", Quantity("W", 2, 0, 1, 1)), ("w_{11}^{(2)}", Quantity("W", 2, 0, 1, 1)),
    ("w^{(1)}_{21}", Quantity("W", 1, 0, 2, 1)), ("dL/dw^(2)_11", W5), ("dE/dw^{(2)}_{12}", Quantity("dW", 2, 0, 1, 2)),
    ("w^{(2)}_{11}{}^{\\text{new}}", Quantity("W_new", 2, 0, 1, 1)), ("w(2)_11_new", Quantity("W_new", 2, 0, 1, 1)),
    ("b^(2)_2", Quantity("b", 2, 0, 2)), ("delta^(2)_1", Quantity("delta", 2, 1, 1)),
    ("δ^{(2)}_{1}", Quantity("delta", 2, 1, 1)), ("\\delta^{(2)}_{1}", Quantity("delta", 2, 1, 1)),
    ("delta2_1", Quantity("delta", 2, 1, 1)), ("∂ℓ/∂z^(2)_1", Quantity("delta", 2, 1, 1)),
    ("dE/da^(1)_2", Quantity("dl_da", 1, 1, 2)), ("z2_1", Quantity("z", 2, 1, 1)), ("a^{(2)}_{1}", OUT_O1),
])
def test_layer_aliases(text, expected):
    assert parse(text, "layer") == expected


def test_layer_aliases_keep_the_comma_when_a_width_reaches_ten():
    widths = [2, 11, 1]
    assert parse("w2_1,11", "layer", widths) == Quantity("W", 2, 0, 1, 11)
    assert parse("w^{(1)}_{11,2}", "layer", widths) == Quantity("W", 1, 0, 11, 2)
    with pytest.raises(AddressError):
        parse("w2_111", "layer", widths)


@pytest.mark.parametrize("text, expected", [
    ("i1", Quantity("x", 0, 1, 1)), ("i2", Quantity("x", 0, 1, 2)), ("net_h1", Quantity("z", 1, 1, 1)),
    ("out_h1", Quantity("a", 1, 1, 1)), ("net_o1", Quantity("z", 2, 1, 1)), ("out_o1", OUT_O1),
    ("out_{o2}", Quantity("a", 2, 1, 2)), ("target_o1", Quantity("t", 0, 1, 1)), ("E_total", Quantity("loss")),
    ("dE/dout_o1", Quantity("dl_da", 2, 1, 1)), ("dE_total/dout_o1", Quantity("dl_da", 2, 1, 1)),
    ("dout_o1/dnet_o1", Quantity("da_dz", 2, 1, 1)), ("dE/dnet_o1", Quantity("delta", 2, 1, 1)),
    ("delta_o1", Quantity("delta", 2, 1, 1)), ("δ_o2", Quantity("delta", 2, 1, 2)),
    ("dE/dout_h1", Quantity("dl_da", 1, 1, 1)), ("dout_h1/dnet_h1", Quantity("da_dz", 1, 1, 1)),
    ("dE/dnet_h1", Quantity("delta", 1, 1, 1)), ("delta_h1", Quantity("delta", 1, 1, 1)),
    (r"\frac{\partial E_{total}}{\partial out_{o1}}", Quantity("dl_da", 2, 1, 1)),
])
def test_names_of_the_classic_post(text, expected):
    for notation in (*NOTATIONS, None):
        assert parse(text, notation) == expected


def test_classic_names_pick_an_example_of_a_batch():
    assert parse("out_o1[2]", batch=3) == Quantity("a", 2, 2, 1)
    assert parse("dE/dnet_h2[3]", batch=3) == Quantity("delta", 1, 3, 2)
    assert parse("i2[1]", batch=3) == Quantity("x", 0, 1, 2)
    assert parse("out_o1[1]") == OUT_O1
    with pytest.raises(AddressError, match=r"add \[n\]"):
        parse("out_o1", batch=3)


def test_any_per_example_name_takes_an_example_suffix():
    softmax = frozenset({2})
    assert parse(r"\delta^{(2)}_{1}[2]", "layer", batch=2) == Quantity("delta", 2, 2, 1)
    assert parse("a2_1[2]", "layer", batch=2) == Quantity("a", 2, 2, 1)
    assert parse("da(2)_1/dz(2)_2[2]", batch=2, softmax=softmax) == Quantity("da_dz", 2, 2, 1, 2)
    assert parse(r"\ell^{[2]}", batch=2) == Quantity("example_loss", 0, 2)


def test_classic_names_need_one_hidden_layer():
    with pytest.raises(AddressError):
        parse("out_o1", widths=(2, 2, 2, 2))


def test_normal_form():
    assert normalise(r"\frac{\partial L}{\partial w_{5}}") == "dL/dw5"
    assert normalise(r"\frac{\partial \ell}{\partial a^{(2)}_{1}}") == "dl/da(2)1"
    assert normalise(r"w^{(2)}_{11}{}^{\text{new}}") == "w(2)11new"
    assert normalise("∂E_total / ∂w_5") == "dEtotal/dw5"


# --- errors --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, notation, batch, message", [
    ("w9", "numbered", 1, "no quantity 'w9'"),
    ("w5", "layer", 1, "no quantity 'w5'"),
    ("a(3)_1", "layer", 1, "no quantity"),
    ("gibberish", None, 1, "no quantity"),
    ("da(1)_1/dz(1)_2", "layer", 1, "no quantity"),  # an elementwise layer has no off-diagonal entry
    ("a(2)_1[3]", "layer", 2, "out of range"),
    ("a(2)_1", "layer", 2, r"add \[n\]"),
    ("a(2)_1[1][2]", "layer", 2, "two example indices"),
    ("L[2]", "layer", 2, "takes no"),
    ("layers[2].a[0][0]", "layer", 1, "out of range"),
    ("layers[1].dW[0]", "layer", 1, "names 2 numbers"),
    ("inputs", None, 1, "names 2 numbers"),
    ("loss_history[3]", None, 1, "out of range"),
])
def test_bad_names_raise_one_line(text, notation, batch, message):
    with pytest.raises(AddressError, match=message) as error:
        parse(text, notation, batch=batch)
    assert "\n" not in str(error.value)


def test_unknown_names_suggest_names_of_this_network():
    with pytest.raises(AddressError) as error:
        parse("w9")
    assert "w5" in str(error.value) and "dL/dw5" in str(error.value) and "layers[1].dW[0][0]" in str(error.value)
    with pytest.raises(AddressError, match=r"w\(3\)_11"):
        parse("w99", "layer", widths=(2, 2, 2, 2))


def test_a_name_two_notations_share_is_ambiguous_without_a_notation():
    widths = [9, 9, 9, 9]  # 243 weights: w211 is the 211th, and w2_11 is w^{(2)}_{11}
    assert parse("w211", "numbered", widths) == Quantity("W", 3, 0, 6, 4)
    assert parse("w211", "layer", widths) == Quantity("W", 2, 0, 1, 1)
    with pytest.raises(AddressError, match="ambiguous") as error:
        parse("w211", None, widths)
    assert "layers[1].W[0][0]" in str(error.value) and "layers[2].W[5][3]" in str(error.value)
    assert "\n" not in str(error.value)


# --- valid LaTeX ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["x^{a}^{b}", "x_1_2", "{x", "x}", "w^{(2)}_{11}^{new}", r"\ell^{a}^{b}"])
def test_latex_checker_finds_errors(bad):
    assert latex_errors(bad)


@pytest.mark.parametrize("good", ["x^{a}_{b}", "x_{1}^{2}", "w^{(2)}_{11}{}^{\\text{new}}",
                                  r"\frac{\partial a^{(2)}_{1}}{b}"])
def test_latex_checker_passes_good_formulas(good):
    assert latex_errors(good) == []


@pytest.mark.parametrize("widths, batch, softmax", NETWORKS)
def test_every_latex_name_is_well_formed(widths, batch, softmax):
    for _, _, latex, _ in every_name(widths, batch, softmax):
        assert latex_errors(latex) == [], latex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_every_latex_name_typesets(tmp_path: Path) -> None:
    names = sorted({latex for network in NETWORKS for _, _, latex, _ in every_name(*network)})
    body = "\n".join(f"${name}$\\par" for name in names)
    document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    (tmp_path / "names.tex").write_text(document, encoding="utf-8")
    result = subprocess.run(
        ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "names.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
