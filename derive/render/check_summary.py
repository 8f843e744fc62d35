"""derive check's terminal summary: a marking's facts worded by templates/check_summary.txt.j2."""
from __future__ import annotations

from typing import Any

from ..check.marking import Marking
from ..check.summary import Facts, facts
from ..core.spec import Spec
from .environment import kept_environment, render_template

TEMPLATE = "check_summary.txt.j2"


def summary(marking: Marking, spec: Spec, notation: str, exam: Any = None) -> list[str]:
    """A few lines for the terminal: the counts, the first wrong step, what explains it, what carried on
    (and, marking an exam, the file's variant and grade)."""
    return worded(facts(marking, spec, notation), exam)


def worded(f: Facts, exam: Any = None) -> list[str]:
    """The summary's lines for a file's facts (and its exam mark: variant, credited, questions, grade)."""
    return render_template(kept_environment(None), TEMPLATE, f=f, exam=exam).splitlines()

