"""#14: the graph's IRIs dereference in `pdkg serve` (in the format asked for), and the saved
queries have pages: a form each on the front page, answers as tables with CSV and JSON."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from pdkg.query.engine import run_local
from pdkg.query.saved import get_query, load_queries
from pdkg.query.table import ResultTable
from pdkg.serve.linked import negotiate

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
FAO = "https://w3id.org/pdkg/resource/guangzhou-foreign-affairs-office"
FORMATS = {  # media type -> how to read it back
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
SUFFIX = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples"}
SUFFIX |= {".rdf": "application/rdf+xml"}


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return (
                response.status,
                response.headers["Content-Type"],
                response.read(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return error.code, error.headers["Content-Type"], error.read(), headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


Spo = tuple[object, object, object]


def parsed(body: bytes, fmt: ox.RdfFormat) -> list[Spo]:
    """The (subject, predicate, object) of each triple (JSON-LD parses into quads)."""
    return [(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)]


def named(triples: list[Spo]) -> set[Spo]:
    """The triples without blank nodes (a further source is one: its label differs per parse)."""
    return {t for t in triples if not any(isinstance(x, ox.BlankNode) for x in t)}


def expected(release_nt: Path, iri: str) -> int:
    """How many triples the saved query describe-resource answers for ``iri`` on the release."""
    store = ox.Store()
    store.bulk_load(path=str(release_nt), format=ox.RdfFormat.N_TRIPLES)
    answer = run_local(get_query(ROOT / "queries", "describe-resource"), store, {"resource": iri})
    assert isinstance(answer, Graph)
    return len(answer)


@pytest.mark.parametrize("accept", sorted(FORMATS))
def test_a_resource_answers_in_the_format_asked_for(
    site_url: str, release_nt: Path, accept: str
) -> None:
    status, kind, body, headers = get(
        site_url + "/resource/guangzhou-foreign-affairs-office", accept
    )
    assert (status, kind) == (200, accept)
    assert headers["vary"] == "Accept"
    triples = parsed(body, FORMATS[accept])
    # the description and its claims: the FAO's own triples, and every claim naming it
    assert (ox.NamedNode(FAO), ox.NamedNode(_RDFS_LABEL), _fao_label()) in triples
    claims = {s for s, _, o in triples if o == ox.NamedNode(FAO)}
    assert (
        ox.NamedNode(
            "https://w3id.org/pdkg/resource/supervision-guangzhou-fao-by-guangzhou-government"
        )
        in claims
    )
    assert len(set(triples)) == expected(release_nt, FAO)


_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _fao_label() -> ox.Literal:
    # graph/local-offices.ttl names it so
    return ox.Literal("Foreign Affairs Office of the Guangzhou Municipal Government", language="en")


@pytest.mark.parametrize(("suffix", "kind"), sorted(SUFFIX.items()))
def test_a_suffix_fixes_the_format_whatever_accept_says(
    site_url: str, suffix: str, kind: str
) -> None:
    status, got, body, _ = get(f"{site_url}/resource/guangzhou{suffix}", "text/html")
    assert (status, got) == (200, kind)
    assert parsed(body, FORMATS[kind])


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.2, text/turtle;q=0.9", "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("image/png, application/n-triples;q=0.1", "application/n-triples"),
        ("text/turtle;q=0, application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_accept_is_read_with_its_q_values(accept: str, kind: str) -> None:
    assert negotiate(accept, None) == kind


def test_what_cannot_be_served_is_an_error(site_url: str) -> None:
    assert get(site_url + "/resource/guangzhou", "image/png")[0] == 406
    status, _, body, _ = get(site_url + "/resource/no-such-thing", "text/turtle")
    assert status == 404
    assert body.count(b"\n") == 1
    assert get(site_url + "/resource/a/b", "text/turtle")[0] == 404  # not an IRI of the graph
    assert get(site_url + "/resource/%2e%2e%2fetc", "text/turtle")[0] == 404


def test_the_ontology_and_a_vocabulary_are_their_files(site_url: str) -> None:
    for path, file in (("/ontology", "pdkg.ttl"), ("/vocab/levels", "vocab/levels.ttl")):
        status, kind, body, _ = get(site_url + path + ".nt")
        assert (status, kind) == (200, "application/n-triples")
        source = (ROOT / "ontology" / file).read_bytes()
        assert named(parsed(body, ox.RdfFormat.N_TRIPLES)) == named(
            parsed(source, ox.RdfFormat.TURTLE)
        )
    status, _, _, headers = get(site_url + "/ontology", "text/html")
    assert (status, headers["location"]) == (303, "/docs/index.html")


def test_a_browser_gets_a_page_with_the_claims_and_their_sources(site_url: str) -> None:
    status, kind, body, _ = get(
        site_url + "/resource/guangzhou-foreign-affairs-office", "text/html"
    )
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert "<h1>Foreign Affairs Office of the Guangzhou Municipal Government</h1>" in page
    # graph/supervision.ttl: the FAO is supervised by the city government, so says §3.2.1
    assert "href='/resource/guangzhou-peoples-government'" in page
    assert "§3.2.1, &#x27;Being part of the government structure the FAO ...&#x27;" in page
    assert "People&#x27;s Government of Guangzhou Municipality" in page  # a link is named


def test_a_construct_on_the_endpoint_answers_json_ld(site_url: str) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER isIRI(?s) } LIMIT 3"
    url = site_url + "/query?" + urllib.parse.urlencode({"query": query})
    status, kind, body, _ = get(url, "application/ld+json")
    assert (status, kind) == (200, "application/ld+json")
    assert len(parsed(body, ox.RdfFormat.JSON_LD)) == 3


# --- the saved queries as pages (#14 item 2, in part) -------------------------------------------


def test_the_front_page_has_a_form_for_every_saved_query(site_url: str) -> None:
    status, kind, body, _ = get(site_url + "/", "text/html")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    for name, query in load_queries(ROOT / "queries").items():
        assert f"<form method='get' action='/queries/{name}'>" in page
        for param in query.params:
            assert f"<input name='{param.name}'" in page
    # the declared default is filled in (queries/control-chain.rq)
    assert f"<input name='actor' value='{FAO}'" in page
    assert get(site_url + "/sparql")[0] == 200  # the SPARQL page moved here


def test_a_saved_query_answers_its_form_as_a_table_and_as_csv(
    site_url: str, release_nt: Path
) -> None:
    store = ox.Store()
    store.bulk_load(path=str(release_nt), format=ox.RdfFormat.N_TRIPLES)
    local = run_local(get_query(ROOT / "queries", "control-chain"), store, {"actor": FAO})
    assert isinstance(local, ResultTable)
    url = site_url + "/queries/control-chain?actor=guangzhou-foreign-affairs-office"
    status, kind, body, _ = get(url + "&format=csv")
    assert (status, kind) == (200, "text/csv; charset=utf-8")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == list(local.columns)
    assert sorted(rows[1:]) == sorted([str(v) for v in row] for row in local.rows)
    status, kind, body, _ = get(url)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert "<td>National People&#x27;s Congress</td>" in page  # 4 steps above the FAO
    assert f"{len(local.rows)} rows" in page
    assert "format=csv" in page
    assert "format=json" in page


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/queries/no-such-query", 404),
        ("/queries/control-chain?actor=not%20an%20iri%7D", 400),
        ("/queries/control-chain?format=xml", 400),
        ("/queries/visits?year=20x3", 400),
    ],
)
def test_a_bad_form_is_a_one_line_error(site_url: str, path: str, status: int) -> None:
    got, kind, body, _ = get(site_url + path)
    assert (got, kind) == (status, "text/plain; charset=utf-8")
    assert body.count(b"\n") == 1


def test_an_entity_page_groups_its_claims_by_kind_and_marks_disputed_ones(site_url: str) -> None:
    status, _, body, _ = get(site_url + "/resource/tbilisi", "text/html")
    assert status == 200
    page = body.decode()
    # the rules mark the china.com.cn twinning disputed: the official list of its date lacks it
    start = page.index("href='/resource/twinning-guangzhou-tbilisi-china-com-cn'")
    assert "<mark>disputed</mark>" in page[start : page.index("</h3>", start)]
    kinds = [h.split("</h2>")[0] for h in page.split("<h2 class='kind'>")[1:]]
    assert kinds
    assert kinds == sorted(kinds)  # kind by kind, each with its number of claims
    assert all(k.rsplit(" (", 1)[1].rstrip(")").isdigit() for k in kinds)
