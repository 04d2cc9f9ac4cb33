"""Saved queries: header parsing, safe binding, local runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdkg.errors import QueryFormatError, QueryNotFoundError, QueryParameterError
from pdkg.load import load_project
from pdkg.paths import ProjectPaths
from pdkg.query import engine
from pdkg.query.binding import bind
from pdkg.query.engine import run_local
from pdkg.query.saved import get_query, load_queries, parse_query
from pdkg.validation import release_graph

HEADER = (
    "#+ summary: Test\n#+ params:\n#+   city: {type: iri}\n"
    "#+   year: {type: year, required: false}\n"
)
BODY = "SELECT ?city ?year WHERE { ?city ?p ?year }"


def test_every_saved_query_parses(project_paths: ProjectPaths) -> None:
    saved = load_queries(project_paths.queries)
    assert {"entity-counts", "construct-void"} <= set(saved)
    assert all(query.summary for query in saved.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "needs a 'summary'"),
        ("#+ summary: s\n#+ colour: red\nSELECT * {}", "unknown header key(s) ['colour']"),
        ("#+ summary: s\n#+ params:\n#+   x: {type: iri}\nSELECT ?y {}", "'x' is not used"),
        ("#+ summary: s\n#+ params:\n#+   x: {type: colour}\nSELECT ?x {}", "parameter 'x' needs"),
        ("#+ summary: [unclosed\nSELECT * {}", "not YAML"),
    ],
)
def test_bad_headers_are_errors(text: str, reason: str) -> None:
    with pytest.raises(QueryFormatError, match=None) as caught:
        parse_query("q", text)
    assert reason in str(caught.value)


def test_unknown_query_suggests_a_close_name(project_paths: ProjectPaths) -> None:
    with pytest.raises(QueryNotFoundError, match="did you mean 'entity-counts'"):
        get_query(project_paths.queries, "entity-count")


def test_bind_puts_values_first_in_the_top_level_where() -> None:
    """#8: a trailing VALUES fails on Virtuoso 7.2 for a grouped, unprojected variable."""
    query = parse_query("q", HEADER + BODY)
    text = bind(query, {"city": "guangzhou"})
    assert text.endswith(
        "WHERE { VALUES (?city ?year) { (<https://w3id.org/pdkg/resource/guangzhou> UNDEF) }\n"
        " ?city ?p ?year }"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "parameter 'city' of query 'q' is required"),
        ({"town": "x"}, "parameter 'town' of query 'q' is unknown"),
        ({"city": "http://x/> } DROP ALL {"}, "must be an IRI, a resource slug"),
        ({"city": "guangzhou", "year": "2013\n} ;"}, "must be a year (four digits)"),
    ],
)
def test_bind_rejects_bad_params(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryParameterError) as caught:
        bind(parse_query("q", HEADER + BODY), params)
    assert message in str(caught.value)


def test_entity_counts_on_minimal_graph(project_paths: ProjectPaths, minimal_data: Path) -> None:
    release, _ = release_graph(load_project(project_paths, data=[minimal_data]))
    table = run_local(get_query(project_paths.queries, "entity-counts"), engine.to_store(release))
    counts = {(r["kind"], r["classLabel"]): r["entities"] for r in table.to_dicts()}
    assert counts[("relation", "supervision")] == 2
    assert counts[("relation", "sister-city partnership")] == 1
    assert counts[("actor", "Foreign Affairs Office")] == 1
    assert counts[("actor", "country")] == 2


def test_result_table_converts_to_rows_dicts_and_pandas(
    project_paths: ProjectPaths, minimal_data: Path
) -> None:
    from pdkg import run_query

    table = run_query("sister-cities", paths=project_paths, data=[minimal_data], city="Test City")
    # no day signed, no end, no category, one source, not disputed, no date asked (holds is empty)
    assert table.to_rows() == [
        ("Partner City", "Abroadland", "1999", "", "", "", "Test source", "", "")
    ]
    assert table.to_dicts()[0]["partnerLabel"] == "Partner City"
    frame = table.to_pandas()
    assert list(frame.columns) == [
        "partnerLabel",
        "countryLabel",
        "since",
        "signed",
        "until",
        "categoryLabel",
        "sources",
        "disputed",
        "holds",
    ]
    assert frame.loc[0, "since"] == "1999"
