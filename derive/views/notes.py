"""Teaching notes drawn from the numbers: a registry of note kinds, each a detector and its title.

Each kind's sentence is the macro of its name in templates/note_words.j2."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

import mpmath

from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.symbol_names import NAMES
from .formatting import given, tex
from .shown import rounded

SATURATION = 0.01  # a sigmoid or tanh derivative below this passes on less than 1 % of the gradient
VANISHING = 10  # the first layer's gradient norm this many times smaller than the last layer's
DIGITS = 3  # notes quote numbers to 3 significant figures, whatever the document's digits

# A finding: the note's layer (1-based, or None), its unit (1-based, a list, or None) and the
# values its wording quotes.
Finding = tuple[int | None, int | list[int] | None, dict[str, str]]


@dataclass(frozen=True)
class NoteKind:
    """One kind of teaching note: a detector over the computed numbers, and its title.

    Its sentence is the macro of its name in templates/note_words.j2, over the finding's values.
    """

    name: str
    title: str
    detect: Callable[[Run], Iterator[Finding]]


def _values(xs: list[Any]) -> str:
    """Numbers as one TeX list: -0.3, 0, -0.1."""
    return ",\\ ".join(tex(x, DIGITS) for x in xs)


def _examples(ns: list[int], batch: int) -> str:
    """'', or ' in example 2' / ' in examples 1, 3' when the example is one of a batch."""
    if batch == 1:
        return ""
    return f" in example{'s' if len(ns) > 1 else ''} {', '.join(map(str, ns))}"


def _units(l: int, units: list[int]) -> str:
    return ", ".join(f"${NAMES.a(l, j)}$" for j in units[:-1]) + f" and ${NAMES.a(l, units[-1])}$"


def _over_examples(run: Run, kind: str, l: int, j: int) -> dict[int, Any]:
    """Unit j's values of one kind in layer l, by example (1-based)."""
    return {n: run.value(Q(kind, l, n, j)) for n in range(1, len(run.graph.spec.inputs) + 1)}


def _dead_units(run: Run) -> Iterator[Finding]:
    """Units with a kink (ReLU) whose derivative is 0 for every example: their input is <= 0 throughout."""
    spec = run.graph.spec
    for l, layer in enumerate(spec.layers, start=1):
        act = ACTIVATIONS[layer.activation]
        if not act.kink or act.vector:
            continue
        for j in range(1, layer.units + 1):
            if all(d == 0 for d in _over_examples(run, "da_dz", l, j).values()):
                zs = list(_over_examples(run, "z", l, j).values())
                yield l, j, {"a": NAMES.a(l, j), "z": NAMES.z(l, j), "delta": NAMES.delta(l, j),
                                 "values": _values(zs), "every": "every example" if len(zs) > 1 else "this example",
                                 # weight decay still shrinks them: the table shows them moving
                                 "learn": "they learn nothing from this step" if not spec.weight_decay else
                                 "they learn nothing from the loss in this step (only the weight decay moves "
                                 "the weights, towards 0)"}


def _saturated_units(run: Run) -> Iterator[Finding]:
    """Sigmoid and tanh units whose derivative is below SATURATION in some example."""
    spec = run.graph.spec
    for l, layer in enumerate(spec.layers, start=1):
        act = ACTIVATIONS[layer.activation]
        if not act.saturates:
            continue
        for j in range(1, layer.units + 1):
            derivatives = _over_examples(run, "da_dz", l, j)
            low = [n for n, d in derivatives.items() if d < SATURATION]
            if low:
                yield l, j, {"a": NAMES.a(l, j), "z": NAMES.z(l, j), "f": act.tex,
                                 "derivative": _values([derivatives[n] for n in low]),
                                 "z_values": _values([run.value(Q("z", l, n, j)) for n in low]),
                                 "where": _examples(low, len(spec.inputs)), "limit": given(SATURATION)}


def _norm(run: Run, kind: str, l: int) -> Any:
    """The Frobenius norm of a layer's matrix of one kind: a gradient, or every example's deltas or activations."""
    values = [run.value(q) for q in run.graph.of_kind(kind, l)]
    return mpmath.sqrt(mpmath.fsum(x * x for x in values))


def _factor(big: Any, small: Any) -> str:
    """big / small from the shown norms, so a reader dividing them gets the same number."""
    return tex(rounded(big, DIGITS) / rounded(small, DIGITS), 2)


