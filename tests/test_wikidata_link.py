"""#11: `pdkg link` against a real `oxigraph serve` holding the verified snapshot, the client's
manners against a fault-injecting loopback server, and bad input.

Expected outcomes are derived in each test from the snapshot itself (which items carry a label,
in which country), not copied from the command's output."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDFS, Graph, Literal, URIRef

from pdkg import cli
from pdkg.errors import InputFileError, WikidataError
from pdkg.paths import ProjectPaths
from pdkg.vocab import WD, WDT
from pdkg.wikidata import client, link

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Graph().parse(ROOT / "wikidata" / "snapshot.ttl")

#: spellings the chapter prints ("Istambul", graph/places-abroad.ttl pd:asPrinted; "Gwanjiu",
#: Table 3.2), the close spellings "Surabaja" and "Lodz", decoys that share a label (Birmingham,
#: Victoria, Frankfurt) and a city no item has
NAMES = ROOT / "tests" / "data" / "wikidata" / "names.csv"


def labelled(text: str) -> set[str]:
    """The QIDs of the snapshot's items whose English label is ``text``."""
    return {str(s)[len(str(WD)) :] for s in SNAPSHOT.subjects(RDFS.label, Literal(text, lang="en"))}


def country_of(qid: str) -> set[str]:
    return {str(o)[len(str(WD)) :] for o in SNAPSHOT.objects(URIRef(WD[qid]), WDT.P17)}


@pytest.fixture
def names_csv() -> Path:
    return NAMES


@pytest.mark.integration
def test_link_gives_each_row_its_outcome_on_a_real_endpoint(
    project_paths: ProjectPaths, names_csv: Path, recorded_wikidata: tuple[str, list[Any]]
) -> None:
    url, asked = recorded_wikidata
    wikidata = client.remote(project_paths, url, cache=None, per_minute=6000)
    kinds = link.read_kinds(project_paths.root / "wikidata" / "kinds.tsv")
    outcomes = link.reconcile(link.read_names(names_csv), wikidata, names_csv, kinds)
    got = {(o.row.label, o.row.country): o for o in outcomes}

    (turkey,) = labelled("Turkey")
    (istanbul,) = labelled("Istanbul")
    assert got["Istambul", turkey].status == "match"
    assert got["Istambul", turkey].candidates[0].qid == istanbul
    assert got["Surabaja", "Q252"].candidates[0].qid == next(iter(labelled("Surabaya")))
    assert got["Lodz", next(iter(labelled("Poland")))].candidates[0].qid == next(
        iter(labelled("Łódź"))
    )
    # two items labelled Gwangju lie in South Korea: reported, never picked
    (korea,) = labelled("South Korea")
    gwangju = {q for q in labelled("Gwangju") if korea in country_of(q)}
    assert len(gwangju) == 2
    assert got["Gwanjiu", korea].status == "ambiguous"
    assert {c.qid for c in got["Gwanjiu", korea].candidates} == gwangju
    assert got["Birmingham", None].status == "ambiguous"
    assert {c.qid for c in got["Birmingham", None].candidates} == labelled("Birmingham")
    (uk,) = labelled("United Kingdom")
    (birmingham_uk,) = {q for q in labelled("Birmingham") if uk in country_of(q)}
    assert got["Birmingham", uk].status == "match"
    assert got["Birmingham", uk].candidates[0].qid == birmingham_uk
    assert {c.qid for c in got["Victoria", None].candidates} == labelled("Victoria")
    (germany,) = labelled("Germany")
    frankfurts = {c.qid for c in got["Frankfurt", germany].candidates}
    assert got["Frankfurt", germany].status == "ambiguous"
    assert frankfurts == labelled("Frankfurt") | labelled("Frankfurt (Oder)")
    assert got["Atlantis", germany].status == "none"
    assert got["Atlantis", germany].candidates == ()

    # batched: one request per stage (countries, names, pools), each a VALUES block, with pdkg's
    # User-Agent; never one request per label
    assert len(asked) == 3
    assert all("VALUES" in a["query"] for a in asked)
    assert all(a["agent"].startswith("pdkg/") for a in asked)


