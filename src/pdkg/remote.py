"""Saved queries on any SPARQL 1.1 endpoint through SPARQLWrapper: timeouts, retries, truncation."""

from __future__ import annotations

import email.utils
import json
import logging
import time
import urllib.error
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rdflib import BNode, Literal, URIRef
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from pdkg import engine
from pdkg.errors import EndpointError
from pdkg.queries import ResultTable, SavedQuery, bind
from pdkg.version import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"pdkg/{__version__} (https://w3id.org/pdkg; paradiplomacy knowledge graph)"
#: Row counts at which well-known stores silently cut answers (Virtuoso's ResultSetMaxRows
#: default is 10000; common raised settings follow).
KNOWN_CAPS = frozenset({10_000, 50_000, 100_000, 1_000_000})
RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT = 30.0


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint and how to talk to it. The password never appears in repr or messages."""

    url: str
    timeout: float = 60.0
    retries: int = 3
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    default_graph: str | None = None
    allow_truncated: bool = False

    def __repr__(self) -> str:
        return f"Endpoint({self.shown!r}, timeout={self.timeout:g}, user={self.user!r})"

    @property
    def shown(self) -> str:
        """The URL without any user:password part, for messages and logs."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def run_remote(
    query: SavedQuery, endpoint: Endpoint, params: Mapping[str, str] | None = None
) -> ResultTable:
    """Bind ``params`` and run a SELECT saved query on a remote endpoint.

    Raises:
        QueryParameterError: a parameter value is bad (nothing is sent).
        EndpointError: the endpoint is down, refuses, times out, answers garbage, or its answer
            looks truncated (unless ``endpoint.allow_truncated``).
    """
    text = bind(query, params or {})
    payload, headers = _request(endpoint, text)
    table = parse_sparql_json(payload, endpoint)
    _check_complete(table, headers, endpoint)
    return table


def _client(endpoint: Endpoint, text: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint.url, agent=USER_AGENT)
    client.setQuery(text)
    # SPARQLWrapper guesses the query form from keywords, even inside comments ("upload" read as
    # LOAD, sent as an update); run_remote sends SELECT queries only.
    client.queryType = SELECT
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, round(endpoint.timeout)))
    # Servers that honour a timeout parameter (Virtuoso, Blazegraph: milliseconds) stop in time too.
    client.addParameter("timeout", str(round(endpoint.timeout * 1000)))
    if endpoint.default_graph:
        client.addDefaultGraph(endpoint.default_graph)
    if endpoint.user is not None:
        client.setCredentials(endpoint.user, endpoint.password or "")
    return client


def _request(endpoint: Endpoint, text: str) -> tuple[bytes, Mapping[str, str]]:
    deadline = time.monotonic() + endpoint.timeout
    for attempt in range(endpoint.retries + 1):
        try:
            response = _client(endpoint, text).query().response
            return response.read(), dict(response.info().items())
        except urllib.error.HTTPError as exc:
            wait = _retry_wait(exc, attempt)
            if exc.code in RETRY_STATUSES and attempt < endpoint.retries:
                if time.monotonic() + wait > deadline:
                    raise EndpointError(
                        endpoint.shown,
                        f"HTTP {exc.code}, and waiting {wait:.0f} s to retry "
                        "would pass the timeout",
                        status=exc.code,
                    ) from None
                log.warning("HTTP %s from %s; retrying in %.1f s", exc.code, endpoint.shown, wait)
                time.sleep(wait)
                continue
            raise EndpointError(
                endpoint.shown, f"HTTP {exc.code} {exc.reason}{_hint(exc.code)}", status=exc.code
            ) from None
        except SPARQLWrapperException as exc:
            status = _status(exc)
            raise EndpointError(
                endpoint.shown, f"HTTP {status or 'error'}: {_first_line(exc)}", status=status
            ) from None
        except TimeoutError:
            raise EndpointError(
                endpoint.shown, f"no answer within {endpoint.timeout:g} s"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise EndpointError(
                    endpoint.shown, f"no answer within {endpoint.timeout:g} s"
                ) from None
            raise EndpointError(endpoint.shown, f"cannot connect ({exc.reason})") from None
        except (ConnectionError, OSError) as exc:
            raise EndpointError(endpoint.shown, f"connection failed ({exc})") from None
    raise EndpointError(endpoint.shown, f"still refusing after {endpoint.retries} retries")


def _retry_wait(exc: urllib.error.HTTPError, attempt: int) -> float:
    header = exc.headers.get("Retry-After") if exc.headers else None
    if header:
        if header.strip().isdigit():
            return min(float(header), MAX_RETRY_WAIT)
        when = email.utils.parsedate_to_datetime(header)
        if when is not None:
            return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_WAIT)
    return min(2.0**attempt, MAX_RETRY_WAIT)


def _hint(status: int) -> str:
    return {
        401: " (check --user and PDKG_ENDPOINT_PASSWORD)",
        403: " (the endpoint forbids this request)",
        404: " (is this the query URL? Oxigraph: /query, Fuseki: /DATASET/query)",
        429: " (too many requests; retries exhausted)",
        503: " (service unavailable; retries exhausted)",
    }.get(status, "")


def _status(exc: SPARQLWrapperException) -> int | None:
    return {
        "QueryBadFormed": 400,
        "Unauthorized": 401,
        "EndPointNotFound": 404,
        "URITooLong": 414,
        "EndPointInternalError": 500,
    }.get(type(exc).__name__)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def parse_sparql_json(payload: bytes, endpoint: Endpoint) -> ResultTable:
    """Turn a W3C SPARQL 1.1 JSON results document into a result table of rdflib terms.

    Raises:
        EndpointError: the payload is not a SPARQL JSON SELECT result.
    """
    try:
        document = json.loads(payload)
        columns = tuple(document["head"]["vars"])
        bindings = document["results"]["bindings"]
        rows = tuple(
            tuple(_term(binding[c]) if c in binding else None for c in columns)
            for binding in bindings
        )
    except (ValueError, KeyError, TypeError) as exc:
        start = payload[:60].decode("utf-8", "replace").replace("\n", " ")
        raise EndpointError(
            endpoint.shown, f"answered something that is not SPARQL JSON results ({start!r}: {exc})"
        ) from None
    return ResultTable(columns, rows)


def _term(value: dict[str, Any]) -> engine.RdfTerm:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != engine.XSD_STRING:
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise ValueError(f"unknown term type {kind!r}")


def _check_complete(table: ResultTable, headers: Mapping[str, str], endpoint: Endpoint) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    reason = None
    if "x-sql-state" in lowered or "x-sparql-anytime" in lowered:
        reason = (
            f"the server says the answer is partial ({lowered.get('x-sql-message', '').strip()})."
            " Raise MaxQueryExecutionTime in virtuoso.ini [SPARQL]"
        )
    elif str(len(table.rows)) == lowered.get("x-sparql-maxrows") or len(table.rows) in KNOWN_CAPS:
        reason = (
            f"{len(table.rows)} rows is a known result cap, so the answer is probably cut. "
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
