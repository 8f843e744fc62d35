"""Tests for the picture's value labels: biases drawn, every value once, labels clear of other lines."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from derive.io.validate import parse_spec
from derive.pipeline import derive
from derive.render.diagram import Diagram, Edge, layout
from derive.views.document import Options
from tests.conftest import MAZUR
from tests.diagram_templates import SVG_NS, render_tikz, svg_env

HALF_HEIGHT = 0.13


def distinct_network(widths: list[int]) -> Diagram:
    """A network whose every weight and bias label is different: weight "l.jk", bias "-l.j"."""
    names = [[f"n{l}{j}" for j in range(w)] for l, w in enumerate(widths)]
    weights = [[[f"{l}.{j + 1}{k + 1}" for k in range(widths[l - 1])] for j in range(widths[l])]
               for l in range(1, len(widths))]
    biases = [[f"-{l}.{j + 1}" for j in range(widths[l])] for l in range(1, len(widths))]
    return layout(widths, names, [f"layer {l}" for l in range(len(widths))], weights, bias_labels=biases)


def box(edge: Edge) -> tuple[float, float, float, float]:
    """The label's box as the templates draw it: the estimated text width plus padding, 0.26 high."""
    half = (0.12 * len(edge.label) + 0.12) / 2
    return (edge.label_x - half, edge.label_y - HALF_HEIGHT, edge.label_x + half, edge.label_y + HALF_HEIGHT)


def passes_through(edge: Edge, b: tuple[float, float, float, float], samples: int = 400) -> bool:
    """Whether any of many evenly spaced points of the edge's line lies strictly inside box b."""
    for i in range(samples + 1):
        t = i / samples
        x, y = edge.x1 + t * (edge.x2 - edge.x1), edge.y1 + t * (edge.y2 - edge.y1)
        if b[0] < x < b[2] and b[1] < y < b[3]:
            return True
    return False


def intruders(diagram: Diagram) -> int:
    """How many (label, other line) pairs there are where the line runs through the label's box."""
    return sum(passes_through(other, box(edge)) for edge in diagram.edges for other in diagram.edges
               if other is not edge and other.source_layer == edge.source_layer)


def test_each_layer_but_the_last_has_a_bias_node_feeding_the_next_layer() -> None:
    diagram = distinct_network([2, 3, 1])
    bias_nodes = [n for n in diagram.nodes if n.bias]
    assert [(n.layer, n.label) for n in bias_nodes] == [(0, "+1"), (1, "+1")]
    for node in bias_nodes:
        column = [n for n in diagram.nodes if n.layer == node.layer and not n.bias]
        assert node.x == column[0].x and node.y > max(n.y for n in column) + 2 * diagram.radius
        # Its lines start at its own circle and end at each unit of the next layer, once each.
        lines = [e for e in diagram.edges if e.bias and e.source_layer == node.layer]
        targets = [n for n in diagram.nodes if n.layer == node.layer + 1 and not n.bias]
        assert len(lines) == len(targets)
        for line, target in zip(lines, targets):
            assert abs(((line.x1 - node.x) ** 2 + (line.y1 - node.y) ** 2) ** 0.5 - diagram.radius) < 0.01
            assert abs(((line.x2 - target.x) ** 2 + (line.y2 - target.y) ** 2) ** 0.5 - diagram.radius) < 0.01
    # The captions sit under the bias nodes too.
    assert all(t[1] > max(n.y for n in diagram.nodes) + diagram.radius for t in diagram.layer_titles)


def test_every_weight_and_bias_labels_its_own_line() -> None:
    widths = [3, 2, 4, 1]
    diagram = distinct_network(widths)
    units = {(n.layer, n.index): n for n in diagram.nodes if not n.bias}
    bias_nodes = {n.layer: n for n in diagram.nodes if n.bias}
    for edge in diagram.edges:
        l = edge.source_layer + 1
        if edge.bias:
            j, source = int(edge.label.split(".")[1]) - 1, bias_nodes[l - 1]
        else:
            j, k = int(edge.label.split(".")[1][0]) - 1, int(edge.label.split(".")[1][1]) - 1
            source = units[(l - 1, k)]
        assert edge.label.lstrip("-").startswith(f"{l}.")
        target = units[(l, j)]
        # The line joins the right two circles, and the label's centre lies on it.
        assert abs(((edge.x1 - source.x) ** 2 + (edge.y1 - source.y) ** 2) ** 0.5 - diagram.radius) < 0.01
        assert abs(((edge.x2 - target.x) ** 2 + (edge.y2 - target.y) ** 2) ** 0.5 - diagram.radius) < 0.01
        cross = (edge.x2 - edge.x1) * (edge.label_y - edge.y1) - (edge.y2 - edge.y1) * (edge.label_x - edge.x1)
        assert abs(cross) < 0.02


@pytest.mark.parametrize("widths", [[2, 2, 2], [3, 3, 3, 3], [4, 4, 4], [1, 2, 2]])
def test_svg_and_tikz_show_every_value_exactly_once(widths: list[int]) -> None:
    diagram = distinct_network(widths)
    expected = [f"{l}.{j}{k}" for l in range(1, len(widths)) for j in range(1, widths[l] + 1)
                for k in range(1, widths[l - 1] + 1)] + [f"-{l}.{j}" for l in range(1, len(widths))
                                                           for j in range(1, widths[l] + 1)]
    svg = svg_env().get_template("network.svg.j2").render(diagram=diagram, scale=60)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    assert all(texts.count(value) == 1 for value in expected)
    assert texts.count("+1") == len(widths) - 1
    assert svg.count('stroke-dasharray="5 3"') == sum(widths[1:])
    tikz = render_tikz(diagram)
    labels = re.findall(r"font=\\scriptsize\] at \( [-\d., ]+\) \{\$(.*?)\$\}", tikz)
    assert sorted(labels) == sorted(expected)
    assert tikz.count("dash pattern") == sum(widths[1:])


