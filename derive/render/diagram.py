"""Layout of the network picture: neuron positions, edges and weight-label placement."""
from __future__ import annotations

from dataclasses import dataclass

# All lengths are abstract units (1 unit = 1 cm in TikZ, `scale` px in SVG); y grows downward.
RADIUS = 0.3
ROW_GAP = 1.2
MARGIN = 0.4
CHAR_WIDTH = 0.12
LABEL_HEIGHT = 0.3
# Padding on both sides of a weight label, so its white background hides the lines around it.
LABEL_PAD = 0.06
TITLE_GAP = 0.4
TITLE_HEIGHT = 0.3
MIN_GAP = 2.5
CLEARANCE = 0.1
NODE_CLEARANCE = 0.2
GAP_STEP = 0.25
MAX_GAP = 16.0
# Source neuron k prefers its own fraction along its edges, staggered across PREFERRED, so labels
# from different sources sit at different x; FRACTIONS are the fall-backs when a spot is taken.
PREFERRED = (0.25, 0.75)
FRACTIONS = tuple(0.2 + 0.05 * i for i in range(13))

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Node:
    """One neuron drawn as a circle centred at (x, y)."""

    x: float
    y: float
    label: str
    layer: int
    index: int


@dataclass(frozen=True)
class Edge:
    """One weight drawn as a line between circle borders, with its label centred at (label_x, label_y)."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float
    source_layer: int

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
    """The whole picture: canvas size, neurons, edges and captions (x, y, text) under columns."""

    width: float
    height: float
    nodes: tuple[Node, ...]
    # Ordered by layer, then target j, then source k: edge_labels flattened in its own order.
    edges: tuple[Edge, ...]
    layer_titles: tuple[tuple[float, float, str], ...]
    edge_labels: bool
    radius: float


def label_width(text: str) -> float:
    """Estimated width of a weight label's background box."""
    return len(text) * CHAR_WIDTH + 2 * LABEL_PAD


def label_box(text: str, x: float, y: float) -> Box:
    """Box (left, top, right, bottom) of a weight label centred at (x, y)."""
    half_w, half_h = label_width(text) / 2, LABEL_HEIGHT / 2
    return (x - half_w, y - half_h, x + half_w, y + half_h)


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share interior area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _preferred(n_in: int) -> list[float]:
    """Fraction along the edge at which labels of source neuron k would ideally sit."""
    if n_in == 1:
        return [0.5]
    return [PREFERRED[0] + (PREFERRED[1] - PREFERRED[0]) * k / (n_in - 1) for k in range(n_in)]


def _column_ys(n: int, centre: float) -> list[float]:
    """Centres of n neurons stacked around a common vertical centre."""
    return [centre + (j - (n - 1) / 2) * ROW_GAP for j in range(n)]


Spots = dict[tuple[int, int], tuple[float, float]]


def _place_labels(ys_in: list[float], ys_out: list[float], gap: float, labels: list[list[str]]) -> Spots | None:
    """Label centres keyed (j, k), x relative to the source column, or None if some label is stuck."""
    preferred = _preferred(len(ys_in))
    spots: Spots = {}
    boxes: list[Box] = []
    # Source by source, so each neuron's labels settle near its own fraction before the next.
    for k, y_in in enumerate(ys_in):
        for j, y_out in enumerate(ys_out):
            for t in sorted(FRACTIONS, key=lambda f: abs(f - preferred[k])):
                x, y = t * gap, y_in + t * (y_out - y_in)
                box = label_box(labels[j][k], x, y)
                # Staying strictly between the two columns' circles keeps labels off neurons and
                # out of neighbouring gaps, so each gap can be checked on its own.
                if box[0] < RADIUS + NODE_CLEARANCE or box[2] > gap - RADIUS - NODE_CLEARANCE:
                    continue
                # Clearance keeps neighbouring labels visibly apart, not merely non-overlapping.
                padded = (box[0] - CLEARANCE, box[1] - CLEARANCE, box[2] + CLEARANCE, box[3] + CLEARANCE)
                if not any(boxes_overlap(padded, other) for other in boxes):
                    spots[(j, k)] = (x, y)
                    boxes.append(box)
                    break
            else:
                return None
    return spots


