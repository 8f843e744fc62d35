"""Where a circuit's gates and wires go: columns by depth, each wire's value above it and its gradient below."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .environment import render_template, svg_environment

# lengths in the picture's units (SCALE px each)
COLUMN_GAP, ROW_GAP, MARGIN, RADIUS = 2.7, 1.5, 0.5, 0.34
CHAR = 0.105  # a label character's width at the labels' size
SCALE = 60


@dataclass(frozen=True)
class Gate:
    """One node of the picture: a given number (a box) or a stage (a circle, its gate's symbol by its pattern)."""

    x: float
    y: float
    name: str
    pattern: str
    given: bool


@dataclass(frozen=True)
class Wire:
    """One wire from a node to a gate that reads it (or out of the output), with its two labels."""

    x1: float
    y1: float
    x2: float
    y2: float
    value: str
    gradient: str

    @property
    def middle(self) -> tuple[float, float]:
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2


@dataclass(frozen=True)
class CircuitPicture:
    width: float
    height: float
    gates: tuple[Gate, ...]
    wires: tuple[Wire, ...]
    char: float = CHAR


def circuit_layout(picture: dict[str, Any]) -> CircuitPicture:
    """The picture of picture['nodes'] (name, pattern, given, reads) and picture['wires'] (from, to, value, gradient)."""
    nodes = picture["nodes"]
    depth: dict[int, int] = {}
    for i, node in enumerate(nodes):
        depth[i] = 0 if node["given"] else 1 + max(depth[r] for r in node["reads"])
    columns: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        columns.setdefault(depth[i], []).append(i)
    tallest = max(len(c) for c in columns.values())
    height = 2 * MARGIN + (tallest - 1) * ROW_GAP + 1.0
    at = {}
    for d, members in columns.items():
        top = height / 2 - (len(members) - 1) * ROW_GAP / 2
        for row, i in enumerate(members):
            at[i] = (MARGIN + 0.6 + d * COLUMN_GAP, top + row * ROW_GAP)
    gates = tuple(Gate(*at[i], n["name"], n["pattern"], n["given"]) for i, n in enumerate(nodes))
    wires = []
    for w in picture["wires"]:
        (x1, y1), (x2, y2) = at[w["from"]], at[w["to"]]
        # from the right edge of the source to the left edge of the gate
        wires.append(Wire(x1 + RADIUS, y1, x2 - RADIUS, y2, w["value"], w["gradient"]))
    out_x, out_y = at[len(nodes) - 1]
    out = picture["output"]
    wires.append(Wire(out_x + RADIUS, out_y, out_x + RADIUS + COLUMN_GAP * 0.6, out_y, out["value"], out["gradient"]))
    width = max(x for x, _ in at.values()) + RADIUS + COLUMN_GAP * 0.6 + MARGIN
    return CircuitPicture(round(width, 3), round(height, 3), gates, tuple(wires))


def render_circuit_svg(document: dict[str, Any], template_dir: str | Path | None = None) -> str:
    """The circuit's picture as a standalone SVG."""
    return render_template(svg_environment(template_dir), "circuit.svg.j2",
                           picture=circuit_layout(document["picture"]), scale=SCALE)
