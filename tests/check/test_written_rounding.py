"""One tolerance model: a person's written digits, propagated through the step graph as the exam's keys are."""
from __future__ import annotations

import numpy as np
import pytest

from derive.check.marking import mark
from derive.core.graph import build_graph
from derive.core.quantities import Quantity as Q
from derive.core.tolerance import Rounding
from derive.io.answers import parse_answers
from derive.io.validate import parse_spec
from tests.by_hand import mazur_by_hand
from tests.conftest import MAZUR


def marked(text: str):
    spec = parse_spec(MAZUR, "mazur.yaml")
    graph = build_graph(spec)
    return {m.quantity: m for m in mark(graph, parse_answers(text, "a.yaml", spec, "layer")).marks}, graph


def test_an_answer_off_by_more_than_its_rounding_can_carry_is_wrong():
    # a^(2)_1 = 0.751365: 0.7506 at four decimals is off by 7.7e-4, beyond what four-decimal rounding gives
    marks, _ = marked("layers: {2: {a: [[0.7506, 0.7729]]}}\n")
    assert marks[Q("a", 2, 1, 1)].status == "wrong" and marks[Q("a", 2, 1, 2)].status == "correct"


def test_the_checker_s_tolerance_is_the_exam_s_for_the_same_decimals():
    marks, graph = marked("layers: {2: {a: [[0.7514, 0.7729]], delta: [[0.1385, -0.0381]]}}\nloss: 0.2984\n")
    exam = Rounding(graph).tolerances([float(s.value) for s in graph.steps], list(marks), 4)
    assert {q: m.tolerance for q, m in marks.items()} == exam


def test_an_early_slip_marks_the_slip_wrong_and_every_later_number_carried_forward():
    # out_h1 written 0.600000000 (the key is 0.593270), every later number worked from it at nine digits
    slip = mazur_by_hand(a11=0.6)
    layer2 = slip["layers"][2]
    text = (f"layers:\n  1: {{a: [[0.600000000, {slip['layers'][1]['a'][0][1]:.9f}]]}}\n"
            f"  2:\n    a: [[{layer2['a'][0][0]:.9f}, {layer2['a'][0][1]:.9f}]]\n"
            f"    delta: [[{layer2['delta'][0][0]:.9f}, {layer2['delta'][0][1]:.9f}]]\n"
            f"loss: {slip['loss']:.9f}\n")
    marks, graph = marked(text)
    assert marks[Q("a", 1, 1, 1)].status == "wrong"
    assert marks[Q("a", 1, 1, 2)].status == "correct"
    later = [q for q in marks if q.kind != "a" or q.layer == 2]
    assert later and all(marks[q].status == "carried_forward" for q in later), \
        {q.json_path: marks[q].status for q in later}
    # the loss is 0.08 % off: within the old 0.1 % allowance, far outside nine digits' rounding
    assert abs(slip["loss"] / float(graph.value(Q("loss"))) - 1) == pytest.approx(8.2e-4, abs=1e-4)


def test_a_number_written_coarsely_claims_only_its_own_digits():
    marks, _ = marked("layers: {1: {a: [[0.6, 0.5969]]}}\n")
    assert marks[Q("a", 1, 1, 1)].status == "correct"  # 0.593270 to one decimal
    assert marks[Q("a", 1, 1, 1)].tolerance >= 0.05 * 1.5


@pytest.mark.parametrize("decimals", [3, 5, 7])
def test_answers_rounded_at_any_decimals_pass_and_a_sign_slip_fails(decimals):
    right = mazur_by_hand()
    dW2 = np.round(right["layers"][2]["dW"], decimals)
    text = f"layers:\n  2:\n    dW: [[{dW2[0][0]}, {dW2[0][1]}], [{dW2[1][0]}, {-dW2[1][1]}]]\n"
    marks, _ = marked(text)
    assert [marks[Q("dW", 2, 0, j, k)].status for j, k in ((1, 1), (1, 2), (2, 1), (2, 2))] == \
        ["correct", "correct", "correct", "wrong"]
