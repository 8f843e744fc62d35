"""Layout of the network picture: neuron positions, bias units, edges and value-label placement."""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from .label_placement import (
    CHAR_WIDTH,
    LABEL_HEIGHT,
    SOURCE_END,
    TARGET_END,
    Choices,
    Segment,
    Spots,
    label_width,
    place,
    spots_for,
)

# All lengths are abstract units (1 unit = 1 cm in TikZ, `scale` px in SVG); y grows downward.
RADIUS = 0.3
ROW_GAP = 1.2
MARGIN = 0.4
TITLE_GAP = 0.4
TITLE_HEIGHT = 0.3
LEGEND_GAP = 0.15
# Legend lines are further apart than captions: in TeX their symbols carry sub- and superscripts.
LEGEND_LINE = 0.42
MIN_GAP = 2.5
# room between two layers' captions: at least a word's space, so they never read as one
CAPTION_SPACE = 0.8
NODE_CLEARANCE = 0.2
GAP_STEP = 0.5
# How far a gap may widen to take crossing lines off the labels; past that the fewest crossings win.
MAX_WIDENING = 5.0
MAX_GAP = 16.0
BIAS_LABEL = "+1"


@dataclass(frozen=True)
class Node:
    """One neuron drawn as a circle centred at (x, y); a bias node is the constant +1 of its layer."""

    x: float
    y: float
    label: str
    layer: int
    index: int
    bias: bool = False


@dataclass(frozen=True)
class Edge:
    """One weight or bias drawn as a line between circle borders, labelled at (label_x, label_y)."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float
    source_layer: int
    bias: bool = False

    @property
    def label_width(self) -> float:
        """Estimated width of the label's background box."""
        return label_width(self.label)

    @property
    def label_height(self) -> float:
        """Height of the label's background box."""
        return LABEL_HEIGHT


@dataclass(frozen=True)
class Diagram:
    """The whole picture: canvas size, neurons, edges, captions and legend lines (x, y, text)."""

    width: float
    height: float
    # Units layer by layer, then (when biases are shown) the bias node of each layer but the last.
    nodes: tuple[Node, ...]
    # By layer: weights by target j then source k, then the layer's biases by target j.
    edges: tuple[Edge, ...]
    layer_titles: tuple[tuple[float, float, str], ...]
    edge_labels: bool
    radius: float
    legend: tuple[tuple[float, float, str], ...] = ()


def _column_ys(n: int, centre: float) -> list[float]:
    """Centres of n neurons stacked around a common vertical centre."""
    return [centre + (j - (n - 1) / 2) * ROW_GAP for j in range(n)]


# A gap's fit depends only on its own columns and labels; documents and their pictures repeat them.
@functools.lru_cache(maxsize=256)
def _fit_gap(sources: tuple[float, ...], targets: tuple[float, ...], gap: float,
             texts: tuple[str, ...], biased: bool = False) -> tuple[float, Spots]:
    """The narrowest gap, from `gap` up, with the fewest lines crossing labels, and the label centres.

    With biased, the last source is the bias unit, whose labels sit near it rather than the target.
    """
    lines: list[Segment] = [(0.0, sources[k], 1.0, y) for y in targets for k in range(len(sources))]
    prefer = [SOURCE_END if biased and k == len(sources) - 1 else TARGET_END
              for _ in targets for k in range(len(sources))]
    best: tuple[float, float, Spots] | None = None
    # A gap where some label has no clean spot cannot come out clean: it is searched only if no gap can.
    unclean: list[tuple[float, float, Choices]] = []
    limit = gap + MAX_WIDENING
    while gap <= MAX_GAP and (gap <= limit or (best is None and not unclean)):
        scaled = [(0.0, y1, gap, y2) for _, y1, _, y2 in lines]
        found = spots_for(scaled, list(texts), RADIUS + NODE_CLEARANCE, gap - RADIUS - NODE_CLEARANCE, prefer)
        if found is not None and found.floor > 0:
            unclean.append((found.floor, gap, found))
        elif found is not None and (placed := place(found)) is not None:
            if best is None or placed[0] < best[0]:
                best = (placed[0], gap, placed[1])
            if placed[0] == 0:
                break
        gap += GAP_STEP
    if best is None or best[0] > 0:
        for _, at, found in sorted(unclean, key=lambda u: (u[0], u[1]))[:1]:
            if (placed := place(found)) is not None and (best is None or placed[0] < best[0]):
                best = (placed[0], at, placed[1])
    if best is not None:
        return best[1], best[2]
    # Absurdly long labels: overlap at mid-edge rather than fail the whole report.
    return gap, {i: (gap / 2, (y1 + y2) / 2) for i, (_, y1, _, y2) in enumerate(lines)}


def _check_shapes(widths: list[int], node_labels: list[list[str]], titles: list[str],
                  edge_labels: list[list[list[str]]] | None, bias_labels: list[list[str]] | None) -> None:
    """Reject inputs whose nested lengths disagree with the layer widths."""
    if len(widths) < 2 or any(w < 1 for w in widths):
        raise ValueError(f"need at least two layers of positive width, got {widths}")
    if [len(row) for row in node_labels] != widths or len(titles) != len(widths):
        raise ValueError("node_labels and layer_titles must match widths")
    if edge_labels is not None:
        expected = [[widths[l - 1]] * widths[l] for l in range(1, len(widths))]
        if [[len(row) for row in layer] for layer in edge_labels] != expected:
            raise ValueError("edge_labels[l-1] must be widths[l] rows of widths[l-1] labels")
    if bias_labels is not None and [len(layer) for layer in bias_labels] != widths[1:]:
        raise ValueError("bias_labels[l-1] must hold widths[l] labels")


