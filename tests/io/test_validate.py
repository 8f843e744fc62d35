"""Spec validation: good specs parse, every kind of bad spec gets one message naming file, line and field."""
from __future__ import annotations

import pytest

from derive.errors import LimitError, SpecError
from derive.io.validate import parse_spec, spec_from_data
from tests.conftest import MAZUR


def error_of(text: str) -> str:
    with pytest.raises(SpecError) as info:
        parse_spec(text, "net.yaml")
    message = str(info.value)
    assert "\n" not in message
    return message


def test_the_issue_example_parses(mazur):
    assert mazur.widths == [2, 2, 2]
    assert mazur.layers[0].bias == (0.35, 0.35)
    assert mazur.n_parameters == 12
    assert mazur.steps == 1 and mazur.train_bias and mazur.weight_layout == "out_in"


def test_in_out_layout_is_transposed_to_out_in():
    spec = parse_spec(MAZUR.replace("[[0.15, 0.20], [0.25, 0.30]]", "[[0.15, 0.25], [0.20, 0.30]]")
                      + "weight_layout: in_out\n", "x.yaml")
    assert spec.layers[0].weights == ((0.15, 0.20), (0.25, 0.30))


def test_json_specs_parse_too():
    spec = parse_spec('{"inputs": [[1]], "targets": [[0]], "loss": "mse", "learning_rate": 0.1,'
                      ' "layers": [{"units": 1, "activation": "tanh", "weights": [[0.5]]}]}', "n.json")
    assert spec.layers[0].bias == (0,)


@pytest.mark.parametrize("change, expected", [
    (("activation: sigmoid\n    weights: [[0.40", "activation: sigmoidd\n    weights: [[0.40"),
     "net.yaml:11: layers[1].activation: unknown activation 'sigmoidd'; valid: identity | sigmoid | tanh"),
    (("[[0.40, 0.45], [0.50, 0.55]]", "[[0.40, 0.45, 0.1], [0.50, 0.55, 0.1]]"),
     "net.yaml:12: layers[1].weights: expected shape (2, 2), got (2, 3)"),
    (("loss: half_sse", "loss: hinge"), "loss: unknown loss 'hinge'; valid: half_sse | sse | mse | cross_entropy"),
    (("targets: [[0.01, 0.99]]", "targets: [[0.01, 0.99], [0.1, 0.2]]"),
     "net.yaml:4: targets: expected shape (1, 2), got (2, 2)"),
    (("targets: [[0.01, 0.99]]", "targets: [[0.01]]"), "targets: expected shape (1, 2), got (1, 1)"),
    (("bias: 0.35", "bias: abc"), "net.yaml:9: layers[0].bias: expected a number, got str 'abc'"),
    (("bias: 0.35", "bias: .nan"), "layers[0].bias: expected a finite number, got nan"),
    (("bias: 0.35", "bias: .inf"), "layers[0].bias: expected a finite number, got inf"),
    (("bias: 0.35", "bias: [1, 2, 3]"), "layers[0].bias: expected 2 biases (one per unit), got 3"),
    (("learning_rate: 0.5", "learning_rate: 0"), "net.yaml:15: learning_rate: must be > 0, got 0"),
    (("learning_rate: 0.5", "learning_rate: -1"), "learning_rate: must be > 0"),
    (("learning_rate: 0.5", "learning_rate: 0.5\nsteps: 0"), "steps: expected a whole number from 1"),
    (("learning_rate: 0.5", "learning_rate: 0.5\nsteps: 1.5"), "steps: expected a whole number from 1"),
    (("inputs:  [[0.05, 0.10]]", "inputs:  [[0.05, true]]"), "inputs[0][1]: expected a number, got bool"),
    (("units: 2\n    activation: sigmoid\n    weights: [[0.15", "units: 0\n    activation: sigmoid\n    weights: [[0.15"),
     "layers[0].units: expected a whole number >= 1, got 0"),
    (("learning_rate: 0.5", "learning_rate: 0.5\nmomentum: 0.9"), "momentum: unknown field; valid: name"),
    (("inputs:  [[0.05, 0.10]]\n", ""), "net.yaml: inputs: missing (a required field)"),
])
def test_bad_field_is_named_with_its_line(change, expected):
    old, new = change
    assert old in MAZUR
    assert expected in error_of(MAZUR.replace(old, new, 1))


def test_yaml_syntax_error_names_its_line():
    assert error_of("inputs: [[1, 2]\ntargets: [[1]]\n").startswith("net.yaml:")
    assert "YAML syntax error" in error_of("a: b\n  c: d: e\n")


