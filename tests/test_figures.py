"""Figures: files, PNG headers and sizes, SVG text, determinism; on toy and real networks."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from pdkg import analytics
from pdkg.analytics import figures

R = "https://w3id.org/pdkg/resource/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


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
    graph = visits(2011)  # places 0 (out+in), 1 (in, weight 2); the secretary's visit is out
    text = check_pair(figures.visits_by_year({2011: graph}, out), out)
    assert "2011: 2 outgoing, 3 incoming" in text


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
    n_out = sum(i // 10 + 1 for i in range(crowd - 15)) + 15 * 9
    assert f"2011: {n_out} outgoing, 0 incoming" in text  # counted over every visit
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


def test_write_all_on_the_project(tmp_path: Path) -> None:
    from pdkg.paths import find_root
    from pdkg.query.target import fetcher

    paths = figures.write_all(fetcher(find_root()), tmp_path / "figures")
    names = ["control-hierarchy-guangzhou-fao", "visits-by-year", "top-actors-control"]
    assert [p.name for p in paths] == [f"{n}.{ext}" for n in names for ext in ("png", "svg")]
    texts = [check_pair(paths[i : i + 2], paths[i].with_suffix("")) for i in (0, 2, 4)]
    assert "Foreign Affairs Office of the Guangzhou Municipal Government" in texts[0]
    assert "State Council" in texts[0]
    assert all(f"{year}:" in texts[1] for year in figures.YEARS)
    assert "1. National People's Congress" in texts[2]


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
