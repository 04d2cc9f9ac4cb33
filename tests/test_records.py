"""The second sources (graph/records/*.csv) in the real graph: every claim from a record names
its file and row, the row cites the claim's page, the FAO's list is one claim a row, and the
as-of answers of sister-cities count what the list's rows count (derived from the CSV here)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from parity import canonical
from pdkg import analytics
from pdkg.load import load_project
from pdkg.paths import ProjectPaths
from pdkg.query import engine
from pdkg.query.engine import run_local
from pdkg.query.saved import get_query
from pdkg.query.target import Target, connect
from pdkg.validation import release_graph

PD = Namespace("https://w3id.org/pdkg/ontology#")
PDV = Namespace("https://w3id.org/pdkg/vocab/")
SCHEMA = Namespace("https://schema.org/")
RECORDS = Path(__file__).parent.parent / "graph" / "records"
LIST = "guangzhou_sister_cities_official.csv"
LOCATOR = re.compile(r"^(?P<file>\w+\.csv), (?:row (?P<row>\d+)|all rows)")


def rows(name: str) -> list[dict[str, str]]:
    with (RECORDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def release(project_paths: ProjectPaths) -> Graph:
    graph, _ = release_graph(load_project(project_paths))
    return graph


def test_loading_the_records_is_deterministic(project_paths: ProjectPaths, release: Graph) -> None:
    again, _ = release_graph(load_project(project_paths))
    assert canonical(again) == canonical(release)


def _record_citations(release: Graph) -> list[tuple[URIRef, URIRef, str]]:
    """(node, web source, locator) for every citation of a web page, primary or further."""
    found = []
    for node, source in release.subject_objects(PROV.wasDerivedFrom):
        if (source, SCHEMA.url, None) in release:
            for locator in release.objects(node, PD.locator):
                found.append((node, source, str(locator)))
    for node, reference in release.subject_objects(PROV.qualifiedDerivation):
        source = release.value(reference, PROV.entity)
        if (source, SCHEMA.url, None) in release:
            found.append((node, source, str(release.value(reference, PD.locator))))
    return found


def test_every_claim_from_a_record_names_a_row_that_cites_its_page(release: Graph) -> None:
    citations = _record_citations(release)
    assert len(citations) > 100
    for node, source, locator in citations:
        match = LOCATOR.match(locator)
        assert match, f"{node}: locator {locator!r} names no file and row of graph/records"
        table = rows(match["file"])
        url = str(release.value(source, SCHEMA.url))
        cited = table if match["row"] is None else [table[int(match["row"]) - 1]]
        assert any(url in " ".join(r.values()) for r in cited), (node, locator, url)


def test_every_page_a_record_cites_is_a_source(release: Graph) -> None:
    pages = {str(url) for url in release.objects(None, SCHEMA.url)}
    for name in sorted(p.name for p in RECORDS.glob("*.csv")):
        for row in rows(name):
            for column in ("source_url", "date_source_url", "corroborating_url"):
                if row.get(column, "").startswith("http"):
                    assert row[column] in pages, (name, column, row[column])


def test_the_official_list_is_one_claim_a_row_with_its_date(release: Graph) -> None:
    claims = {
        str(release.value(node, PD.locator)).split(", rank")[0]: node
        for node in release.subjects(RDF.type, PD.SisterCityPartnership)
        if str(release.value(node, PD.locator)).startswith(f"{LIST}, row ")
        and ", notes" not in str(release.value(node, PD.locator))
    }
    table = rows(LIST)
    assert len(claims) == len(table)
    for number, row in enumerate(table, start=1):
        node = claims[f"{LIST}, row {number}"]
        assert str(release.value(node, PD.startDate)) == row["date_signed"]
        source = release.value(node, PROV.wasDerivedFrom)
        assert str(release.value(source, SCHEMA.url)) == row["source_url"]


def test_the_list_is_complete_for_its_date_as_data(release: Graph) -> None:
    (statement,) = release.subjects(RDF.type, PD.CompletenessStatement)
    assert release.value(statement, PD.date) == Literal("2020-03-18", datatype=engine_xsd("date"))
    disputed = set(release.subjects(PD.absentFrom, statement))
    assert disputed
    assert all((claim, PD.claimStatus, PDV.disputed) in release for claim in disputed)
    assert all((claim, PD.claimStatus, PDV.asserted) not in release for claim in disputed)


def engine_xsd(name: str) -> URIRef:
    return URIRef(f"http://www.w3.org/2001/XMLSchema#{name}")


@pytest.mark.parametrize(
    "date", ["1979-05-01", "1979-05-02", "1996-12-31", "2012-07-18", "2016-12-31", "2020-03-18"]
)
def test_as_of_counts_are_the_official_lists(
    project_paths: ProjectPaths, release: Graph, date: str
) -> None:
    expected = sum(1 for row in rows(LIST) if row["date_signed"] <= date)
    table = run_local(
        get_query(project_paths.queries, "sister-cities"),
        engine.to_store(release),
        {"city": "https://w3id.org/pdkg/resource/guangzhou", "date": date},
    )
    answer: list[dict[str, Any]] = table.to_dicts()  # type: ignore[union-attr]
    held = [r for r in answer if r["holds"] == "yes" and r["disputed"] != "yes"]
    assert len(held) == expected


def test_posts_with_dates_make_the_control_network_differ_by_year(
    project_paths: ProjectPaths,
) -> None:
    """structure_facts.csv, row 43 gives Lin Shusen's mayoralty as years ('Mayor 1996-2002'):
    in a year inside it the party layer has the government -> Lin Shusen edge, after it not."""
    (row,) = [r for i, r in enumerate(rows("structure_facts.csv"), 1) if i == 43]
    first, last = map(int, re.search(r"Mayor (\d{4})-(\d{4})", row["object"]).groups())  # type: ignore[union-attr]
    target = connect_release(project_paths)
    lin = "https://w3id.org/pdkg/resource/lin-shusen"
    government = "https://w3id.org/pdkg/resource/guangzhou-peoples-government"
    during = analytics.network(target.fetch, layer="party", year=(first + last) // 2)
    after = analytics.network(target.fetch, layer="party", year=last + 2)
    assert during.has_edge(government, lin)
    assert not after.has_edge(government, lin)
    assert lin in after  # the party secretary he became on 2002-10-17 (row 44)


def test_the_consulate_counts_are_a_series_with_dates(project_paths: ProjectPaths) -> None:
    """Every dated count of consulates.csv ('count' rows) is one row of observation-series at
    its own date; the chapter's undated counts come as of 2016."""
    target = connect_release(project_paths)
    series = target.query("observation-series").to_dicts()  # type: ignore[union-attr]
    dated = {(r["time"], r["value"]) for r in series if r["dated"] == "own date"}
    expected = {
        (r["as_of"], r["value"]) for r in rows("consulates.csv") if r["record_type"] == "count"
    }
    assert dated == expected
    assert {r["time"] for r in series if r["dated"] == "as of its source"} == {"2016"}


def connect_release(project_paths: ProjectPaths) -> Target:
    return connect(project_paths, None, data=project_paths.graph)
