"""derive check's terminal summary as its template words it: one line per fact, nothing left of the template."""
from __future__ import annotations

from types import SimpleNamespace

from derive.check.summary import Facts, FirstWrong
from derive.render.check_summary import worded

COUNTS = {"correct": 3, "carried_forward": 10, "wrong": 2, "not_answered": 0}


def _facts(**changes) -> Facts:
    given = dict(source="a.yaml", answered=15, counts=COUNTS,
                 first=FirstWrong("z(1)_1", "layers[0].z[0][0]", "0.3", "0.3775"),
                 explained=(("z(1)_1", ("the bias left out", "w and x swapped")),),
                 carried=tuple(f"a{i}" for i in range(10)))
    return Facts(**{**given, **changes})


def test_every_fact_has_its_line_and_a_long_list_of_names_ends_with_how_many_more():
    lines = worded(_facts())
    assert lines == ["a.yaml: 15 answered: 3 correct, 10 carried forward, 2 wrong",
                     "  first wrong: z(1)_1 (layers[0].z[0][0]) = 0.3, expected 0.3775",
                     "  z(1)_1: the bias left out; or w and x swapped",
                     "  right from your own earlier values: a0, a1, a2, a3, a4, a5, a6, a7 and 2 more"]


def test_unanswered_numbers_are_counted_and_an_exam_mark_closes_the_summary():
    exam = SimpleNamespace(variant="v03", credited=2.5, questions=[1, 2, 3, 4], grade=62.5)
    lines = worded(_facts(first=None, explained=(), carried=(), counts={**COUNTS, "wrong": 0, "not_answered": 4}), exam)
    assert lines == ["a.yaml: 15 answered: 3 correct, 10 carried forward, 0 wrong, 4 not answered",
                     "  every number given is right", "  variant v03: 2.5 of 4 questions credited (62.5 %)"]


def test_a_file_with_nothing_answered_says_what_to_do():
    lines = worded(_facts(answered=0, first=None, carried=("a0",)))
    assert lines[1:] == ["  nothing is answered: every value is null; write the numbers you worked out"]
