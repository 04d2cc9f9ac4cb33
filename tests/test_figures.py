"""Figures: files, PNG headers and sizes, SVG text, determinism; on toy and real networks."""

from __future__ import annotations

import itertools
import math
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import networkx as nx
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from pdkg import analytics
from pdkg.analytics import figures
from pdkg.analytics.figures import layout
from pdkg.analytics.figures.style import RC
from pdkg.analytics.meaning import meaning
from pdkg.analytics.robustness import robustness
from pdkg.analytics.sources import Sources

R = "https://w3id.org/pdkg/resource/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def fetch() -> analytics.Fetch:
    """The saved queries on the project's graph (the chapter, without the national layer)."""
    from pdkg.paths import find_root
    from pdkg.query.target import fetcher

    root = find_root()
    return fetcher(root, data=[root.root / "graph"])


@pytest.fixture(scope="module")
def control(fetch: analytics.Fetch) -> nx.DiGraph:
    return analytics.network(fetch, layer="control")


@pytest.fixture(scope="module")
def visits_2011(fetch: analytics.Fetch) -> nx.DiGraph:
    return analytics.network(fetch, layer="visits", year=2011)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def svg_text(path: Path) -> tuple[float, float, str]:
    """Width and height in points, and every text element joined with single spaces."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    width, height = (float(root.attrib[key].removesuffix("pt")) for key in ("width", "height"))
    text = " ".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))
    return width, height, re.sub(r"\s+", " ", text)


def check_pair(paths: list[Path], out: Path) -> str:
    """The PNG and SVG exist, are consistent (150 dpi over 72 pt/inch); returns the SVG text."""
    assert paths == [out.with_suffix(".png"), out.with_suffix(".svg")]
    for path in paths:
        assert path.is_file()
        assert path.stat().st_size > 1000
    png_w, png_h = png_size(paths[0])
    svg_w, svg_h, text = svg_text(paths[1])
    assert abs(png_w - svg_w * figures.DPI / 72) <= 1
    assert abs(png_h - svg_h * figures.DPI / 72) <= 1
    assert png_w / png_h == pytest.approx(svg_w / svg_h, rel=0.01)
    return text


def node(graph: nx.DiGraph, name: str, label: str, classes: str, level: str = "") -> None:
    graph.add_node(R + name, label=label, classes=classes, level=level, qid="")


def edge(graph: nx.DiGraph, source: str, target: str, *kinds: str) -> None:
    graph.add_edge(R + source, R + target, kinds=list(kinds), weight=1, years=[], locators=["p. 1"])


@pytest.fixture
def chain() -> nx.DiGraph:
    """Office -> city -> province -> State Council, a post held in the city, and a stray body."""
    graph = nx.DiGraph()
    node(graph, "office", "Foreign Affairs Office of Testcity", "ForeignAffairsOffice")
    node(graph, "city", "People's Government of Testcity", "Government LocalBody")
    node(graph, "province", "Testprovince Government", "Government LocalBody", "provincial")
    node(graph, "council", "State Council", "Government CentralBody", "national")
    node(graph, "mayor", "Mayor Person", "Person")
    node(graph, "stray", "Unrelated Body", "LocalBody")
    edge(graph, "office", "city", "administrative-subordination")
    edge(graph, "office", "province", "party-leadership", "guidance")
    edge(graph, "city", "province", "administrative-subordination")
    edge(graph, "province", "council", "administrative-subordination")
    edge(graph, "city", "mayor", "Mayor of Testcity")
    edge(graph, "stray", "council", "administrative-subordination")
    return graph


def test_family_groups_kinds() -> None:
    assert figures.family("administrative-subordination") == "administrative subordination"
    assert figures.family("legislative-oversight") == "legislative oversight"
    assert figures.family("Mayor of Guangzhou") == "post held"
    assert figures.family("trip-abroad") == "approval required"


def test_control_hierarchy_draws_the_actor_and_its_controllers(
    chain: nx.DiGraph, tmp_path: Path
) -> None:
    out = tmp_path / "sub" / "hierarchy"
    text = check_pair(figures.control_hierarchy(chain, R + "office", out), out)
    for label in ("Foreign Affairs Office of Testcity", "State Council", "Mayor Person"):
        assert label in text
    assert "People's Government of Testcity" in text
    assert "Unrelated Body" not in text  # not above the actor
    for kind in ("administrative subordination", "party leadership", "guidance", "post held"):
        assert kind in text  # legend entries for the families present
    assert "legislative oversight" not in text


def test_control_hierarchy_is_deterministic(chain: nx.DiGraph, tmp_path: Path) -> None:
    first = figures.control_hierarchy(chain, R + "office", tmp_path / "a" / "h")
    second = figures.control_hierarchy(chain, R + "office", tmp_path / "b" / "h")
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes()


def test_control_hierarchy_draws_cycles_and_approvals(chain: nx.DiGraph, tmp_path: Path) -> None:
    edge(chain, "council", "province", "trip-abroad")  # a cycle, with an approval kind
    out = tmp_path / "cycle"
    text = check_pair(figures.control_hierarchy(chain, R + "office", out), out)
    assert "approval required" in text
    assert "Testprovince Government" in text


Point = tuple[float, float]


def meets(p: Point, q: Point, box: layout.Box) -> bool:
    """Whether the segment ``pq`` meets the closed ``box`` (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box
    low, high = 0.0, 1.0
    for d, start, lo, hi in ((q[0] - p[0], p[0], x0, x1), (q[1] - p[1], p[1], y0, y1)):
        if d == 0:
            if not lo <= start <= hi:
                return False
            continue
        a, b = (lo - start) / d, (hi - start) / d
        low, high = max(low, min(a, b)), min(high, max(a, b))
        if low > high:
            return False
    return True


def on_border(point: Point, box: layout.Box) -> bool:
    x, y = point
    x0, y0, x1, y1 = box
    inside = x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9
    return inside and min(abs(x - x0), abs(x - x1), abs(y - y0), abs(y - y1)) < 1e-9


def check_layout(graph: nx.DiGraph, actor: str) -> layout.Layered:
    """Every edge drawn once per family, from its box to its box, through no other box."""
    laid = figures.hierarchy_layout(graph, actor)
    sub = graph.subgraph({actor} | nx.descendants(graph, actor))
    assert set(laid.boxes) == set(sub)
    lines = [(r.source, r.target, r.family) for r in laid.routes]
    assert sorted(lines) == sorted(
        {(s, t, figures.family(k)) for s, t, d in sub.edges(data=True) for k in d["kinds"]}
    )
    for route in laid.routes:
        ends = {route.source: laid.boxes[route.source], route.target: laid.boxes[route.target]}
        assert on_border(route.points[0], ends[route.source])
        assert on_border(route.points[-1], ends[route.target])
        segments = list(route.segments())
        for i, (p, q) in enumerate(segments):
            for node, box in laid.boxes.items():
                if node not in ends or 0 < i < len(segments) - 1:  # own boxes: only the ends
                    assert not meets(p, q, box), (route.source, route.target, node, p, q)
    boxes = sorted(laid.boxes.values())
    for i, a in enumerate(boxes):  # boxes do not overlap, and lie inside the figure
        assert all(b[0] > a[2] or b[2] < a[0] or b[1] > a[3] or b[3] < a[1] for b in boxes[i + 1 :])
        assert a[0] > 0
        assert a[1] > 0
    return laid


def centre_y(laid: layout.Layered, node: str) -> float:
    return (laid.boxes[node][1] + laid.boxes[node][3]) / 2


def test_the_chapter_hierarchy_routes_no_edge_through_a_box(control: nx.DiGraph) -> None:
    laid = check_layout(control, figures.GUANGZHOU_FAO)
    assert laid.rows[0] == (figures.GUANGZHOU_FAO,)
    for s, t in control.subgraph(laid.boxes).edges:  # a DAG: every edge points up a row or more
        assert centre_y(laid, t) > centre_y(laid, s)
    row = {n: i for i, r in enumerate(laid.rows) for n in r}
    for (lo, hi), points in laid.dummies.items():  # a dummy on every row an edge skips
        assert len(points) == row[hi] - row[lo] - 1
    # the mayor's post: from the Guangzhou government two rows up to Lin Shusen, past the
    # Guangdong government's box (it crossed it, reading as a provincial post) in a gap
    city, mayor = R + "guangzhou-peoples-government", R + "lin-shusen"
    province = R + "guangdong-peoples-government"
    assert row[mayor] - row[city] == 2
    assert row[province] == row[city] + 1
    (route,) = [r for r in laid.routes if (r.source, r.target) == (city, mayor)]
    _, y0, _, y1 = laid.boxes[province]
    middle = (y0 + y1) / 2
    passing = [
        p[0] + (q[0] - p[0]) * (middle - p[1]) / (q[1] - p[1])
        for p, q in route.segments()
        if min(p[1], q[1]) <= middle <= max(p[1], q[1]) and p[1] != q[1]
    ]
    assert len(passing) == 1  # it passes the province's row once, in a gap clear of every box
    boxes = [laid.boxes[n] for n in laid.rows[row[province]]]
    assert all(not b[0] <= passing[0] <= b[2] for b in boxes)


def test_a_cyclic_hierarchy_routes_no_edge_through_a_box(chain: nx.DiGraph) -> None:
    laid = check_layout(chain, R + "office")
    assert centre_y(laid, R + "council") > centre_y(laid, R + "province")
    edge(chain, "council", "province", "trip-abroad")  # a cycle, drawn as a reversed edge
    edge(chain, "office", "council", "legislative-oversight")  # skips two rows
    laid = check_layout(chain, R + "office")
    reverse = [r for r in laid.routes if r.source == R + "council"]
    assert [r.family for r in reverse] == ["approval required"]
    assert reverse[0].points[0][1] > reverse[0].points[-1][1]  # drawn downward


def test_control_hierarchy_rejects_unknown_actor(chain: nx.DiGraph, tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        figures.control_hierarchy(chain, R + "nobody", tmp_path / "h")


def visits(year: int) -> nx.DiGraph:
    graph = nx.DiGraph()
    centre = figures.GUANGZHOU  # one node for Guangzhou, visiting and visited (#9)
    graph.add_node(centre, label="Guangzhou", classes="City")
    places = [f"Place {year} {i}" for i in range(year - 2009)]
    for i, place in enumerate(places):
        graph.add_node(R + place, label=place, classes="ForeignCity")
        if i % 2:
            graph.add_edge(R + place, centre, kinds=["incoming"], weight=1 + i % 3, years=[year])
        else:
            graph.add_edge(centre, R + place, kinds=["outgoing"], weight=1, years=[year])
    graph.add_edge(R + places[0], centre, kinds=["incoming"], weight=1, years=[year])  # both ways
    graph.add_node(R + "secretary", label="Party Secretary (of the year)", classes="Person")
    graph.add_edge(R + "secretary", R + f"Far {year}", kinds=["outgoing"], weight=1, years=[year])
    graph.nodes[R + f"Far {year}"].update(label=f"Far {year}", classes="Country")
    return graph


def test_visits_by_year_has_a_panel_per_year(tmp_path: Path) -> None:
    out = tmp_path / "visits"
    paths = figures.visits_by_year({year: visits(year) for year in figures.YEARS}, out)
    text = check_pair(paths, out)
    width, height = png_size(paths[0])
    assert width > height  # a 2 x 3 grid of square panels
    for year in figures.YEARS:
        assert f"{year}:" in text
        assert f"Place {year} 0" in text
        assert f"Far {year}" in text
    assert "Party Secretary" in text
    assert "(of the year)" not in text  # parentheticals are dropped from ring labels
    assert "outgoing (Guangzhou → place)" in text


def test_visits_by_year_counts_visits(tmp_path: Path) -> None:
    out = tmp_path / "one"
    graph = visits(2011)  # places 0 (out+in), 1 (in, weight 2); the secretary's visit is his own
    text = check_pair(figures.visits_by_year({2011: graph}, out), out)
    assert "2011: 1 outgoing, 3 incoming, 1 by other visitors" in text


def test_visit_markers_grow_with_strength(visits_2011: nx.DiGraph) -> None:
    fig = figures.visits_figure({2011: visits_2011})
    (ax,) = [a for a in fig.axes if a.get_title().startswith("2011:")]
    size = {ln.get_label(): ln.get_markersize() for ln in ax.lines if ln.get_label() in visits_2011}
    assert set(size) == set(visits_2011)  # 2011 fits on the ring: every place is drawn
    strength = {
        n: sum(d["weight"] for s, t, d in visits_2011.edges(data=True) if n in (s, t))
        for n in visits_2011
    }
    centre = figures.GUANGZHOU
    assert strength[centre] == visits_2011.in_degree(centre, weight="weight") + (
        visits_2011.out_degree(centre, weight="weight")
    )
    assert strength[centre] > max(v for n, v in strength.items() if n != centre)
    assert size[centre] == pytest.approx(figures.marker_size(strength[centre]))
    for node in size:  # areas in proportion to the strengths, one scale for every marker
        assert size[node] ** 2 / size[centre] ** 2 == pytest.approx(
            strength[node] / strength[centre]
        )
    ordered = sorted(size, key=lambda n: strength[n])
    for a, b in itertools.pairwise(ordered):
        assert (size[a] < size[b]) if strength[a] < strength[b] else size[a] == size[b]
    assert len(set(strength.values())) > 2  # the places differ: the sizes show something
    widths = sorted(p.get_linewidth() for p in ax.patches)  # arrows: width by visit count
    assert widths == pytest.approx(
        sorted(0.7 + 1.1 * d["weight"] for _, _, d in visits_2011.edges(data=True))
    )


def rotated_box(text: Text, renderer: object) -> list[Point]:
    """The corners of a text's box as drawn, rotated about its anchor (display units)."""
    angle = text.get_rotation()
    text.set_rotation(0)
    x0, y0, x1, y1 = text.get_window_extent(renderer).extents
    text.set_rotation(angle)
    ax, ay = text.get_transform().transform(text.get_position())
    turn = math.radians(angle)
    return [
        (
            ax + (x - ax) * math.cos(turn) - (y - ay) * math.sin(turn),
            ay + (x - ax) * math.sin(turn) + (y - ay) * math.cos(turn),
        )
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    ]


def overlap(a: list[Point], b: list[Point], slack: float = 1.0) -> bool:
    """Whether two convex polygons overlap by more than ``slack`` (separating axes)."""
    for poly in (a, b):
        for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True):
            nx_, ny = y1 - y0, x0 - x1
            norm = math.hypot(nx_, ny)
            pa = [(x * nx_ + y * ny) / norm for x, y in a]
            pb = [(x * nx_ + y * ny) / norm for x, y in b]
            if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= slack:
                return False
    return True


def test_ring_labels_do_not_overlap(fetch: analytics.Fetch) -> None:
    graphs = {y: analytics.network(fetch, layer="visits", year=y) for y in figures.YEARS}
    fig = figures.visits_figure(graphs)
    renderer = fig.canvas.get_renderer()
    labels = [t for ax in fig.axes for t in ax.texts if t.get_rotation_mode() == "anchor"]
    assert len(labels) == sum(len(g) - 1 for g in graphs.values())  # every place but the centre
    boxes = [rotated_box(t, renderer) for t in labels]
    clashes = [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if overlap(boxes[i], boxes[j])
    ]
    assert clashes == []


def test_a_crowded_year_draws_the_places_with_most_visits(tmp_path: Path) -> None:
    graph = nx.DiGraph()
    centre = figures.GUANGZHOU
    graph.add_node(centre, label="Guangzhou", classes="City")
    crowd = figures.RING + 15
    for i in range(crowd):  # place i is visited i // 10 + 1 times; 15 never meet Guangzhou
        graph.add_node(R + f"p{i}", label=f"Place {i:03d}", classes="City")
        if i < crowd - 15:
            graph.add_edge(centre, R + f"p{i}", kinds=["outgoing"], weight=i // 10 + 1)
        else:
            graph.add_edge(R + f"p{i}", R + "p0", kinds=["outgoing"], weight=9)
    out = tmp_path / "crowded"
    text = check_pair(figures.visits_by_year({2011: graph}, out), out)
    n_out = sum(i // 10 + 1 for i in range(crowd - 15))  # Guangzhou's own, drawn or not
    assert f"2011: {n_out} outgoing, 0 incoming, {15 * 9} by other visitors" in text
    assert "(15 places with fewer visits not drawn)" in text
    assert all(f"Place {i:03d}" in text for i in range(crowd - 15))  # all Guangzhou visited
    assert all(f"Place {i:03d}" not in text for i in range(crowd - 15, crowd))


def test_top_actors_lists_every_actor_longest_first(tmp_path: Path) -> None:
    ranked = [
        analytics.Ranked(rank=1, node=R + "a", label="Alpha Congress", value=41.0),
        analytics.Ranked(rank=2, node=R + "b", label="Beta " + "Commission " * 8, value=3.0),
        analytics.Ranked(rank=3, node=R + "c", label="Gamma", value=0.125),
    ]
    out = tmp_path / "top"
    text = check_pair(figures.top_actors(ranked, out, "Top by reach", xlabel="reach"), out)
    assert "Top by reach" in text
    assert text.index("1. Alpha Congress") < text.index("2. Beta") < text.index("3. Gamma")
    for value in ("41", "3", "0.125"):
        assert f" {value} " in f" {text} "


def test_top_actors_says_what_the_measure_counts(control: nx.DiGraph, tmp_path: Path) -> None:
    ranked = analytics.centrality(control, measure="reach", top=5)
    fig = figures.top_actors_figure(ranked, "t", layer="control", measure="reach")
    label = fig.axes[0].get_xlabel().replace("\n", " ")
    assert label == f"reach: {meaning('control', 'reach')}"
    out = tmp_path / "top"
    text = check_pair(
        figures.top_actors(ranked, out, "t", layer="visits", measure="in-strength"), out
    )
    assert meaning("visits", "in-strength") in text


def test_rank_intervals_draw_the_robustness_output(
    control: nx.DiGraph, fetch: analytics.Fetch, tmp_path: Path
) -> None:
    sources = Sources.of(fetch)
    intervals = robustness(
        control,
        "reach",
        resamples=figures.RESAMPLES,
        seed=figures.SEED,
        top=figures.TOP,
        name=sources.name,
    )
    assert len(intervals) == figures.TOP
    fig = figures.rank_intervals_figure(intervals, "Rank intervals")
    ax = fig.axes[0]
    nodes = {i.node for i in intervals}
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label() in nodes]
    assert [b.get_label() for b in bars] == [i.node for i in intervals]  # plain rank order
    assert ax.yaxis_inverted()  # the first on top
    for row, (bar, interval) in enumerate(zip(bars, intervals, strict=True)):
        assert interval.rank_min <= interval.rank <= interval.rank_max
        assert bar.get_x() == interval.rank_min
        assert bar.get_x() + bar.get_width() == pytest.approx(interval.rank_max)
        assert bar.get_y() + bar.get_height() / 2 == pytest.approx(row)
    bands = {p.get_label(): p for p in ax.patches if p.get_label().endswith(" band90")}
    assert len(bands) == len(intervals)  # 100 samples: every actor has its 90% band
    for interval in intervals:
        band = bands[f"{interval.node} band90"]
        assert (band.get_x(), band.get_x() + band.get_width()) == pytest.approx(
            (interval.band_min, interval.band_max)
        )
        assert interval.rank_min <= band.get_x() <= band.get_x() + band.get_width()
        assert band.get_x() + band.get_width() <= interval.rank_max
    (dots,) = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert list(dots.get_xdata()) == [i.rank for i in intervals]
    assert list(dots.get_ydata()) == list(range(len(intervals)))
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert ticks == [f"{i.rank}. {i.label}" for i in intervals]
    at_end = {(t.xy[0], t.xy[1]): t.get_text() for t in ax.texts}
    assert at_end == {(i.rank_max, row): i.worst for row, i in enumerate(intervals)}
    names = {f"without {sources.name(s)}" for s in sources.names}
    assert all(
        i.worst in names or re.fullmatch(r"sample \d+|as recorded", i.worst) for i in intervals
    )
    assert ax.get_xlabel() == "position in the ranking (1 = top)"
    out = tmp_path / "ranks"
    text = check_pair(figures.rank_intervals(intervals, out, "Rank intervals"), out)
    assert "1. National People's Congress" in text
    assert all(i.worst in text for i in intervals)


def texts_of(fig: Figure) -> list[Text]:
    fig.canvas.draw()  # lays the ticks out; nothing is written
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_no_text_is_smaller_than_9_points(control: nx.DiGraph, fetch: analytics.Fetch) -> None:
    graphs = {y: analytics.network(fetch, layer="visits", year=y) for y in figures.YEARS}
    ranked = analytics.centrality(control, measure="reach", top=15)
    intervals = robustness(control, "reach", resamples=5, top=15)
    drawn = [
        figures.hierarchy_figure(control, figures.GUANGZHOU_FAO),
        figures.visits_figure(graphs),
        figures.top_actors_figure(ranked, "t", layer="control", measure="reach"),
        figures.rank_intervals_figure(intervals, "t"),
    ]
    for fig in drawn:
        texts = texts_of(fig)
        assert len(texts) > 15
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 9]
        assert small == []


def test_write_all_on_the_project(fetch: analytics.Fetch, tmp_path: Path) -> None:
    paths = figures.write_all(fetch, tmp_path / "figures")
    names = [
        "control-hierarchy-guangzhou-fao",
        "visits-by-year",
        "top-actors-control",
        "rank-intervals-control",
    ]
    assert [p.name for p in paths] == [f"{n}.{ext}" for n in names for ext in ("png", "svg")]
    texts = [check_pair(paths[i : i + 2], paths[i].with_suffix("")) for i in (0, 2, 4, 6)]
    assert "Foreign Affairs Office of the Guangzhou Municipal Government" in texts[0]
    assert "State Council" in texts[0]
    assert all(f"{year}:" in texts[1] for year in figures.YEARS)
    assert "Marker area: visits made and received" in texts[1]
    assert "1. National People's Congress" in texts[2]
    assert meaning("control", "reach") in texts[2]
    assert "position in the ranking (1 = top)" in texts[3]
    assert "without §3.2" in texts[3]  # the chapter's section on the legislatures
    for svg in paths[1::2]:  # every text as written: 9 points or more (1 px = 1 pt here)
        sizes = [float(m) for m in re.findall(r"font-size: ([\d.]+)px", svg.read_text())]
        assert sizes
        assert min(sizes) >= 9


def test_a_rebuild_keeps_the_figures_their_inputs_have_not_changed(
    tmp_path: Path, minimal_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pdkg.paths import ProjectPaths
    from pdkg.release import build_release

    paths, out = ProjectPaths(Path(__file__).resolve().parents[1]), tmp_path / "dist"
    build_release(paths, out=out, data=[minimal_data])
    drawn = {p.name: p.read_bytes() for p in (out / "figures").iterdir()}
    assert "visits-by-year.png" in drawn

    def must_not_draw(*args: object) -> None:
        raise AssertionError("the figures were drawn again")

    monkeypatch.setattr(figures, "write_all", must_not_draw)
    build_release(paths, out=out, data=[minimal_data])
    assert {p.name: p.read_bytes() for p in (out / "figures").iterdir()} == drawn


def test_the_figures_digest_follows_what_they_are_drawn_from() -> None:
    from rdflib import Literal

    from pdkg.analytics.figure_inputs import inputs_digest
    from pdkg.query.table import ResultTable

    def answers(extra: str) -> analytics.Fetch:
        return lambda name: ResultTable(("x",), ((Literal(name + extra),),))

    assert inputs_digest(answers("")) == inputs_digest(answers(""))
    assert inputs_digest(answers("")) != inputs_digest(answers(" changed"))

    def one_changed(query: str) -> analytics.Fetch:
        return lambda name: answers(" changed" if name == query else "")(name)

    for query in ("network-nodes", "network-sources", "network-visits"):  # labels, sources
        assert inputs_digest(one_changed(query)) != inputs_digest(answers(""))


def test_the_digest_reads_every_module_that_draws() -> None:
    """A module of the figures package left out of the digest would let a rebuild keep figures
    drawn by its old code."""
    from pdkg.analytics import figure_inputs

    package = Path(figures.__file__).parent
    assert {f"figures/{p.name}" for p in package.glob("*.py")} <= set(figure_inputs.CODE)


POINTS = """adcode,name,longitude,latitude
440000000000,广东省,113.266530,23.132191
320000000000,江苏省,118.763232,32.061707
440100000000,广州市,113.264385,23.12911
440101000000,市辖区,,
"""


def province_rows(*rows: tuple[str, str, int]) -> analytics.Fetch:
    """A fetch answering ``twinnings-per-province`` with (code, name, ties) rows."""
    from rdflib import Literal

    from pdkg.query.table import ResultTable

    columns = ("provinceCode", "provinceName", "ties", "hosts", "countries")
    table = ResultTable(
        columns,
        tuple((Literal(c), Literal(n), Literal(t), Literal(1), Literal(1)) for c, n, t in rows),
    )
    return lambda name: table


def test_the_twinnings_map_draws_each_province_at_its_point_sized_by_its_partnerships(
    tmp_path: Path,
) -> None:
    from pdkg.analytics.figures import provinces

    points_file = tmp_path / "adcodes.csv"
    points_file.write_text(POINTS, encoding="utf-8")
    fetch = province_rows(("320000", "江苏省", 200), ("440000", "广东省", 50), ("990000", "?", 3))
    points = provinces.read_points(points_file)
    assert set(points) == {"440000", "320000", "440100"}  # 市辖区 has no point
    drawn, missing = provinces.symbols(fetch(provinces.QUERY), points)
    assert missing == ["990000"]
    with matplotlib.rc_context(RC):
        fig = provinces.province_map_figure(drawn, list(points.values()), missing)
    circles = {c.get_label(): c for c in fig.axes[0].collections if c.get_label().isdigit()}
    assert set(circles) == {"320000", "440000"}
    for code, ties in (("320000", 200), ("440000", 50)):
        (xy,) = circles[code].get_offsets()
        assert tuple(xy) == (points[code].lon, points[code].lat)
        (area,) = circles[code].get_sizes()
        assert area == pytest.approx(ties * provinces.AREA_PER_TIE)  # area, not radius
    texts = [t.get_text() for t in texts_of(fig)]
    assert "江苏省 200" in texts
    assert "广东省 50" in texts
    assert any("Not drawn (no point): 990000." in t for t in texts)
    assert min(t.get_fontsize() for t in texts_of(fig)) >= figures.MIN_FONT
    out = tmp_path / "map"
    text = check_pair(provinces.twinnings_by_province(fetch, points_file, out), out)
    assert "江苏省 200" in text
    assert provinces.twinnings_by_province(province_rows(), points_file, out) == []


def test_a_malformed_points_file_names_its_line(tmp_path: Path) -> None:
    from pdkg.analytics.figures import provinces
    from pdkg.errors import GraphLoadError

    bad = tmp_path / "adcodes.csv"
    bad.write_text(POINTS + "450000000000,广西,east,22.8\n", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="line 6"):
        provinces.read_points(bad)


def test_the_figures_digest_follows_the_points_of_the_map(tmp_path: Path) -> None:
    from rdflib import Literal

    from pdkg.analytics.figure_inputs import inputs_digest
    from pdkg.query.table import ResultTable

    def fetch(name: str) -> ResultTable:
        return ResultTable(("x",), ((Literal(name),),))

    points = tmp_path / "adcodes.csv"
    points.write_text(POINTS, encoding="utf-8")
    with_points = inputs_digest(fetch, points)
    assert with_points != inputs_digest(fetch)
    points.write_text(POINTS.replace("113.266530", "113.3"), encoding="utf-8")
    assert inputs_digest(fetch, points) != with_points
