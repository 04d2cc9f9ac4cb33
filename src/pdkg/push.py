"""`pdkg push`: load the release into a remote store so that readers never see a half-loaded graph.

The upload goes into a fresh staging named graph (SPARQL 1.1 Graph Store Protocol ``PUT``, or
``INSERT DATA`` in chunks where the store offers only SPARQL Update); its triple count is checked;
then one ``MOVE`` update swaps it in place of the target graph. Until that last request succeeds
the target graph is untouched; on any failure the staging graph is dropped (best effort).
"""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from pdkg.errors import EndpointError
from pdkg.queries import get_query
from pdkg.remote import USER_AGENT, Endpoint, run_remote

log = logging.getLogger(__name__)

DEFAULT_GRAPH = "https://w3id.org/pdkg/graph"
CHUNK_TRIPLES = 5000


@dataclass(frozen=True)
class PushResult:
    """What a push did."""

    graph: str
    triples: int
    method: str


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
        endpoint: the query endpoint (used to count the staged triples), with credentials.
        queries_dir: where the ``graph-size`` saved query lives.
        target: the IRI of the named graph to replace.
        update_url: the SPARQL Update URL (default: the query URL with ``/query`` → ``/update``).
        store_url: a Graph Store Protocol URL; without it the upload uses ``INSERT DATA``.

    Raises:
        EndpointError: a request failed or the staged count is wrong; the target is unchanged.
    """
    update = update_url or default_update_url(endpoint.url)
    staging = URIRef(f"urn:pdkg:staging:{uuid.uuid4().hex}")
    target_iri = URIRef(target)
    expected = len(graph)
    try:
        if store_url:
            _put(endpoint, store_url, staging, graph)
        else:
            _insert_in_chunks(endpoint, update, staging, graph)
        staged = _count(endpoint, queries_dir, staging)
        if staged != expected:
            raise EndpointError(
                endpoint.shown,
                f"the staging graph holds {staged} triples, not the {expected} sent; "
                "the target graph was left as it was",
            )
        _update(endpoint, update, f"MOVE SILENT GRAPH {staging.n3()} TO GRAPH {target_iri.n3()}")
    except EndpointError:
        _drop_quietly(endpoint, update, staging)
        raise
    return PushResult(graph=target, triples=expected, method="gsp" if store_url else "update")


def default_update_url(query_url: str) -> str:
    """Guess the update URL from the query URL (Oxigraph, Fuseki: ``.../query`` → ``.../update``).

    >>> default_update_url("http://localhost:7878/query")
    'http://localhost:7878/update'
    >>> default_update_url("http://localhost:8890/sparql")
    'http://localhost:8890/sparql'
    """
    return query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url


def _count(endpoint: Endpoint, queries_dir: Path, staging: URIRef) -> int:
    table = run_remote(get_query(queries_dir, "graph-size"), endpoint, {"graph": str(staging)})
    return int(str(table.rows[0][1])) if table.rows else 0


def _insert_in_chunks(endpoint: Endpoint, update_url: str, staging: URIRef, graph: Graph) -> None:
    triples = list(graph)
    for start in range(0, len(triples), CHUNK_TRIPLES):
        chunk = Graph()
        for triple in triples[start : start + CHUNK_TRIPLES]:
            chunk.add(triple)
        body = chunk.serialize(format="nt", encoding="utf-8").decode("utf-8")
        _update(endpoint, update_url, f"INSERT DATA {{ GRAPH {staging.n3()} {{\n{body}}} }}")


def _put(endpoint: Endpoint, store_url: str, staging: URIRef, graph: Graph) -> None:
    separator = "&" if "?" in store_url else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': str(staging)})}"
    body = graph.serialize(format="nt", encoding="utf-8")
    _send(endpoint, url, "PUT", body, "application/n-triples")


def _update(endpoint: Endpoint, update_url: str, text: str) -> None:
    _send(endpoint, update_url, "POST", text.encode("utf-8"), "application/sparql-update")


def _send(endpoint: Endpoint, url: str, method: str, body: bytes, content_type: str) -> None:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", content_type)
    request.add_header("User-Agent", USER_AGENT)
    if endpoint.user is not None:
        token = base64.b64encode(f"{endpoint.user}:{endpoint.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    shown = Endpoint(url).shown
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise EndpointError(
            shown, f"{method} refused with HTTP {exc.code} {exc.reason}", status=exc.code
        ) from None
    except urllib.error.URLError as exc:
        raise EndpointError(shown, f"cannot connect ({exc.reason})") from None
    except (TimeoutError, ConnectionError) as exc:
        raise EndpointError(shown, f"{method} failed ({exc})") from None


def _drop_quietly(endpoint: Endpoint, update_url: str, staging: URIRef) -> None:
    try:
        _update(endpoint, update_url, f"DROP SILENT GRAPH {staging.n3()}")
    except EndpointError as exc:
        log.warning("could not drop the staging graph %s: %s", staging, exc)