def _shrink(last: Any, first: Any) -> str:
    return f"by a factor of about ${_factor(last, first)}$" if first > 0 else "to zero"


def _is(name: str, value: Any) -> str:
    """One norm as maths; a list of them is one $...$ each, so that a narrow page can break between them."""
    return rf"\lVert {name} \rVert = {tex(value, DIGITS)}"


def _named(run: Run) -> tuple[Callable[[int], str], Callable[[int], str]]:
    """Layer l's delta and activations (0: the inputs) as the notes name them; a batch stacks examples as rows."""
    if len(run.graph.spec.inputs) == 1:
        return (lambda l: rf"\delta^{{({l})}}"), (lambda l: f"a^{{({l})}}" if l else "x")
    return (lambda l: rf"\Delta^{{({l})}}"), (lambda l: f"A^{{({l})}}" if l else "X")


def _weight_gradients(run: Run) -> str:
    """The first and last layers' weight-gradient norms, as maths between which the wording's $ signs close."""
    L = len(run.graph.spec.layers)
    return (_is(r"\partial L / \partial W^{(1)}", _norm(run, "dW", 1)) + "$ against $"
            + _is(rf"\partial L / \partial W^{{({L})}}", _norm(run, "dW", L)))


def _vanishing(run: Run) -> Iterator[Finding]:
    """The first layer's delta VANISHING times or more below the last layer's, two or more layers back.

    Depth is what shrinks delta (each layer back multiplies it by weights and f'), so the deltas are
    compared, not the weight gradients, which also scale with each layer's inputs. One layer back is
    no depth: a single sigmoid layer often shrinks delta tenfold, and that is no vanishing gradient.
    """
    L = len(run.graph.spec.layers)
    if L < 3:
        return
    deltas = [_norm(run, "delta", l) for l in range(1, L + 1)]
    first, last = deltas[0], deltas[-1]
    if last > 0 and first * VANISHING <= last:
        delta, _ = _named(run)
        yield 1, None, {"shrink": _shrink(last, first), "back": str(L - 1), "gradients": _weight_gradients(run),
                        "deltas": "$, $".join(_is(delta(l), d) for l, d in enumerate(deltas, start=1)),
                        "rows": "" if len(run.graph.spec.inputs) == 1 else ", each example's $\\delta$ a row of $\\Delta$"}


def _small_inputs(run: Run) -> Iterator[Finding]:
    """The first layer's weight gradient VANISHING times or more below the last's, mostly for the inputs' size.

    dW^(l) = delta^(l) a^(l-1)^T, so for one example the ratio of the weight-gradient norms is the ratio
    of the deltas' norms times that of the last layer's inputs to the network's: the note is raised
    where the inputs' factor is at least the deltas'.
    """
    L = len(run.graph.spec.layers)
    if L < 2:
        return
    g1, gL = _norm(run, "dW", 1), _norm(run, "dW", L)
    d1, dL = _norm(run, "delta", 1), _norm(run, "delta", L)
    x, aL = _norm(run, "x", 0), _norm(run, "a", L - 1)
    # a first-layer delta of 0 is no input's doing; cross-multiplied, a zero input divides nothing
    if not (gL > 0 and g1 * VANISHING <= gL and d1 > 0 and aL * d1 >= dL * x):
        return
    delta, a = _named(run)
    yield 1, None, {"shrink": _shrink(gL, g1), "gradients": _weight_gradients(run), "L": str(L),
                    "x": _is(a(0), x), "aL": _is(a(L - 1), aL),
                    "inputs": f"about ${_factor(aL, x)}$ times smaller than" if x > 0 else "zero, against",
                    "deltas": (f"shrinks only by a factor of about ${_factor(dL, d1)}$" if d1 < dL
                               else "is no smaller in the first layer than in the last"),
                    "delta_norms": _is(delta(1), d1) + "$, $" + _is(delta(L), dL)}


def _symmetric_units(run: Run) -> Iterator[Finding]:
    """Hidden units with the same incoming weights, bias and outgoing weights: one class per set of twins."""
    spec = run.graph.spec
    for l in range(1, len(spec.layers)):
        layer, above = spec.layer(l), spec.layer(l + 1)
        classes: dict[tuple, list[int]] = {}
        for j in range(1, layer.units + 1):
            weight = (lambda l, j, k: float(run.value(Q("W", l, 0, j, k))))
            key = (tuple(weight(l, j, k) for k in range(1, spec.widths[l - 1] + 1)), layer.bias_of(j),
                   tuple(weight(l + 1, m, j) for m in range(1, above.units + 1)))
            classes.setdefault(key, []).append(j)
        for units in classes.values():
            if len(units) > 1:
                yield l, units, {"units": _units(l, units), "l": str(l), "next": str(l + 1)}