def _fit_gap(ys_in: list[float], ys_out: list[float], gap: float, labels: list[list[str]]) -> tuple[float, Spots]:
    """Smallest gap, from `gap` up in steps, at which the labels fit, and their centres."""
    while gap <= MAX_GAP:
        spots = _place_labels(ys_in, ys_out, gap, labels)
        if spots is not None:
            return gap, spots
        gap += GAP_STEP
    # Absurdly long labels: overlap at mid-edge rather than fail the whole report.
    middles = {(j, k): (gap / 2, (y_in + y_out) / 2) for j, y_out in enumerate(ys_out) for k, y_in in enumerate(ys_in)}
    return gap, middles


def _check_shapes(
    widths: list[int], node_labels: list[list[str]], titles: list[str], edge_labels: list[list[list[str]]] | None
) -> None:
    """Reject inputs whose nested lengths disagree with the layer widths."""
    if len(widths) < 2 or any(w < 1 for w in widths):
        raise ValueError(f"need at least two layers of positive width, got {widths}")
    if [len(row) for row in node_labels] != widths or len(titles) != len(widths):
        raise ValueError("node_labels and layer_titles must match widths")
    if edge_labels is not None:
        expected = [[widths[l - 1]] * widths[l] for l in range(1, len(widths))]
        if [[len(row) for row in layer] for layer in edge_labels] != expected:
            raise ValueError("edge_labels[l-1] must be widths[l] rows of widths[l-1] labels")


def layout(
    widths: list[int],
    node_labels: list[list[str]],
    layer_titles: list[str],
    edge_labels: list[list[list[str]]] | None,
    max_labelled_width: int = 4,
) -> Diagram:
    """Place neurons, edges, weight labels and captions of a feed-forward network."""
    _check_shapes(widths, node_labels, layer_titles, edge_labels)
    shown = edge_labels if edge_labels is not None and max(widths) <= max_labelled_width else None
    tallest = max(widths)
    centre = MARGIN + RADIUS + (tallest - 1) * ROW_GAP / 2
    columns = [_column_ys(n, centre) for n in widths]
    half_titles = [max(RADIUS, len(t) * CHAR_WIDTH / 2) for t in layer_titles]

    # Widen each gap until captions fit side by side and, if shown, its labels do not collide.
    xs = [MARGIN + half_titles[0]]
    nodes = [Node(round(xs[0], 3), round(y, 3), node_labels[0][j], 0, j) for j, y in enumerate(columns[0])]
    edges: list[Edge] = []
    for l in range(1, len(widths)):
        gap = max(MIN_GAP, half_titles[l - 1] + half_titles[l] + 0.3)
        spots: Spots = {}
        if shown is not None:
            gap, spots = _fit_gap(columns[l - 1], columns[l], gap, shown[l - 1])
        x_in, x_out = xs[-1], xs[-1] + gap
        xs.append(x_out)
        nodes += [Node(round(x_out, 3), round(y, 3), node_labels[l][j], l, j) for j, y in enumerate(columns[l])]
        for j, y_out in enumerate(columns[l]):
            for k, y_in in enumerate(columns[l - 1]):
                # Lines stop at the circle borders so templates need not clip them.
                norm = ((x_out - x_in) ** 2 + (y_out - y_in) ** 2) ** 0.5
                ux, uy = (x_out - x_in) / norm * RADIUS, (y_out - y_in) / norm * RADIUS
                rel_x, ly = spots.get((j, k), (gap / 2, (y_in + y_out) / 2))
                text = shown[l - 1][j][k] if shown is not None else ""
                x1, y1, x2, y2 = (round(v, 3) for v in (x_in + ux, y_in + uy, x_out - ux, y_out - uy))
                edges.append(Edge(x1, y1, x2, y2, text, round(x_in + rel_x, 3), round(ly, 3), l - 1))

    title_y = MARGIN + 2 * RADIUS + (tallest - 1) * ROW_GAP + TITLE_GAP
    titles = tuple((round(x, 3), round(title_y, 3), t) for x, t in zip(xs, layer_titles))
    width, height = xs[-1] + half_titles[-1] + MARGIN, title_y + TITLE_HEIGHT / 2 + MARGIN
    return Diagram(round(width, 3), round(height, 3), tuple(nodes), tuple(edges), titles, shown is not None, RADIUS)
