"""Write-back to Wikidata: QuickStatements V1 lines and Wikidata-shaped RDF, value by value."""

from __future__ import annotations

import datetime

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result, ResultRow

from pdkg.wikidata.writeback import Addition, quickstatements, time_value, wikidata_rdf

URL = "https://www.gz.gov.cn/zwgk/sister-cities.html"
RETRIEVED = datetime.date(2026, 12, 1)
WD = "http://www.wikidata.org/entity/"


def addition(
    partner: str = "Q406",
    start: Literal | None = None,
    url: str = URL,
    retrieved: datetime.date | None = RETRIEVED,
    city: str = "Q16572",
) -> Addition:
    return Addition(city, partner, f"label of {partner}", start, url, retrieved)


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (Literal("1986", datatype=XSD.gYear), ("+1986-00-00T00:00:00Z", 9)),
        (Literal("1986-05", datatype=XSD.gYearMonth), ("+1986-05-00T00:00:00Z", 10)),
        (Literal("1986-05-17", datatype=XSD.date), ("+1986-05-17T00:00:00Z", 11)),
    ],
)
def test_time_value_per_precision(literal: Literal, expected: tuple[str, int]) -> None:
    assert time_value(literal) == expected


@pytest.mark.parametrize(
    "literal",
    [
        Literal("1986", datatype=XSD.string),
        Literal("1986"),
        Literal("1986-05-17T00:00:00Z", datatype=XSD.dateTime),
        Literal("86", datatype=XSD.gYear),
        Literal("1986-13", datatype=XSD.gYearMonth),
        Literal("1986-02-30", datatype=XSD.date),
    ],
)
def test_time_value_refuses_other_datatypes_and_bad_values(literal: Literal) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - several messages, one kind of refusal
        time_value(literal)


@pytest.mark.parametrize(
    ("start", "cell"),
    [
        (Literal("1986", datatype=XSD.gYear), "+1986-00-00T00:00:00Z/9"),
        (Literal("1986-05", datatype=XSD.gYearMonth), "+1986-05-00T00:00:00Z/10"),
        (Literal("1986-05-17", datatype=XSD.date), "+1986-05-17T00:00:00Z/11"),
    ],
)
def test_the_exact_line_for_each_precision(start: Literal, cell: str) -> None:
    cells = ["Q16572", "P190", "Q406", "P580", cell]
    expected = "\t".join([*cells, "S854", f'"{URL}"', "S813", "+2026-12-01T00:00:00Z/11"])
    assert quickstatements([addition(start=start)]) == expected + "\n"


def test_no_start_no_p580() -> None:
    line = quickstatements([addition(start=None)])
    assert line == f'Q16572\tP190\tQ406\tS854\t"{URL}"\tS813\t+2026-12-01T00:00:00Z/11\n'
    assert "P580" not in line


def test_no_retrieved_no_s813() -> None:
    line = quickstatements([addition(start=Literal("1986", datatype=XSD.gYear), retrieved=None)])
    assert line == f'Q16572\tP190\tQ406\tP580\t+1986-00-00T00:00:00Z/9\tS854\t"{URL}"\n'


@pytest.mark.parametrize("char", ['"', "|", "/*"])
def test_characters_v1_cannot_quote_are_refused(char: str) -> None:
    # V1 reads a string as everything between the first and last quote, with no escape; "|" is a
    # separator and "/* */" an edit summary, so such a string is refused, never mangled.
    with pytest.raises(ValueError, match="no escape"):
        quickstatements([addition(url=f"https://example.org/a{char}b")])


def test_whitespace_in_the_url_is_refused() -> None:
    # a tab would split the command; no URL holds whitespace anyway
    with pytest.raises(ValueError, match="URL"):
        addition(url="https://example.org/a\tb")


def test_no_comment_lines() -> None:
    text = quickstatements([addition(partner="Q406"), addition(partner="Q90")])
    assert all(line.startswith("Q16572\tP190\t") for line in text.splitlines())
    assert "/*" not in text


