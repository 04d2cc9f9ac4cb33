"""Shared fixtures: the project's paths, and a CLI runner."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from loopback import free_port, require_binary, serving
from pdkg import store
from pdkg.load import load_release_store
from pdkg.paths import ProjectPaths
from pdkg.query.target import Target, connect
from virtuoso import Virtuoso, virtuoso_server

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def project_paths() -> ProjectPaths:
    """The real project: its ontology, shapes, rules and queries (tests give their own data)."""
    return ProjectPaths(ROOT)


@pytest.fixture(scope="module")
def chapter(project_paths: ProjectPaths) -> Target:
    """The project graph (the chapter and the records, without the national layer of #15:
    tests/test_national.py reads that), queried locally."""
    return connect(project_paths, data=[project_paths.root / "graph"])


@pytest.fixture(scope="session")
def national(project_paths: ProjectPaths) -> Target:
    """The whole release, the national layer of #15 included (``dist/store``, built once)."""
    return connect(project_paths)


@pytest.fixture(scope="module")
def hand(project_paths: ProjectPaths) -> Target:
    """The hand-made network of tests/data/analytics/control.ttl, queried locally."""
    return connect(project_paths, data=[project_paths.root / "tests/data/analytics/control.ttl"])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal_data() -> Path:
    """A small graph that conforms (written for the shape tests)."""
    return ROOT / "tests" / "data" / "graph" / "minimal.ttl"


# --- real SPARQL servers on loopback ---------------------------------------------------------


def oxigraph_binary() -> str:
    """The `oxigraph` server from the dev extra's wheel (skip locally, fail in CI, if missing)."""
    found = shutil.which("oxigraph") or shutil.which(
        "oxigraph", path=str(Path(sys.executable).parent)
    )
    return require_binary(
        found, "the oxigraph server binary is not installed (pip install oxigraph)"
    )


def wait_until_ready(url: str, process: subprocess.Popen[bytes], deadline: float = 10.0) -> None:
    """Poll `ASK {}` on the endpoint until it answers, or fail after `deadline` seconds."""
    ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}")
        try:
            with urllib.request.urlopen(ask, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} not ready after {deadline} s")


