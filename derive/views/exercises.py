"""Questions for the reader about this very example, each answered with the numbers of its step graph."""
from __future__ import annotations

from typing import Any

import mpmath

from ..core.graph import StepGraph
from ..core.naming import latex_name_in
from ..core.quantities import Quantity as Q
from ..core.run import Run
from ..core.spec import Spec
from ..core.symbol_names import NAMES
from ..core.updates import UPDATE_RULES
from .formatting import factor, given, tex
from .printer import DerivePrinter
from .shown import relation, rounded, shown_line

ADAM = ("adam", "adamw")
TIE = mpmath.mpf(10) ** -30
NEARLY = 0.99  # Adam's step as a fraction of eta from which it counts as eta times the gradient's sign


def _weights(graph: StepGraph, kind: str) -> list[Q]:
    """Every weight's quantity of one kind (W, dW, W_new), in computation order."""
    return [s.quantity for s in graph.steps if s.quantity.kind == kind]


def _largest(qs: list[Q], size) -> list[Q]:
    """The quantities of the largest size, first computed first: more than one where they tie."""
    top = max(size(q) for q in qs)
    # equal to the graph's 40 digits, less a few for the arithmetic that made them
    return [q for q in qs if abs(size(q) - top) <= TIE * abs(top)]


def _listed(items: list[str]) -> str:
    """a, b and c."""
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


class _Writer:
    """Names and numbers of one example, in its document's notation and digits."""

    def __init__(self, spec: Spec, run: Run, p: DerivePrinter, notation: str, digits: int,
                 rel: dict[Q, str]):
        self.spec, self.graph, self.p, self.notation, self.digits, self.rel = spec, run.graph, p, notation, digits, rel

    def name(self, q: Q) -> str:
        return latex_name_in(q, self.spec, self.notation)

    def num(self, x: Any) -> str:
        return tex(x, self.digits)

    def value(self, q: Q) -> Any:
        return self.graph.value(q)

    def worked(self, q: Q) -> str:
        """A computed quantity as its formula, the numbers in it, and its value: δ a = 0.1 · 0.5 = 0.05."""
        return shown_line(self.graph, q, self.name, self.digits, self.rel.get(q, "="), self.p).latex()

    def sum_words(self) -> str:
        """How a gradient gathers the examples of a batch."""
        if len(self.spec.inputs) == 1:
            return ""
        return ", averaged over the examples" if self.spec.reduction == "mean" else ", summed over the examples"


def _doubled(w: _Writer, q: Q) -> dict[str, str]:
    """If eta were doubled: the first step of every rule is eta times numbers that do not depend on eta."""
    spec, eta = w.spec, w.spec.learning_rate
    old, new = w.value(q), w.value(q.updated())
    move = new - old
    name, new_name = w.name(q), w.name(q.updated())
    question = (f"If the learning rate were doubled, to $\\eta = {given(2 * eta)}$, what would ${name}$ be "
                f"after this step?")
    if spec.optimizer.name == "sgd" and not spec.weight_decay:
        g = w.value(q.gradient())
        value = old + 2 * move  # the graph's own step, doubled: w - 2 eta g to its 40 digits
        # what the shown numbers give by hand: the spec's w and eta as written, the gradient rounded
        shown = mpmath.mpf(repr(float(old))) - 2 * mpmath.mpf(repr(eta)) * rounded(g, w.digits)
        answer = (f"${new_name} = {name} - 2\\eta\\,{w.name(q.gradient())} = {given(float(old))} - "
                  f"2 \\cdot {given(eta)} \\cdot {factor(g, w.digits)} {relation(value, shown, w.digits)} "
                  f"{w.num(value)}$. The step is proportional to $\\eta$: twice the learning rate, twice the move, "
                  f"${w.num(2 * move)}$ instead of the ${w.num(move)}$ that gave ${new_name} = {w.num(new)}$.")
        return {"question": question, "answer": answer}
    value = old + 2 * move
    by_hand = relation(value, mpmath.mpf(repr(float(old))) + 2 * rounded(move, w.digits), w.digits)
    answer = (f"${w.num(value)}$. On its first step {_title(spec)} moves ${name}$ by $\\eta$ times numbers "
              f"that do not depend on $\\eta$ ({_rate_free(spec)}), so twice the learning rate gives twice the "
              f"move: ${name} + 2\\,({new_name} - {name}) = {given(float(old))} + 2 \\cdot {factor(move, w.digits)}"
              f" {by_hand} {w.num(value)}$, where $\\eta = {given(eta)}$ gives ${w.num(new)}$.")
    return {"question": question, "answer": answer}


