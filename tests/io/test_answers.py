"""Answers files: fields, names and paths read to quantities with their decimals and lines; bad files get one line."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derive.io.answers as answers_module
from derive.core.quantities import Quantity as Q
from derive.errors import AddressError, SpecError
from derive.core.spec import written_decimals as decimals
from derive.io.answers import parse_answers, read_answers
from derive.io.specfile import parse_document, parse_document_with_text
from derive.io.validate import parse_spec
from tests.conftest import MAZUR, example_spec

SEED = example_spec("relu-softmax-3-3-3-3")  # 3-3-3-3: relu, sigmoid, softmax; one example
SPEC = parse_spec(MAZUR, "mazur.yaml")  # 2-2-2, sigmoid; one example

SEED_ANSWERS = """\
loss: 1.6172
example_losses: [1.6172]
layers:
  3:                      # the output layer
    z: [[0.9, 1.2, 1.6]]
    a: [[0.26980, 0.32235, 0.40784]]
    da_dz: [[[0.19, -0.08, -0.11], [-0.08, 0.21, -0.13], [-0.11, -0.13, 0.24]]]
    dW: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]
    db: [0.1, 0.2, 0.3]
  "2":
    W_new: [[0.2, 0.3, 0.6], [0.3, 0.5, 0.4], [0.5, 0.7, 0.8]]
    b_new: [1.0, 1.0, 1.0]
    da_dz: [[0.2, 0.2, 0.2]]
  1:
    delta: [[0.1, null, 0.3]]