def test_sorted_by_partner_qid_numerically() -> None:
    partners = ["Q1000", "Q406", "Q85"]
    text = quickstatements([addition(partner=p) for p in partners])
    assert [line.split("\t")[2] for line in text.splitlines()] == ["Q85", "Q406", "Q1000"]


def test_deterministic() -> None:
    batch = [
        addition(partner="Q406", start=Literal("1986", datatype=XSD.gYear)),
        addition(partner="Q85", start=Literal("1979-05-02", datatype=XSD.date), retrieved=None),
    ]
    assert quickstatements(batch) == quickstatements(list(reversed(batch)))
    first, second = wikidata_rdf(batch), wikidata_rdf(list(reversed(batch)))
    assert sorted(first.serialize(format="nt").splitlines()) == sorted(
        second.serialize(format="nt").splitlines()
    )
    assert not any(isinstance(term, BNode) for triple in first for term in triple)


def test_refuses_duplicates_and_bad_ids() -> None:
    with pytest.raises(ValueError, match="two additions"):
        quickstatements([addition(), addition()])
    with pytest.raises(ValueError, match="QID"):
        addition(partner="406")
    with pytest.raises(ValueError, match="URL"):
        addition(url="www.gz.gov.cn/page")


def test_empty() -> None:
    assert quickstatements([]) == ""
    assert len(wikidata_rdf([])) == 0


BATCH = [
    addition(partner="Q406", start=Literal("1986", datatype=XSD.gYear)),
    addition(partner="Q85", start=Literal("1979-05", datatype=XSD.gYearMonth), retrieved=None),
    addition(partner="Q1000", url="https://example.org/other"),
]


def test_rdf_round_trips_through_turtle() -> None:
    graph = wikidata_rdf(BATCH)
    text = graph.serialize(format="turtle")
    for prefix in ("wd:", "p:", "ps:", "pq:", "pr:", "wikibase:", "prov:"):
        assert f"@prefix {prefix}" in text
    assert isomorphic(graph, Graph().parse(data=text, format="turtle"))


def rows(result: Result) -> list[ResultRow]:
    return [row for row in result if isinstance(row, ResultRow)]


QUERY = """
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pr: <http://www.wikidata.org/prop/reference/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?city ?partner ?url WHERE {
  ?city p:P190 ?st .
  ?st a wikibase:Statement ; ps:P190 ?partner ; prov:wasDerivedFrom ?ref .
  ?ref a wikibase:Reference ; pr:P854 ?url .
}
"""


def test_sparql_finds_each_statement_and_its_reference() -> None:
    graph = Graph().parse(data=wikidata_rdf(BATCH).serialize(format="turtle"), format="turtle")
    found = {(str(r.city), str(r.partner), str(r.url)) for r in rows(graph.query(QUERY))}
    expected = {(WD + a.city_qid, WD + a.partner_qid, a.reference_url) for a in BATCH}
    assert found == expected


def test_rdf_times_are_rounded_with_the_precision_on_the_value_node() -> None:
    graph = wikidata_rdf(BATCH)
    result = graph.query(
        """PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
        PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
        PREFIX wikibase: <http://wikiba.se/ontology#>
        SELECT ?partner ?simple ?time ?precision WHERE {
          ?st <http://www.wikidata.org/prop/statement/P190> ?partner ; pq:P580 ?simple ;
              pqv:P580 [ wikibase:timeValue ?time ; wikibase:timePrecision ?precision ] .
        }"""
    )
    got = {(str(r.partner), r.simple, r.time, r.precision) for r in rows(result)}
    # as Wikidata's dumps write a year-precision time (rdflib normalises Z to +00:00, same value)
    year = Literal("1986-01-01T00:00:00Z", datatype=XSD.dateTime)
    month = Literal("1979-05-01T00:00:00Z", datatype=XSD.dateTime)
    assert got == {
        (WD + "Q406", year, year, Literal(9)),
        (WD + "Q85", month, month, Literal(10)),
    }
    retrieved = Literal("2026-12-01T00:00:00Z", datatype=XSD.dateTime)
    p813 = URIRef("http://www.wikidata.org/prop/reference/P813")
    assert list(graph.objects(None, p813)) == [retrieved, retrieved]  # Q85 has none
