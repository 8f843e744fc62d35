"""Marking never breaks: every convention × every catalogue mistake × a wrong number of every kind gives well-formed marks.

The conventions are small networks, one for each way a spec can be written (gradients only, a
shared bias, a batch, reduction: sum, class-index targets, each optimizer, each activation and
loss); their graphs are built once. The hypothesis test draws from their product with every
catalogue mistake that can happen on each and a wrong number of every kind (off by a slip's
ratio, or by anything), or arbitrary numbers, written in any digits.
"""
from __future__ import annotations

import json
import math
import os
from functools import lru_cache

import mpmath
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.check.catalogue import MISTAKES, describe, instances
from derive.check.marking import STATUSES, Marking, as_json, mark
from derive.check.mistakes import mistake_graph
from derive.check.slips import slips
from derive.render.check_summary import summary
from derive.core.activations import ACTIVATIONS
from derive.core.graph import StepGraph, build_graph
from derive.core.losses import LOSSES
from derive.core.updates import UPDATE_RULES
from derive.io.answers import parse_answers
from derive.io.validate import spec_from_data
from derive.views.feedback import feedback_document


def _layers(hidden: str, output: str, outputs: int = 2, shared: bool = False, alpha: float | None = None):
    first = {"units": 2, "activation": hidden, "weights": [[0.4, -0.3], [-0.6, 0.5]], "bias": 0.1 if shared else
             [0.1, -0.2], "shared_bias": shared}
    second = {"units": outputs, "activation": output, "weights": [[0.7, -0.5], [-0.2, 0.9], [0.3, 0.6]][:outputs],
              "bias": -0.1 if shared else [-0.1, 0.2, 0.05][:outputs], "shared_bias": shared}
    if alpha is not None:
        first["alpha"] = alpha
    return [first, second]


X1, X2 = [[0.5, -0.8]], [[0.5, -0.8], [-0.3, 0.9]]
# name -> the spec's fields; together they take every optimizer, activation and loss of the registries
CONVENTIONS: dict[str, dict] = {
    "sgd": {"layers": _layers("sigmoid", "sigmoid"), "inputs": X1, "targets": [[0.1, 0.9]], "loss": "half_sse",
            "learning_rate": 0.5},
    "gradients only": {"layers": _layers("tanh", "identity"), "inputs": X1, "targets": [[0.3, -0.4]], "loss": "mse"},
    "shared bias": {"layers": _layers("relu", "sigmoid", shared=True), "inputs": X1, "targets": [[0.0, 1.0]],
                    "loss": "binary_cross_entropy", "learning_rate": 0.1},
    "batch": {"layers": _layers("leaky_relu", "softmax", 3, alpha=0.1), "inputs": X2,
              "targets": [[1, 0, 0], [0, 0, 1]], "loss": "cross_entropy", "learning_rate": 0.2},
    "reduction sum": {"layers": _layers("tanh", "sigmoid"), "inputs": X2, "targets": [[0.2, 0.7], [0.9, 0.1]],
                      "loss": "sse", "learning_rate": 0.3, "reduction": "sum"},
    "class indices": {"layers": _layers("sigmoid", "softmax", 3), "inputs": X2, "targets": [2, 0],
                      "loss": "cross_entropy", "learning_rate": 0.5},
    "momentum": {"layers": _layers("identity", "tanh"), "inputs": X1, "targets": [[0.4, -0.2]], "loss": "half_sse",
                 "learning_rate": 0.1, "optimizer": {"name": "momentum", "momentum": 0.9, "nesterov": True}},
    "adam": {"layers": _layers("relu", "identity"), "inputs": X2, "targets": [[0.5, 0.1], [-0.2, 0.3]],
             "loss": "mse", "learning_rate": 0.01, "optimizer": "adam", "steps": 2},
    "adamw": {"layers": _layers("sigmoid", "sigmoid"), "inputs": X1, "targets": [[1.0, 0.0]],
              "loss": "binary_cross_entropy", "learning_rate": 0.05, "optimizer": "adamw", "weight_decay": 0.01},
    "weight decay": {"layers": _layers("tanh", "sigmoid"), "inputs": X1, "targets": [[0.6, 0.2]], "loss": "half_sse",
                     "learning_rate": 1.0, "weight_decay": 0.1},
    "softmax squared": {"layers": _layers("relu", "softmax", 3), "inputs": X1, "targets": [[0.0, 1.0, 0.0]],
                        "loss": "half_sse", "learning_rate": 0.5},
    "one output": {"layers": _layers("leaky_relu", "relu", 1, alpha=0.2), "inputs": X2, "targets": [[0.3], [0.8]],
                   "loss": "sse", "learning_rate": 0.1},
}


