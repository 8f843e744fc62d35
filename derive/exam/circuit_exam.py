"""A circuit's exam: its given numbers drawn afresh per variant (nice numbers, no kinks, nothing undefined),
questions on node values and gradients, each with the tolerance of hand rounding."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace

from ..core.circuit import Circuit, build_circuit, grad_of, inputs_of, updated_of, value_of
from ..core.graph import StepGraph
from ..core.quantities import Quantity
from ..core.tolerance import Digits, Rounding
from ..errors import DrawsRefused, NumericalError, SpecError
from ..oracles.circuit_checks import kinks
from .generate import GIVE_UP, MAX_VARIANTS, Question, variant_ids

# what a question asks: the output's or a stage's value, a stage's gradient, a given number's, a step's result
CIRCUIT_KINDS = ("value", "gradient", "input_gradient", "update")
# a given number written as a whole number is drawn from these, one written with decimals from the halves;
# no 0, which would make a product's gradient trivially 0
WHOLE = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
HALVES = tuple(k / 2 for k in range(-4, 5) if k)  # -2, -1.5, ..., 2
SMALLEST = 0.01  # an answer nearer 0 (a saturated sigmoid's slope) asks nothing a student could check by hand


@dataclass(frozen=True)
class CircuitVariant:
    """One drawn circuit: its id, the circuit with its numbers, its step graph and its questions."""

    id: str
    circuit: Circuit
    graph: StepGraph
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class CircuitExam:
    """Every variant of one circuit's exam, how its numbers are rounded, and how many draws it took."""

    name: str
    seed: int
    digits: Digits
    kinds: tuple[str, ...]
    variants: tuple[CircuitVariant, ...]
    draws: int


def circuit_kinds(text: str, circuit: Circuit) -> tuple[str, ...]:
    """The question kinds of --questions for a circuit, each known (update only where the circuit takes a step)."""
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    valid = CIRCUIT_KINDS if circuit.learning_rate is not None else CIRCUIT_KINDS[:-1]
    bad = [k for k in kinds if k not in valid]
    if bad or not kinds:
        raise SpecError(f"--questions: unknown kind {', '.join(map(repr, bad)) or repr(text)} for a circuit; "
                        f"valid: {', '.join(valid)}")
    return kinds


def _asked(circuit: Circuit, kinds: tuple[str, ...], rng: random.Random) -> list[tuple[str, Quantity]]:
    """The quantities a variant asks: the output, a stage between, its gradient, every given number's, each step."""
    output, n_given = circuit.node(circuit.output), len(circuit.given)
    between = [n for n in circuit.stage_nodes if n < output]
    fed = [n for n in between if any(n in inputs_of(circuit, c) for c in circuit.stage_nodes)]
    asked: list[tuple[str, Quantity]] = []
    if "value" in kinds:
        asked += [("value", value_of(circuit, rng.choice(between)))] if between else []
        asked.append(("value", value_of(circuit, output)))
    if "gradient" in kinds and fed:
        asked.append(("gradient", grad_of(rng.choice(fed))))
    if "input_gradient" in kinds:
        asked += [("input_gradient", grad_of(n)) for n in range(1, n_given + 1)]
    if "update" in kinds:
        asked += [("update", updated_of(circuit.node(p))) for p in circuit.parameters]
    return asked


def _drawn(circuit: Circuit, rng: random.Random) -> Circuit:
    """The circuit with each given number drawn afresh: whole numbers where it was whole, else halves."""
    return replace(circuit, given=tuple((name, rng.choice(WHOLE if isinstance(v, int) else HALVES))
                                        for name, v in circuit.given))


def make_circuit_exam(circuit: Circuit, n: int, seed: int, kinds: tuple[str, ...], digits: Digits,
                      name: str) -> CircuitExam:
    """n variants, each from its own generator seeded by (seed, i): a draw is refused where a value is
    undefined, a ReLU, |x|, max or min sits at its kink, an answer is nearer 0 than SMALLEST, the numbers
    repeat an earlier variant's, or its answers all do (at the rounding asked)."""
    if not 1 <= n <= MAX_VARIANTS:
        raise SpecError(f"expected 1 to {MAX_VARIANTS} variants, got {n}")
    variants, seen, answers, draws = [], set(), set(), 0
    for index, vid in enumerate(variant_ids(n), 1):
        rng = random.Random(f"derive circuit exam/{seed}/{index}")
        for _ in range(GIVE_UP):
            draws += 1
            drawn, asked = _drawn(circuit, rng), None
            numbers = tuple(v for _, v in drawn.given)
            if numbers in seen or kinks(drawn):
                continue
            try:
                graph = build_circuit(drawn)
            except NumericalError:
                continue
            asked = _asked(drawn, kinds, rng)
            values = [float(graph.value(q)) for _, q in asked]
            if any(abs(v) < SMALLEST for v in values):
                continue
            if tuple(digits.rounded(v) for v in values) in answers:
                continue
            break
        else:
            raise DrawsRefused(f"cannot draw {n} distinct variants of the circuit: after {index - 1} the next "
                               f"{GIVE_UP} draws were all refused (an undefined value, a kink, an answer near 0, a repeat): "
                               f"ask for fewer variants")
        seen.add(numbers)
        answers.add(tuple(digits.rounded(v) for v in values))
        rounding = Rounding(graph)
        tolerances = rounding.tolerances([float(s.value) for s in graph.steps], [q for _, q in asked], digits)
        questions = tuple(Question(i, kind, q, float(graph.value(q)), tolerances[q])
                          for i, (kind, q) in enumerate(asked, 1))
        named = replace(drawn, name=f"{name}, variant {vid}")
        variants.append(CircuitVariant(vid, named, replace(graph, spec=named), questions))
    return CircuitExam(name, seed, digits, kinds, tuple(variants), draws)
