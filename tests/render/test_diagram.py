"""Tests for the network picture: layout geometry, SVG and TikZ templates."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from derive.render.diagram import Diagram, layout
from tests.diagram_templates import SVG_NS, render_tikz, svg_env

CHAR_WIDTH, LABEL_HEIGHT = 0.12, 0.26


def network(widths: list[int], weight: str | None = "0.15", titles: list[str] | None = None,
            bias: str | None = None) -> Diagram:
    """Lay out a network with conventional neuron names, one weight label everywhere, and one bias label."""
    last = len(widths) - 1
    names = [[("x" if l == 0 else "o" if l == last else "h") + str(j + 1) for j in range(w)] for l, w in enumerate(widths)]
    if titles is None:
        titles = ["input"] + [f"hidden {l} (sigmoid)" for l in range(1, last)] + ["output (softmax)"]
    labels = None if weight is None else [[[weight] * widths[l - 1] for _ in range(widths[l])] for l in range(1, last + 1)]
    biases = None if bias is None else [[bias] * w for w in widths[1:]]
    return layout(widths, names, titles, labels, bias_labels=biases)


def test_layout_has_one_centred_node_per_unit_and_one_edge_per_weight() -> None:
    diagram = network([2, 3, 1])
    assert [(n.layer, n.index, n.label) for n in diagram.nodes] == [
        (0, 0, "x1"), (0, 1, "x2"), (1, 0, "h1"), (1, 1, "h2"), (1, 2, "h3"), (2, 0, "o1")
    ]
    assert len(diagram.edges) == 2 * 3 + 3 * 1
    columns = [[n for n in diagram.nodes if n.layer == l] for l in range(3)]
    xs = [col[0].x for col in columns]
    assert all(n.x == col[0].x for col in columns for n in col)
    assert xs == sorted(xs) and len(set(xs)) == 3
    centres = [sum(n.y for n in col) / len(col) for col in columns]
    assert max(centres) - min(centres) < 1e-6
    for node in diagram.nodes:
        assert diagram.radius <= node.x <= diagram.width - diagram.radius
        assert diagram.radius <= node.y <= diagram.height - diagram.radius
    assert [t[2] for t in diagram.layer_titles] == ["input", "hidden 1 (sigmoid)", "output (softmax)"]
    assert all(t[1] > max(n.y for n in diagram.nodes) + diagram.radius for t in diagram.layer_titles)
    for (x1, _, t1), (x2, _, t2) in itertools.pairwise(diagram.layer_titles):
        assert x1 + CHAR_WIDTH * len(t1) / 2 < x2 - CHAR_WIDTH * len(t2) / 2


def test_edges_run_from_circle_border_to_circle_border() -> None:
    diagram = network([2, 2, 2])
    by_layer = {(n.layer, n.index): n for n in diagram.nodes}
    for i, edge in enumerate(diagram.edges):
        j, k = divmod(i % 4, 2)
        src, dst = by_layer[(edge.source_layer, k)], by_layer[(edge.source_layer + 1, j)]
        assert abs(((edge.x1 - src.x) ** 2 + (edge.y1 - src.y) ** 2) ** 0.5 - diagram.radius) < 0.01
        assert abs(((edge.x2 - dst.x) ** 2 + (edge.y2 - dst.y) ** 2) ** 0.5 - diagram.radius) < 0.01


# Every one- and two-gap shape up to four wide, and some deeper ones: each gap is laid out on its own,
# so these cover every pair of neighbouring widths in every position.
SHAPES = [list(w) for depth in (2, 3) for w in itertools.product(range(1, 5), repeat=depth)] + [
    [3, 3, 3, 3], [1, 2, 3, 4], [4, 3, 2, 1], [4, 1, 4, 1]]


@pytest.mark.parametrize("weight", ["0.15", "-0.1234"])
def test_weight_labels_never_overlap_for_layers_up_to_four_wide(weight: str) -> None:
    for widths in SHAPES:
        diagram = network(list(widths), weight, bias="0.5")
        assert diagram.edge_labels
        boxes = []
        for edge in diagram.edges:
            assert edge.label == ("0.5" if edge.bias else weight)
            # Labels sit on their own edge: the centre is collinear with the line's ends.
            cross = (edge.x2 - edge.x1) * (edge.label_y - edge.y1) - (edge.y2 - edge.y1) * (edge.label_x - edge.x1)
            assert abs(cross) < 0.02, widths
            assert min(edge.x1, edge.x2) <= edge.label_x <= max(edge.x1, edge.x2)
            half_w = max(edge.label_width, CHAR_WIDTH * len(edge.label)) / 2
            half_h = max(edge.label_height, LABEL_HEIGHT) / 2
            boxes.append((edge.label_x - half_w, edge.label_y - half_h, edge.label_x + half_w, edge.label_y + half_h))
        for a, b in itertools.combinations(boxes, 2):
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (widths, a, b)
        for box, node in itertools.product(boxes, diagram.nodes):
            # Nearest point of the box to the circle's centre must lie outside the circle.
            dx = max(box[0] - node.x, 0.0, node.x - box[2])
            dy = max(box[1] - node.y, 0.0, node.y - box[3])
            assert dx * dx + dy * dy > diagram.radius**2, (widths, box, node)


def test_weight_labels_are_dropped_when_a_layer_is_too_wide_or_none_given() -> None:
    wide = network([2, 5, 2])
    assert not wide.edge_labels and all(e.label == "" for e in wide.edges)
    unlabelled = network([2, 2], weight=None)
    assert not unlabelled.edge_labels and len(unlabelled.edges) == 4
    narrow_limit = layout([3, 2], [["a"] * 3, ["b"] * 2], ["in", "out"], [[["1"] * 3] * 2], max_labelled_width=2)
    assert not narrow_limit.edge_labels
    assert network([4, 4]).edge_labels


def test_absurdly_long_weight_labels_still_produce_a_picture() -> None:
    diagram = network([4, 4, 4], "-1234567890.123456789")
    assert diagram.edge_labels and len(diagram.edges) == 32
    assert all(e.x1 < e.label_x < e.x2 for e in diagram.edges)


def test_layout_rejects_labels_that_do_not_match_widths() -> None:
    with pytest.raises(ValueError):
        layout([2, 2], [["a", "b"], ["c"]], ["in", "out"], None)
    with pytest.raises(ValueError):
        layout([2, 2], [["a", "b"], ["c", "d"]], ["in", "out"], [[["1", "2"]]])


def test_svg_parses_as_xml_with_one_circle_per_neuron() -> None:
    diagram = network([3, 3, 3, 3])
    svg = svg_env().get_template("network.svg.j2").render(diagram=diagram, scale=60)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert float(root.get("width", "0")) == pytest.approx(diagram.width * 60, abs=0.1)
    assert len(root.findall(f".//{SVG_NS}circle")) == len(diagram.nodes) == 12
    assert len(root.findall(f".//{SVG_NS}line")) == len(diagram.edges) == 27
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert texts.count("0.15") == 27 and "h2" in texts and "output (softmax)" in texts


@pytest.mark.parametrize("autoescape", [True, False])
def test_svg_escapes_markup_in_every_label(autoescape: bool) -> None:
    nasty = "<script>&"
    diagram = layout([1, 1], [[nasty], ["y"]], [nasty, "out"], [[[nasty]]])
    svg = svg_env(autoescape).get_template("network.svg.j2").render(diagram=diagram, scale=60)
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    assert texts.count(nasty) == 3


def test_tikz_renders_with_tex_delimiters() -> None:
    diagram = network([2, 2, 2], titles=["input", "hidden_1 & 50%", "output"])
    tikz = render_tikz(diagram)
    assert tikz.startswith("\\begin{tikzpicture}") and tikz.rstrip().endswith("\\end{tikzpicture}")
    assert "(((" not in tikz and "((*" not in tikz and "((=" not in tikz
    assert tikz.count("\\node[circle") == 6
    assert tikz.count("font=\\scriptsize] at") == 8
    assert "{$h_{2}$}" in tikz and "{$0.15$}" in tikz
    assert "hidden\\_1 \\& 50\\%" in tikz
    assert "\n\n" not in tikz


def test_tikz_omits_weight_labels_when_they_are_dropped() -> None:
    tikz = render_tikz(network([2, 5, 2]))
    assert "font=\\scriptsize" not in tikz and tikz.count("\\draw") == 20


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_tikz_picture_compiles_with_pdflatex(tmp_path: Path) -> None:
    picture = render_tikz(network([3, 3, 3, 3], "-0.15"))
    document = (
        "\\documentclass{article}\n\\usepackage[paperwidth=20cm,paperheight=10cm,margin=1cm]{geometry}\n"
        "\\usepackage{tikz}\n\\pagestyle{empty}\n\\begin{document}\n\\noindent\n" + picture + "\n\\end{document}\n"
    )
    (tmp_path / "net.tex").write_text(document, encoding="utf-8")
    result = subprocess.run(
        ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "net.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "net.pdf").stat().st_size > 0