def layout(
    widths: list[int],
    node_labels: list[list[str]],
    layer_titles: list[str],
    edge_labels: list[list[list[str]]] | None,
    max_labelled_width: int = 4,
    bias_labels: list[list[str]] | None = None,
    legend: tuple[str, ...] = (),
) -> Diagram:
    """Place neurons, bias units, edges, value labels, captions and legend of a feed-forward network.

    Weights label their lines only while no layer is wider than max_labelled_width; biases are
    drawn, as a +1 unit under each layer feeding the next, only in a labelled picture.
    """
    _check_shapes(widths, node_labels, layer_titles, edge_labels, bias_labels)
    shown = edge_labels if edge_labels is not None and max(widths) <= max_labelled_width else None
    biases = bias_labels if shown is not None else None
    tallest = max(widths)
    centre = MARGIN + RADIUS + (tallest - 1) * ROW_GAP / 2
    columns = [_column_ys(n, centre) for n in widths]
    # The bias unit sits one row under its layer's last unit, as x_0 = 1 does in textbook figures.
    sources = [col + [col[-1] + ROW_GAP] if biases is not None else col for col in columns[:-1]]
    half_titles = [max(RADIUS, len(t) * CHAR_WIDTH / 2) for t in layer_titles]

    # Widen each gap until captions fit side by side and, if shown, its labels do not collide.
    xs = [MARGIN + half_titles[0]]
    edges: list[Edge] = []
    for l in range(1, len(widths)):
        gap = max(MIN_GAP, half_titles[l - 1] + half_titles[l] + CAPTION_SPACE)
        texts = [""] * (len(sources[l - 1]) * widths[l])
        if shown is not None:
            rows = [row + ([biases[l - 1][j]] if biases is not None else []) for j, row in enumerate(shown[l - 1])]
            texts = [text for row in rows for text in row]
            # Relative to the common centre, so the same gap anywhere in any picture is fitted once.
            gap, fitted = _fit_gap(tuple(round(y - centre, 6) for y in sources[l - 1]),
                                   tuple(round(y - centre, 6) for y in columns[l]), gap, tuple(texts),
                                   biases is not None)
            spots = {i: (x, y + centre) for i, (x, y) in fitted.items()}
        else:
            spots = {}
        x_in, x_out = xs[-1], xs[-1] + gap
        xs.append(x_out)
        drawn: list[Edge] = []
        for i, text in enumerate(texts):
            j, k = divmod(i, len(sources[l - 1]))
            y_in, y_out = sources[l - 1][k], columns[l][j]
            # Lines stop at the circle borders so templates need not clip them.
            norm = ((x_out - x_in) ** 2 + (y_out - y_in) ** 2) ** 0.5
            ux, uy = (x_out - x_in) / norm * RADIUS, (y_out - y_in) / norm * RADIUS
            rel_x, ly = spots.get(i, (gap / 2, (y_in + y_out) / 2))
            x1, y1, x2, y2 = (round(v, 3) for v in (x_in + ux, y_in + uy, x_out - ux, y_out - uy))
            drawn.append(Edge(x1, y1, x2, y2, text, round(x_in + rel_x, 3), round(ly, 3), l - 1,
                              k == widths[l - 1]))
        edges += [e for e in drawn if not e.bias] + [e for e in drawn if e.bias]

    # The legend explains the labels, so an unlabelled picture has none; a wider legend centres the network.
    lines = legend if shown is not None else ()
    network_width = xs[-1] + half_titles[-1] + MARGIN
    width = max([network_width] + [len(line) * CHAR_WIDTH + 2 * MARGIN for line in lines])
    shift = (width - network_width) / 2
    if shift:
        xs = [x + shift for x in xs]
        edges = [replace(e, x1=round(e.x1 + shift, 3), x2=round(e.x2 + shift, 3), label_x=round(e.label_x + shift, 3))
                 for e in edges]
    nodes = [Node(round(x, 3), round(y, 3), node_labels[l][j], l, j)
             for l, (x, col) in enumerate(zip(xs, columns)) for j, y in enumerate(col)]
    if biases is not None:
        nodes += [Node(round(xs[l], 3), round(col[-1], 3), BIAS_LABEL, l, len(col) - 1, True)
                  for l, col in enumerate(sources)]
    title_y = max(n.y for n in nodes) + RADIUS + TITLE_GAP
    titles = tuple((round(x, 3), round(title_y, 3), t) for x, t in zip(xs, layer_titles))
    height = title_y + TITLE_HEIGHT / 2 + MARGIN + (LEGEND_GAP + LEGEND_LINE * len(lines) if lines else 0)
    first = title_y + TITLE_HEIGHT + LEGEND_GAP
    placed = tuple((round(width / 2, 3), round(first + i * LEGEND_LINE, 3), line) for i, line in enumerate(lines))
    return Diagram(round(width, 3), round(height, 3), tuple(nodes), tuple(edges), titles, shown is not None,
                   RADIUS, placed)
