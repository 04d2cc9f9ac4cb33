"""The partner map: WKT points from the Wikidata snapshot, files, SVG text, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDFS

from pdkg.analytics import maps

ROOT = Path(__file__).resolve().parents[1]
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
R = "https://w3id.org/pdkg/resource/"
SISTERS = {"Q456": "lyon", "Q3130": "sydney", "Q1461": "manila", "Q406": "istanbul"}
SISTERS |= {"Q1794": "frankfurt"}
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def snapshot() -> Graph:
    return Graph().parse(ROOT / "wikidata" / "snapshot.ttl", format="turtle")


def place(graph: Graph, qid: str, slug: str, roles: set[str], visits: int = 0) -> maps.MapPlace:
    """A map place with the snapshot's English label and P625 coordinates of ``qid``."""
    entity = WD[qid]
    label = next(str(o) for o in graph.objects(entity, RDFS.label) if o.language == "en")
    lon, lat = maps.parse_point(str(graph.value(entity, WDT.P625)))
    return maps.MapPlace(R + slug, label, lon, lat, frozenset(roles), visits)


@pytest.fixture(scope="module")
def home(snapshot: Graph) -> maps.MapPlace:
    return place(snapshot, "Q16572", "guangzhou", {"partner"})


@pytest.fixture(scope="module")
def places(snapshot: Graph) -> list[maps.MapPlace]:
    sisters = [place(snapshot, q, slug, {"sister city"}) for q, slug in SISTERS.items()]
    sisters[1] = place(snapshot, "Q3130", "sydney", {"sister city", "visit destination"}, 3)
    return [*sisters, place(snapshot, "Q1861", "bangkok", {"visit destination"}, 1)]


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    text = " ".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))
    return re.sub(r"\s+", " ", text)


def test_parse_point_reads_snapshot_examples() -> None:
    assert maps.parse_point("Point(113.26 23.13)") == (113.26, 23.13)
    assert maps.parse_point("Point(151.21 -33.867777777)") == (151.21, -33.867777777)


def test_parse_point_reads_every_p625_of_the_snapshot(snapshot: Graph) -> None:
    points = sorted(snapshot.subject_objects(WDT.P625))
    assert len(points) >= 30
    for entity, literal in points:
        assert isinstance(literal, Literal), entity
        lon, lat = maps.parse_point(str(literal))
        assert -180 <= lon <= 180, entity
        assert -90 <= lat <= 90, entity
    assert maps.parse_point(str(snapshot.value(WD.Q16572, WDT.P625))) == (113.26, 23.13)


@pytest.mark.parametrize(
    "wkt",
    [
        "POINT(1)",
        "Point(200 0)",
        "Point(0 -91)",
        "LINESTRING(30 10, 10 30, 40 40)",
        "",
        "Point(1 2 3)",
        "Point(nan 0)",
        "<http://www.wikidata.org/entity/Q405> Point(1 2)",
    ],
)
def test_parse_point_refuses(wkt: str) -> None:
    with pytest.raises(ValueError, match=r"WKT|range"):
        maps.parse_point(wkt)


def test_map_writes_png_and_svg_with_labels(
    tmp_path: Path, home: maps.MapPlace, places: list[maps.MapPlace]
) -> None:
    paths = maps.draw_partner_map(home, places, tmp_path, missing=3)
    stem = tmp_path / "guangzhou-partners-map"
    assert paths == [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(p.stat().st_size > 1000 for p in paths)
    text = svg_text(paths[1])
    for label in [home.label, *(p.label for p in places)]:
        assert label in text
    assert {"Lyon", "Sydney", "Manila", "Istanbul", "Frankfurt", "Bangkok"} <= set(text.split())
    assert "Guangzhou's partners and visit destinations" in text
    assert "3 places without coordinates are not drawn" in text
    assert "No coastlines or borders are drawn" in text
    assert "longitude" in text
    assert "latitude" in text
    assert "ring: 3 delegation visits" in text
    assert "ring: 1 delegation visit" in text


def test_map_font_sizes_are_at_least_9pt(
    tmp_path: Path, home: maps.MapPlace, places: list[maps.MapPlace]
) -> None:
    svg = maps.draw_partner_map(home, places, tmp_path)[1].read_text()
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes
    assert min(sizes) >= 9


def test_map_is_deterministic(
    tmp_path: Path, home: maps.MapPlace, places: list[maps.MapPlace]
) -> None:
    first = maps.draw_partner_map(home, places, tmp_path / "a", stem="m")[1].read_bytes()
    again = maps.draw_partner_map(home, places[::-1], tmp_path / "b", stem="m")[1].read_bytes()
    assert first == again


def test_map_refuses_empty_places_and_unknown_roles(
    tmp_path: Path, home: maps.MapPlace, places: list[maps.MapPlace]
) -> None:
    with pytest.raises(ValueError, match="no places"):
        maps.draw_partner_map(home, [], tmp_path)
    odd = maps.MapPlace(R + "x", "X", 0.0, 0.0, frozenset({"twin"}))
    with pytest.raises(ValueError, match="roles"):
        maps.draw_partner_map(home, [*places, odd], tmp_path)
    assert not list(tmp_path.iterdir())


def label_boxes(svg: Path, labels: set[str]) -> dict[str, tuple[float, float, float, float]]:
    """The glyph box (x0, y0, x1, y1, in pt, y down) of the first SVG text of each label."""
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for el in ET.parse(svg).getroot().iter(f"{SVG_NS}text"):
        text, style = "".join(el.itertext()), el.get("style", "")
        if text not in labels or text in boxes:
            continue  # not a place label, or its legend entry (drawn after the map)
        bold = "font-weight: 700" in style
        prop = FontProperties(family="DejaVu Sans", size=9, weight="bold" if bold else "normal")
        w, h, d = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
        x, y = float(el.attrib["x"]), float(el.attrib["y"])
        x0 = x - w if "text-anchor: end" in style else x
        boxes[text] = (x0, y - (h - d), x0 + w, y + d)
    return boxes


def test_map_labels_every_snapshot_place_without_overlaps(
    tmp_path: Path, snapshot: Graph, home: maps.MapPlace
) -> None:
    """All P625 places of the snapshot at once: the Pearl River Delta, Japan and western
    Europe are crowded, yet no two labels overlap."""
    roles = ["sister city", "friendly city", "partner", "visit destination"]
    everything = [
        place(snapshot, str(entity).rsplit("/", 1)[-1], f"p{i}", {roles[i % 4]}, i % 3)
        for i, entity in enumerate(sorted(snapshot.subjects(WDT.P625)))
        if entity != WD.Q16572
    ]
    svg = maps.draw_partner_map(home, everything, tmp_path, stem="all")[1]
    boxes = label_boxes(svg, {home.label, *(p.label for p in everything)})
    assert len(boxes) == len(everything) + 1
    for a, (ax0, ay0, ax1, ay1) in boxes.items():
        for b, (bx0, by0, bx1, by1) in boxes.items():
            overlap = ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1
            assert a == b or not overlap, (a, b)
