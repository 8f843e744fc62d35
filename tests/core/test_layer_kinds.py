"""Layer kinds in a registry: what reads it (mistakes, questions, shapes) knows which kinds it works on."""
from __future__ import annotations

from dataclasses import replace

import pytest

from derive.check.catalogue import MISTAKES, instances
from derive.core.layers import LAYER_KINDS, network_shape
from derive.core.quantities import KINDS
from derive.errors import SpecError
from derive.exam.questions import QUESTION_KINDS, parse_kinds
from derive.render.environment import template_folder
from tests.conftest import example_spec


def _as_other_kind(spec):
    """The spec with its hidden layer declared of a kind no mistake or question knows."""
    return replace(spec, layers=(replace(spec.layers[0], kind="pooling"), *spec.layers[1:]))


def test_mistakes_and_questions_name_registered_layer_kinds():
    for declared in [m.layers for m in MISTAKES.values()] + [q.layers for q in QUESTION_KINDS.values()]:
        assert set(declared) <= set(LAYER_KINDS)
    # the loss and the update rules are the same whatever the layers: those mistakes declare none
    assert [name for name, m in MISTAKES.items() if not m.layers] == ["gradient_added", "learning_rate_forgotten"]


def test_a_mistake_is_looked_for_only_in_networks_of_the_kinds_it_knows():
    spec = example_spec("classic-2-2-2")
    assert {m.name for m in instances(spec)} > {"gradient_added", "hidden_gradient_one_path"}
    assert {m.name for m in instances(_as_other_kind(spec))} == {"gradient_added", "learning_rate_forgotten"}


def test_a_question_refuses_a_layer_kind_it_cannot_pick_from():
    spec = _as_other_kind(example_spec("classic-2-2-2"))
    assert parse_kinds("loss", spec) == ("loss",)
    with pytest.raises(SpecError, match="forward asks about dense layers, but the network has a pooling layer"):
        parse_kinds("loss,forward", spec)


def test_the_shape_comes_from_each_layers_kind():
    spec = example_spec("relu-softmax-3-3-3-3")
    shape = network_shape(spec)
    assert shape.layers == len(spec.layers) and shape.batch == len(spec.inputs)
    for l, layer in enumerate(spec.layers, 1):
        assert shape.sizes[l] == {"width": layer.units, "fan_in": spec.widths[l - 1]}
    # softmax couples the output layer's units: its da_dz has the Jacobian's column axis, the others not
    column = KINDS["da_dz"].axes[-1]
    assert [shape.has(column, l) for l in range(1, shape.layers + 1)] == [False, False, True]


def test_every_layer_kind_has_its_worked_example_templates():
    for name in LAYER_KINDS:
        for part in ("forward", "backward"):
            for fmt in ("md", "tex"):
                assert (template_folder() / "layers" / f"{name}_{part}.{fmt}.j2").is_file(), (name, part, fmt)
