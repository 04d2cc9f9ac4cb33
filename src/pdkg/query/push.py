"""`pdkg push`: load the release into a remote store so that readers never see a half-loaded graph.

Blank nodes are first skolemised to ``.well-known/genid`` IRIs (RDF 1.1 §3.5) named by their
canonical RDFC-1.0 labels: a blank node cannot survive being split across requests (each
``INSERT DATA`` chunk would mint its own nodes), and Virtuoso refuses blank nodes in
``INSERT DATA`` outright (SP031). The upload goes into a fresh staging named graph (Graph Store
Protocol ``PUT``, or ``INSERT DATA`` in chunks where the store offers only SPARQL Update); the
staged graph is read back, one predicate at a time (a store may cap each answer: Virtuoso at
10,000 rows), and compared with what was sent, triple for triple; then one ``MOVE`` update
swaps it in place of the target graph. Until that last request succeeds the target graph
is untouched; on any failure the staging graph is dropped (best effort).
"""

from __future__ import annotations

import logging
import urllib.parse
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pdkg.errors import EndpointError, QueryParameterError
from pdkg.query.binding import is_iri_or_slug
from pdkg.query.http import Endpoint, send
from pdkg.query.remote import run_remote
from pdkg.query.saved import get_query
from pdkg.query.table import ResultTable

log = logging.getLogger(__name__)

DEFAULT_GRAPH = "https://w3id.org/pdkg/graph"
GENID = "https://w3id.org/pdkg/.well-known/genid/"
#: Virtuoso 7.2 refuses an INSERT DATA block of more than about 4,990 triples (SP030)
CHUNK_TRIPLES = 2000


@dataclass(frozen=True)
class PushResult:
    """What a push did: the graph replaced, the triples it now holds, how they were sent."""

    graph: str
    triples: int
    method: str
    skolemised: int


def push_release(
    graph: Graph,
    endpoint: Endpoint,
    *,
    queries_dir: Path,
    target: str = DEFAULT_GRAPH,
    update_url: str | None = None,
    store_url: str | None = None,
) -> PushResult:
    """Replace the named graph ``target`` on ``endpoint`` with ``graph``, atomically.

    Args:
        graph: the release graph to upload.
        endpoint: the query endpoint (used to read the staged graph back), with credentials.
        queries_dir: where the ``graph-triples`` saved query lives.
        target: the IRI of the named graph to replace.
        update_url: the SPARQL Update URL (default: the query URL with ``/query`` → ``/update``).
        store_url: a Graph Store Protocol URL; without it the upload uses ``INSERT DATA``.

    Raises:
        QueryParameterError: ``target`` is not an IRI.
        EndpointError: a request failed or the staged graph differs from the release; the target
            graph is unchanged.
    """
    if ":" not in target or not is_iri_or_slug(target):
        raise QueryParameterError("push", "graph", target, f"must be an IRI, got {target!r}")
    update = update_url or default_update_url(endpoint.url)
    staging = URIRef(f"urn:pdkg:staging:{uuid.uuid4().hex}")
    sent, skolemised = skolemise(graph)
    try:
        if store_url:
            _put(endpoint, store_url, staging, sent)
        else:
            _insert_in_chunks(endpoint, update, staging, sent)
        _check_staged(endpoint, queries_dir, staging, sent)
        _update(
            endpoint, update, f"MOVE SILENT GRAPH {staging.n3()} TO GRAPH {URIRef(target).n3()}"
        )
    except EndpointError:
        _drop_quietly(endpoint, update, staging)
        raise
    method = "gsp" if store_url else "update"
    return PushResult(graph=target, triples=len(sent), method=method, skolemised=skolemised)


