"""shared_bias: true — one bias for every unit of a layer: one parameter, whose gradient sums the layer's deltas."""
from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from derive.core.naming import parse_name, path_quantities, plain_name
from derive.core.quantities import Quantity as Q
from derive.errors import AddressError, SpecError
from derive.io.answers import parse_answers
from derive.io.spec_yaml import spec_yaml
from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.views.document import Options

# The classic 2-2-2 network with its one bias per layer, b1 = 0.35 and b2 = 0.60, as Mazur (2015) names them.
CLASSIC = """
inputs: [[0.05, 0.10]]
targets: [[0.01, 0.99]]
layers:
  - {units: 2, activation: sigmoid, weights: [[0.15, 0.20], [0.25, 0.30]], bias: 0.35, shared_bias: true}
  - {units: 2, activation: sigmoid, weights: [[0.40, 0.45], [0.50, 0.55]], bias: 0.60, shared_bias: true}
loss: half_sse
learning_rate: 0.5
"""
# Mazur's published deltas of the output units: dE/dout_o1 * dout_o1/dnet_o1, and that of o2.
DELTA_O1, DELTA_O2 = 0.138498562, -0.038098236

# A batch with one shared layer and one per-unit layer, and a ReLU unit or two below zero.
MIXED = """
inputs: [[0.5, -1.0], [1.0, 0.4], [-0.3, 0.8]]
targets: [[0.2, 0.7], [0.9, 0.1], [0.4, 0.4]]
layers:
  - {units: 3, activation: relu, weights: [[0.3, -0.2], [-0.6, 0.2], [0.5, 0.1]], bias: 0.05, shared_bias: true}
  - {units: 2, activation: sigmoid, weights: [[0.7, -0.4, 0.2], [0.2, 0.9, -0.3]], bias: [0.0, 0.1]}
loss: half_sse
learning_rate: 0.3
"""


def numpy_loss(spec, biases):
    """The mean loss of the spec's network with the given bias of each layer (a number shared, or a row), written apart."""
    a = np.array(spec.inputs)
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0)}
    for layer, b in zip(spec.layers, biases):
        a = act[layer.activation](a @ np.array(layer.weights).T + b)
    return float(np.mean(0.5 * np.sum((np.array(spec.targets) - a) ** 2, axis=1)))


def test_the_shared_bias_gradient_is_the_sum_of_the_published_deltas():
    data = derive(parse_spec(CLASSIC, "classic.yaml")).data
    out = data["layers"][1]
    assert out["shared_bias"] is True and out["b"] == 0.6
    assert out["db"] == pytest.approx(DELTA_O1 + DELTA_O2, abs=2e-9)
    assert out["b_new"] == pytest.approx(0.6 - 0.5 * (DELTA_O1 + DELTA_O2), abs=1e-9)
    # the per-unit deltas are those of the post, as without sharing: the forward pass is the same
    assert out["delta"][0] == pytest.approx([DELTA_O1, DELTA_O2], abs=1e-9)


def test_shared_bias_gradients_match_finite_differences_of_a_loss_written_apart():
    spec = parse_spec(MIXED, "mixed.yaml")
    data = derive(spec, full_check_limit=60).data
    h = 1e-6
    b1, b2 = 0.05, np.array([0.0, 0.1])
    fd = (numpy_loss(spec, [b1 + h, b2]) - numpy_loss(spec, [b1 - h, b2])) / (2 * h)
    assert isinstance(data["layers"][0]["db"], float)
    assert data["layers"][0]["db"] == pytest.approx(fd, abs=1e-9)
    # it is the sum over the units of what each unit's own bias would get
    assert data["layers"][0]["db"] == pytest.approx(np.sum(np.mean(data["layers"][0]["delta"], axis=0)), abs=1e-12)
    for j in range(2):
        up, down = b2.copy(), b2.copy()
        up[j] += h
        down[j] -= h
        fd = (numpy_loss(spec, [b1, up]) - numpy_loss(spec, [b1, down])) / (2 * h)
        assert data["layers"][1]["db"][j] == pytest.approx(fd, abs=1e-9)
    assert spec.n_parameters == 6 + 1 + 6 + 2
    assert all(c["ran"] for c in data["checks"])  # derive() raises if a check that ran disagrees
    assert {c["name"]: c["compared"] for c in data["checks"]} == {
        "finite differences": 15, "numpy backprop": 15, "full symbolic derivative": 15}