def _title(spec: Spec) -> str:
    return UPDATE_RULES[spec.optimizer.name].title


def _rate_free(spec: Spec) -> str:
    """What the first step's move is, besides eta, in words and maths."""
    name = spec.optimizer.name
    if name in ADAM:
        words = r"$\hat m / (\sqrt{\hat v} + \epsilon)$, from the gradient"
        if not spec.weight_decay:
            return words + " alone"
        return words + (r" alone, and the decay $\lambda w$" if name == "adamw" else r" with the decay term $\lambda w$")
    if name == "momentum":
        return "the gradient" + (r" with the decay term $\lambda w$" if spec.weight_decay else "") + (
            " and the velocity, which on the first step is that gradient")
    return r"the gradient plus the decay term $\lambda w$"


def _also(w: _Writer, ties: list[Q], words: str) -> str:
    """What a tie adds to the first of the tied weights: ' (and w_3, by as much)'."""
    if len(ties) == 1:
        return ""
    others = _listed([f"${w.name(q)}$" for q in ties[1:]]) if len(ties) <= 4 else f"{len(ties) - 1} other weights"
    return f" (and {others}, {words})"


def _moved_most(w: _Writer, ties: list[Q]) -> dict[str, str]:
    """Gradient descent: the weight that moved most is the one of the largest gradient; why, by its factors."""
    q = ties[0]
    move = w.value(q.updated()) - w.value(q)
    question = "Which weight moved most in this step, and why that one?"
    answer = (f"${w.name(q)}${_also(w, ties, 'by as much')}, by ${w.num(move)}$ (from ${given(float(w.value(q)))}$ to "
              f"${w.num(w.value(q.updated()))}$). Every weight moves by $-\\eta\\,\\partial L/\\partial w$, so "
              f"the largest move is that of the largest gradient, and a weight's gradient is the $\\delta$ of the "
              f"unit it feeds times the activation it carries{w.sum_words()}: ${w.worked(q.gradient())}$."
              + _why_largest(w, q))
    return {"question": question, "answer": answer}


def _why_largest(w: _Writer, q: Q) -> str:
    """Of one example: whether the weight's unit has the largest delta, and whether it carries the largest input."""
    if len(w.spec.inputs) > 1:
        return ""  # a batch averages products: no single delta or activation makes the gradient
    deltas = [s.value for s in w.graph.steps if s.quantity.kind == "delta"]
    delta = abs(w.value(Q("delta", q.layer, 1, q.unit)))
    feeding = {k: abs(w.value(_carried(q.layer, k))) for k in range(1, w.spec.widths[q.layer - 1] + 1)}
    facts = (["the unit it feeds has the largest $\\delta$ in size of any unit"] if delta >= max(map(abs, deltas)) else [])
    if feeding[q.input] >= max(feeding.values()):
        facts.append("it carries the largest activation into that unit")
    return f" Here {' and '.join(facts)}." if facts else ""


def _carried(layer: int, k: int) -> Q:
    """The activation a weight of the layer carries from unit k below: an input for the first layer."""
    return Q("x", 0, 1, k) if layer == 1 else Q("a", layer - 1, 1, k)


def _largest_gradient(w: _Writer, ties: list[Q]) -> dict[str, str]:
    """The weight of the largest gradient, and the factors that make it so."""
    q = ties[0]
    question = "Which weight has the largest gradient (in size), and what is it made of?"
    answer = (f"${w.name(q)}${_also(w, ties, 'whose gradient is as large')}. A weight's gradient is the "
              f"$\\delta$ of the unit it feeds times the activation it carries{w.sum_words()}: "
              f"${w.worked(q.gradient())}$.")
    return {"question": question, "answer": answer}


