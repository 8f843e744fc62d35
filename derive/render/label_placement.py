"""Where the value labels of one gap between two columns go: on their own line, clear of the rest."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

# All lengths in the layout's units; y grows downward; x is measured from the source column.
CHAR_WIDTH = 0.12
LABEL_HEIGHT = 0.26
# Padding on both sides of a label, so its white background hides the lines around it.
LABEL_PAD = 0.06
CLEARANCE = 0.1
# Labels sit near the target end of their line, where a reader looks for what flows into a unit;
# FRACTIONS (of the way from source to target) are the spots tried, each costing its distance
# from TARGET_END, so labels move away from it only to get clear of other lines and labels.
TARGET_END = 0.74
# A bias's label sits near its +1 unit instead, so it never stacks beside a weight's at the target.
SOURCE_END = 0.3
FRACTIONS = tuple(round(0.16 + 0.046 * i, 3) for i in range(16))  # 0.16 ... 0.85
# A line crossing another label's box costs more than any shift along the own line.
CROSSING_COST = 10.0
# Search steps per gap, bounded so a picture never takes long (a 3-3-3-3 network: about 0.03 s);
# once no fewer crossings are possible, POLISH_BUDGET steps more refine the positions.
SEARCH_BUDGET = 600
POLISH_BUDGET = 150

Box = tuple[float, float, float, float]
# An empty text is a line without a label (a shared bias is labelled on one of its lines): its one
# spot is far outside the picture, where it meets no other label, and the templates draw none.
UNLABELLED: Box = (1e9, 1e9, 1e9, 1e9)
Segment = tuple[float, float, float, float]
Spots = dict[int, tuple[float, float]]


def label_width(text: str) -> float:
    """Estimated width of a label's background box."""
    return len(text) * CHAR_WIDTH + 2 * LABEL_PAD


def label_box(text: str, x: float, y: float) -> Box:
    """Box (left, top, right, bottom) of a label centred at (x, y)."""
    half_w, half_h = label_width(text) / 2, LABEL_HEIGHT / 2
    return (x - half_w, y - half_h, x + half_w, y + half_h)


def boxes_overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share interior area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def padded(box: Box, pad: float) -> Box:
    """The box grown by pad on every side."""
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def segment_hits_box(seg: Segment, box: Box) -> bool:
    """Whether a segment passes through a box's interior (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = seg
    # most lines pass far from a box; clipping would find the same, as rounding is monotonic
    if (x1 <= box[0] and x2 <= box[0]) or (x1 >= box[2] and x2 >= box[2]) \
            or (y1 <= box[1] and y2 <= box[1]) or (y1 >= box[3] and y2 >= box[3]):
        return False
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo >= hi:
            return False
    return True


def crossing(a: Segment, b: Segment) -> tuple[float, float] | None:
    """The point where two segments cross strictly inside both, if they do."""
    (x1, y1, x2, y2), (x3, y3, x4, y4) = a, b
    den = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if abs(den) < 1e-12:
        return None
    s = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / den
    u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / den
    if 1e-9 < s < 1 - 1e-9 and 1e-9 < u < 1 - 1e-9:
        return (x1 + s * (x2 - x1), y1 + s * (y2 - y1))
    return None


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _candidates(i: int, lines: list[Segment], text: str, points: list[tuple[float, float]],
                left: float, right: float, prefer: float = TARGET_END) -> list[tuple[float, Box]]:
    """Spots along line i for its label, cheapest first: (cost, box)."""
    if not text:
        return [(0.0, UNLABELLED)]
    x1, y1, x2, y2 = lines[i]
    found = []
    for t in FRACTIONS:
        box = label_box(text, x1 + t * (x2 - x1), y1 + t * (y2 - y1))
        if box[0] < left or box[2] > right:
            continue
        # A crossing under a label hides which line goes where: worse than a line passing by.
        hits = sum(segment_hits_box(line, box) for n, line in enumerate(lines) if n != i)
        clear = padded(box, CLEARANCE)
        hits += 2 * sum(_inside(p, clear) for p in points)
        found.append((CROSSING_COST * hits + abs(t - prefer), box))
    return sorted(found, key=lambda c: c[0])


def _conflicts(boxes: list[Box]) -> list[list[int]]:
    """For each box, the others closer to it than CLEARANCE (a sweep from left to right)."""
    near: list[list[int]] = [[] for _ in boxes]
    by_left = sorted(range(len(boxes)), key=lambda n: boxes[n][0])
    for a_pos, a in enumerate(by_left):
        grown = padded(boxes[a], CLEARANCE)
        for b in by_left[a_pos + 1:]:
            if boxes[b][0] >= grown[2]:
                break
            if boxes_overlap(grown, boxes[b]):
                near[a].append(b)
                near[b].append(a)
    return near


@dataclass(frozen=True)
class Choices:
    """Every label's spots along its line, cheapest first, and the least each label can cost."""

    options: list[list[tuple[float, Box]]]

    @property
    def floor(self) -> float:
        """Crossings no placement can avoid: the sum of each label's own cheapest spot."""
        return sum(o[0][0] for o in self.options) // CROSSING_COST


