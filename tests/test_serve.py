"""`pdkg serve`: a read-only SPARQL endpoint over the release, its query page and the docs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdkg import cli
from pdkg.errors import GraphLoadError
from pdkg.query.http import Endpoint
from pdkg.query.remote import run_remote
from pdkg.query.saved import get_query
from pdkg.serve import Server, Site, make_server
from pdkg.serve.guard import service_refusal

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 2.0  # the time limit of the test servers
MAX_ROWS = 1000  # and their row limit; the release has about 1,400 triples
# Each triple pattern matches every triple: three make billions of solutions (minutes of work).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROC = Path("/proc/self/status").exists()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "dist"
    data = ROOT / "tests" / "data" / "graph" / "minimal.ttl"
    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), "build", "--out", str(out), "--data", str(data)]
    )
    assert result.exit_code == 0, result.stderr
    return out


def start(site: Site) -> tuple[Server, threading.Thread]:
    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def stop(server: Server, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()  # also stops the worker processes
    thread.join(timeout=10)


def url_of(server: Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[Server]:
    site = Site(release / "pdkg.nt", release / "docs", timeout=LIMIT_S, max_rows=MAX_ROWS)
    running = start(site)
    yield running[0]
    stop(*running)


@pytest.fixture(scope="module")
def served(server: Server) -> str:
    return url_of(server)


@dataclass
class Listener:
    """A loopback TCP port that records every connection made to it."""

    sock: socket.socket
    connections: list[tuple[str, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def accept(self) -> None:
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return  # closed by the fixture
            self.connections.append(peer)
            conn.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = socket.create_server(("127.0.0.1", 0))
    spy = Listener(sock)
    thread = threading.Thread(target=spy.accept, daemon=True)
    thread.start()
    yield spy
    sock.shutdown(socket.SHUT_RDWR)
    sock.close()
    thread.join(timeout=5)


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ask(base: str, query: str, accept: str = "text/csv") -> tuple[int, bytes]:
    return fetch(
        f"{base}/query",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )


def raw(base: str, request: bytes) -> tuple[int, str, bytes]:
    """Send bytes as they are, then nothing more; the status, media type and body of the answer."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), body


def assert_one_line_text(kind: str, body: bytes) -> None:
    assert kind.startswith("text/plain")
    assert body.endswith(b"\n")
    assert b"\n" not in body[:-1]
    assert b"Traceback" not in body


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] in "ZX")


def wait_dead(pids: list[int], deadline: float = 10.0) -> list[int]:
    """The pids still alive after waiting up to ``deadline`` seconds for them to go."""
    stop = time.monotonic() + deadline
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < stop:
        time.sleep(0.05)
    return left


# --- the SPARQL protocol, the page and the docs ----------------------------------------------


def test_serve_answers_a_saved_query(served: str) -> None:
    table = run_remote(get_query(ROOT / "queries", "entity-counts"), Endpoint(f"{served}/query"))
    counts = {r["classLabel"]: r["entities"] for r in table.to_dicts()}
    assert counts["supervision"] == 2
    assert counts["Foreign Affairs Office"] == 1


def test_serve_get_query_in_csv(served: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"})
    status, body = fetch(f"{served}/query?{query}", headers={"Accept": "text/csv"})
    assert status == 200
    assert body.decode().splitlines()[0] == "n"


@pytest.mark.parametrize(
    ("accept", "start"),
    [
        ("application/sparql-results+json", b'{"head"'),
        ("application/sparql-results+xml", b"<?xml"),
        ("text/tab-separated-values", b"?s\t?p\t?o\n<"),
        ("text/csv", b"s,p,o\r\n"),
    ],
)
def test_serve_negotiates_result_formats(served: str, accept: str, start: bytes) -> None:
    # IRI subjects only: which three triples an unordered LIMIT picks varies, blank nodes included
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER isIRI(?s) } LIMIT 3"
    status, body = ask(served, query, accept)
    assert status == 200
    assert body.startswith(start)


@pytest.mark.parametrize(
    ("accept", "start"),
    [("text/turtle", b"<"), ("application/n-triples", b"<"), ("application/rdf+xml", b"<?xml")],
)
def test_serve_negotiates_graph_formats(served: str, accept: str, start: bytes) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER isIRI(?s) } LIMIT 3"
    status, body = ask(served, query, accept)
    assert status == 200
    assert body.startswith(start)