@pytest.mark.parametrize("widths", [[2, 2, 2], [2, 2, 1], [3, 2], [1, 2, 2], [2, 3, 2], [1, 3, 1], [3, 3]])
def test_small_networks_have_no_line_through_another_label(widths: list[int]) -> None:
    assert intruders(distinct_network(widths)) == 0


@pytest.mark.parametrize("widths", [[3, 3, 3, 3], [4, 4, 4], [4, 4], [2, 4, 2]])
def test_dense_gaps_keep_stray_lines_off_most_labels(widths: list[int]) -> None:
    diagram = distinct_network(widths)
    # Most labels are crossed by no other line at all; the rest by few.
    touched = [sum(passes_through(o, box(e)) for o in diagram.edges if o is not e and o.source_layer == e.source_layer)
               for e in diagram.edges]
    assert sum(1 for n in touched if n == 0) >= 0.75 * len(touched), touched
    assert max(touched) <= 2, touched


def test_no_two_lines_cross_inside_a_label_in_the_seed_shapes() -> None:
    for widths in ([2, 2, 2], [3, 3, 3, 3], [2, 2, 1], [3, 2], [1, 2, 2]):
        diagram = distinct_network(widths)
        for edge in diagram.edges:
            b = box(edge)
            same = [e for e in diagram.edges if e.source_layer == edge.source_layer]
            for p, q in itertools.combinations(same, 2):
                den = (p.x2 - p.x1) * (q.y2 - q.y1) - (p.y2 - p.y1) * (q.x2 - q.x1)
                if abs(den) < 1e-12:
                    continue
                s = ((q.x1 - p.x1) * (q.y2 - q.y1) - (q.y1 - p.y1) * (q.x2 - q.x1)) / den
                u = ((q.x1 - p.x1) * (p.y2 - p.y1) - (q.y1 - p.y1) * (p.x2 - p.x1)) / den
                x, y = p.x1 + s * (p.x2 - p.x1), p.y1 + s * (p.y2 - p.y1)
                assert not (0 < s < 1 and 0 < u < 1 and b[0] < x < b[2] and b[1] < y < b[3]), (widths, edge.label)


def test_the_same_network_gives_the_same_picture_twice() -> None:
    first, second = distinct_network([3, 3, 3, 3]), distinct_network([3, 3, 3, 3])
    assert first == second
    env = svg_env()
    assert env.get_template("network.svg.j2").render(diagram=first, scale=60) == \
        env.get_template("network.svg.j2").render(diagram=second, scale=60)
    assert render_tikz(first) == render_tikz(second)


def test_wide_pictures_stay_unlabelled_without_bias_nodes_or_legend() -> None:
    names = [["u"] * w for w in (2, 5, 2)]
    weights = [[["1"] * 2] * 5, [["1"] * 5] * 2]
    diagram = layout([2, 5, 2], names, ["a", "b", "c"], weights, bias_labels=[["0"] * 5, ["0"] * 2],
                     legend=("solid lines: the weights",))
    assert not diagram.edge_labels and not diagram.legend
    assert not any(n.bias for n in diagram.nodes) and not any(e.bias for e in diagram.edges)


@pytest.mark.parametrize("notation, weights, biases", [
    ("numbered", "w₁, …, w₈", "b₁, …, b₄"),
    ("layer", "w⁽¹⁾₁₁, …, w⁽²⁾₂₂", "b⁽¹⁾₁, …, b⁽²⁾₂"),
])
def test_the_classic_network_picture_names_its_symbols_and_shows_every_value(notation, weights, biases) -> None:
    example = derive(parse_spec(MAZUR, "mazur.yaml"), full_check_limit=0)
    svg = example.svg(Options(notation=notation))
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    # The published 2-2-2 network: eight weights, each once, and each layer's bias on both its lines.
    for value in ("0.15", "0.2", "0.25", "0.3", "0.4", "0.45", "0.5", "0.55"):
        assert texts.count(value) == 1, value
    assert texts.count("0.35") == 2 and texts.count("0.6") == 2
    assert f"solid lines: the weights {weights}" in texts
    assert f"dashed lines from +1: the biases {biases}" in texts
    tex = example.latex(Options(notation=notation))
    assert tex.count(r"{$0.35$}") == 2 and tex.count(r"{$0.6$}") == 2
    assert "the biases $" in tex


def test_a_legend_wider_than_the_network_centres_it_beneath() -> None:
    legend = ("x" * 80, "short")
    diagram = layout([1, 1], [["a"], ["b"]], ["in", "out"], [[["0.5"]]], bias_labels=[["0.1"]], legend=legend)
    assert diagram.width >= 80 * 0.12
    xs = [n.x for n in diagram.nodes]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(diagram.width / 2, abs=0.01)
    assert [line for _, _, line in diagram.legend] == list(legend)
    assert all(x == pytest.approx(diagram.width / 2) for x, _, _ in diagram.legend)
    ys = [y for _, y, _ in diagram.legend]
    assert ys == sorted(ys) and ys[0] > max(t[1] for t in diagram.layer_titles) and ys[-1] < diagram.height
    for edge in diagram.edges:
        assert min(xs) < edge.label_x < max(xs)