def spots_for(lines: list[Segment], texts: list[str], left: float, right: float,
              prefer: list[float] | None = None) -> Choices | None:
    """The spots each label may take, within [left, right] (clear of the circles); None if one has none.

    prefer[i] is the fraction along line i its label would best sit at (default near the target).
    """
    points = [p for a, b in itertools.combinations(lines, 2) if (p := crossing(a, b)) is not None]
    prefer = prefer or [TARGET_END] * len(texts)
    options = [_candidates(i, lines, text, points, left, right, prefer[i]) for i, text in enumerate(texts)]
    return None if any(not o for o in options) else Choices(options)


def place(found: Choices) -> tuple[float, Spots] | None:
    """Label centres, one on each line, and how many lines cross label boxes; None if none fit.

    No label touches another; among such placements, a bounded branch-and-bound search takes the
    one whose boxes the fewest other lines and crossings pass through, nearest the target ends.
    """
    options = found.options
    # Candidates numbered flat, so conflicts between them are found once, not at every search step.
    costs = [c for o in options for c, _ in o]
    boxes = [b for o in options for _, b in o]
    first = list(itertools.accumulate([0] + [len(o) for o in options]))
    near = _conflicts(boxes)
    # Most constrained labels first: those with the fewest clean spots.
    order = sorted(range(len(options)), key=lambda i: (sum(c < CROSSING_COST for c, _ in options[i]), i))
    floor = [0.0] * (len(order) + 1)
    for n in range(len(order) - 1, -1, -1):
        floor[n] = floor[n + 1] + options[order[n]][0][0]
    blocked = [0] * len(boxes)
    best: list = [float("inf"), None]
    chosen: list[int] = []
    budget = [SEARCH_BUDGET]

    def search(n: int, cost: float) -> None:
        if cost + floor[n] >= best[0] or budget[0] <= 0:
            return
        if n == len(order):
            best[0], best[1] = cost, list(chosen)
            if cost // CROSSING_COST == floor[0] // CROSSING_COST:
                # No fewer crossings are possible: only a short polish of the positions remains.
                budget[0] = min(budget[0], POLISH_BUDGET)
            return
        budget[0] -= 1
        label = order[n]
        for c in range(first[label], first[label + 1]):
            if blocked[c]:
                continue
            for other in near[c]:
                blocked[other] += 1
            chosen.append(c)
            search(n + 1, cost + costs[c])
            chosen.pop()
            for other in near[c]:
                blocked[other] -= 1

    search(0, 0.0)
    if best[1] is None:
        return None
    spots = {i: ((boxes[c][0] + boxes[c][2]) / 2, (boxes[c][1] + boxes[c][3]) / 2) for i, c in zip(order, best[1])}
    return best[0] // CROSSING_COST, spots
