"""The catalogue of common backpropagation mistakes: each one's id, plain-English title, scope and rewrite."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from ..core.circuit import Circuit
from ..core.graph import StepGraph
from ..core.layers import unknown_kind
from ..core.naming import plain_name_in
from ..core.quantities import Quantity
from ..core.rewrites import Formula
from ..core.spec import Spec
from . import mistake_rules as rules
from . import mistake_scope as scope
from . import slip_rules
from .circuit_mistakes import CIRCUIT_MISTAKES, describe_circuit_mistake
from .slips import slips


@dataclass(frozen=True)
class Mistake:
    """One mistake: an id for JSON, a plain-English title, where it can happen, and the formulas it gives.

    A mistake made with one quantity at a time (a weight's sign) lists them by subjects; each of
    its instances has one subject, which its rewrite takes, its id names and its title words as {subject}.
    """

    name: str
    title: str
    applies: Callable[[Spec], bool]
    rewrite: Callable[..., tuple[dict[Quantity, Formula], list[Quantity] | None]]
    subjects: Callable[[Spec], list[Quantity]] | None = None
    subject: Quantity | None = None
    # the layer kinds (core.layers) whose steps the rewrite knows; () for one of the loss or the updates alone
    layers: tuple[str, ...] = ("dense",)

    def fits(self, spec: Spec) -> bool:
        """Whether every layer of the spec is of a kind the rewrite knows."""
        return not unknown_kind(spec, self.layers)

    @property
    def id(self) -> str:
        """The name in marks and JSON; with a subject, its JSON path after a colon."""
        return self.name if self.subject is None else f"{self.name}:{self.subject.json_path}"

    def rewritten(self, graph: StepGraph) -> tuple[dict[Quantity, Formula], list[Quantity] | None]:
        """The formulas of someone who makes this mistake, in the graph's own symbols."""
        return self.rewrite(graph) if self.subject is None else self.rewrite(graph, self.subject)


MISTAKES: dict[str, Mistake] = {
    m.name: m
    for m in (
        Mistake("softmax_without_exp",
                "softmax computed as z/Σz, without the exponentials",
                scope.has_softmax, rules.softmax_without_exp),
        Mistake("half_forgotten",
                "the 1/2 of the half squared error left out, doubling the loss and ∂ℓ/∂a",
                scope.has_half, rules.half_forgotten),
        Mistake("log10_loss",
                "log base 10 instead of the natural log in the loss and its derivative",
                scope.has_log, rules.log10_loss),
        Mistake("batch_mean_forgotten",
                "the loss and the gradients summed over the examples, the 1/N of the mean left out",
                scope.has_batch, rules.batch_mean_forgotten),
        Mistake("zero_target_sign_dropped",
                "the sign of ∂ℓ/∂a flipped for the outputs whose target is 0",
                scope.has_zero_target_gradient, rules.zero_target_sign_dropped),
        Mistake("sigmoid_derivative_of_z",
                "σ′(z) written as z(1 − z) instead of a(1 − a)",
                scope.has_sigmoid, rules.sigmoid_derivative_of_z),
        Mistake("sigmoid_derivative_as_sigma",
                "σ′(z) taken as σ(z) itself: a instead of a(1 − a)",
                scope.has_sigmoid, rules.sigmoid_derivative_as_sigma),
        Mistake("relu_derivative_one",
                "ReLU′(z) taken as 1 also where z ≤ 0 (for leaky ReLU, 1 instead of α)",
                scope.has_kink_below_zero, rules.relu_derivative_one),
        Mistake("softmax_jacobian_diagonal",
                "only the diagonal of the softmax Jacobian: δⱼ = ∂ℓ/∂aⱼ · aⱼ(1 − aⱼ)",
                scope.has_softmax, rules.softmax_jacobian_diagonal),
        Mistake("hidden_gradient_one_path",
                "a hidden unit's ∂ℓ/∂a kept only the path through the next layer's unit of the same "
                "number, not the sum over all of them",
                scope.has_several_paths, rules.hidden_gradient_one_path),
        Mistake("hidden_gradient_first_path",
                "a hidden unit's ∂ℓ/∂a kept only the path through the next layer's first unit, not the "
                "sum over all of them",
                scope.has_several_paths, rules.hidden_gradient_first_path),
        Mistake("weights_transposed",
                "the error sent back through W instead of Wᵀ: ∂ℓ/∂aₖ = Σⱼ δⱼ wₖⱼ",
                scope.has_square_hidden_weights, rules.weights_transposed),
        Mistake("updated_weights_in_backward",
                "the layer above's already-updated weights used in the backward pass (a sequential update)",
                scope.has_hidden_layer_updated, rules.updated_weights_in_backward),
        Mistake("shared_bias_first_unit",
                "a shared bias's gradient took the first unit's δ alone, not the sum of the δ of every "
                "unit of its layer",
                scope.has_shared_bias, rules.shared_bias_first_unit),
        Mistake("shared_bias_mean_of_units",
                "a shared bias's gradient took the mean of its layer's δ over the units, not their sum",
                scope.has_shared_bias, rules.shared_bias_mean_of_units),
        Mistake("gradient_added",
                "the gradient added instead of subtracted: W + η·∂L/∂W",
                scope.updates, rules.gradient_added, layers=()),
        Mistake("learning_rate_forgotten",
                "the learning rate left out of the update: W − ∂L/∂W",
                scope.has_learning_rate, rules.learning_rate_forgotten, layers=()),
        Mistake("hidden_delta_without_weights",
                "a hidden unit's δ took the next layer's δ summed without their weights: f′(z)·Σₖ δₖ "
                "instead of f′(z)·Σₖ wₖⱼ δₖ",
                scope.has_hidden_layer, slip_rules.hidden_delta_without_weights),
        Mistake("weight_sign_dropped",
                "the minus sign of the weight {subject} dropped where it was copied into z",
                scope.has_negative_weight, slip_rules.weight_sign_dropped, scope.negative_weights),
        Mistake("sigmoid_of_negative_z",
                "σ(−z) = 1 − σ(z) worked out instead of σ(z) = 1/(1 + exp(−z))",
                scope.has_sigmoid, slip_rules.sigmoid_of_negative_z),
        Mistake("extra_sigmoid_derivative",
                "an extra σ′(z) = a(1 − a) multiplied into the output δ, where the log loss's δ is a − t already",
                scope.has_sigmoid_log_output, slip_rules.extra_sigmoid_derivative),
        Mistake("gradient_sign_flipped",
                "∂ℓ/∂a with its sign flipped (target − output, t − a, for a squared error), so the step "
                "climbs the loss instead of descending it",
                scope.always, slip_rules.gradient_sign_flipped),
        Mistake("half_added",
                "a 1/2 put in front of the squared error, which has none, halving the loss and ∂ℓ/∂a",
                scope.has_no_half, slip_rules.half_added),
    )
}


def instances(spec: Spec) -> list[Mistake]:
    """The mistakes that can happen on this spec, one for each subject of a mistake made one quantity at a time."""
    found = []
    for mistake in MISTAKES.values():
        if mistake.fits(spec) and mistake.applies(spec):
            found += ([replace(mistake, subject=q) for q in mistake.subjects(spec)] if mistake.subjects
                      else [mistake])
    return found


def describe(name: str, spec: Spec, notation: str, written: Mapping[Quantity, str] | None = None) -> str:
    """The plain-English line of a mistake's or a slip's id, its subject by the name the answers file
    wrote (written) or the document prints."""
    family, _, path = name.partition(":")
    if family in CIRCUIT_MISTAKES and isinstance(spec, Circuit):
        return describe_circuit_mistake(name, spec)
    if family not in MISTAKES:
        return next(s.title for s in slips(spec) if s.name == name)
    mistake = MISTAKES[family]
    if not path:
        return mistake.title
    subject = next(q for q in mistake.subjects(spec) if q.json_path == path)
    return mistake.title.format(subject=(written or {}).get(subject) or plain_name_in(subject, spec, notation))
