"""Drawing an exam: distinct, non-degenerate variants of one network shape, each with its asked answers."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace

from ..core.codegen import FLOAT
from ..core.graph import StepGraph, build_graph, recompute, runner
from ..core.quantities import Quantity
from ..core.spec import Spec
from ..core.tolerance import Digits, Rounding
from ..errors import DrawsRefused, NumericalError, SpecError
from .degenerate import RULES, Asked, Draw, refusal
from .draw import draw_spec, possible_draws
from .questions import QUESTION_KINDS, pick_questions

MAX_VARIANTS = 999
GIVE_UP = 500  # consecutive refused draws after which the ranges are taken to allow no more variants
DEFAULT_DIGITS = Digits(4)


@dataclass(frozen=True)
class Question:
    """One numbered question of a variant: its kind, the quantity asked, the value and its tolerance."""

    number: int
    kind: str
    quantity: Quantity
    value: float
    tolerance: float


@dataclass(frozen=True)
class Variant:
    """One drawn problem: its id, its complete spec, its step graph and its questions."""

    id: str
    spec: Spec
    graph: StepGraph
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Exam:
    """Every variant of one exam, and how the drawing went."""

    name: str
    seed: int
    digits: Digits  # how every number written down is rounded: the tolerances follow from it
    kinds: tuple[str, ...]
    variants: tuple[Variant, ...]
    draws: int
    refused: dict[str, int] = field(default_factory=dict)  # rule name -> draws it refused
    points: dict[str, float] = field(default_factory=dict)  # question kind -> its points (1 where not given)

    def points_of(self, kind: str) -> float:
        """The points a question of this kind is worth."""
        return self.points.get(kind, 1.0)


def variant_ids(n: int) -> list[str]:
    """v01, v02, ... (three digits from 100 variants on)."""
    width = max(2, len(str(n)))
    return [f"v{i:0{width}d}" for i in range(1, n + 1)]


def _given(spec: Spec) -> dict[Quantity, float]:
    """Every given number of a drawn spec, by address: the overrides that make a variant's graph."""
    out: dict[Quantity, float] = {}
    for n, (xs, ts) in enumerate(zip(spec.inputs, spec.targets), 1):
        out.update({Quantity("x", 0, n, k): x for k, x in enumerate(xs, 1)})
        out.update({Quantity("t", 0, n, k): t for k, t in enumerate(ts, 1)})
    for l, layer in enumerate(spec.layers, 1):
        out.update({Quantity("W", l, 0, j, k): w for j, row in enumerate(layer.weights, 1) for k, w in enumerate(row, 1)})
        out.update({Quantity("b", l, 0, j): b for j, b in zip(layer.bias_units, layer.bias)})
    return out


class _Judge:
    """Judges draws of one shape in floats: the shape's graph compiled once, its rounding partials too."""

    def __init__(self, graph: StepGraph, digits: Digits):
        self.graph = graph
        self.run = runner(graph, FLOAT)
        self.rounding = Rounding(graph)
        self.digits = digits

    def values(self, spec: Spec) -> list[float] | None:
        """Every step's value for the drawn numbers, in floats; None where a log or division fails."""
        values: list = [None] * len(self.graph.steps)
        for q, x in _given(spec).items():
            values[self.graph.index[q]] = float(x)
        try:
            return self.run(values)
        except (ZeroDivisionError, ValueError, OverflowError):
            return None

    def __call__(self, spec: Spec, picked: list[tuple[str, Quantity]]) -> tuple[str | None, list[Asked]]:
        """(the rule that refuses the draw or None, the asked answers)."""
        values = self.values(spec)
        if values is None:
            return "numerical", []
        draw = Draw(self.graph, values)
        reason = refusal(draw, None, self.digits)
        if reason:
            return reason, []
        tolerances = self.rounding.tolerances(values, [q for _, q in picked], self.digits)
        asked = []
        for kind, q in picked:
            old = q.before()
            change = abs(draw.value(q) - draw.value(old)) if QUESTION_KINDS[kind].update else None
            asked.append(Asked(kind, q, draw.value(q), tolerances[q], change))
        return refusal(draw, asked, self.digits), asked


# what a value after the step was before it: an update's change is measured against it


