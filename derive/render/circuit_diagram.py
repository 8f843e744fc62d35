"""Where a circuit's gates and wires go: columns by depth, each wire's value above it and its gradient below."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .environment import render_template, svg_environment

# lengths in the picture's units (SCALE px each)
COLUMN_GAP, ROW_GAP, MARGIN, RADIUS = 2.7, 1.5, 0.5, 0.34
CHAR = 0.105  # a label character's width at the labels' size
SCALE = 60
BEND = 0.9  # how far a wire past the next column bends out, for each column it passes
LABEL_AT, LABEL_REACH = 0.42, 1.1  # of the way along a wire, and at most this far from its source


@dataclass(frozen=True)
class Gate:
    """One node of the picture: a given number (a box) or a stage (a circle, its gate's symbol by its pattern)."""

    x: float
    y: float
    name: str
    pattern: str
    given: bool
    tex_name: str = ""


@dataclass(frozen=True)
class Wire:
    """One wire from a node to a gate that reads it (or out of the output), with its two labels.

    A wire past the next column bends around the gates between (a quadratic curve through cx, cy).
    """

    x1: float
    y1: float
    x2: float
    y2: float
    value: str
    gradient: str
    value_tex: str
    gradient_tex: str
    cx: float | None = None
    cy: float | None = None
    t: float = -1.0  # where along the wire its labels sit (-1: the default, middle)

    def at(self, t: float) -> tuple[float, float]:
        """The point a fraction t along the wire."""
        if self.cx is None or self.cy is None:
            return self.x1 + t * (self.x2 - self.x1), self.y1 + t * (self.y2 - self.y1)
        u = 1 - t
        return (u * u * self.x1 + 2 * u * t * self.cx + t * t * self.x2,
                u * u * self.y1 + 2 * u * t * self.cy + t * t * self.y2)

    @property
    def middle(self) -> tuple[float, float]:
        """Where the labels sit: the spot chosen clear of the others (circuit_layout), else the default's."""
        return self.at(self.t if self.t >= 0 else self.default_t)

    @property
    def default_t(self) -> float:
        """Before the middle, where wires into one gate are still apart; on a long wire near its source; on a bent
        one at its apex."""
        if self.cx is not None:
            return 0.5  # a bent wire's apex, clear of the gates it goes around
        length = ((self.x2 - self.x1) ** 2 + (self.y2 - self.y1) ** 2) ** 0.5
        return min(LABEL_AT, LABEL_REACH / length) if length else 0.5

    def box(self, t: float) -> tuple[float, float, float, float]:
        """The box both labels take at t along the wire: the value above it, the gradient below."""
        x, y = self.at(t)
        half = max(len(self.value), len(self.gradient)) * CHAR / 2 + 0.05
        return x - half, y - 0.32, x + half, y + 0.34


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
    gates = tuple(Gate(*at[i], n["name"], n["pattern"], n["given"], n["tex_name"]) for i, n in enumerate(nodes))
    wires = []
    for w in picture["wires"]:
        (x1, y1), (x2, y2) = at[w["from"]], at[w["to"]]
        span = depth[w["to"]] - depth[w["from"]]
        wire = Wire(x1 + RADIUS, y1, x2 - RADIUS, y2, w["value"], w["gradient"], w["value_tex"], w["gradient_tex"])
        if span > 1:  # around the gates of the columns between
            between = [at[i] for i in range(len(nodes)) if depth[w["from"]] < depth[i] < depth[w["to"]]]
            wire = _around(wire, between, span, height)
        wires.append(wire)
    out_x, out_y = at[len(nodes) - 1]
    out = picture["output"]
    wires.append(Wire(out_x + RADIUS, out_y, out_x + RADIUS + COLUMN_GAP * 0.6, out_y, out["value"], out["gradient"],
                      out["value_tex"], out["gradient_tex"]))
    width = max(x for x, _ in at.values()) + RADIUS + COLUMN_GAP * 0.6 + MARGIN
    return _fitted(CircuitPicture(round(width, 3), round(height, 3), gates, _placed(wires, gates)))


def _around(wire: Wire, gates: list[tuple[float, float]], span: int, height: float) -> Wire:
    """The wire bent so that it passes no gate between its ends: the least bend, away from the middle row first."""
    first = -1 if (wire.y1 + wire.y2) / 2 <= height / 2 else 1
    mx, my = (wire.x1 + wire.x2) / 2, (wire.y1 + wire.y2) / 2
    best = None
    for k in (1, 1.5, 2, 2.5, 3):
        for side in (first, -first):
            bent = replace(wire, cx=mx, cy=my + side * BEND * k * (span - 1))
            # clear of the circle and of the gate's name above it
            hits = sum(any(math.dist(bent.at(t / 20), g) < RADIUS + 0.15 or
                           math.dist(bent.at(t / 20), (g[0], g[1] - 0.45)) < 0.3 for t in range(21)) for g in gates)
            if best is None or hits < best[0]:
                best = (hits, bent)
            if hits == 0:
                return bent
    return best[1] if best else wire


SPOTS = (0.0, -0.08, 0.08, -0.16, 0.16, -0.24, 0.24, 0.32, -0.32, 0.4, 0.48)  # tried around a wire's default spot


def _placed(wires: list[Wire], gates: tuple[Gate, ...]) -> tuple[Wire, ...]:
    """Each wire's labels at the first spot along it that overlaps no gate and no labels placed before
    (the spot of least overlap where none is clear)."""
    # each gate's circle and the name above it
    taken = [(g.x - RADIUS - 0.05, g.y - RADIUS - 0.3, g.x + RADIUS + 0.05, g.y + RADIUS + 0.05) for g in gates]
    placed = []
    for w in wires:
        best, least = w.default_t, None
        for shift in SPOTS:
            t = min(0.85, max(0.15, w.default_t + shift))
            overlap = sum(_overlap(w.box(t), b) for b in taken)
            if least is None or overlap < least - 1e-9:
                best, least = t, overlap
            if overlap == 0:
                break
        taken.append(w.box(best))
        placed.append(replace(w, t=best))
    return tuple(placed)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _fitted(picture: CircuitPicture) -> CircuitPicture:
    """The picture moved and sized so that every gate, bent wire and label is inside it, a margin around."""
    ys = [y for g in picture.gates for y in (g.y - 0.65, g.y + 0.45)]
    ys += [w.at(t / 10)[1] + d for w in picture.wires for t in range(11) for d in (-0.4, 0.45)]
    shift = MARGIN - min(ys)
    gates = tuple(replace(g, y=round(g.y + shift, 3)) for g in picture.gates)
    wires = tuple(replace(w, y1=w.y1 + shift, y2=w.y2 + shift, cy=None if w.cy is None else w.cy + shift)
                  for w in picture.wires)
    return replace(picture, height=round(max(ys) - min(ys) + 2 * MARGIN, 3), gates=gates, wires=wires)


def circuit_tikz_context(document: dict[str, Any]) -> dict[str, Any]:
    """What circuit.tikz.j2 draws: the layout of the document's picture."""
    return {"picture": circuit_layout(document["picture"])}


def render_circuit_svg(document: dict[str, Any], template_dir: str | Path | None = None) -> str:
    """The circuit's picture as a standalone SVG."""
    return render_template(svg_environment(template_dir), "circuit.svg.j2",
                           picture=circuit_layout(document["picture"]), scale=SCALE)