"""

MAZUR_ANSWERS = """\
w5_new: 0.35891648
"dE/dw5": 0.082167041
out_o1: 0.75136507
"layers[0].dW[0][0]": 0.0822
"""


def answers(text: str, spec=SPEC, **kw):
    return parse_answers(text, "answers.yaml", spec, **kw)


def error_of(text: str, spec=SPEC, source: str = "bad.yaml") -> str:
    with pytest.raises(SpecError) as info:
        parse_answers(text, source, spec)
    message = str(info.value)
    assert "\n" not in message and message.startswith(source), message
    return message


def by_quantity(text: str, spec=SPEC) -> dict:
    return {a.quantity: a for a in answers(text, spec).answers}


def test_a_seed_file_maps_its_layers_from_1():
    found = by_quantity(SEED_ANSWERS, SEED)
    assert found[Q("loss")].value == 1.6172 and found[Q("example_loss", 0, 1)].value == 1.6172
    assert found[Q("z", 3, 1, 3)].value == 1.6
    assert found[Q("a", 3, 1, 1)].value == 0.2698 and found[Q("a", 3, 1, 1)].decimals == 5
    assert found[Q("dW", 3, 0, 2, 3)].value == 0.6  # [unit][input]
    assert found[Q("db", 3, 0, 3)].value == 0.3
    assert found[Q("W_new", 2, 0, 3, 1)].value == 0.5 and found[Q("b_new", 2, 0, 2)].value == 1.0
    assert found[Q("delta", 1, 1, 3)].value == 0.3
    assert len(found) == 2 + 3 + 3 + 9 + 9 + 3 + 9 + 3 + 3 + 3


def test_names_lines_and_file_order_are_kept():
    result = answers(SEED_ANSWERS, SEED)
    first = result.answers[0]
    assert (first.quantity, first.name, first.line, first.text) == (Q("loss"), "loss", 1, "1.6172")
    a = next(x for x in result.answers if x.quantity == Q("a", 3, 1, 2))
    assert (a.name, a.line, a.text) == ("layers.3.a[0][1]", 6, "0.32235")
    assert next(x for x in result.answers if x.quantity == Q("b_new", 2, 0, 1)).name == 'layers.2.b_new[0]'
    lines = [x.line for x in result.answers]
    assert lines == sorted(lines)


def test_a_softmax_da_dz_is_a_jacobian_and_an_elementwise_one_a_row():
    found = by_quantity(SEED_ANSWERS, SEED)
    assert found[Q("da_dz", 3, 1, 1, 2)].value == -0.08 and found[Q("da_dz", 3, 1, 3, 3)].value == 0.24
    assert found[Q("da_dz", 2, 1, 2)].value == 0.2
    message = error_of("layers: {3: {da_dz: [[0.1, 0.2, 0.3]]}}\n", SEED)
    assert "bad.yaml:1: layers.3.da_dz: expected shape (1, 3, 3) [example][unit][unit]" in message
    assert "got (1, 3)" in message


def test_the_names_documents_use_and_json_paths():
    result = answers(MAZUR_ANSWERS)
    assert [(a.quantity, a.name, a.line) for a in result.answers] == [
        (Q("W_new", 2, 0, 1, 1), "w5_new", 1), (Q("dW", 2, 0, 1, 1), "dE/dw5", 2),
        (Q("a", 2, 1, 1), "out_o1", 3), (Q("dW", 1, 0, 1, 1), "layers[0].dW[0][0]", 4)]
    assert [a.decimals for a in result.answers] == [8, 9, 8, 4]


def test_layer_notation_names_read_too():
    found = by_quantity("w^{(2)}_{11}_new: 0.3589\na(1)_2: 0.5969\n")
    assert set(found) == {Q("W_new", 2, 0, 1, 1), Q("a", 1, 1, 2)}


NINES = "inputs: [[{x}]]\ntargets: [[{t}]]\nloss: mse\nlearning_rate: 0.1\nlayers:\n" + (
    "  - {{units: 9, activation: tanh, weights: {w}}}\n" * 3)


def test_the_notation_asked_for_decides_a_name_both_notations_read():
    row = ", ".join(["0.1"] * 9)
    spec = parse_spec(NINES.format(x=row, t=row, w=f"[{', '.join([f'[{row}]'] * 9)}]"), "nines.yaml")
    # 243 weights: w211 is the 211th, and in layer notation w2_11
    assert answers("dL/dw211: 0.1\n", spec, notation="numbered").answers[0].quantity == Q("dW", 3, 0, 6, 4)
    assert answers("dL/dw211: 0.1\n", spec, notation="layer").answers[0].quantity == Q("dW", 2, 0, 1, 1)


def test_a_name_only_another_notation_reads_is_ambiguous_if_it_reads_two_ways(monkeypatch):
    def parse(text, spec, notation=None):
        if notation is None:
            raise AddressError(f"{text!r} is ambiguous here: it could be w5 or w(2)_11")
        raise AddressError(f"no quantity {text!r}")
    monkeypatch.setattr(answers_module, "quantity_named", parse)
    assert "bad.yaml:2: q7: 'q7' is ambiguous here" in error_of("loss: 0.3\nq7: 0.1\n")


@pytest.mark.parametrize("text, places", [
    ("0.26980", 5), ("0.5", 1), ("3", 0), ("1.5e-3", 4), ("2e-05", 5), ("1.5e3", 0), ("-0.0100", 4),
    (".25", 2), ("1.25E+1", 1), ("-7", 0)])
def test_decimals_are_counted_as_written(text, places):
    assert decimals(text) == places
    answer = answers(f"loss: {text}\n").answers[0]
    assert (answer.text, answer.decimals, answer.value) == (text, places, float(text))


def test_null_is_not_answered_and_gives_way_to_a_number():
    result = answers("layers:\n  1:\n    delta: [[null, 0.03]]\n  2:\n    a: null\nloss: ~\n")
    nulls = [a for a in result.answers if a.value is None]
    assert {a.quantity for a in nulls} == {Q("delta", 1, 1, 1), Q("a", 2, 1, 1), Q("a", 2, 1, 2), Q("loss")}
    assert all(a.decimals is None and a.text == "" for a in nulls)
    assert result.given() == {Q("delta", 1, 1, 2): 0.03}
    later = answers("layers: {1: {delta: [[null, 0.03]]}}\ndelta(1)_1: 0.1\n")
    assert [(a.quantity, a.value) for a in later.answers] == [(Q("delta", 1, 1, 2), 0.03), (Q("delta", 1, 1, 1), 0.1)]


def test_json_answers_work_and_json_with_tabs_takes_decimals_from_the_number():
    text = '{"loss": 0.29840, "layers": {"2": {"a": [[0.75, 0.7729]]}}, "out_h1": 0.593}'
    result = answers(text)
    assert result.given() == {Q("loss"): 0.2984, Q("a", 2, 1, 1): 0.75, Q("a", 2, 1, 2): 0.7729, Q("a", 1, 1, 1): 0.593}
    assert result.answers[0].decimals == 5
    tabbed = answers('{\t"loss": 0.29840,\n\t"layers": {"1": {"z": [[1e-05, 2]]}}}')
    assert [(a.text, a.decimals) for a in tabbed.answers] == [("0.2984", 4), ("1e-05", 5), ("2", 0)]


def test_read_answers_reads_a_file_and_names_it(tmp_path):
    path = tmp_path / "alice.yaml"
    path.write_text(MAZUR_ANSWERS)
    result = read_answers(path, SPEC)
    assert result.source == str(path) and len(result.answers) == 4
    with pytest.raises(SpecError, match="no such file"):
        read_answers(tmp_path / "missing.yaml", SPEC)


@pytest.mark.parametrize("text, expected", [
    ("lost: 0.3\n", "bad.yaml:1: lost: no quantity 'lost' in this 2-2-2 network; try names like"),
    ("lost: 0.3\n", "; or a field: loss, example_losses, loss_history, layers"),
    ("layers:\n  1:\n    dz: [[1, 2]]\n", "bad.yaml:3: layers.1.dz: unknown layer field; valid: z, a, dl_da, da_dz"),
    ("layers:\n  3:\n    a: [[1, 2]]\n", "bad.yaml:3: layers.3: layer 3: the network has layers 1..2"),
    ("layers: {0: {a: [[1, 2]]}}\n", "layers.0: layer 0: the network has layers 1..2 (layers are numbered from 1"),
    ("layers: {first: {a: [[1, 2]]}}\n", "bad.yaml:1: layers.first: expected a layer number from 1 to 2, got str"),
    ("loss: 0.3\nlayers:\n  2:\n    a: [[0.1, 0.2, 0.3]]\n",
     "bad.yaml:4: layers.2.a: expected shape (1, 2) [example][unit], got (1, 3)"),
    ("layers: {1: {dW: [[1, 2], [3]]}}\n",
     "layers.1.dW: expected shape (2, 2) [unit][input], got rows of lengths 1, 2"),
    ("layers: {1: {db: 0.5}}\n", "bad.yaml:1: layers.1.db: expected shape (2) [unit], got a number 0.5"),
    ("loss_history: [0.3]\n", "loss_history: expected shape (2) [step], got (1)"),
    ("loss: yes\n", "bad.yaml:1: loss: expected a number (quoted or not) or null, got bool True"),
    ("loss: '0.3x'\n", "bad.yaml:1: loss: expected a number (quoted or not) or null, got str '0.3x'"),
    ("loss: [0.3]\n", "bad.yaml:1: loss: expected a number (quoted or not) or null, got list [0.3]"),
    ("layers:\n  1:\n    a: [[0.1, abc]]\n", "bad.yaml:3: layers.1.a[0][1]: expected a number (quoted or not) or null, got str 'abc'"),
    ("loss: .nan\n", "bad.yaml:1: loss: expected a finite number, got nan"),
    ("out_o1: -.inf\n", "bad.yaml:1: out_o1: expected a finite number, got -inf"),
    ("loss: 1e400\n", "bad.yaml:1: loss: expected a finite number, got inf"),
    ("w99_new: 0.1\n", "bad.yaml:1: w99_new: no quantity 'w99_new'"),
    ("layers[2].a[0][0]: 0.1\n", "bad.yaml:1: layers[2].a[0][0]: layer index 2 is out of range"),
    ("layers[0].a[0]: [0.1, 0.2]\n", "'layers[0].a[0]' names 2 numbers, not one"),
    ("out_o1: 0.75\nlayers:\n  2:\n    a: [[0.7513, 0.77]]\n",
     "bad.yaml:4: layers.2.a[0][0]: a(2)_1 is answered twice: as out_o1 (line 1) and as layers.2.a[0][0] (line 4)"),
    ('"dE/dw5": 0.08\n"layers[1].dW[0][0]": 0.08\n',
     "bad.yaml:2: layers[1].dW[0][0]: dL/dw(2)_11 is answered twice: as dE/dw5 (line 1) and as layers[1].dW[0][0]"),
    ("layers:\n  1:\n    W: [[0.1, 0.2], [0.3, 0.4]]\n",
     "bad.yaml:3: layers.1.W: the weights are given by the spec; answer dW or W_new"),
    ("layers: {1: {b: [1, 2]}}\n", "layers.1.b: the biases are given by the spec; answer db or b_new"),
    ("w5: 0.4\n", "bad.yaml:1: w5: the weights are given by the spec; answer dW or W_new"),
    ("inputs: [[0.05, 0.1]]\n", "bad.yaml:1: inputs: the inputs are given by the spec, not answered"),
    ("targets: [[0.01, 0.99]]\n", "bad.yaml:1: targets: the targets are given by the spec, not answered"),
    ("x_1: 0.05\n", "bad.yaml:1: x_1: the inputs are given by the spec, not answered"),
    ("dW: [[1, 2], [3, 4]]\n", "bad.yaml:1: dW: a layer's field: write it under its layer, e.g. layers: {1: {dW"),
    ("layers: [{a: [[1, 2]]}]\n", "bad.yaml:1: layers: expected a mapping from layer numbers (from 1) to fields"),
    ("layers: {1: [1, 2]}\n", "bad.yaml:1: layers.1: expected a mapping of fields (z, a,"),
    ("", "bad.yaml: the file is empty"),
    ("# nothing yet\n", "bad.yaml: the file is empty"),
    ("{}\n", "bad.yaml: (top level): no answers"),
    ("- 0.3\n- 0.4\n", "bad.yaml: (top level): expected a mapping of quantities to numbers, got list"),
    ("loss: [0.3\n", "bad.yaml:2: YAML syntax error"),
    ("a: &x [1]\nb: *x\n", "bad.yaml:1: YAML aliases"),
    ("loss: 1" + "0" * 5000 + "\n", "bad.yaml:1: loss: a number of 5001 digits is too long to read"),
    ("{loss: 0.3}\n---\n{a: 1}\n", "bad.yaml:2: YAML syntax error: but found another document"),
    ("loss: 2001-13-45\n", "bad.yaml: unreadable value: month must be in 1..12"),
])
def test_every_bad_file_gives_one_line_naming_file_line_and_field(text, expected):
    assert expected in error_of(text)


def test_answers_for_another_network_are_refused_by_shape_or_layer():
    assert "bad.yaml:5: layers.3: layer 3: the network has layers 1..2" in error_of(SEED_ANSWERS)
    seed_row = "layers:\n  2:\n    a: [[0.26980, 0.32235, 0.40784]]\n"
    assert "layers.2.a: expected shape (1, 2) [example][unit], got (1, 3)" in error_of(seed_row)


def test_parse_document_with_text_keeps_what_parse_document_gives():
    text = "loss: 0.26980\nlayers:\n  3:\n    a: [[1.5e-3, 2]]\n"
    data, lines, texts = parse_document_with_text(text, "a.yaml")
    assert (data, lines) == parse_document(text, "a.yaml")
    assert texts == {("loss",): "0.26980", ("layers", "3", "a", 0, 0): "1.5e-3", ("layers", "3", "a", 0, 1): "2"}


# --- malformed input never escapes as anything but a SpecError ----------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.text(max_size=12),
                    st.sampled_from(["0.5", "1e400", "-.inf", "nan", "[1]", "w5"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.one_of(st.text(max_size=8), st.integers(-3, 5)), inner, max_size=4), max_leaves=20)
keys = st.one_of(st.sampled_from(["loss", "example_losses", "loss_history", "layers", "out_o1", "w5_new", "dE/dw5",
                                  "layers[0].a[0][0]", "inputs", "W", "dW", "a(2)_1[2]", "L_1"]), st.text(max_size=12))
layer_fields = st.dictionaries(st.one_of(st.integers(-1, 4), st.sampled_from(["1", "2", "x"])),
                               st.dictionaries(st.sampled_from(["z", "a", "da_dz", "dW", "db", "W", "q"]), values,
                                               max_size=3), max_size=3)
GARBAGE = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refused_cleanly_or_read(text: str, spec=SPEC) -> None:
    try:
        parse_answers(text, "fuzz.yaml", spec)
    except SpecError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.yaml")


@GARBAGE
@given(st.dictionaries(keys, values, min_size=1, max_size=4), layer_fields)
def test_random_values_for_fields_raise_nothing_but_spec_errors(document, layers):
    refused_cleanly_or_read(yaml.safe_dump(document, allow_unicode=True))
    refused_cleanly_or_read(yaml.safe_dump({"layers": layers}, allow_unicode=True), SEED)


@GARBAGE
@given(st.text(max_size=120))
def test_random_text_raises_nothing_but_spec_errors(text):
    refused_cleanly_or_read(text)
