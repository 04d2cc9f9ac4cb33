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

HEADER = "#+ summary: Test\n"
BODY = (
    "SELECT ?city ?year WHERE { BIND (?_city_iri AS ?city) BIND (?__year_xsd_gYear AS ?year)"
    " ?city ?p ?year }"
)


def test_every_saved_query_parses(project_paths: ProjectPaths) -> None:
    saved = load_queries(project_paths.queries)
    assert {"entity-counts", "construct-void"} <= set(saved)
    assert all(query.summary for query in saved.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "needs a 'summary'"),
        ("#+ summary: s\n#+ colour: red\nSELECT * {}", "unknown header key(s) ['colour']"),
        ("#+ summary: s\n#+ params:\n#+   x: {type: iri}\nSELECT ?x {}", "a BASIL variable"),
        ("#+ summary: s\nSELECT * { ?_x_iri ?p ?_x }", "written both ?_x_iri and ?_x"),
        ("#+ summary: s\nSELECT * { ?s ?p ?_x_iris }", "grlc reads it as ?_x_iri"),
        ("#+ summary: s\nSELECT * { ?s ?p ?_n_number }", "grlc pastes a number as text"),
        ("#+ summary: s\nSELECT * { ?s ?p ?_c_xsd_colour }", "pdkg checks values of xsd:"),
        ("#+ summary: s\n#+ defaults:\n#+   - y: 1\nSELECT * { ?s ?p ?_x }", "'y', which is no"),
        ("#+ summary: s\n#+ defaults:\n#+   - x: 1\nSELECT * { ?s ?p ?__x }", "has a default"),
        ("#+ summary: s\n#+ enumerate:\n#+   - x\nSELECT * { ?s ?p ?_x }", "grlc's form"),
        ("#+ summary: s\n#+ example: {y: 1}\nSELECT * { ?s ?p ?_x }", "'example' must map"),
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
        "WHERE { VALUES (?_city_iri) { (<https://w3id.org/pdkg/resource/guangzhou>) }\n"
        " BIND (?_city_iri AS ?city) BIND (?__year_xsd_gYear AS ?year) ?city ?p ?year }"
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