def test_shared_bias_agrees_with_pytorch():
    from tests.torch_oracle import assert_agrees
    pytest.importorskip("torch")
    for text in (CLASSIC, MIXED, MIXED.replace("learning_rate: 0.3", "learning_rate: 0.1\noptimizer: adam\nsteps: 3")):
        assert_agrees(parse_spec(text, "shared.yaml"))


def test_a_unit_at_an_exact_kink_leaves_its_layers_shared_bias_out_of_the_float_checks():
    text = MIXED.replace("bias: 0.05, shared_bias", "bias: 0.2, shared_bias").replace(
        "[[0.3, -0.2], [-0.6, 0.2], [0.5, 0.1]]", "[[0.3, -0.2], [-0.6, 0.2], [0.1, 0.25]]")
    # unit 3 of example 3: 0.1 * -0.3 + 0.25 * 0.8 + 0.2 = 0.37; of example 1: 0.05 - 0.25 + 0.2 = 0 exactly
    data = derive(parse_spec(text, "kink.yaml")).data
    assert data["layers"][0]["z"][0][2] == 0.0
    numpy_check = next(c for c in data["checks"] if c["name"] == "numpy backprop")
    # layer 1's six weights and its one bias, unit 3's two weights among them
    assert numpy_check["ran"] and "3 parameters upstream" in numpy_check["note"]


def test_addresses_and_names_of_a_shared_bias():
    spec = parse_spec(CLASSIC, "classic.yaml")
    assert path_quantities("layers[1].db", spec) == [Q("db", 2, 0, 0)]
    assert Q("b_new", 1, 0, 0).json_path == "layers[0].b_new"
    with pytest.raises(AddressError, match=r"share one bias, so db takes no index: layers\[1\]\.db"):
        path_quantities("layers[1].db[0]", spec)
    shared, widths = spec.shared_bias_layers, spec.widths
    assert [plain_name(Q(k, 2, 0, 0), "numbered", widths, 1, shared) for k in ("b", "db", "b_new")] == \
        ["b2", "dL/db2", "b2_new"]
    assert plain_name(Q("db", 2, 0, 0), "layer", widths, 1, shared) == "dL/db(2)"
    for name in ("dL/db2", "dE/db2", "layers[1].db"):
        assert parse_name(name, "numbered", widths, 1, shared_bias=shared) == Q("db", 2, 0, 0)
    assert parse_name("b(1)_new", "layer", widths, 1, shared_bias=shared) == Q("b_new", 1, 0, 0)


def test_a_shared_bias_is_one_number_in_the_spec():
    for bad, message in (("bias: 0.35, shared_bias: true", "with shared_bias the layer has one bias: give one number, not a list of 2"),
                         ("bias: 0.35, shared_bias: yes please", "expected true or false")):
        text = CLASSIC.replace("bias: 0.35, shared_bias: true", bad.replace("0.35,", "[0.35, 0.35],") if "list" in message else bad)
        with pytest.raises(SpecError, match=rf"classic.yaml:5: layers\[0\]\.\w+: {message}"):
            parse_spec(text, "classic.yaml")


def test_the_document_shows_the_sum_and_names_the_post_s_b1_b2():
    example = derive(parse_spec(CLASSIC, "classic.yaml"))
    text = example.markdown(Options(notation="numbered"))
    assert r"\frac{\partial L}{\partial b_{2}} = \sum_{j} \delta^{(2)}_{j} = 0.138499 + \left(-0.0380982\right) \approx 0.100400" in text
    assert r"b^{(2)} = b_{2} = 0.6" in text and "b_{3}" not in text
    assert r"z^{(1)}_{1} = w_{1}\, x_{1} + w_{2}\, x_{2} + b_{1} = 0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.35 = 0.3775" in text
    layer = example.markdown(Options(notation="layer"))
    assert r"| $`b^{(l)}`$ | the one bias every unit of layer $`l`$ adds |" in layer
    assert r"\frac{\partial L}{\partial b^{(l)}} = \frac{1}{N} \mathbf{1}^\top \Delta^{(l)} \mathbf{1}" in layer
    tex = example.latex(Options(notation="numbered"))
    assert r"\mathitem{b^{( 2 )}_{\text{new}} = 0.549800}" in tex