def test_empty_file_and_non_mapping_are_refused():
    assert "empty" in error_of("")
    assert "expected a mapping" in error_of("- 1\n- 2\n")


def test_empty_layers_are_refused():
    assert "layers: expected a non-empty list of layers" in error_of(
        MAZUR.split("layers:")[0] + "layers: []\nloss: mse\nlearning_rate: 0.1\n")


def test_softmax_only_in_the_last_layer():
    text = MAZUR.replace("activation: sigmoid", "activation: softmax", 1)
    assert "layers[0].activation: softmax is allowed only in the last layer" in error_of(text)


def test_cross_entropy_targets_must_be_a_distribution():
    text = MAZUR.replace("loss: half_sse", "loss: cross_entropy").replace("[[0.01, 0.99]]", "[[0.2, 0.3]]")
    assert "targets[0]: cross_entropy targets must sum to 1, got 0.5" in error_of(text)
    text = text.replace("[[0.2, 0.3]]", "[[1.5, -0.5]]")
    assert "targets[0][0]: must lie in [0, 1]" in error_of(text)


def test_binary_cross_entropy_targets_in_unit_interval():
    text = MAZUR.replace("loss: half_sse", "loss: binary_cross_entropy").replace("[[0.01, 0.99]]", "[[0.2, 1.2]]")
    assert "targets[0][1]: must lie in [0, 1] for this loss, got 1.2" in error_of(text)


def test_huge_network_is_refused_at_once_with_the_limit():
    text = MAZUR.replace("units: 2\n    activation: sigmoid\n    weights: [[0.15", "units: 1000000\n    activation: sigmoid\n    weights: [[0.15", 1)
    with pytest.raises(LimitError, match="over the limit of 5000 .raise it with --max-parameters"):
        parse_spec(text, "big.yaml")


def test_yaml_tags_that_construct_objects_are_refused():
    assert "YAML" in error_of("inputs: !!python/object/apply:os.system ['echo hi']\n")


def test_published_claims_are_checked_against_the_network_shape():
    ok = parse_spec(MAZUR + "published:\n  - {quantity: 'layers[1].a[0]', value: [0.75, 0.77], source: x}\n", "p")
    assert ok.published[0].value == (0.75, 0.77)
    assert "out of range" in error_of(MAZUR + "published:\n  - {quantity: 'layers[5].a[0]', value: 1}\n")
    assert "expected 2 numbers" in error_of(MAZUR + "published:\n  - {quantity: 'layers[1].a[0]', value: 1}\n")


@pytest.mark.parametrize("activation", ["identity", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy"])
def test_cross_entropy_losses_need_sigmoid_or_softmax_outputs(loss, activation):
    text = MAZUR.replace("loss: half_sse", f"loss: {loss}").replace("[[0.01, 0.99]]", "[[0.0, 1.0]]")
    text = text.replace("activation: sigmoid\n    weights: [[0.40", f"activation: {activation}\n    weights: [[0.40")
    assert f"layers[1].activation: {loss} needs outputs in (0, 1)" in error_of(text)


def test_huge_integers_and_too_much_work_are_refused():
    assert "larger than the limit of 1e+06" in error_of(MAZUR.replace("bias: 0.35", "bias: " + "9" * 400))
    row = [0.1] * 5
    data = {"inputs": [row], "targets": [row], "loss": "mse", "learning_rate": 0.1, "steps": 1_000_000,
            "layers": [{"units": 5, "activation": "tanh", "weights": [row] * 5}] * 2}
    with pytest.raises(LimitError, match="steps x examples x parameters = 6e.07 is over the limit"):
        spec_from_data(data, "w.yaml")


def test_json_with_tabs_parses():
    spec = parse_spec('{\n\t"inputs": [[1]], "targets": [[0]], "loss": "mse", "learning_rate": 0.1,\n\t'
                      '"layers": [{"units": 1, "activation": "tanh", "weights": [[0.5]]}]\n}', "tabs.json")
    assert spec.layers[0].activation == "tanh"


def test_values_the_yaml_constructors_refuse_are_one_line_errors():
    for text, expected in (("inputs: 2001-13-45\n", "unreadable value"),
                           ("inputs: " + "9" * 5000 + "\n", "bad.yaml:1: inputs: a number of 5000 digits")):
        with pytest.raises(SpecError, match=expected) as err:
            parse_spec(text, "bad.yaml")
        assert "\n" not in str(err.value) and str(err.value).startswith("bad.yaml")
