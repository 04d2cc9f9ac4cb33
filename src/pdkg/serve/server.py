"""The HTTP side of ``pdkg serve``: SPARQL 1.1 Protocol at ``/query``, the query page, the docs."""

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
from urllib.parse import parse_qs, unquote, urlsplit

from pdkg.release.parts import FILES
from pdkg.serve import linked, routes
from pdkg.serve.evaluate import TEXT, Answer
from pdkg.serve.pool import Pool, WorkerConfig
from pdkg.version import __version__

log = logging.getLogger(__name__)

MAX_QUERY_BYTES = 1_000_000
READ_ONLY = "this endpoint is read-only: updates are refused"


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


@dataclass(frozen=True)
class Site:
    """What the server serves, and the limits every query runs under.

    Attributes:
        release: the release's N-Triples file; each worker loads its own copy.
        docs: the directory of the HTML docs, if built.
        timeout: seconds one query may run before it is stopped (504).
        max_rows: most solutions or triples in one answer; more is an error (422).
        workers: worker processes, so at most this many queries run at once.
        allow_service: let queries call other endpoints through SERVICE (off: 403).
        queue_wait: seconds a query waits for a free worker before a 503.
        queries: the saved queries (``describe-resource`` answers a dereferenced IRI).
        ontology: the project's ``ontology/`` folder (``/ontology``, ``/vocab/{scheme}``).
    """

    release: Path
    docs: Path | None = None
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    allow_service: bool = False
    queue_wait: float = 30.0
    queries: Path | None = None
    ontology: Path | None = None


#: the files of the bundled SPARQL editor (YASGUI, from npm: static/yasgui/SOURCE)
BUNDLED = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
    "LICENSE.txt": "text/plain; charset=utf-8",
}


class Server(ThreadingHTTPServer):
    """A threading HTTP server that owns its query workers and stops them when it closes."""

    daemon_threads = True
    #: a burst waits in the kernel's queue: at 128, 200 clients overflowed it and some waited
    #: out a 1 s SYN retry (bench/serve_load.py: p99 1.1 s, 0.30 s at 1024)
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], site: Site, pool: Pool) -> None:
        self.pool = pool
        super().__init__(address, partial(Handler, site, pool))

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("request from %s failed", client_address)


def make_server(site: Site, host: str, port: int) -> Server:
    """Start the query workers for ``site`` and bind a server on ``host:port`` (0: a free port).

    Call ``server_close()`` when done: it also stops the workers.

    Raises:
        GraphLoadError: a worker cannot load the release.
        OSError: the address cannot be bound, or a worker process cannot be started.
    """
    config = WorkerConfig(
        release=site.release, max_rows=site.max_rows, allow_service=site.allow_service
    )
    pool = Pool(config, size=site.workers)
    try:
        return Server((host, port), site, pool)
    except OSError:
        pool.close()
        raise