@pytest.mark.parametrize(
    ("path", "data", "kind"),
    [
        ("/update", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("/update", b"DROP ALL", "application/sparql-update"),
        ("/query", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("/query", b"DROP ALL", "application/sparql-update"),  # was 415
        ("/query", b"DROP ALL", "Application/SPARQL-Update; charset=utf-8"),
    ],
)
def test_serve_refuses_updates(served: str, path: str, data: bytes, kind: str) -> None:
    status, body = fetch(served + path, data=data, headers={"Content-Type": kind})
    assert status == 403
    assert b"read-only" in body
    table = run_remote(get_query(ROOT / "queries", "entity-counts"), Endpoint(f"{served}/query"))
    assert table.rows  # the graph is still there


def test_serve_query_page_and_docs(served: str) -> None:
    status, page = fetch(served + "/")
    assert status == 200
    assert b"/query" in page
    status, docs = fetch(served + "/docs/")
    assert status == 200
    assert "Foreign Affairs Office" in docs.decode("utf-8")
    assert fetch(served + "/docs/../pdkg.nt")[0] == 404
    assert fetch(served + "/docs/%2e%2e/pdkg.nt")[0] == 404
    assert fetch(served + "/docsindex.html")[0] == 404
    assert fetch(served + "/docs/index.html%00")[0] == 404


def test_serve_bad_query_is_400(served: str) -> None:
    status, _ = ask(served, "SELECT WHERE {")
    assert status == 400


# --- SERVICE: the server never fetches a URL a client names ----------------------------------

SERVICE_QUERIES = {
    "plain": "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "lowercase": "select * where { service <URL> { ?s ?p ?o } }",
    "mixed-case-silent": "SELECT * WHERE { SeRvIcE SiLeNt <URL> { ?s ?p ?o } }",
    "variable": "SELECT * WHERE { VALUES ?at { <URL> } SERVICE ?at { ?s ?p ?o } }",
    "silent-variable": "SELECT * WHERE { BIND(<URL> AS ?at) SERVICE SILENT ?at { ?s ?p ?o } }",
    "nested": "SELECT * WHERE { ?x ?y ?z { OPTIONAL { { SERVICE SILENT <URL> { ?s ?p ?o } } } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <URL> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE SILENT <URL> { ?s ?p ?o } } }",
    "exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <URL> { ?a ?b ?c } } }",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <URL> { ?s ?p ?o } } } }",
    "comments-and-newlines": "SELECT * WHERE {\n  SERVICE # not here\n  SILENT\n"
    "# nor here }\n  <URL>\n  { ?s ?p ?o } }",
    "after-a-string": 'SELECT * WHERE { BIND("} #" AS ?x) SERVICE <URL> { ?s ?p ?o } }',
    "ask": "ASK { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "prefixed-iri": "PREFIX remote: <URL> SELECT * WHERE { SERVICE remote: { ?s ?p ?o } }",
}


@pytest.mark.parametrize("query", SERVICE_QUERIES.values(), ids=SERVICE_QUERIES.keys())
def test_serve_refuses_service_without_calling_it(
    served: str, listener: Listener, query: str
) -> None:
    status, body = fetch(
        f"{served}/query",
        data=urllib.parse.urlencode({"query": query.replace("URL", listener.url)}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403, body
    assert body.startswith(b"query refused: it ")  # calls SERVICE, or cannot be checked
    assert listener.connections == []


def test_serve_calls_service_only_when_allowed(release: Path, listener: Listener) -> None:
    """The control: with --allow-service the same query does reach the listener."""
    query = "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }".replace("URL", listener.url)
    running = start(Site(release / "pdkg.nt", allow_service=True, workers=1))
    try:
        status, _ = ask(url_of(running[0]), query)
    finally:
        stop(*running)
    assert status == 200
    assert listener.connections


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } LIMIT 1',
        "SELECT * WHERE { ?s ?p ?o # SERVICE <http://127.0.0.1:9/> { }\n } LIMIT 1",
        "SELECT * WHERE { ?s a <http://schema.org/Service> }",
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }",
    ],
    ids=["variable", "string", "comment", "iri", "prefix"],
)
def test_serve_runs_queries_that_only_mention_service(served: str, query: str) -> None:
    assert ask(served, query)[0] == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p '\\u0022' . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } ",  # does not parse
        "SELECT * WHERE { " + "{ " * 2000 + "SERVICE <http://127.0.0.1:9/> {}" + " }" * 2001,
    ],
    ids=["escaped-keyword", "escape-elsewhere", "unparsable", "deeply-nested"],
)
def test_service_guard_fails_closed(query: str) -> None:
    refusal = service_refusal(query)
    assert refusal is not None
    assert refusal.startswith("query refused:")


