"""Saved queries on SPARQL endpoints: parity with the local engine, faults, retries, truncation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import FaultHandler
from parity import same_answer, size
from pdkg import cli
from pdkg.errors import EXIT_CANNOT_RUN, EndpointError, QueryParameterError
from pdkg.paths import ProjectPaths
from pdkg.query.binding import bind
from pdkg.query.engine import run_local
from pdkg.query.http import USER_AGENT, Endpoint
from pdkg.query.remote import run_remote
from pdkg.query.saved import SavedQuery, load_queries, parse_query

pytestmark = pytest.mark.integration

SIMPLE = parse_query("simple", "#+ summary: s\nSELECT ?n WHERE { ?s ?p ?n }")

# --- parity: every saved query gives the same table locally and through a real server ------


@pytest.fixture(scope="module")
def local_store(release_store: Any) -> Any:
    return release_store


def _runnable(project_paths: ProjectPaths) -> list[SavedQuery]:
    return [q for _, q in sorted(load_queries(project_paths.queries).items())]


@pytest.mark.parametrize(
    "name", [q.name for q in _runnable(ProjectPaths(Path(__file__).resolve().parents[1]))]
)
def test_saved_query_same_locally_and_remotely(
    project_paths: ProjectPaths,
    local_store: Any,
    sparql_endpoint: str,
    wikidata_endpoint: str,
    name: str,
) -> None:
    """Every saved query, of every form, answers exactly the same table (GROUP_CONCAT cells
    included, #8), boolean or graph locally and through a real Oxigraph server."""
    query = load_queries(project_paths.queries)[name]
    params = dict(query.example)
    params.update({p.name: wikidata_endpoint for p in query.params if p.type == "endpoint"})
    local = run_local(query, local_store, params)
    remote = run_remote(query, Endpoint(sparql_endpoint, timeout=30), params)
    assert same_answer(local, remote)
    if "operations" not in query.tags:  # graph-size counts named graphs; the local one has none
        assert size(local), f"{name} answers nothing with its example"


def test_cli_formats_identical_local_and_remote(
    project_paths: ProjectPaths, sparql_endpoint: str
) -> None:
    runner = CliRunner()
    for fmt in ("csv", "tsv", "json", "table"):
        base = [
            "--root",
            str(project_paths.root),
            "query",
            "visits",
            "-p",
            "year=2013",
            "--format",
            fmt,
        ]
        local = runner.invoke(cli.main, base, catch_exceptions=False)
        remote = runner.invoke(
            cli.main, [*base, "--endpoint", sparql_endpoint], catch_exceptions=False
        )
        assert (local.exit_code, remote.exit_code) == (0, 0), remote.stderr
        assert remote.stdout == local.stdout, fmt


def test_label_parameter_resolves_on_the_endpoint(
    project_paths: ProjectPaths, sparql_endpoint: str
) -> None:
    args = [
        "--root",
        str(project_paths.root),
        "query",
        "sister-cities",
        "-p",
        "city=Guangzhou",
        "--format",
        "csv",
        "--endpoint",
        sparql_endpoint,
    ]
    result = CliRunner().invoke(cli.main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    # §3.4's first sister city; the FAO's list gives the day (#10)
    assert "Fukuoka,Japan,1979,1979-05-02,,well-developed with a high-tech basis," in result.stdout


# --- faults: each gives its message and exit 3 ---------------------------------------------


def _fails(url: str, match: str, **options: Any) -> EndpointError:
    with pytest.raises(EndpointError, match=match) as caught:
        run_remote(SIMPLE, Endpoint(url, **options))
    assert caught.value.exit_code == EXIT_CANNOT_RUN
    return caught.value


def test_connection_refused(unused_port: int) -> None:
    _fails(f"http://127.0.0.1:{unused_port}/query", "cannot connect")


def test_timeout(faulty: str) -> None:
    _fails(f"{faulty}/slow", r"no answer within 1 s", timeout=1)


def test_http_500(faulty: str) -> None:
    error = _fails(f"{faulty}/error500", "HTTP 500")
    assert error.status == 500


def test_429_is_retried_after_retry_after(faulty: str) -> None:
    started = time.monotonic()
    table = run_remote(SIMPLE, Endpoint(f"{faulty}/busy-then-ok"))
    assert [str(row[0]) for row in table.rows] == ["1"]
    assert FaultHandler.calls["/busy-then-ok"] == 2
    assert time.monotonic() - started >= 1.0  # honoured Retry-After: 1


def test_503_gives_up_after_retries(faulty: str) -> None:
    error = _fails(f"{faulty}/always-busy", "HTTP 503", retries=1, timeout=10)
    assert error.status == 503
    assert FaultHandler.calls["/always-busy"] == 2


def test_invalid_json(faulty: str) -> None:
    _fails(f"{faulty}/garbage", "not SPARQL JSON results")


def test_truncated_at_known_cap(faulty: str) -> None:
    _fails(f"{faulty}/capped", "10000 rows is a known result cap.*ResultSetMaxRows")
    table = run_remote(SIMPLE, Endpoint(f"{faulty}/capped", allow_truncated=True))
    assert len(table.rows) == 10_000


def test_partial_answer_header(faulty: str) -> None:
    _fails(f"{faulty}/partial", "partial.*MaxQueryExecutionTime")


def test_request_carries_user_agent_and_timeout(faulty: str) -> None:
    run_remote(SIMPLE, Endpoint(f"{faulty}/ok", timeout=7))
    (seen,) = FaultHandler.seen
    assert seen["agent"] == USER_AGENT
    assert seen["form"]["timeout"] == ["7000"]
    assert seen["form"]["query"] == [SIMPLE.text]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/error500", "HTTP 500"), ("/garbage", "not SPARQL JSON"), ("/capped", "known result cap")],
)
def test_cli_exit_3_with_one_line(
    project_paths: ProjectPaths, faulty: str, path: str, message: str
) -> None:
    args = ["--root", str(project_paths.root), "query", "canton-fair", "--endpoint", faulty + path]
    result = CliRunner().invoke(cli.main, args, catch_exceptions=False)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: endpoint {faulty}{path} failed — ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_password_never_shown(unused_port: int) -> None:
    endpoint = Endpoint(f"http://user:s3cret@127.0.0.1:{unused_port}/query", password="s3cret")
    with pytest.raises(EndpointError) as caught:
        run_remote(SIMPLE, endpoint)
    assert "s3cret" not in str(caught.value)
    assert "s3cret" not in repr(endpoint)


# --- federation with the Wikidata stand-in ---------------------------------------------------


@pytest.mark.parametrize("where", ["local", "remote"])
def test_federated_sister_cities_with_wikidata(
    project_paths: ProjectPaths,
    local_store: Any,
    sparql_endpoint: str,
    wikidata_endpoint: str,
    where: str,
) -> None:
    query = load_queries(project_paths.queries)["sister-cities-wikidata"]
    params = {"wikidata": wikidata_endpoint}
    table = (
        run_local(query, local_store, params)
        if where == "local"
        else run_remote(query, Endpoint(sparql_endpoint), params)
    )
    rows = {r["partnerLabel"]: r for r in table.to_dicts()}
    assert rows["Lyon"]["item"] == "http://www.wikidata.org/entity/Q456"
    assert rows["Lyon"]["listedOnWikidata"] is True
    assert rows["Lyon"]["coordinates"] == "Point(4.841388888 45.758888888)"
    assert rows["Fukuoka"]["listedOnWikidata"] is True  # in P190, no coordinates in the excerpt
    assert rows["Fukuoka"]["coordinates"] is None
    assert rows["Harare"]["listedOnWikidata"] is None  # Wikidata's P190 for Guangzhou lacks it


def test_federated_endpoint_must_be_http(project_paths: ProjectPaths) -> None:
    query = load_queries(project_paths.queries)["sister-cities-wikidata"]
    for bad in ("file:///etc/passwd", "http://x/> } DROP ALL {", "javascript:alert(1)"):
        with pytest.raises(QueryParameterError, match="http\\(s\\) SPARQL endpoint URL"):
            bind(query, {"wikidata": bad})