@contextlib.contextmanager
def oxigraph_server(location: Path, *, read_only: bool, load: Path | None = None) -> Iterator[str]:
    """Run `oxigraph serve[-read-only]` on a free loopback port; yield its base URL."""
    binary = oxigraph_binary()
    if load is not None:
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(load)],
            check=True,
            capture_output=True,
        )
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    process = subprocess.Popen(
        [binary, command, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base + "/query", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def sample_project(
    tmp_path_factory: pytest.TempPathFactory, project_paths: ProjectPaths
) -> ProjectPaths:
    """The project with its national datasets cut to :data:`SAMPLE_PROVINCES` in
    :data:`SAMPLE_SNAPSHOTS` (and every Wikipedia row): the real ontology, graph, queries and
    Wikidata snapshot (links), a national layer small enough for rdflib, pySHACL and every engine
    while every national query still answers. tests/test_national.py reads the whole layer."""
    root = tmp_path_factory.mktemp("sample-project")
    for name in ("ontology", "graph", "queries", "wikidata"):
        (root / name).symlink_to(project_paths.root / name, target_is_directory=True)
    national = root / "national"
    for name in ("chapter-places.tsv", "gb2260/sources.tsv", *WIKIPEDIA):
        (national / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(project_paths.national / name, national / name)
    for revision in SAMPLE_SNAPSHOTS:
        lines = (project_paths.national / "gb2260" / f"{revision}.tsv").read_text(encoding="utf-8")
        header, *rows = lines.splitlines()
        kept = [row for row in rows if row.split("\t")[2][:2] in SAMPLE_PROVINCES]
        text = "\n".join([header, *kept]) + "\n"
        (national / "gb2260" / f"{revision}.tsv").write_text(text, encoding="utf-8")
    return ProjectPaths(root)


#: the national layer's sample: two provinces in six snapshots, every Wikipedia row
WIKIPEDIA = ("wikipedia/twinning_china.csv", "wikipedia/partner-places.tsv")
SAMPLE_PROVINCES = ("44", "50")  # Guangdong; Chongqing, a municipality from 1997
SAMPLE_SNAPSHOTS = ("199612", "199712", "201612", "201706", "201801", "201904")


@pytest.fixture(scope="session")
def release_nt(tmp_path_factory: pytest.TempPathFactory, sample_project: ProjectPaths) -> Path:
    """The release of :func:`sample_project` (ontology, graph, national sample, rules' output)
    as N-Triples, built once a session the way ``pdkg build`` builds it."""
    path = tmp_path_factory.mktemp("release") / "pdkg.nt"
    path.write_bytes(store.ntriples(load_release_store(sample_project)))
    return path


@pytest.fixture(scope="module")
def site_url(release_nt: Path) -> Iterator[str]:
    """``pdkg serve``'s server on 127.0.0.1 over the real release, with the saved queries and
    the ontology: its base URL (one worker; stopped after the module)."""
    from pdkg.serve import Site

    site = Site(release_nt, None, workers=1, queries=ROOT / "queries", ontology=ROOT / "ontology")
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def release_store(release_nt: Path) -> ox.Store:
    """The real release in an in-memory Oxigraph store of the module's own (0.07 s to load)."""
    indexed = ox.Store()
    indexed.bulk_load(path=str(release_nt), format=ox.RdfFormat.N_TRIPLES)
    return indexed


@pytest.fixture(scope="session")
def sparql_endpoint(tmp_path_factory: pytest.TempPathFactory, release_nt: Path) -> Iterator[str]:
    """A read-only Oxigraph server holding the release in its default graph: its /query URL."""
    location = tmp_path_factory.mktemp("oxigraph-release")
    with oxigraph_server(location, read_only=True, load=release_nt) as base:
        yield base + "/query"


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A stand-in for the Wikidata Query Service: the verified snapshot on loopback."""
    location = tmp_path_factory.mktemp("oxigraph-wikidata")
    with oxigraph_server(location, read_only=True, load=ROOT / "wikidata" / "snapshot.ttl") as base:
        yield base + "/query"


@pytest.fixture
def writable_store(tmp_path: Path) -> Iterator[str]:
    """An empty read-write Oxigraph server: its base URL (/query, /update, /store)."""
    with oxigraph_server(tmp_path / "store", read_only=False) as base:
        yield base


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    return free_port()


# --- a fault-injecting HTTP server on loopback ------------------------------------------

ONE_ROW = {
    "head": {"vars": ["n"]},
    "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
}
CAPPED = {
    "head": {"vars": ["n"]},
    "results": {"bindings": [{"n": {"type": "literal", "value": str(i)}} for i in range(10_000)]},
}


class FaultHandler(BaseHTTPRequestHandler):
    """Answers by path: each path is one way an endpoint can fail."""

    calls: ClassVar[dict[str, int]] = {}
    seen: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        self.seen.append(
            {"path": self.path, "agent": self.headers.get("User-Agent"), "form": parse_qs(body)}
        )
        path = self.path.split("?")[0]
        count = self.calls[path] = self.calls.get(path, 0) + 1
        if path == "/slow":
            time.sleep(2.5)
            self._json(ONE_ROW)
        elif path == "/error500":
            self._plain(500, "internal error")
        elif path == "/busy-then-ok":
            if count == 1:
                self._plain(429, "slow down", {"Retry-After": "1"})
            else:
                self._json(ONE_ROW)
        elif path == "/always-busy":
            self._plain(503, "unavailable", {"Retry-After": "1"})
        elif path == "/garbage":
            self._plain(
                200, "<html>not json</html>", {"Content-Type": "application/sparql-results+json"}
            )
        elif path == "/capped":
            self._json(CAPPED)
        elif path == "/partial":
            self._json(
                ONE_ROW,
                {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"},
            )
        else:
            self._json(ONE_ROW)

    def _json(self, document: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._plain(
            200,
            json.dumps(document),
            {"Content-Type": "application/sparql-results+json", **(headers or {})},
        )

    def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        for key, value in {"Content-Type": "text/plain", **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def faulty() -> Iterator[str]:
    """A loopback HTTP server that fails in the way its path says; yields its base URL."""
    FaultHandler.calls.clear()
    FaultHandler.seen.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FaultHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class RecordingProxy(BaseHTTPRequestHandler):
    """Forwards each POST to ``target`` and keeps what it was asked and what came back."""

    target: ClassVar[str] = ""
    asked: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = urllib.request.Request(self.target, data=body, method="POST")
        for name in ("Content-Type", "Accept"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, kind, payload = answer.status, answer.headers["Content-Type"], answer.read()
        kind_sent = self.headers.get("Content-Type", "")
        form = parse_qs(body.decode())
        self.asked.append(
            {
                "query": body.decode()
                if kind_sent.startswith("application/sparql-query")
                else form.get("query", [""])[0],
                "agent": self.headers.get("User-Agent"),
                "answer": payload,
            }
        )
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def recorded_wikidata(wikidata_endpoint: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The Wikidata stand-in behind a loopback proxy: its URL, and the requests it received."""
    RecordingProxy.target = wikidata_endpoint
    RecordingProxy.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", RecordingProxy.asked
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A real, empty Virtuoso 7.2 on loopback (Debian's virtuoso-opensource-7-bin)."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