# --- limits: time and size -------------------------------------------------------------------


def test_serve_stops_a_query_at_the_time_limit(server: Server, served: str) -> None:
    before = set(server.pool.pids)
    started = time.monotonic()
    status, body = ask(served, SLOW)
    took = time.monotonic() - started
    assert status == 504
    assert f"{LIMIT_S:g} s limit" in body.decode()
    assert LIMIT_S <= took < LIMIT_S + 2
    killed = before - set(server.pool.pids)
    assert len(killed) == 1  # the worker that ran it, replaced by a fresh one
    assert wait_dead(list(killed)) == []
    assert len(server.pool.pids) == len(before)
    assert ask(served, "ASK {}")[0] == 200


def test_serve_answers_503_when_no_worker_is_free_in_time(release: Path) -> None:
    running = start(Site(release / "pdkg.nt", timeout=LIMIT_S, workers=1, queue_wait=0.5))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda q: ask(url_of(running[0]), q), [SLOW, SLOW]))
    finally:
        stop(*running)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [503, 504]  # one ran into the time limit, the other did not wait forever
    assert b"no query worker became free within 0.5 s" in dict(answers)[503]


@pytest.mark.parametrize("death", ["killed", "crashing-query"])
def test_serve_replaces_a_worker_that_dies(release: Path, death: str) -> None:
    """A worker that dies costs one answer (500), never the server."""
    running = start(Site(release / "pdkg.nt", timeout=30, workers=1))
    server = running[0]
    try:
        [pid] = server.pool.pids
        with ThreadPoolExecutor(max_workers=1) as pool:
            if death == "killed":
                pending = pool.submit(ask, url_of(server), SLOW)
                os.kill(pid, signal.SIGKILL)
            else:  # pyoxigraph 0.5.13 overflows its stack on deep nesting (SIGSEGV)
                deep = "SELECT * WHERE { " + "{ " * 100_000 + "}" * 100_001
                pending = pool.submit(ask, url_of(server), deep)
            status, body = pending.result(timeout=30)
        assert status == 500
        assert body.startswith(b"query failed: the query worker stopped unexpectedly")
        assert server.pool.pids != [pid]
        assert ask(url_of(server), "ASK {}")[0] == 200
    finally:
        stop(*running)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
        "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }",
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
    ],
    ids=["select", "construct", "describe"],
)
def test_serve_refuses_results_over_max_rows(served: str, query: str) -> None:
    status, body = ask(served, query, accept="application/sparql-results+json, text/turtle")
    assert status == 422
    assert f"more than {MAX_ROWS} rows" in body.decode()


def test_serve_answers_exactly_max_rows_in_full(served: str) -> None:
    status, body = ask(
        served, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}", "application/sparql-results+json"
    )
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, body = ask(
        served, f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}", "application/n-triples"
    )
    assert status == 200
    assert len(body.splitlines()) == MAX_ROWS


# --- malformed requests: 4xx, one line of text, never a traceback ----------------------------


@pytest.mark.parametrize("length", ["abc", "-5", "", "1e3", "+5", "0x10", "5, 5"])
def test_serve_rejects_a_malformed_content_length(served: str, length: str) -> None:
    request = (
        "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {length}\r\n\r\nASK {{}}"
    )
    status, kind, body = raw(served, request.encode())
    assert status == 400
    assert_one_line_text(kind, body)
    assert b"Content-Length" in body


def test_serve_refuses_a_body_over_the_limit(served: str) -> None:
    request = b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 1000001\r\n\r\n"
    status, kind, body = raw(served, request)
    assert status == 413
    assert_one_line_text(kind, body)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /nowhere HTTP/1.0\r\n\r\n", 404),
        (b"OPTIONS /query HTTP/1.0\r\n\r\n", 501),
        (b"GET /query HTTP/1.0\r\n" + b"X: y\r\n" * 101 + b"\r\n", 431),
        (b"GET /query HTTP/1.0\r\n\r\n", 400),
        (b"PUT /query HTTP/1.0\r\n\r\n", 403),
        (b"POST /query HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi", 415),
        (b"POST /query HTTP/1.0\r\nContent-Length: 10\r\n\r\nASK", 400),  # body cut short
    ],
    ids=["404", "unknown-method", "too-many-headers", "no-query", "put", "media-type", "short"],
)
def test_serve_errors_are_one_line_text(served: str, request_bytes: bytes, status: int) -> None:
    got, kind, body = raw(served, request_bytes)
    assert got == status
    assert_one_line_text(kind, body)