def _adam_step(w: _Writer, q: Q) -> dict[str, str]:
    """Adam's first step moves a parameter by about eta, whatever the size of its gradient."""
    spec, eta = w.spec, w.spec.learning_rate
    m_hat, v_hat = w.value(q.state("m_hat")), w.value(q.state("v_hat"))
    rule = UPDATE_RULES[spec.optimizer.name]
    eps = mpmath.mpf({**rule.defaults, **spec.optimizer.values}["eps"])
    ratio = m_hat / (mpmath.sqrt(v_hat) + eps)
    move = w.value(q.updated()) - w.value(q)
    decay = spec.weight_decay and spec.optimizer.name == "adamw"
    g_words = "its gradient with the decay term $\\lambda w$ added" if spec.weight_decay and not decay \
        else "its gradient"
    question = (f"How far did ${w.name(q)}$ move in this first step of {_title(spec)}, and how does that "
                f"compare with $\\eta = {given(eta)}$?")
    answer = (f"By ${w.num(move)}$. On the first step the bias corrections undo the factors $1 - \\beta$, so "
              f"$\\hat m = g$ and $\\hat v = g^2$, $g$ being {g_words}: here ${w.name(q.state('m_hat'))} = "
              f"{w.num(m_hat)}$ and $\\sqrt{{{w.name(q.state('v_hat'))}}} = {w.num(mpmath.sqrt(v_hat))}$. The "
              f"step $\\eta\\,\\hat m / (\\sqrt{{\\hat v}} + \\epsilon) = \\eta\\, g / (\\lvert g \\rvert + "
              f"\\epsilon)$ is then $\\eta$ times the sign of the gradient, up to $\\epsilon / \\lvert g \\rvert$ "
              f"(here $\\hat m / (\\sqrt{{\\hat v}} + \\epsilon) = {w.num(ratio)}$)"
              + (f", besides the decay's $-\\eta\\lambda {w.name(q)} = {w.num(-eta * spec.weight_decay * w.value(q))}$"
                 if decay else "")
              + (": how large the gradient is hardly matters, unlike in gradient descent." if abs(ratio) >= NEARLY
                 else f": here $\\epsilon = {given(float(eps))}$ is not small against $\\lvert g \\rvert$, so the "
                      f"move falls short of $\\eta$."))
    return {"question": question, "answer": answer}


def _zero_input(w: _Writer) -> dict[str, str] | None:
    """If an input were 0, the gradients of the weights leaving it would be 0: each has it as a factor."""
    spec = w.spec
    k = next((k for k in range(1, spec.widths[0] + 1)
              if any(w.value(Q("x", 0, n, k)) for n in range(1, len(spec.inputs) + 1))), None)
    if k is None:
        return None
    x = w.p.name(NAMES.a(0, k))
    every = " in every example" if len(spec.inputs) > 1 else ""
    leaving = [Q("dW", 1, 0, j, k) for j in range(1, spec.widths[1] + 1)]
    names = [w.name(q.parameter()) for q in leaving]
    listed = _listed([f"${n}$" for n in names])
    values = _listed([f"${w.num(w.value(q))}$" for q in leaving])
    question = (f"If the input ${x}$ were 0{every}, which gradients would be exactly 0, whatever the other "
                f"numbers, and why?")
    answer = (f"Those of the weight{'s' if len(names) > 1 else ''} leaving ${x}$ ({listed}): each gradient is the "
              f"$\\delta$ of the unit the weight feeds times ${x}${w.sum_words()}, as in "
              f"${w.worked(leaving[0])}$, so {'every term has' if every else 'it has'} the factor ${x}$. With ${x}$ "
              f"as given, they are {values}. The other "
              f"gradients change too, since the units after the input compute other values, but they need not "
              f"vanish.")
    return {"question": question, "answer": answer}


def exercises_view(spec: Spec, run: Run, p: DerivePrinter, notation: str, digits: int,
                   rel: dict[Q, str]) -> dict[str, Any]:
    """Two or three questions about this example, each with its answer; update questions only with a step."""
    w = _Writer(spec, run, p, notation, digits, rel)
    graph, weights = run.graph, _weights(run.graph, "W")
    steepest = _largest(weights, lambda q: abs(graph.value(q.gradient())))
    # the output layer's first weight, as the seeds ask of w5; not the one that moved most, which a question asks
    named = Q("W", len(spec.layers), 0, 1, 1)
    if not spec.updates:
        questions = [_largest_gradient(w, steepest)]
    elif spec.optimizer.name in ADAM:
        questions = [_adam_step(w, named), _doubled(w, named)]
    elif spec.optimizer.name == "sgd" and not spec.weight_decay:
        moved = _largest(weights, lambda q: abs(graph.value(q.updated()) - graph.value(q)))
        questions = [_moved_most(w, moved), _doubled(w, named)]
    else:  # momentum and weight decay move a weight by more than its gradient: ask of the gradient
        questions = [_largest_gradient(w, steepest), _doubled(w, named)]
    zero = _zero_input(w)
    return {"questions": questions + ([zero] if zero else []), "updates": spec.updates}
