"""`pdkg serve`: a read-only SPARQL endpoint over the release, its query page and the docs."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdkg import cli
from pdkg.queries import get_query
from pdkg.remote import Endpoint, run_remote
from pdkg.serve import Site, load_store, make_server

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "dist"
    data = ROOT / "tests" / "data" / "graph" / "minimal.ttl"
    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), "build", "--out", str(out), "--data", str(data)]
    )
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def served(release: Path) -> Iterator[str]:
    server = make_server(Site(load_store(release / "pdkg.nt"), release / "docs"), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


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
    ("path", "data", "kind"),
    [
        ("/update", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("/update", b"DROP ALL", "application/sparql-update"),
        ("/query", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
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


def test_serve_bad_query_is_400(served: str) -> None:
    status, _ = fetch(
        f"{served}/query",
        data=b"SELECT WHERE {",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 400


def test_serve_refuses_non_loopback_without_flag(release: Path) -> None:
    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), "serve", "--host", "0.0.0.0", "--release", str(release)]
    )
    assert result.exit_code == 2
    assert "--allow-remote" in result.stderr


def test_serve_command_starts_and_stops(release: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pdkg",
            "--root",
            str(ROOT),
            "serve",
            "--port",
            "0",
            "--release",
            str(release),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "read-only at http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        status, _ = fetch(url + "query?" + urllib.parse.urlencode({"query": "ASK {}"}))
        assert status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
