"""The built-in examples, one per seed post, shipped as spec files inside the package."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..core.activations import ACTIVATIONS
from ..core.losses import LOSSES
from ..core.spec import Spec
from ..errors import SpecError
from .validate import parse_spec


@dataclass(frozen=True)
class Example:
    """A built-in example: its name (that of its spec file), the seed-NNN name it first had, its source."""

    name: str
    alias: str
    source: str


EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in (
        Example("relu-softmax-3-3-3-3", "seed-000",
                'P. Jay, "Back-propagation is very simple. Who made it complicated?" (Medium, 2017), '
                "https://medium.com/@14prakash/back-propagation-is-very-simple-who-made-it-complicated-97b794c97e5c"),
        Example("classic-2-2-2", "seed-001",
                'M. Mazur, "A Step by Step Backpropagation Example" (2015), '
                "https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/"),
        Example("sigmoid-bce-2-2-1", "seed-002",
                'S. Kumar, "Playing with Backpropagation Algorithm Intuition" (Medium, 2019); numbers chosen'),
        Example("sigmoid-cross-entropy-3-2", "seed-003",
                '"Further into Backpropagation" (blog post, 2017); weights chosen'),
        Example("relu-batch-1-2-2", "seed-004",
                'A. Jaokar, "The Mathematics of Forward and Back Propagation", after the ML Cheatsheet, '
                "https://ml-cheatsheet.readthedocs.io/en/latest/forwardpropagation.html; numbers chosen"),
    )
}
ALIASES = {e.alias: e.name for e in EXAMPLES.values()}
CS231N = ('Stanford CS231n, "Backpropagation, Intuitions" (course notes), '
          "https://cs231n.github.io/optimization-2/")
# circuits (spec files with graph:), after the networks
CIRCUIT_EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in (
        Example("cs231n-add-multiply", "", CS231N),
        Example("cs231n-sigmoid-neuron", "", CS231N),
        Example("cs231n-staged", "", CS231N),
    )
}


def example_names() -> list[str]:
    """Names of the built-in networks, in the order of their seed posts."""
    return list(EXAMPLES)


def circuit_example_names() -> list[str]:
    """Names of the built-in circuits."""
    return list(CIRCUIT_EXAMPLES)


def is_example(name: str) -> bool:
    """Whether name is a built-in example's name (a network's or a circuit's) or one of the old seed-NNN names."""
    return name in EXAMPLES or name in ALIASES or name in CIRCUIT_EXAMPLES


def canonical_name(name: str) -> str:
    """A built-in example's name, from it or from its old seed-NNN name; a SpecError lists the valid ones."""
    if name in EXAMPLES or name in CIRCUIT_EXAMPLES:
        return name
    if name in ALIASES:
        return ALIASES[name]
    raise SpecError(f"unknown example {name!r}; valid: {', '.join(example_names() + circuit_example_names())} "
                    f"(or {', '.join(ALIASES)})")


def example_text(name: str) -> str:
    """The spec text of a built-in example (by name or old name), or a SpecError listing the valid names."""
    name = canonical_name(name)
    folder = resources.files("derive") / "examples"
    return ((folder / "circuits" if name in CIRCUIT_EXAMPLES else folder) / f"{name}.yaml").read_text(encoding="utf-8")


def network_line(spec: Spec) -> str:
    """A network in a few words: 3-3-3-3 ReLU/sigmoid/softmax, cross-entropy."""
    widths = "-".join(str(w) for w in spec.widths)
    activations = "/".join(dict.fromkeys(ACTIVATIONS[layer.activation].title for layer in spec.layers))
    batch = f", batch of {len(spec.inputs)}" if len(spec.inputs) > 1 else ""
    steps = f", {spec.steps} steps" if spec.steps > 1 else ""
    return f"{widths} {activations}, {LOSSES[spec.loss].title}{batch}{steps}"


def example_lines() -> list[str]:
    """One line per built-in example: its name (and old name), its network and its source."""
    rows = [(f"{e.name} ({e.alias})", network_line(parse_spec(example_text(e.name), f"example {e.name}")), e.source)
            for e in EXAMPLES.values()]
    rows += [(e.name, "circuit", e.source) for e in CIRCUIT_EXAMPLES.values()]
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"{name:<{width[0]}}  {network:<{width[1]}}  {source}" for name, network, source in rows]
