"""`pdkg serve`: a read-only SPARQL 1.1 endpoint over the release, with a query page and the docs.

The store is an in-process Oxigraph store; requests are served by the standard library's threading
HTTP server. ``/query`` follows the SPARQL 1.1 Protocol (GET ``?query=``, POST form or
``application/sparql-query``); ``/update`` and every other write is refused with 403.
"""

from __future__ import annotations

import ipaddress
import logging
import mimetypes
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from pdkg.version import __version__

log = logging.getLogger(__name__)

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
}
MAX_QUERY_BYTES = 1_000_000


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_store(release: Path) -> ox.Store:
    """An in-memory store with the release's N-Triples in its default graph."""
    store = ox.Store()
    store.bulk_load(path=str(release), format=ox.RdfFormat.N_TRIPLES)
    return store


@dataclass
class Site:
    """What the server serves: the store, and the directory of the HTML docs (if built)."""

    store: ox.Store
    docs: Path | None = None


def make_server(site: Site, host: str, port: int) -> ThreadingHTTPServer:
    """Bind a server for ``site`` on ``host:port`` (port 0 picks a free port)."""
    return ThreadingHTTPServer((host, port), partial(Handler, site))


class Handler(BaseHTTPRequestHandler):
    """SPARQL protocol over a read-only store; static query page and docs."""

    server_version = f"pdkg/{__version__}"

    def __init__(self, site: Site, *args: Any, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/query":
            self._query(parse_qs(url.query).get("query", [""])[0])
        elif url.path in ("/", "/index.html"):
            page = resources.files("pdkg").joinpath("static/query.html").read_bytes()
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
        elif url.path.startswith("/docs"):
            self._docs(url.path.removeprefix("/docs").lstrip("/") or "index.html")
        else:
            self._error(HTTPStatus.NOT_FOUND, "no such page; the endpoint is /query")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/query":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too long")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-query":
            self._query(body)
        elif kind == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            else:
                self._query(form.get("query", [""])[0])
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported content type {kind!r}")

    def do_PUT(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _query(self, text: str) -> None:
        if not text.strip():
            self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            return
        try:
            result = self.site.store.query(text)
        except SyntaxError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"query does not parse: {exc}")
            return
        except OSError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
            return
        accept = self.headers.get("Accept") or ""
        if isinstance(result, ox.QueryTriples):
            kind = next((t for t in GRAPH_TYPES if t in accept), "text/turtle")
            self._send(HTTPStatus.OK, kind, result.serialize(format=GRAPH_TYPES[kind]) or b"")
            return
        kind = next((t for t in RESULT_TYPES if t in accept), "application/sparql-results+json")
        self._send(HTTPStatus.OK, kind, result.serialize(format=RESULT_TYPES[kind]) or b"")

    def _docs(self, name: str) -> None:
        root = self.site.docs
        target = (root / name).resolve() if root else None
        if (
            root is None
            or target is None
            or not target.is_file()
            or root.resolve() not in target.parents
        ):
            self._error(HTTPStatus.NOT_FOUND, "no such document (build the release first)")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, kind, target.read_bytes())

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", f"{message}\n".encode())

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)