@pytest.mark.integration
def test_link_command_writes_sssom_that_the_sssom_package_reads(
    project_paths: ProjectPaths, names_csv: Path, wikidata_endpoint: str, tmp_path: Path
) -> None:
    from sssom.parsers import parse_sssom_table

    out = tmp_path / "found.sssom.tsv"
    result = CliRunner().invoke(
        cli.main,
        [
            "--root",
            str(project_paths.root),
            "link",
            "--input",
            str(names_csv),
            "--endpoint",
            wikidata_endpoint,
            "--no-cache",
            "--output",
            str(out),
            "--format",
            "csv",
        ],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    matched = {r["label"]: r["item"] for r in rows if r["status"] == "match"}
    table = parse_sssom_table(out).df
    assert sorted(table["object_id"]) == sorted(f"wd:{q}" for q in matched.values())
    assert set(table["predicate_id"]) == {"skos:exactMatch"}
    assert set(table["mapping_justification"]) == {"semapv:LexicalMatching"}
    assert all(0.85 <= c <= 1.0 for c in table["confidence"])
    assert f"match {len(matched)}" in result.stderr


def test_client_retries_429_after_retry_after_and_sends_its_user_agent(
    project_paths: ProjectPaths, faulty: str
) -> None:
    from conftest import FaultHandler

    wikidata = client.remote(project_paths, faulty + "/busy-then-ok", cache=None)
    started = time.monotonic()
    wikidata.ask("twinned", params={"city": str(WD.Q16572)})

    assert time.monotonic() - started >= 1.0  # Retry-After: 1
    assert FaultHandler.calls["/busy-then-ok"] == 2
    assert all(seen["agent"].startswith("pdkg/") for seen in FaultHandler.seen)
    assert f"<{WD.Q16572}>" in FaultHandler.seen[0]["form"]["query"][0]  # bound as a term


@pytest.mark.parametrize(
    ("path", "timeout", "expected"),
    [
        ("/slow", 1.0, "no answer within 1 s"),
        ("/error500", 10.0, "HTTP 500"),
        ("/garbage", 10.0, "not SPARQL JSON results"),
        ("/always-busy", 1.5, "HTTP 503"),
    ],
)
def test_client_turns_each_failure_into_one_wikidata_error(
    project_paths: ProjectPaths, faulty: str, path: str, timeout: float, expected: str
) -> None:
    wikidata = client.remote(project_paths, faulty + path, cache=None, timeout=timeout)
    with pytest.raises(WikidataError, match=expected) as caught:
        wikidata.ask("twinned", params={"city": str(WD.Q16572)})
    assert "\n" not in str(caught.value)


def test_client_keeps_to_its_requests_per_minute(project_paths: ProjectPaths, faulty: str) -> None:
    wikidata = client.remote(project_paths, faulty + "/ok", cache=None, per_minute=120)
    started = time.monotonic()
    for city in ("Q16572", "Q456", "Q406"):
        wikidata.ask("twinned", params={"city": str(WD[city])})
    assert time.monotonic() - started >= 2 * 0.5  # three requests, 0.5 s apart at least


def test_client_answers_a_repeated_query_from_its_cache(
    project_paths: ProjectPaths, faulty: str, tmp_path: Path
) -> None:
    from conftest import FaultHandler

    wikidata = client.remote(project_paths, faulty + "/ok", cache=tmp_path / "cache")
    first = wikidata.ask("twinned", params={"city": str(WD.Q16572)})
    second = wikidata.ask("twinned", params={"city": str(WD.Q16572)})

    assert first == second
    assert FaultHandler.calls["/ok"] == 1
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1


def test_endpoint_comes_from_the_option_then_the_environment_then_the_live_service(
    project_paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(client.ENV, raising=False)
    assert client.remote(project_paths).where == client.LIVE
    monkeypatch.setenv(client.ENV, "http://127.0.0.1:9/sparql")
    assert client.remote(project_paths).where == "http://127.0.0.1:9/sparql"
    assert client.remote(project_paths, "http://127.0.0.1:8/q").where == "http://127.0.0.1:8/q"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label,country\nLyon,France\n", "line 1: needs the columns label, kind, country"),
        ("label,kind,country\nLyon,town,France\n", "line 2: unknown kind 'town'"),
        ("label,kind,country\n,city,France\n", "line 2: the label is empty"),
        ("label,kind,country\n", "has no rows under its header"),
    ],
)
def test_bad_names_file_is_one_line_naming_file_and_line(
    project_paths: ProjectPaths, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "names.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        link.read_names(path)
    result = CliRunner().invoke(
        cli.main, ["--root", str(project_paths.root), "link", "--input", str(path), "--snapshot"]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {path}")


@pytest.mark.parametrize(
    "args",
    [
        ["link"],
        ["link", "--missing", "--enrich"],
        ["link", "--input", "names.csv", "--snapshot", "--endpoint", "http://127.0.0.1:9/"],
    ],
)
def test_link_usage_errors_are_one_line_and_exit_2(
    project_paths: ProjectPaths, args: list[str]
) -> None:
    result = CliRunner().invoke(cli.main, ["--root", str(project_paths.root), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.network
def test_the_live_service_links_a_chapter_city(project_paths: ProjectPaths, tmp_path: Path) -> None:
    """Deselected by default (run with -m network): the same client against the live Wikidata
    Query Service, exact stage only; Lyon's item of the verified snapshot is among the answers."""
    path = tmp_path / "names.csv"
    path.write_text("label,kind,country\nLyon,city,France\n", encoding="utf-8")
    wikidata = client.remote(project_paths, client.LIVE, cache=None)
    kinds = link.read_kinds(project_paths.root / "wikidata" / "kinds.tsv")
    (outcome,) = link.reconcile(link.read_names(path), wikidata, path, kinds, pool=False)
    (lyon,) = SNAPSHOT.subjects(RDFS.label, Literal("Lyon", lang="en"))
    assert str(lyon).removeprefix(str(WD)) in {c.qid for c in outcome.candidates}


def test_exact_stage_alone_finds_labels_as_written_only(project_paths: ProjectPaths) -> None:
    kinds = link.read_kinds(project_paths.root / "wikidata" / "kinds.tsv")
    requests = link.read_names(NAMES)
    outcomes = link.reconcile(requests, client.snapshot(project_paths), NAMES, kinds, pool=False)
    got = {(o.row.label, o.row.country): o for o in outcomes}
    (turkey,) = labelled("Turkey")
    (uk,) = labelled("United Kingdom")

    assert not labelled("Istambul")
    assert got["Istambul", turkey].status == "none"  # a close spelling needs the pool
    assert got["Birmingham", uk].status == "match"


def test_an_alias_is_found_by_the_names_query(project_paths: ProjectPaths, tmp_path: Path) -> None:
    """The snapshot holds no aliases, so a two-item stand-in in Wikidata's shape (skos:altLabel,
    as the query service serves aliases) shows the alias branch of names.rq at work."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(
        b"""@prefix wd: <http://www.wikidata.org/entity/> .
        @prefix wdt: <http://www.wikidata.org/prop/direct/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        wd:Q1 rdfs:label "Aville"@en ; skos:altLabel "Old Aville"@en ; wdt:P17 wd:Q9 .
        wd:Q9 rdfs:label "Testland"@en ; wdt:P31 wd:Q6256 .
        """,
        format=ox.RdfFormat.TURTLE,
    )
    names = tmp_path / "names.csv"
    names.write_text("label,kind,country\nOld Aville,city,Testland\n", encoding="utf-8")
    wikidata = client.Wikidata(client.wikidata_queries(project_paths), "a stand-in", store=store)
    kinds = link.read_kinds(project_paths.root / "wikidata" / "kinds.tsv")
    (outcome,) = link.reconcile(link.read_names(names), wikidata, names, kinds)

    assert outcome.status == "match"
    assert (outcome.candidates[0].qid, outcome.candidates[0].how) == ("Q1", "exact alias")
    assert outcome.candidates[0].label == "Aville"


def test_a_names_file_with_a_byte_order_mark_reads_as_any_other(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes("label,kind,country\nLyon,city,France\n".encode("utf-8-sig"))
    (request,) = link.read_names(path)
    assert (request.label, request.kind, request.country, request.line) == (
        "Lyon",
        "city",
        "France",
        2,
    )