@lru_cache(maxsize=None)
def graph_of(convention: str) -> StepGraph:
    return build_graph(spec_from_data({"name": convention, **CONVENTIONS[convention]}, "spec.yaml"))


def test_the_conventions_take_every_activation_loss_and_optimizer():
    specs = [graph_of(c).spec for c in CONVENTIONS]
    assert {layer.activation for s in specs for layer in s.layers} == set(ACTIVATIONS)
    assert {s.loss for s in specs} == set(LOSSES)
    assert {s.optimizer.name for s in specs if s.updates} == set(UPDATE_RULES)
    assert any(not s.updates for s in specs) and any(s.reduction == "sum" for s in specs)
    assert any(s.target_classes for s in specs) and any(s.shared_bias_layers for s in specs)
    # every mistake of the catalogue can happen on some convention
    assert {m.name for s in specs for m in instances(s)} == set(MISTAKES)


def _real(values: dict) -> dict:
    """The numbers a person could write: a mistake can take the log of a negative (complex) or overflow."""
    return {q: v for q, v in values.items() if isinstance(v, (int, float, mpmath.mpf)) and mpmath.isfinite(v)}


def _text(values: dict, digits: int = 6) -> str:
    return "".join(f'"{q.json_path}": {float(v):.{digits}g}\n' for q, v in values.items())


def _marked(graph: StepGraph, text: str) -> Marking:
    return mark(graph, parse_answers(text, "answers.yaml", graph.spec))


def assert_well_formed(graph: StepGraph, marking: Marking, answered: int, feedback: bool = False) -> None:
    """Every number marked once with a known status, finite tolerance, and mistakes that can be worded."""
    spec = graph.spec
    assert len(marking.marks) == answered
    for m in marking.marks:
        assert m.status in STATUSES and math.isfinite(m.tolerance) and m.tolerance >= 0
        assert not m.mistakes or m.status == "wrong"
        for name in m.mistakes:
            for notation in ("layer", "numbered"):
                words = describe(name, spec, notation)
                assert words and "\n" not in words and "{" not in words
    json.dumps(as_json(marking, spec, "layer"), allow_nan=False)
    assert summary(marking, spec, "numbered")
    if feedback:
        assert feedback_document(graph, marking, "layer")["rows"]


def _computed(graph: StepGraph) -> dict:
    return {s.quantity: s.value for s in graph.steps if not s.given}


def _with_mistake(graph: StepGraph, data) -> dict:
    """Every number worked with one of the catalogue's mistakes that can happen here."""
    mistake = data.draw(st.sampled_from(instances(graph.spec)), label="mistake")
    return _real(_computed(mistake_graph(graph, mistake)))


def _one_wrong(graph: StepGraph, data) -> dict:
    """Every number right but one of the drawn kind: off by a slip's ratio, or by anything."""
    values = _computed(graph)
    kind = data.draw(st.sampled_from(sorted({q.kind for q in values})), label="kind")
    q = data.draw(st.sampled_from([q for q in values if q.kind == kind]), label="quantity")
    ratio = data.draw(st.sampled_from([s.ratio for s in slips(graph.spec)] + [1.37, 0.0, 1e6]), label="ratio")
    values[q] = float(values[q]) * ratio + data.draw(st.sampled_from([0.0, 0.011]), label="offset")
    return values


numbers = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, 1.0, -1.0, 1e-12, 0.5]))


def _anything(graph: StepGraph, data) -> dict:
    """Any numbers for a few quantities, the rest right or left out."""
    quantities = list(_computed(graph))
    chosen = data.draw(st.lists(st.sampled_from(quantities), min_size=1, max_size=8, unique=True), label="asked")
    values = {q: graph.value(q) for q in quantities} if data.draw(st.booleans(), label="rest right") else {}
    values.update({q: data.draw(numbers, label=q.json_path) for q in chosen})
    return values


# DERIVE_CHECK_EXAMPLES=2000 walks far more of the product (conventions × mistakes × kinds) than CI does
@settings(max_examples=int(os.environ.get("DERIVE_CHECK_EXAMPLES", "40")), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(CONVENTIONS)), st.sampled_from([_with_mistake, _one_wrong, _anything]),
       st.integers(1, 8), st.data())
def test_marking_any_answers_on_any_convention_gives_well_formed_marks(convention, case, digits, data):
    graph = graph_of(convention)
    values = case(graph, data)
    assert_well_formed(graph, _marked(graph, _text(values, digits)), len(values), feedback=digits == 6)
