"""`pdkg push` into a real Oxigraph server: the graph arrives whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph

from parity import canonical, deskolemised
from pdkg import cli
from pdkg.query.http import Endpoint
from pdkg.query.push import CHUNK_TRIPLES, GENID, push_release
from pdkg.query.remote import run_text

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "graph"
GRAPH = "https://w3id.org/pdkg/graph"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, ["--root", str(ROOT), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def release(tmp_path: Path, minimal_data: Path) -> Path:
    out = tmp_path / "dist"
    assert invoke("build", "--out", str(out), "--data", str(minimal_data))[0] == 0
    return out


def remote_counts(base: str) -> dict[str, str]:
    code, stdout, stderr = invoke(
        "query",
        "entity-counts",
        "--format",
        "csv",
        "--endpoint",
        f"{base}/query",
        "--default-graph",
        GRAPH,
    )
    assert code == 0, stderr
    return {line.split(",")[2]: line.split(",")[3] for line in stdout.splitlines()[1:]}


def triples(base: str) -> int:
    code, stdout, stderr = invoke(
        "query",
        "graph-size",
        "-p",
        f"graph={GRAPH}",
        "--format",
        "csv",
        "--endpoint",
        f"{base}/query",
    )
    assert code == 0, stderr
    rows = stdout.splitlines()[1:]
    return int(rows[0].split(",")[1]) if rows else 0


@pytest.mark.parametrize("via", ["update", "store"])
def test_push_then_query(writable_store: str, release: Path, via: str) -> None:
    extra = ["--store-endpoint", f"{writable_store}/store"] if via == "store" else []
    args = ["push", "--endpoint", f"{writable_store}/query", "--release", str(release), *extra]
    code, stdout, stderr = invoke(*args)
    assert code == 0, stderr
    expected = sum(1 for _ in (release / "pdkg.nt").open(encoding="utf-8"))
    assert (
        stdout == f"pushed {expected} triples into <{GRAPH}> ({'gsp' if via == 'store' else via})\n"
    )
    assert triples(writable_store) == expected
    assert remote_counts(writable_store)["supervision"] == "2"
    assert invoke(*args)[0] == 0  # pushing again replaces, never duplicates
    assert triples(writable_store) == expected


def test_failed_swap_leaves_previous_graph(
    writable_store: str, release: Path, tmp_path: Path, faulty: str
) -> None:
    base = ["push", "--endpoint", f"{writable_store}/query"]
    assert invoke(*base, "--release", str(release))[0] == 0
    before = triples(writable_store)
    # a second release with one more supervision, whose final MOVE is refused by the server
    bigger = tmp_path / "bigger"
    code = invoke(
        "build",
        "--out",
        str(bigger),
        "--data",
        str(DATA / "minimal.ttl"),
        "--data",
        str(DATA / "extra-supervision.ttl"),
    )[0]
    assert code == 0
    code, stdout, stderr = invoke(
        *base,
        "--release",
        str(bigger),
        "--store-endpoint",
        f"{writable_store}/store",
        "--update-endpoint",
        f"{faulty}/error500",
    )
    assert code == 3
    assert stdout == ""
    assert "refused with HTTP 500" in stderr
    assert triples(writable_store) == before
    assert remote_counts(writable_store)["supervision"] == "2"


def test_unreachable_store_exits_3(release: Path, unused_port: int) -> None:
    code, _, stderr = invoke(
        "push", "--endpoint", f"http://127.0.0.1:{unused_port}/query", "--release", str(release)
    )
    assert code == 3
    assert "cannot connect" in stderr


def test_push_without_release_exits_2(tmp_path: Path) -> None:
    code, _, stderr = invoke(
        "push", "--endpoint", "http://127.0.0.1:1/query", "--release", str(tmp_path)
    )
    assert code == 2
    assert "run 'pdkg build' first" in stderr


def test_push_keeps_blank_nodes_whole_across_chunks(writable_store: str, release_nt: Path) -> None:
    """#8: 5,000-triple INSERT DATA chunks split blank nodes (56 nodes instead of 38, broken
    rdf:rest links), and the count check still passed. Now they travel as genid IRIs."""
    release = Graph().parse(release_nt, format="nt")
    assert len(release) > 2 * CHUNK_TRIPLES  # the upload really is split into chunks
    result = push_release(
        release, Endpoint(f"{writable_store}/query"), queries_dir=ROOT / "queries"
    )
    assert result.skolemised == len({t for s in release for t in s if isinstance(t, BNode)})
    stored = run_text(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}",
        Endpoint(f"{writable_store}/query"),
        form="CONSTRUCT",
    )
    assert isinstance(stored, Graph)
    assert not [t for t in stored if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    assert canonical(deskolemised(stored, GENID)) == canonical(release)


def test_push_refuses_a_graph_iri_that_is_not_an_iri(release: Path) -> None:
    code, _, stderr = invoke(
        "push",
        "--endpoint",
        "http://127.0.0.1:1/query",
        "--release",
        str(release),
        "--graph",
        "not an iri",
    )
    assert code == 2
    assert "must be an IRI" in stderr
