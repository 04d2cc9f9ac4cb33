"""The Wikidata part of the release, written offline against the verified snapshot.

``pdkg build`` writes, next to the graph:

- ``mappings.sssom.tsv``: every Wikidata link with its provenance (SSSOM);
- ``wikidata-diff.csv``: Guangzhou's partnerships against the snapshot's P190;
- ``quickstatements.txt`` and ``wikidata-writeback.ttl``: the official pairs Wikidata lacks, as
  QuickStatements and in Wikidata's RDF shape — written, never sent;
- ``wikidata-enrichment.ttl``: ``wikidata/enrichment.ttl`` as committed (Wikidata's statements,
  kept apart from the claims), and from its coordinates ``figures/guangzhou-partners-map``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from pdkg.errors import ResourceNotFoundError
from pdkg.paths import ProjectPaths
from pdkg.query.table import Answer, ResultTable
from pdkg.vocab import MAPPINGS, PAV, PDR
from pdkg.wikidata import client, diff, enrich, sssom, writeback

log = logging.getLogger(__name__)

Query = Callable[[str, dict[str, str]], Answer]
CITY = str(PDR.guangzhou)
FILES = (
    "mappings.sssom.tsv",
    "wikidata-diff.csv",
    "quickstatements.txt",
    "wikidata-writeback.ttl",
    "wikidata-enrichment.ttl",
)
MAPPING_SET = str(MAPPINGS.wikidata)


@dataclass(frozen=True)
class WikidataSummary:
    """What the release says of Wikidata: links, unlinked entities, diff groups, additions."""

    links: int
    unlinked: int
    diff: Mapping[str, int] = field(default_factory=dict)
    additions: int = 0
    mapped: int = 0  # places drawn on the partner map
    unmapped: int = 0  # places without coordinates


def write_wikidata(out: Path, query: Query, paths: ProjectPaths) -> WikidataSummary:
    """Write the Wikidata files of the release into ``out`` (the staging directory)."""
    snapshot = client.snapshot(paths)
    links = _table(query("wikidata-links", {}))
    unlinked = _table(query("link-missing", {}))
    labels = _labels(snapshot.construct("items", "item", enrich.linked_items(links)))
    text = sssom.render_sssom(
        sssom.graph_mappings(links, labels),
        mapping_set_id=MAPPING_SET,
        title="pdkg: links of the graph's actors and places to Wikidata",
        extra_curies={"pav": str(PAV)},
    )
    (out / "mappings.sssom.tsv").write_text(text, encoding="utf-8")
    try:
        qid, claims, rows = diff.run_diff(query, CITY, snapshot)
    except ResourceNotFoundError as exc:  # a graph without Guangzhou's link (--data test graph)
        log.warning("no Wikidata diff: %s", exc)
        qid, claims, rows = "", ResultTable((), ()), []
    additions = diff.additions(rows, qid, claims) if rows else []
    (out / "wikidata-diff.csv").write_text(diff.render_csv(rows), encoding="utf-8")
    (out / "quickstatements.txt").write_text(writeback.quickstatements(additions), encoding="utf-8")
    writeback.wikidata_rdf(additions).serialize(
        out / "wikidata-writeback.ttl", format="turtle", encoding="utf-8"
    )
    mapped, unmapped = _enrichment(out, query, paths, links)
    return WikidataSummary(
        len(links.rows), len(unlinked.rows), diff.counts(rows), len(additions), mapped, unmapped
    )


def _enrichment(
    out: Path, query: Query, paths: ProjectPaths, links: ResultTable
) -> tuple[int, int]:
    """Copy the committed enrichment and draw the partner map from its coordinates."""
    enrichment = Graph()
    if paths.wikidata_enrichment.is_file():
        enrichment.parse(paths.wikidata_enrichment, format="turtle")
    enrichment.serialize(out / "wikidata-enrichment.ttl", format="turtle", encoding="utf-8")
    points = enrich.coordinates(enrichment)
    places = _table(query("map-places", {"city": CITY}))
    home = next(
        (r for r in links.to_dicts() if str(r["subject"]) == CITY),
        None,
    )
    home_item = str(home["object"]) if home else None
    if home is None or home_item is None or _qid(home_item) not in points or not places.rows:
        log.warning("no partner map: no coordinates for Guangzhou or no partner")
        return 0, 0
    from pdkg.analytics import maps  # matplotlib: only when a map is drawn

    roles: dict[str, set[str]] = defaultdict(set)
    visits: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    items: dict[str, str] = {}
    for row in places.to_dicts():
        place = str(row["place"])
        roles[place].add(str(row["role"]))
        visits[place] += int(row["visits"] or 0)
        labels[place] = str(row["placeLabel"])
        if row.get("item"):
            items[place] = _qid(str(row["item"]))
    drawn, missing = [], 0
    for place in sorted(roles):
        point = points.get(items.get(place, ""))
        if point is None:
            missing += 1
            continue
        lon, lat = maps.parse_point(point)
        drawn.append(
            maps.MapPlace(place, labels[place], lon, lat, frozenset(roles[place]), visits[place])
        )
    lon, lat = maps.parse_point(points[_qid(home_item)])
    centre = maps.MapPlace(CITY, str(home["subjectLabel"]), lon, lat, frozenset({"partner"}))
    (out / "figures").mkdir(exist_ok=True)
    maps.draw_partner_map(centre, drawn, out / "figures", missing=missing)
    return len(drawn), missing


def _labels(graph: Graph) -> dict[str, str]:
    return {
        str(item): str(label)
        for item, label in graph.subject_objects(RDFS.label)
        if isinstance(item, URIRef) and getattr(label, "language", None) == "en"
    }


def _qid(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _table(answer: Answer) -> ResultTable:
    assert isinstance(answer, ResultTable)
    return answer