def test_the_numpy_listing_of_a_shared_bias_prints_the_json_values():
    from tests.listing import listing, printed
    example = derive(parse_spec(MIXED, "mixed.yaml"))
    numbers = printed(listing(example.markdown(Options(with_code=True))))
    assert numbers["db1"] == pytest.approx([example.data["layers"][0]["db"]], rel=1e-5)
    assert numbers["b1_new"] == pytest.approx([example.data["layers"][0]["b_new"]], rel=1e-5)


def test_a_spec_written_back_keeps_the_shared_bias_the_reduction_and_class_targets(tmp_path):
    text = MIXED + "reduction: sum\n"
    spec = parse_spec(text, "mixed.yaml")
    again = parse_spec(spec_yaml(spec), "again.yaml")
    assert again == spec
    gradient_only = parse_spec(CLASSIC.replace("learning_rate: 0.5", ""), "g.yaml")
    assert parse_spec(spec_yaml(gradient_only), "again.yaml") == gradient_only
    classes = parse_spec(MIXED.replace("targets: [[0.2, 0.7], [0.9, 0.1], [0.4, 0.4]]", "targets: [1, 0, 1]")
                         .replace("sigmoid", "softmax").replace("half_sse", "cross_entropy"), "c.yaml")
    assert yaml.safe_load(spec_yaml(classes))["targets"] == [1, 0, 1]
    assert parse_spec(spec_yaml(classes), "again.yaml") == classes


def test_the_checker_reads_a_shared_bias_and_names_the_one_unit_mistake():
    from derive.check.marking import mark
    spec = parse_spec(CLASSIC, "classic.yaml")
    example = derive(spec)
    answers = parse_answers("dL/db2: 0.1385\nlayers:\n  1: {db: 0.0187}\n", "answers.yaml", spec, "numbered")
    assert [a.quantity for a in answers.answers] == [Q("db", 2, 0, 0), Q("db", 1, 0, 0)]
    marking = mark(example.graph, answers)
    wrong = next(m for m in marking.marks if m.quantity == Q("db", 2, 0, 0))
    assert wrong.status == "wrong" and wrong.mistakes == ("shared_bias_first_unit",)
    with pytest.raises(SpecError, match=r"layers\.1\.db: expected a number \(quoted or not\) or null, got list"):
        parse_answers("layers:\n  1: {db: [0.0187]}\n", "answers.yaml", spec)


def test_an_exam_on_a_shared_bias_network_asks_for_the_one_bias(tmp_path, write_spec):
    from click.testing import CliRunner
    from derive.cli import main
    spec_file = write_spec(CLASSIC)
    result = CliRunner().invoke(main, ["exam", str(spec_file), "--variants", "8", "--seed", "3",
                                       "--questions", "gradient,update", "--format", "md,json", "-o", str(tmp_path / "exam")])
    assert result.exit_code == 0, result.output
    keys = json.loads((tmp_path / "exam" / "answers.json").read_text())
    asked = {k["quantity"] for k in keys}
    assert asked & {"layers[0].db", "layers[1].db"}, asked
    variant = parse_spec((tmp_path / "exam" / "variants" / "v01.yaml").read_text(), "v01.yaml")
    assert variant.shared_bias_layers == {1, 2}
    for key in keys:
        if key["quantity"] in ("layers[0].db", "layers[1].db"):
            drawn = parse_spec((tmp_path / "exam" / "variants" / f"{key['variant']}.yaml").read_text(), "v.yaml")
            layer = derive(drawn).data["layers"][int(key["quantity"][7])]
            assert key["value"] == pytest.approx(float(np.sum(layer["delta"])), abs=1e-12)
    questions = (tmp_path / "exam" / "questions.md").read_text()
    assert "shared by every unit of layer" in questions and "one bias shared by its units" in questions


def test_the_picture_labels_a_shared_bias_once():
    example = derive(parse_spec(CLASSIC, "classic.yaml"))
    svg = example.svg()
    # eight weights and two biases: one label box each, and each bias value written once
    assert svg.count("<rect") == 1 + 10
    assert svg.count(">0.35<") == 1 and svg.count(">0.6<") == 1
    tex = example.latex()
    assert tex.count("rounded corners=0.5pt") == 10
    assert "one per layer, shared by its units" in svg
