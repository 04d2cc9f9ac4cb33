"""Same answer on every engine (#8): every saved query on rdflib's own SPARQL engine and, after
a real ``pdkg push``, on a real Virtuoso 7.2, compared exactly with the in-process Oxigraph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal

from parity import canonical, deskolemised, same_answer, size
from pdkg import cli
from pdkg.errors import EndpointError
from pdkg.query import engine
from pdkg.query.binding import bind
from pdkg.query.http import Endpoint
from pdkg.query.push import GENID, push_release, skolemise, triple_key
from pdkg.query.remote import run_remote, run_text
from pdkg.query.saved import SavedQuery, load_queries
from pdkg.query.table import Answer, ResultTable
from pdkg.terms import XSD_STRING
from virtuoso import Virtuoso

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
GRAPH = "https://w3id.org/pdkg/graph"
QUERIES = sorted(load_queries(ROOT / "queries"))


@pytest.fixture(scope="module")
def release(release_nt: Path) -> Graph:
    return Graph().parse(release_nt, format="nt")


@pytest.fixture(scope="module")
def rdflib_dataset(release_nt: Path) -> Dataset:
    """The release in rdflib's own store, as a dataset (GRAPH patterns need one)."""
    dataset = Dataset()
    dataset.default_graph.parse(release_nt, format="nt")
    return dataset


@pytest.fixture(scope="module")
def oxigraph_store(release_store: Any) -> Any:
    return release_store


def _params(query: SavedQuery, wikidata: str) -> dict[str, str]:
    params = dict(query.example)
    params.update({p.name: wikidata for p in query.params if p.type == "endpoint"})
    return params


def _rdflib_answer(graph: Dataset, query: SavedQuery, params: dict[str, str]) -> Answer:
    result = graph.query(bind(query, params))
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return result.graph
    columns = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(_plain(row[i]) for i in range(len(columns))) for row in result)
    return ResultTable(columns, rows).with_sorted_lists(query.lists)


def _plain(term: Any) -> Any:
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term


@pytest.mark.parametrize("name", QUERIES)
def test_every_saved_query_same_on_rdflib(
    rdflib_dataset: Dataset, oxigraph_store: Any, wikidata_endpoint: str, name: str
) -> None:
    query = load_queries(ROOT / "queries")[name]
    params = _params(query, wikidata_endpoint)
    ours = engine.run_local(query, oxigraph_store, params)
    theirs = _rdflib_answer(rdflib_dataset, query, params)
    assert same_answer(ours, theirs), (ours, theirs)


# --- Virtuoso ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, release: Graph) -> Endpoint:
    """The release pushed into Virtuoso by `pdkg push` (SPARQL Update with Digest auth)."""
    writer = Endpoint(virtuoso.sparql_auth, user=virtuoso.user, password=virtuoso.password)
    result = push_release(release, writer, queries_dir=ROOT / "queries", target=GRAPH)
    assert result.triples == len(release)
    return Endpoint(virtuoso.sparql, timeout=60, default_graph=GRAPH)


def test_push_into_virtuoso_keeps_the_graph_whole(pushed: Endpoint, release: Graph) -> None:
    """#8: Virtuoso refused every blank node in INSERT DATA (SP031); chunks split the rest."""
    # read back a predicate at a time: the release is above Virtuoso's 10,000-row answer cap
    queries = load_queries(ROOT / "queries")
    plain = Endpoint(pushed.url)
    predicates = run_remote(queries["graph-predicates"], plain, {"graph": GRAPH})
    assert isinstance(predicates, ResultTable)
    stored = Graph()
    for predicate, _count in predicates.rows:
        part = run_remote(
            queries["graph-triples"], plain, {"graph": GRAPH, "predicate": str(predicate)}
        )
        assert isinstance(part, Graph)
        stored += part
    assert len(stored) == len(release)
    assert not any(isinstance(t, BNode) for triple in stored for t in triple)
    sent, blank_nodes = skolemise(release)
    assert blank_nodes == len({t for triple in release for t in triple if isinstance(t, BNode)})
    assert canonical(deskolemised(sent, GENID)) == canonical(release)
    # Virtuoso writes language tags in lower case (zh-Hans as zh-hans): compare values
    assert {triple_key(t) for t in stored} == {triple_key(t) for t in sent}


def _virtuoso_answer(query: SavedQuery, endpoint: Endpoint, params: dict[str, str]) -> Answer:
    """The endpoint's answer; asked again when Virtuoso 7.2 fails with "SR066 Unsupported case
    in CONVERT (incomplete RDF box -> VARCHAR)", which it gave for disagreement-complete-list
    after the push test had read the whole graph (the query now avoids the conversion that
    triggered it): a wrong answer still fails the test."""
    for attempt in range(3):
        try:
            return run_remote(query, endpoint, params)
        except EndpointError as error:
            if "SR066" not in str(error) or attempt == 2:
                raise
    raise AssertionError("unreachable")


#: where Virtuoso 7.2 answers wrongly or not at all; strict, so a fixed Virtuoso shows up
VIRTUOSO_BUGS = {
    "sister-cities-wikidata": "Virtuoso 7.2's SPARQL compiler fails on this SERVICE query "
    "(SP031 internal error: ssg_print_equiv_retval_expn(): union selid is out of scope); with "
    "the BIND moved out of the SERVICE it compiles, but sends the remote endpoint an invalid "
    "query ('UNDEF <...P190> UNDEF' inside GRAPH <the default graph>)",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=VIRTUOSO_BUGS[n]))
        if n in VIRTUOSO_BUGS
        else n
        for n in QUERIES
    ],
)
def test_every_saved_query_same_on_virtuoso(
    pushed: Endpoint, oxigraph_store: Any, wikidata_endpoint: str, name: str
) -> None:
    query = load_queries(ROOT / "queries")[name]
    if "operations" in query.tags:
        pytest.skip("reads named graphs, which the local store does not have")
    params = _params(query, wikidata_endpoint)
    ours = engine.run_local(query, oxigraph_store, params)
    # asked three times: Virtuoso 7.2 answered claims-about (a BIND inside a UNION) differently
    # from one run to the next, and one run passed where CI's failed
    for _ in range(3):
        theirs = _virtuoso_answer(query, pushed, params)
        if isinstance(theirs, Graph):  # pushed blank nodes are skolem IRIs in Virtuoso: back
            theirs = deskolemised(theirs, GENID)
        assert same_answer(ours, theirs), (ours, theirs)
    assert size(ours) or query.form == "ASK"


def test_basic_auth_is_refused_by_virtuoso_and_digest_works(virtuoso: Virtuoso) -> None:
    """#8: --user sent Basic only, which Virtuoso's /sparql-auth answers with 401."""
    runner = CliRunner()
    ask = ["--root", str(ROOT), "query", "resource-exists", "-p", "resource=urn:x"]
    wrong = runner.invoke(
        cli.main,
        [*ask, "--endpoint", virtuoso.sparql_auth, "--user", virtuoso.user],
        env={"PDKG_ENDPOINT_PASSWORD": "not-the-password"},
    )
    assert wrong.exit_code == 3
    assert "401" in wrong.stderr
    good = run_text(
        "ASK { ?s ?p ?o }",
        Endpoint(virtuoso.sparql_auth, user=virtuoso.user, password=virtuoso.password),
        form="ASK",
    )
    assert good is True