class _Drawing:
    """The draws of one exam so far: what earlier variants used, and how many draws each rule refused."""

    def __init__(self, shape: Spec, kinds: tuple[str, ...], digits: Digits, distinct_answers: bool):
        self.shape, self.kinds, self.digits, self.distinct_answers = shape, kinds, digits, distinct_answers
        self.judge: _Judge | None = None
        self.refused: Counter[str] = Counter()
        self.numbers: set[tuple] = set()
        self.answers: list[set[float]] = []
        self.draws = 0

    def attempt(self, rng: random.Random, name: str) -> tuple[str | None, Spec, list[Asked]]:
        """One draw of questions and numbers: (the rule refusing it or None, its spec, its asked answers)."""
        self.draws += 1
        picked = pick_questions(self.shape, self.kinds, rng)
        spec = draw_spec(self.shape, rng, name)
        if self.judge is None:
            self.judge = _first_judge(spec, self.digits)
        if _numbers(spec) in self.numbers:
            return "duplicate", spec, []
        reason, asked = self.judge(spec, picked)
        if reason is None and self.distinct_answers and any(
                self.digits.rounded(a.value) in seen for a, seen in zip(asked, self.answers)):
            reason = "repeat"
        return reason, spec, asked

    def variant(self, index: int, vid: str, seed: int, name: str, n: int) -> Variant:
        """Variant index: its own generator's draws until one is accepted, then worked in 40 digits."""
        rng = random.Random(f"derive exam/{seed}/{index}")
        for _ in range(GIVE_UP):
            reason, spec, asked = self.attempt(rng, f"{name}, variant {vid}")
            if reason is None:
                break
            self.refused[reason] += 1
        else:
            raise DrawsRefused(_exhausted(self.shape, n, index - 1, self.draws, self.refused))
        self.numbers.add(_numbers(spec))
        self.answers = self.answers or [set() for _ in asked]
        for a, seen in zip(asked, self.answers):
            seen.add(self.digits.rounded(a.value))
        graph = _own(recompute(self.judge.graph, _given(spec)), spec)
        questions = tuple(Question(i, a.kind, a.quantity, float(graph.value(a.quantity)), a.tolerance)
                          for i, a in enumerate(asked, 1))
        return Variant(vid, spec, graph, questions)


def _numbers(spec: Spec) -> tuple:
    return spec.inputs, spec.targets, tuple((layer.weights, layer.bias) for layer in spec.layers)


def _own(graph: StepGraph, spec: Spec) -> StepGraph:
    """A graph recomputed for a variant, knowing its own spec (and keeping the compiled formulas)."""
    return replace(graph, spec=spec, runner=graph.compiled)


def make_exam(shape: Spec, n: int, seed: int, kinds: tuple[str, ...], digits: Digits | int = DEFAULT_DIGITS,
              name: str = "Exam", distinct_answers: bool = True, limit: int = MAX_VARIANTS,
              stop: int | None = None, points: dict[str, float] | None = None) -> Exam:
    """Draw n variants of the shape: numbers from the grids, degenerate and repeated draws refused.

    Variant i draws from its own generator seeded by (seed, i), so any variant is drawn again
    with the same seed and the variants before it. distinct_answers=False keeps a draw whose
    answer repeats an earlier variant's (a stress test counts them instead); stop ends the drawing
    after that many variants (one variant again, with the ids of all n). digits is how every
    number is written down (a whole number: so many decimals); points, each kind's worth.
    """
    digits = digits if isinstance(digits, Digits) else Digits(digits)
    if not 1 <= n <= limit:
        raise SpecError(f"expected 1 to {limit} variants, got {n}")
    possible = possible_draws(shape)
    if n > possible:
        raise SpecError(f"{n} distinct variants asked, but the number ranges allow only "
                        f"{possible} different {'-'.join(map(str, shape.widths))} networks")
    drawing = _Drawing(shape, kinds, digits, distinct_answers)
    variants = tuple(drawing.variant(index, vid, seed, name, n) for index, vid in enumerate(variant_ids(n)[:stop], 1))
    return Exam(name, seed, digits, kinds, variants, drawing.draws, dict(sorted(drawing.refused.items())), points or {})


def _first_judge(spec: Spec, digits: Digits) -> _Judge:
    """The judge of a shape, built on the graph of its first draw (40 digits where floats fail)."""
    try:
        return _Judge(build_graph(spec), digits)
    except NumericalError:
        # the first draw saturated: the formulas are what matter, so build them on safe numbers
        return _Judge(build_graph(replace(spec, layers=tuple(replace(l, weights=tuple((0.1,) * len(r) for r in l.weights))
                                                             for l in spec.layers))), digits)


def _exhausted(shape: Spec, n: int, made: int, draws: int, refused: Counter) -> str:
    """The one-line error when the ranges give no further acceptable variant."""
    reasons = ", ".join(f"{count} {RULES[name].reason}" for name, count in refused.most_common(3))
    return (f"cannot draw {n} distinct variants of the {'-'.join(map(str, shape.widths))} network: "
            f"after {made} the next {GIVE_UP} draws were all refused ({draws} draws in all; most often: {reasons})")
