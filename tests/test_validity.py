"""One reading of time (#9): the saved queries' ``date`` parameter keeps what validity.py keeps.

`src/pdkg/analytics/validity.py` decides for the analytics (``--year``) whether a claim holds;
the saved queries decide it in SPARQL (``holds``) so that grlc and any store give the same
answer. Claims with random starts, ends, "ended before" years and source dates are written as
sister-city ties, asked with a date, and each row's ``holds`` must be what validity.py says for
that year."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from pdkg.analytics.validity import Validity, validity
from pdkg.query import engine
from pdkg.query.saved import load_queries
from pdkg.query.table import ResultTable
from pdkg.vocab import PDR

QUERIES = Path(__file__).resolve().parents[1] / "queries"
PROV = "http://www.w3.org/ns/prov#"
PD = Namespace("https://w3id.org/pdkg/ontology#")  # the terms as the queries spell them
YEARS = st.one_of(st.none(), st.integers(1975, 2025))


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def _ties(claims: list[dict[str, int | None]]) -> Graph:
    """Sister-city ties of pdr:home, one per claim, each from its own source."""
    graph = Graph()
    home = PDR["home"]
    graph.add((home, RDFS.label, Literal("Home", lang="en")))
    for i, claim in enumerate(claims):
        tie, partner, source = PDR[f"tie-{i}"], PDR[f"partner-{i}"], PDR[f"source-{i}"]
        graph.add((tie, RDF.type, PD.SisterCityPartnership))
        graph.add((tie, PD.partner, home))
        graph.add((tie, PD.partner, partner))
        graph.add((partner, RDFS.label, Literal(f"Partner {i}", lang="en")))
        graph.add((tie, URIRef(PROV + "wasDerivedFrom"), source))
        times = (("start", PD.startDate), ("end", PD.endDate), ("endBefore", PD.endBefore))
        for key, prop in times:
            if claim[key] is not None:
                graph.add((tie, prop, _year(claim[key])))  # type: ignore[arg-type]
        if claim["asOf"] is not None:
            graph.add((source, PD.asOf, _year(claim["asOf"])))  # type: ignore[arg-type]
    return graph


CLAIM = st.fixed_dictionaries({"start": YEARS, "end": YEARS, "endBefore": YEARS, "asOf": YEARS})


@settings(max_examples=60, deadline=None, derandomize=True)
@given(claims=st.lists(CLAIM, min_size=1, max_size=12), year=st.integers(1970, 2030))
def test_the_date_parameter_keeps_what_validity_keeps(
    claims: list[dict[str, int | None]], year: int
) -> None:
    query = load_queries(QUERIES)["sister-cities"]
    answer = engine.run_local(
        query, engine.to_store(_ties(claims)), {"city": "home", "date": f"{year}-06-15"}
    )
    assert isinstance(answer, ResultTable)
    got = {str(row[0]): str(row[-1]) for row in answer.to_rows()}
    expected = {}
    for i, claim in enumerate(claims):
        row = {k: None if v is None else str(v) for k, v in claim.items()}
        held = validity(row, year)
        if held is not Validity.INVALID:
            expected[f"Partner {i}"] = "yes" if held is Validity.VALID else "undated"
    assert got == expected


def test_a_date_reads_each_time_at_its_own_precision() -> None:
    """A tie that began in March 2005 does not hold in February 2005 and holds in April; one
    that ended in 2010 still holds on the last day of 2010."""
    graph = _ties([{"start": None, "end": 2010, "endBefore": None, "asOf": None}])
    graph.add((PDR["tie-0"], PD.startDate, Literal("2005-03", datatype=XSD.gYearMonth)))
    store = engine.to_store(graph)
    query = load_queries(QUERIES)["sister-cities"]

    def holds(date: str) -> list[str]:
        answer = engine.run_local(query, store, {"city": "home", "date": date})
        assert isinstance(answer, ResultTable)
        return [str(row[-1]) for row in answer.to_rows()]

    assert holds("2005-02-28") == []
    assert holds("2005-03-01") == ["yes"]
    assert holds("2010-12-31") == ["yes"]
    assert holds("2011-01-01") == []
    assert holds("2005-03-01") == ["yes"]


def test_without_a_date_every_claim_is_listed_whatever_its_time() -> None:
    claims = [
        {"start": 1980, "end": 1990, "endBefore": None, "asOf": 2016},
        {"start": None, "end": None, "endBefore": 2000, "asOf": None},
    ]
    query = load_queries(QUERIES)["sister-cities"]
    answer = engine.run_local(query, engine.to_store(_ties(claims)), {"city": "home"})
    assert isinstance(answer, ResultTable)
    rows = answer.to_dicts()
    assert sorted(r["partnerLabel"] for r in rows) == ["Partner 0", "Partner 1"]
    assert {r["holds"] for r in rows} == {""}
    assert [r["until"] for r in rows if r["partnerLabel"] == "Partner 0"] == ["1990"]


def _block(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start)) + len(end)]


#: how a query of the national layer reads its date: the GB/T 2260 snapshot in force at it
SNAPSHOT_IN_FORCE = "# the snapshot in force at the date: the latest at or before it"


def test_every_query_with_a_date_on_the_snapshots_reads_the_snapshot_in_force_the_same() -> None:
    """The national queries that take a ``date`` read the snapshot listed latest at or before it
    (tests/test_national.py checks the counts it gives), word for word the same."""
    queries = load_queries(QUERIES)
    on_snapshots = sorted(n for n, q in queries.items() if SNAPSHOT_IN_FORCE in q.text)
    assert {"divisions-by-level", "division-coverage"} <= set(on_snapshots)
    blocks = {
        _block(queries[name].text, SNAPSHOT_IN_FORCE, "BIND (STR(?month) AS ?snapshot)")
        for name in on_snapshots
    }
    assert len(blocks) == 1
    assert all(any(p.name == "date" for p in queries[n].params) for n in on_snapshots)


def test_every_query_with_a_date_reads_time_with_the_tested_block() -> None:
    """SPARQL has no include: the queries that take a ``date`` each carry the reading the
    property test above checks on sister-cities; they must carry it word for word (org-posts
    names its ended-before and as-of years after OWL-Time's ``time:before`` and ``time:inside``;
    sister-cities names a claim's reading ``?claimHolds``, as it combines the claims of one tie)."""
    queries = load_queries(QUERIES)
    dated = sorted(
        n
        for n, q in queries.items()
        if any(p.name == "date" for p in q.params) and SNAPSHOT_IN_FORCE not in q.text
    )
    assert "sister-cities" in dated
    assert len(dated) >= 5
    blocks = {
        name: _block(queries[name].text, "# holds at ?date", "AS ?claimHolds)")
        if name == "sister-cities"
        else _block(queries[name].text, "# holds at ?date", "AS ?holds)")
        .replace("?before", "?endBefore")
        .replace("?seen", "?asOf")
        for name in dated
    }
    blocks["sister-cities"] = blocks["sister-cities"].replace("?claimHolds", "?holds")
    assert set(blocks.values()) == {blocks["sister-cities"]}, sorted(blocks)
    # a claim that does not hold is left out (sister-cities: a claim, then its tie if none is left)
    for name in dated:
        holds = "?claimHolds" if name == "sister-cities" else "?holds"
        assert f'FILTER ({holds} != "no")' in queries[name].text, name