class Handler(BaseHTTPRequestHandler):
    """SPARQL protocol over a read-only store; static query page and docs."""

    server_version = f"pdkg/{__version__}"
    timeout = 60  # seconds a client may stall while sending its request

    def __init__(self, site: Site, pool: Pool, *args: Any, **kwargs: Any) -> None:
        self.site = site
        self.pool = pool
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by the base class (bad request line, unknown method) as one-line text."""
        self.close_connection = True
        self.fail(HTTPStatus(code), message or HTTPStatus(code).phrase)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/query":
            self._query(parse_qs(url.query).get("query", [""])[0])
        elif url.path in ("/", "/index.html"):
            routes.front(self)
        elif url.path == "/docs" or url.path.startswith("/docs/"):
            self._docs(unquote(url.path.removeprefix("/docs").lstrip("/")) or "index.html")
        elif url.path.startswith("/dist/"):
            self._file(unquote(url.path.removeprefix("/dist/")))
        elif url.path.startswith("/static/yasgui/"):
            self._bundled(url.path.removeprefix("/static/yasgui/"))
        elif url.path == "/sparql":
            page = resources.files("pdkg").joinpath("static/query.html").read_bytes()
            self.reply(HTTPStatus.OK, "text/html; charset=utf-8", page)
        elif url.path.startswith("/queries/"):
            routes.saved_query(self, unquote(url.path.removeprefix("/queries/")), url.query)
        elif (found := linked.locate(unquote(url.path), self.site.ontology)) is not None:
            routes.describe(self, found)
        else:
            self.fail(HTTPStatus.NOT_FOUND, "no such page; the endpoint is /query")

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if urlsplit(self.path).path != "/query" or kind == "application/sparql-update":
            self.fail(HTTPStatus.FORBIDDEN, READ_ONLY)
        elif kind == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"))
        elif kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                self.fail(HTTPStatus.FORBIDDEN, READ_ONLY)
            else:
                self._query(form.get("query", [""])[0])
        else:
            self.fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported content type {kind!r}")

    def do_PUT(self) -> None:
        self.fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _body(self) -> bytes | None:
        """The request body, or ``None`` once an error has been answered."""
        declared = self.headers.get("Content-Length", "0").strip()
        if not (declared.isascii() and declared.isdigit()):
            self.fail(HTTPStatus.BAD_REQUEST, f"bad Content-Length {declared!r}: not a number")
            return None
        length = int(declared)
        if length > MAX_QUERY_BYTES:
            self.fail(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"query too long: {length} bytes, the limit is {MAX_QUERY_BYTES}",
            )
            return None
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.fail(HTTPStatus.REQUEST_TIMEOUT, "timed out reading the request body")
            return None
        if len(body) < length:
            self.fail(HTTPStatus.BAD_REQUEST, "request body shorter than its Content-Length")
            return None
        return body

    def _query(self, text: str) -> None:
        if not text.strip():
            self.fail(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            return
        site = self.site
        answer = self.pool.run(
            text,
            accept=self.headers.get("Accept") or "",
            timeout=site.timeout,
            queue_wait=site.queue_wait,
        )
        self.reply(answer.status, answer.content_type, answer.body)

    def _docs(self, name: str) -> None:
        document = _read_document(self.site.docs, name)
        if document is None:
            self.fail(HTTPStatus.NOT_FOUND, "no such document (build the release first)")
        else:
            self.reply(HTTPStatus.OK, *document)

    def _bundled(self, name: str) -> None:
        """The SPARQL editor's own files, from the package (never a CDN)."""
        kind = BUNDLED.get(name)
        if kind is None:
            self.fail(HTTPStatus.NOT_FOUND, "no such file")
        else:
            body = resources.files("pdkg").joinpath("static", "yasgui", name).read_bytes()
            self.reply(HTTPStatus.OK, kind, body)

    def _file(self, name: str) -> None:
        """One of the release's Linked Data files (``void:dataDump``), as it was built."""
        kind = FILES.get(name)
        try:
            body = (self.site.release.parent / name).read_bytes() if kind else None
        except OSError:
            body = None
        if kind is None or body is None:
            self.fail(HTTPStatus.NOT_FOUND, f"no such file; the release's are {', '.join(FILES)}")
        else:
            self.reply(HTTPStatus.OK, kind, body)

    def fail(self, status: HTTPStatus, message: str) -> None:
        """Send a one-line ``text/plain`` error."""
        answer = Answer.error(status, message)
        self.reply(answer.status, TEXT, answer.body)

    def reply(self, status: int, kind: str, body: bytes) -> None:
        """Send an answer, with CORS and ``Vary: Accept``."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Vary", "Accept")
            if status == HTTPStatus.SERVICE_UNAVAILABLE:
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.info("%s went away before its answer was sent", self.address_string())


def _read_document(root: Path | None, name: str) -> tuple[str, bytes] | None:
    """The media type and bytes of ``name`` inside ``root``; ``None`` if missing or outside."""
    if root is None:
        return None
    try:
        target = (root / name).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            return None
        return mimetypes.guess_type(target.name)[
            0
        ] or "application/octet-stream", target.read_bytes()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
