"""One served query against the store: the SERVICE guard, the row limit and the result formats.

Pure apart from the store, so the worker processes and the tests call the same function.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from pdkg.serve.guard import service_refusal

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to one request: status, media type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: HTTPStatus, message: str) -> Answer:
        """A one-line ``text/plain`` error.

        >>> Answer.error(HTTPStatus.BAD_REQUEST, "query does not parse:\\n  line 2").body
        b'query does not parse: line 2\\n'
        """
        return cls(status, TEXT, (" ".join(message.split()) + "\n").encode())


def load_store(release: Path) -> ox.Store:
    """An in-memory store with the release's N-Triples in its default graph.

    Raises:
        OSError: the file cannot be read.
        SyntaxError: the file is not valid N-Triples.
    """
    store = ox.Store()
    store.bulk_load(path=str(release), format=ox.RdfFormat.N_TRIPLES)
    return store


def evaluate(
    store: ox.Store, query: str, *, accept: str, max_rows: int, allow_service: bool
) -> Answer:
    """Run ``query`` and serialize its result in the first media type of ``accept`` we know.

    The result is serialized line by line (TSV for solutions, N-Triples for triples) and stopped
    as soon as it passes ``max_rows``, so an oversized result is never built in full, and never
    sent truncated either: it is an error.

    Args:
        store: the release.
        query: the SPARQL query text.
        accept: the request's ``Accept`` header.
        max_rows: most solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer may hold.
        allow_service: whether the query may call other endpoints through SERVICE.

    Returns:
        The result (200), or a one-line error: 400 bad syntax, 403 SERVICE, 422 too many rows,
        500 evaluation failed.
    """
    if not allow_service and (refusal := service_refusal(query)):
        return Answer.error(HTTPStatus.FORBIDDEN, refusal)
    try:
        result = store.query(query)
        if isinstance(result, ox.QueryTriples):
            kind = next((t for t in GRAPH_TYPES if t in accept), "text/turtle")
            sink = _LineCap(max_rows)
            result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
            body = _triples_as(sink.getvalue(), GRAPH_TYPES[kind])
            return Answer(HTTPStatus.OK, _charset(kind), body)
        kind = next((t for t in RESULT_TYPES if t in accept), "application/sparql-results+json")
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=RESULT_TYPES[kind]) or b""
            return Answer(HTTPStatus.OK, _charset(kind), body)
        sink = _LineCap(max_rows + 1)  # the header line
        result.serialize(sink, format=ox.QueryResultsFormat.TSV)
        body = _solutions_as(sink.getvalue(), RESULT_TYPES[kind])
        return Answer(HTTPStatus.OK, _charset(kind), body)
    except _TooManyRows:
        return Answer.error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            f"query result too large: more than {max_rows} rows or triples (the server's "
            "--max-rows limit). Add a LIMIT, or narrow the query.",
        )
    except SyntaxError as exc:
        return Answer.error(HTTPStatus.BAD_REQUEST, f"query does not parse: {exc}")
    except (OSError, ValueError) as exc:
        return Answer.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")


def _charset(kind: str) -> str:
    """A ``text/*`` type with its charset: without one, HTTP clients read text as Latin-1.

    >>> _charset("text/csv"), _charset("application/sparql-results+json")
    ('text/csv; charset=utf-8', 'application/sparql-results+json')
    """
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


class _TooManyRows(Exception):
    """Raised from inside the serializer to stop it; never leaves this module."""


class _LineCap(io.BytesIO):
    """A buffer that stops the serializer (and so the evaluation) past ``limit`` lines.

    TSV results and N-Triples escape newlines in terms, so a line is exactly one row or triple.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.room = limit

    def write(self, data: ReadableBuffer, /) -> int:
        chunk = bytes(data)
        self.room -= chunk.count(b"\n")
        if self.room < 0:
            raise _TooManyRows
        return super().write(chunk)


def _solutions_as(tsv: bytes, format: ox.QueryResultsFormat) -> bytes:
    if format == ox.QueryResultsFormat.TSV:
        return tsv
    solutions = cast(
        ox.QuerySolutions,  # TSV has no boolean form
        ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV),
    )
    return solutions.serialize(format=format) or b""


def _triples_as(ntriples: bytes, format: ox.RdfFormat) -> bytes:
    if format == ox.RdfFormat.N_TRIPLES:
        return ntriples
    return ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=format) or b""
