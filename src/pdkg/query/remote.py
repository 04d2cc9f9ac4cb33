"""Saved queries on any SPARQL 1.1 endpoint: the protocol, result parsing, truncation checks.

The query goes as a POST form (``query=``, plus ``default-graph-uri`` and a ``timeout`` in
milliseconds for the servers that honour one) through :mod:`pdkg.query.http`. SELECT and ASK
answers are read as W3C SPARQL 1.1 JSON results, CONSTRUCT and DESCRIBE answers as N-Triples.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from urllib.parse import urlencode

from rdflib import Graph

from pdkg.errors import EndpointError, TermError
from pdkg.query.binding import bind
from pdkg.query.http import Endpoint, Response, send
from pdkg.query.saved import SavedQuery
from pdkg.query.table import Answer, ResultTable
from pdkg.terms import from_json

log = logging.getLogger(__name__)

#: Row counts at which well-known stores silently cut answers (Virtuoso's ResultSetMaxRows
#: default is 10000; common raised settings follow).
KNOWN_CAPS = frozenset({10_000, 50_000, 100_000, 1_000_000})
ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples, text/plain;q=0.5",
    "DESCRIBE": "application/n-triples, text/plain;q=0.5",
}


def run_remote(
    query: SavedQuery, endpoint: Endpoint, params: Mapping[str, str] | None = None
) -> Answer:
    """Bind ``params`` and run a saved query on a remote endpoint.

    Raises:
        QueryParameterError: a parameter value is bad (nothing is sent).
        EndpointError: the endpoint is down, refuses, times out, answers garbage, or its answer
            looks truncated (unless ``endpoint.allow_truncated``).
    """
    answer = run_text(bind(query, params or {}), endpoint, form=query.form)
    if isinstance(answer, ResultTable):
        return answer.with_sorted_lists(query.lists)
    return answer


def run_text(text: str, endpoint: Endpoint, *, form: str = "SELECT") -> Answer:
    """Send a query of the given form to ``endpoint`` and parse its answer.

    Raises:
        EndpointError: as :func:`run_remote`.
    """
    return read_answer(fetch(text, endpoint, form=form), endpoint, form=form)


def fetch(text: str, endpoint: Endpoint, *, form: str = "SELECT") -> Response:
    """Send a query of the given form to ``endpoint``: its raw answer (for a cache to keep).

    Raises:
        EndpointError: the endpoint is down, refuses or times out.
    """
    fields = [("query", text), ("timeout", str(round(endpoint.timeout * 1000)))]
    if endpoint.default_graph:
        fields.append(("default-graph-uri", endpoint.default_graph))
    return send(
        endpoint,
        body=urlencode(fields).encode("utf-8"),
        content_type="application/x-www-form-urlencoded",
        accept=ACCEPT[form],
    )


def read_answer(response: Response, endpoint: Endpoint, *, form: str = "SELECT") -> Answer:
    """Parse a raw answer to a query of the given form, and refuse one that looks cut.

    Raises:
        EndpointError: the answer is not what the form asks for, or looks truncated.
    """
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = _parse_triples(response, endpoint)
        _check_complete(len(graph), response, endpoint)
        return graph
    answer = parse_sparql_json(response.body, endpoint)
    if form == "ASK" and isinstance(answer, ResultTable):
        return _ask_table(answer, endpoint)
    if isinstance(answer, ResultTable):
        _check_complete(len(answer.rows), response, endpoint)
    return answer


def _ask_table(table: ResultTable, endpoint: Endpoint) -> bool:
    """ASK answered as a one-cell table (Virtuoso 7.2: ``__ASK_RETVAL`` 1 or 0) as a boolean."""
    cells = [cell for row in table.rows for cell in row]
    if len(cells) != 1 or str(cells[0]) not in ("0", "1", "true", "false"):
        raise EndpointError(endpoint.shown, "answered an ASK query with no boolean")
    return str(cells[0]) in ("1", "true")


def _parse_triples(response: Response, endpoint: Endpoint) -> Graph:
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    rdf_format = {"text/turtle": "turtle", "application/rdf+xml": "xml"}.get(kind, "nt")
    graph = Graph()
    try:
        graph.parse(data=response.body.decode("utf-8"), format=rdf_format)
    except (ValueError, SyntaxError, UnicodeDecodeError) as exc:
        raise EndpointError(
            endpoint.shown, f"answered something that is not RDF ({type(exc).__name__})"
        ) from None
    return graph


def parse_sparql_json(payload: bytes, endpoint: Endpoint) -> ResultTable | bool:
    """Turn a W3C SPARQL 1.1 JSON results document into a result table (or ASK's boolean).

    Raises:
        EndpointError: the payload is not SPARQL JSON results.
    """
    try:
        document = json.loads(payload)
        if isinstance(document.get("boolean"), bool):
            return bool(document["boolean"])
        columns = tuple(document["head"]["vars"])
        rows = tuple(
            tuple(from_json(binding[c]) if c in binding else None for c in columns)
            for binding in document["results"]["bindings"]
        )
    except (ValueError, KeyError, TypeError, AttributeError, TermError) as exc:
        start = payload[:60].decode("utf-8", "replace").replace("\n", " ")
        raise EndpointError(
            endpoint.shown, f"answered something that is not SPARQL JSON results ({start!r}: {exc})"
        ) from None
    return ResultTable(columns, rows)


def _check_complete(size: int, response: Response, endpoint: Endpoint) -> None:
    headers = response.headers
    reason = None
    if "x-sql-state" in headers or "x-sparql-anytime" in headers:
        reason = (
            f"the server says the answer is partial ({headers.get('x-sql-message', '').strip()})."
            " Raise MaxQueryExecutionTime in virtuoso.ini [SPARQL]"
        )
    elif str(size) == headers.get("x-sparql-maxrows") or {size, size - 1} & KNOWN_CAPS:
        # Virtuoso cuts a CONSTRUCT at ResultSetMaxRows + 1 triples, silently
        reason = (
            f"{size} rows is a known result cap, so the answer is probably cut. "
            "Raise ResultSetMaxRows in virtuoso.ini [SPARQL] (or the store's equivalent)"
        )
    if reason is None:
        return
    if endpoint.allow_truncated:
        log.warning("answer from %s looks truncated: %s", endpoint.shown, reason)
        return
    raise EndpointError(
        endpoint.shown, f"{reason}; rerun with --allow-truncated to print it anyway"
    )