def _ce_without_softmax(run: Run) -> Iterator[Finding]:
    """Cross-entropy meant for softmax on elementwise outputs: units whose target is 0 get delta = 0."""
    spec = run.graph.spec
    output = spec.layers[-1]
    if not LOSSES[spec.loss].softmax_simplifies or ACTIVATIONS[output.activation].vector:
        return
    L = len(spec.layers)
    idle = [j for j in range(1, output.units + 1)
            if all(t == 0 for t in _over_examples(run, "t", 0, j).values())
            and all(d == 0 for d in _over_examples(run, "delta", L, j).values())]
    if idle:
        units = _units(L, idle) if len(idle) > 1 else f"${NAMES.a(L, idle[0])}$"
        yield L, idle, {"units": units, "activation": output.activation, "L": str(L),
                        "one": "its" if len(idle) == 1 else "their", "is": "is" if len(idle) == 1 else "are"}


def _idle_shared_bias(run: Run) -> Iterator[Finding]:
    """A coupled (softmax) layer whose units share one bias: shifting every z alike changes no output."""
    for l, layer in enumerate(run.graph.spec.layers, start=1):
        if layer.shared_bias and layer.units > 1 and ACTIVATIONS[layer.activation].vector:
            yield l, None, {"l": str(l), "b": NAMES.b(l, 0)}


def _loss_increased(run: Run) -> Iterator[Finding]:
    """A step after which the loss is higher than before it."""
    spec, history = run.graph.spec, run.loss_history
    rises = [s for s in range(1, len(history)) if history[s] > history[s - 1]]
    if rises:
        s = rises[0]
        more = f" ({len(rises)} of the {spec.steps} steps raised it)" if len(rises) > 1 else ""
        yield None, None, {"step": str(s), "before": tex(history[s - 1], DIGITS), "after": tex(history[s], DIGITS),
                           "eta": given(spec.learning_rate or 0), "more": more}


NOTE_KINDS: dict[str, NoteKind] = {
    kind.name: kind
    for kind in (
        NoteKind("dead_relu", "A dead ReLU unit", _dead_units),
        NoteKind("saturated", "A saturated unit", _saturated_units),
        NoteKind("vanishing_gradient", "A vanishing gradient", _vanishing),
        NoteKind("small_inputs", "Small inputs", _small_inputs),
        NoteKind("symmetric_units", "Symmetric units", _symmetric_units),
        NoteKind("ce_without_softmax", "Cross-entropy without softmax", _ce_without_softmax),
        NoteKind("idle_shared_bias", "A shared bias softmax ignores", _idle_shared_bias),
        NoteKind("loss_increased", "The loss went up", _loss_increased),
    )
}


def teaching_notes(run: Run) -> list[dict[str, Any]]:
    """Every note that this example's numbers call for, in registry order: kind, layer, unit and the values
    its wording quotes (render.environment.worded_notes puts its text in their place)."""
    return [{"kind": kind.name, "layer": layer, "unit": unit, "values": values}
            for kind in NOTE_KINDS.values() for layer, unit, values in kind.detect(run)]


def note_warnings(notes: list[dict[str, Any]]) -> list[str]:
    """Each JSON note as one line for a terminal: its title and where (the document's Notes say why)."""
    lines = []
    for note in notes:
        units = note["unit"] if isinstance(note["unit"], list) else [note["unit"]] if note["unit"] else []
        where = [f"layer {note['layer']}"] if note["layer"] else []
        where += [f"unit{'s' if len(units) > 1 else ''} {', '.join(map(str, units))}"] if units else []
        title = NOTE_KINDS[note["kind"]].title
        lines.append(f"{title[0].lower()}{title[1:]}{' (' + ', '.join(where) + ')' if where else ''}; "
                     "see the Notes for why and what to change")
    return lines


def notes_view(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON notes with the title of their kind, for the documents."""
    return [{**note, "title": NOTE_KINDS[note["kind"]].title} for note in notes]