# --- the server's own life: workers start, and stop with it ---------------------------------


def test_server_close_stops_its_workers(release: Path) -> None:
    running = start(Site(release / "pdkg.nt", workers=2))
    pids = running[0].pool.pids
    assert len(pids) == 2
    assert all(alive(pid) for pid in pids)
    stop(*running)
    assert wait_dead(pids, deadline=1) == []


def test_make_server_reports_an_unloadable_release(tmp_path: Path) -> None:
    broken = tmp_path / "pdkg.nt"
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    with pytest.raises(GraphLoadError, match=r"cannot load .*pdkg\.nt"):
        make_server(Site(broken, workers=1), "127.0.0.1", 0)


def test_serve_refuses_non_loopback_without_flag(release: Path) -> None:
    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), "serve", "--host", "0.0.0.0", "--release", str(release)]
    )
    assert result.exit_code == 2
    assert "--allow-remote" in result.stderr


@dataclass
class Running:
    process: subprocess.Popen[str]
    url: str

    def children(self) -> list[int]:
        """The server's worker processes (not multiprocessing's resource tracker)."""
        task = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(p) for p in task.read_text().split()]
        return [p for p in pids if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]

    def stop(self) -> str:
        """Stop the server as a service manager would (SIGTERM); what it wrote to stderr since."""
        self.process.terminate()
        _, rest = self.process.communicate(timeout=10)
        return rest


def run_serve(release: Path, *options: str) -> Running:
    command = [sys.executable, "-m", "pdkg", "--root", str(ROOT), "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--release", str(release), *options], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "read-only at http://127.0.0.1:" in line, line
    return Running(process, line.split(" at ")[1].split()[0].rstrip("/"))


def test_serve_command_starts_and_stops(release: Path) -> None:
    running = run_serve(release, "--workers", "2")
    try:
        status, _ = fetch(running.url + "/query?" + urllib.parse.urlencode({"query": "ASK {}"}))
        assert status == 200
        workers = running.children() if PROC else []
    finally:
        log = running.stop()
    assert running.process.returncode == 0
    assert "Traceback" not in log
    assert wait_dead(workers) == []


# --- load: a burst of concurrent clients ----------------------------------------------------


def rss_kb(pid: int, key: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise LookupError(key)


@pytest.mark.skipif(not PROC, reason="measures memory through /proc (Linux)")
def test_serve_answers_a_burst_of_200_queries_within_bounded_memory(release: Path) -> None:
    running = run_serve(
        release, "--timeout", f"{LIMIT_S:g}", "--max-rows", str(MAX_ROWS), "--workers", "2"
    )
    try:
        server_pid = running.process.pid
        # A first query, so the baseline includes what answering any query allocates.
        assert ask(running.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0] == 200
        baseline = rss_kb(server_pid)
        counted = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT "
        queries = [counted + str(n) + " } }" for n in range(1, 201)]
        limited = [SLOW, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"]
        gate = threading.Barrier(len(queries) + len(limited))

        def one(query: str) -> tuple[int, bytes]:
            gate.wait(timeout=30)
            return ask(running.url, query)

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(queries) + len(limited)) as pool:
            answers = list(pool.map(one, queries + limited, timeout=120))
        wall = time.monotonic() - started

        for n, (status, body) in enumerate(answers[: len(queries)], start=1):
            assert (status, body.decode().split()) == (200, ["n", str(n)])
        assert [status for status, _ in answers[len(queries) :]] == [504, 422]
        assert wall < 60
        growth_mb = (rss_kb(server_pid) - baseline) / 1024
        assert growth_mb < 64, f"server RSS grew by {growth_mb:.0f} MB"
        workers = running.children()
        assert len(workers) == 2  # the stopped one was replaced, and no more were started
        peaks_mb = [rss_kb(pid, "VmHWM") / 1024 for pid in workers]
        assert max(peaks_mb) < 512, f"worker peak RSS {peaks_mb} MB"
    finally:
        log = running.stop()
    assert "Traceback" not in log