def skolemise(graph: Graph) -> tuple[Graph, int]:
    """A copy of ``graph`` whose blank nodes are IRIs under :data:`GENID`, and their number.

    The IRIs come from the graph's canonical (RDFC-1.0) blank node labels, so the same graph
    always gets the same IRIs.

    >>> from rdflib import BNode, Literal
    >>> g = Graph(); node = BNode(); _ = g.add((node, URIRef("http://x/p"), Literal("1")))
    >>> sorted(str(s) for s in skolemise(g)[0].subjects())
    ['https://w3id.org/pdkg/.well-known/genid/c14n0']
    """
    dataset = ox.Dataset(
        ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    labels: set[str] = set()

    def iri(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            labels.add(term.value)
            return ox.NamedNode(GENID + term.value)
        return term

    quads = [ox.Quad(iri(q.subject), q.predicate, iri(q.object)) for q in dataset]  # type: ignore[arg-type]
    data = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) or b""
    result = Graph()
    result.parse(data=data.decode("utf-8"), format="nt")
    return result, len(labels)


def default_update_url(query_url: str) -> str:
    """Guess the update URL from the query URL (Oxigraph, Fuseki: ``.../query`` → ``.../update``).

    >>> default_update_url("http://localhost:7878/query")
    'http://localhost:7878/update'
    >>> default_update_url("http://localhost:8890/sparql")
    'http://localhost:8890/sparql'
    """
    return query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url


def _check_staged(endpoint: Endpoint, queries_dir: Path, staging: URIRef, sent: Graph) -> None:
    """Read the staged graph back, one predicate at a time (a store may cap each answer), and
    require exactly the triples sent."""
    predicates = run_remote(
        get_query(queries_dir, "graph-predicates"), endpoint, {"graph": str(staging)}
    )
    if not isinstance(predicates, ResultTable):
        raise EndpointError(endpoint.shown, "answered the read-back SELECT with no table")
    staged = Graph()
    for predicate in sorted({str(row[0]) for row in predicates.rows if isinstance(row[0], URIRef)}):
        part = run_remote(
            get_query(queries_dir, "graph-triples"),
            endpoint,
            {"graph": str(staging), "predicate": predicate},
        )
        if not isinstance(part, Graph):
            raise EndpointError(endpoint.shown, "answered the read-back CONSTRUCT with no graph")
        staged += part
    sent_keys = {triple_key(t) for t in sent}
    staged_keys = {triple_key(t) for t in staged}
    missing = {t for t in sent if triple_key(t) not in staged_keys}
    extra = {t for t in staged if triple_key(t) not in sent_keys}
    if missing or extra:
        example = min(missing or extra)
        raise EndpointError(
            endpoint.shown,
            f"the staging graph holds {len(staged)} triples, {len(missing)} of the {len(sent)} "
            f"sent are missing and {len(extra)} others appeared (e.g. "
            f"{' '.join(t.n3() for t in example)[:200]}); the target graph was left as it was",
        )


def triple_key(triple: tuple[Node, Node, Node]) -> tuple[object, ...]:
    """A triple with its literal in canonical form: stores may rewrite a lexical form
    (Virtuoso: ``"1.50"^^xsd:decimal`` as ``"1.5"``, ``@zh-Hans`` as ``@zh-hans``) without
    changing the value."""
    subject, predicate, obj = triple
    if isinstance(obj, Literal):
        value = obj.value if obj.datatype is not None and obj.value is not None else str(obj)
        if isinstance(value, Decimal):
            value = value.normalize()
        return subject, predicate, type(value).__name__, value, (obj.language or "").lower()
    return subject, predicate, obj


def _insert_in_chunks(endpoint: Endpoint, update_url: str, staging: URIRef, graph: Graph) -> None:
    triples = sorted(graph)
    for start in range(0, len(triples), CHUNK_TRIPLES):
        lines = "\n".join(
            f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples[start : start + CHUNK_TRIPLES]
        )
        _update(endpoint, update_url, f"INSERT DATA {{ GRAPH {staging.n3()} {{\n{lines}\n}} }}")


def _put(endpoint: Endpoint, store_url: str, staging: URIRef, graph: Graph) -> None:
    separator = "&" if "?" in store_url else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': str(staging)})}"
    body = graph.serialize(format="nt", encoding="utf-8")
    send(endpoint, url=url, method="PUT", body=body, content_type="application/n-triples")


def _update(endpoint: Endpoint, update_url: str, text: str) -> None:
    body = urllib.parse.urlencode({"update": text}).encode("utf-8")
    send(endpoint, url=update_url, body=body, content_type="application/x-www-form-urlencoded")


def _drop_quietly(endpoint: Endpoint, update_url: str, staging: URIRef) -> None:
    try:
        _update(endpoint, update_url, f"DROP SILENT GRAPH {staging.n3()}")
    except EndpointError as exc:
        log.warning("could not drop the staging graph %s: %s", staging, exc)
