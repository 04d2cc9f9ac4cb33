"""#11: the graph's Wikidata links and what the release says of Wikidata.

- Every link is skos:exactMatch to a QID of the verified snapshot, with its provenance axiom
  quoting that QID's evidence; no owl:sameAs; under OWL 2 RL no Wikidata item becomes an actor.
- The release's SSSOM file, diff, QuickStatements and map, written from the snapshot offline.
- The federated query asks the endpoint for the one city's P190, bound inside SERVICE.
Expected values are computed in the tests from the graph and the snapshot."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from pdkg.load import Project, load_project
from pdkg.paths import ProjectPaths
from pdkg.query.engine import run_local, to_store
from pdkg.query.saved import get_query, load_queries
from pdkg.validation import release_graph
from pdkg.vocab import PD, WD, WDT
from pdkg.wikidata import publish

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Graph().parse(ROOT / "wikidata" / "snapshot.ttl")
PROV = Namespace("http://www.w3.org/ns/prov#")
PDO = Namespace("https://w3id.org/pdkg/ontology#")
GUANGZHOU = URIRef("https://w3id.org/pdkg/resource/guangzhou")


@pytest.fixture(scope="module")
def project(project_paths: ProjectPaths) -> Project:
    return load_project(project_paths)


@pytest.fixture(scope="module")
def links(project: Project) -> set[tuple[URIRef, URIRef]]:
    return {
        (s, o)
        for s, o in project.graph.subject_objects(SKOS.exactMatch)
        if str(o).startswith(str(WD))
    }


def test_every_qid_in_the_graph_is_in_the_snapshot(
    project: Project, links: set[tuple[URIRef, URIRef]]
) -> None:
    in_snapshot = set(SNAPSHOT.subjects())
    assert len(links) > 100
    assert {o for _, o in links} <= in_snapshot
    mentioned = {o for o in project.graph.objects() if str(o).startswith(str(WD))}
    assert mentioned <= in_snapshot


def test_no_owl_same_as_anywhere_in_the_graph(project: Project) -> None:
    assert not list(project.graph.triples((None, OWL.sameAs, None)))


def test_each_link_has_one_provenance_axiom_quoting_its_evidence(
    project: Project, links: set[tuple[URIRef, URIRef]]
) -> None:
    with (ROOT / "wikidata" / "sources.tsv").open(encoding="utf-8") as handle:
        evidence = {row["qid"]: row["evidence"] for row in csv.DictReader(handle, delimiter="\t")}
    graph = project.graph
    annotated = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        key = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedTarget))
        assert key not in annotated, key
        annotated[key] = axiom
    assert set(annotated) == links
    for (_, item), axiom in annotated.items():
        qid = str(item)[len(str(WD)) :]
        assert evidence[qid] in str(graph.value(axiom, RDFS.comment))
        assert graph.value(axiom, OWL.annotatedProperty) == SKOS.exactMatch


def test_an_owl_rl_closure_of_release_and_snapshot_makes_no_wikidata_item_an_actor(
    project: Project,
) -> None:
    import owlrl

    release, _ = release_graph(project)
    closure = release + SNAPSHOT
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)

    items = {s for s in closure.subjects() if str(s).startswith(str(WD))}
    assert items
    kinds = [URIRef(str(PD.Actor)), URIRef(str(PD.Relation)), PDO.Record, PROV.Agent, PROV.Entity]
    typed = {(s, kind) for s in items for kind in kinds if (s, RDF.type, kind) in closure}
    derived = {s for s in items if (s, PROV.wasDerivedFrom, None) in closure}
    assert typed == set()
    assert derived == set()
    # the links themselves are there, from the graph's side
    assert (GUANGZHOU, SKOS.exactMatch, WD.Q16572) in closure


@pytest.fixture(scope="module")
def published(project_paths: ProjectPaths, project: Project, tmp_path_factory: Any) -> Path:
    release, _ = release_graph(project)
    store = to_store(release)
    out = tmp_path_factory.mktemp("wikidata-release")

    def query(name: str, params: dict[str, str]) -> Any:
        return run_local(get_query(project_paths.queries, name), store, params)

    publish.write_wikidata(out, query, project_paths)
    return out


def test_the_release_mappings_are_sssom_the_sssom_package_reads(
    published: Path, links: set[tuple[URIRef, URIRef]]
) -> None:
    from sssom.parsers import parse_sssom_table

    table = parse_sssom_table(published / "mappings.sssom.tsv").df
    expected = {
        (f"pdr:{str(s).rsplit('/', 1)[-1]}", f"wd:{str(o)[len(str(WD)) :]}") for s, o in links
    }
    assert set(zip(table["subject_id"], table["object_id"], strict=True)) == expected
    assert set(table["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    row = table[table["object_id"] == "wd:Q16572"].iloc[0]
    (english,) = (v for v in SNAPSHOT.objects(WD.Q16572, RDFS.label) if v.language == "en")
    assert row["object_label"] == str(english)
    assert row["subject_label"] == "Guangzhou"


def test_the_diff_puts_each_partner_where_the_graph_and_the_snapshot_put_it(
    published: Path, project: Project
) -> None:
    graph = project.graph
    partners = {
        p
        for claim in graph.subjects(PDO.partner, GUANGZHOU)
        for p in graph.objects(claim, PDO.partner)
        if p != GUANGZHOU
    }
    listed = {str(o)[len(str(WD)) :] for o in SNAPSHOT.objects(WD.Q16572, WDT.P190)}
    listed |= {str(s)[len(str(WD)) :] for s in SNAPSHOT.subjects(WDT.P190, WD.Q16572)}
    qid = {
        p: next(
            (
                str(o)[len(str(WD)) :]
                for o in graph.objects(p, SKOS.exactMatch)
                if str(o).startswith(str(WD))
            ),
            "",
        )
        for p in partners
    }
    expected = {
        str(p): ("unlinked" if not q else "both" if q in listed else "graph only")
        for p, q in qid.items()
    }
    with (published / "wikidata-diff.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    got = {r["partner"]: r["status"] for r in rows if r["partner"]}
    assert got == expected
    only_wikidata = {r["item"] for r in rows if r["status"] == "wikidata only"}
    assert only_wikidata == listed - set(qid.values())
    assert {"both", "graph only", "wikidata only", "unlinked"} == {r["status"] for r in rows}


def test_quickstatements_give_back_only_official_pairs_wikidata_lacks(
    published: Path, project: Project
) -> None:
    graph = project.graph
    (statement,) = graph.subjects(RDF.type, PDO.CompletenessStatement)
    official_sources = set(graph.objects(statement, PDO.completeSource))
    listed = {str(o)[len(str(WD)) :] for o in SNAPSHOT.objects(WD.Q16572, WDT.P190)}
    expected = {}
    for claim in graph.subjects(PDO.partner, GUANGZHOU):
        if (claim, RDF.type, PDO.SisterCityPartnership) not in graph:
            continue
        if not set(graph.objects(claim, PROV.wasDerivedFrom)) & official_sources:
            continue
        if (claim, PDO.claimStatus, None) in graph:
            continue
        for partner in set(graph.objects(claim, PDO.partner)) - {GUANGZHOU}:
            for item in graph.objects(partner, SKOS.exactMatch):
                qid = str(item)[len(str(WD)) :]
                if str(item).startswith(str(WD)) and qid not in listed:
                    expected[qid] = graph.value(claim, PDO.startDate)
    lines = (published / "quickstatements.txt").read_text(encoding="utf-8").splitlines()
    got = {line.split("\t")[2]: line for line in lines}
    assert set(got) == set(expected)
    assert expected
    for qid, line in got.items():
        cells = line.split("\t")
        assert cells[:2] == ["Q16572", "P190"]
        assert cells[3] == "P580"
        start = expected[qid]
        precision = {XSD.date: 11, XSD.gYearMonth: 10, XSD.gYear: 9}[start.datatype]
        padded = (str(start) + "-00-00")[:10]
        assert cells[4] == f"+{padded}T00:00:00Z/{precision}"
        assert cells[5] == "S854"
        assert re.fullmatch(r'"https?://\S+"', cells[6])
    writeback = Graph().parse(published / "wikidata-writeback.ttl")
    ps = URIRef("http://www.wikidata.org/prop/statement/P190")
    assert {str(o)[len(str(WD)) :] for o in writeback.objects(None, ps)} == set(expected)


def test_the_partner_map_is_drawn_from_the_committed_enrichment(published: Path) -> None:
    enrichment = Graph().parse(published / "wikidata-enrichment.ttl")
    source = URIRef("https://w3id.org/pdkg/resource/wikidata-enrichment")
    assert str(enrichment.value(source, RDFS.label)).startswith("Wikidata (")
    assert (WD.Q16572, WDT.P625, None) in enrichment
    svg = (published / "figures" / "guangzhou-partners-map.svg").read_text(encoding="utf-8")
    assert "Lyon" in svg  # a sister city with coordinates in the snapshot
    assert re.search(r"\d+ places? without coordinates", svg)


@pytest.mark.integration
def test_the_federated_query_asks_the_endpoint_for_one_city_only(
    project_paths: ProjectPaths, project: Project, recorded_wikidata: tuple[str, list[Any]]
) -> None:
    url, asked = recorded_wikidata
    release, _ = release_graph(project)
    query = load_queries(project_paths.queries)["sister-cities-wikidata"]
    table = run_local(query, to_store(release), {"wikidata": url})

    (request,) = asked
    assert re.search(
        r"VALUES\s*\(\s*\?_cityItem_iri\s*\)\s*\{\s*\(\s*<" + re.escape(str(WD.Q16572)),
        request["query"],
    )
    import json

    answered = json.loads(request["answer"])["results"]["bindings"]
    p190 = set(SNAPSHOT.objects(WD.Q16572, WDT.P190))
    assert len(answered) == len(p190)  # only Guangzhou's list came back
    rows = {r["partnerLabel"]: r for r in table.to_dicts()}
    assert rows["Lyon"]["listedOnWikidata"] is True
    assert Literal("Lyon", lang="en") in set(SNAPSHOT.objects(WD.Q456, RDFS.label))


@pytest.mark.parametrize(
    ("city", "message"),
    [
        ("yiwu", "has no verified Wikidata item"),  # a city of the graph without a link
        ("nowhere-city", "is no slug in the graph"),
    ],
)
def test_wikidata_diff_refuses_a_city_it_cannot_compare(
    project_paths: ProjectPaths, city: str, message: str
) -> None:
    from click.testing import CliRunner

    from pdkg import cli

    result = CliRunner().invoke(
        cli.main, ["--root", str(project_paths.root), "wikidata-diff", "--snapshot", "--city", city]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert result.stdout == ""


def test_link_missing_lists_every_actor_and_place_without_a_link(
    project_paths: ProjectPaths, project: Project, links: set[tuple[URIRef, URIRef]]
) -> None:
    from click.testing import CliRunner

    from pdkg import cli

    release, _ = release_graph(project)
    tops = {URIRef(str(PD.Actor)), PDO.Place}
    classes = {c for top in tops for c in release.transitive_subjects(RDFS.subClassOf, top)}
    typed = {s for c in classes for s in release.subjects(RDF.type, c) if isinstance(s, URIRef)}
    expected = {str(s) for s in typed} - {str(s) for s, _ in links}

    result = CliRunner().invoke(
        cli.main,
        [
            *("--root", str(project_paths.root), "link", "--missing", "--format", "csv"),
            *("--data", str(project_paths.root / "graph")),  # the chapter's graph, as ``project``
        ],
    )
    assert result.exit_code == 0
    got = {row["entity"] for row in csv.DictReader(result.stdout.splitlines())}
    assert got == expected
    assert f"{len(expected)} actors and places have no Wikidata link" in result.stderr


def test_enrichment_is_written_apart_and_never_enters_the_release(
    project_paths: ProjectPaths, project: Project, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from pdkg import cli

    out = tmp_path / "enrichment.ttl"
    result = CliRunner().invoke(
        cli.main,
        ["--root", str(project_paths.root), "link", "--enrich", "--snapshot", "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    enrichment = Graph().parse(out)
    source = URIRef("https://w3id.org/pdkg/resource/wikidata-enrichment")
    assert "verified snapshot" in str(enrichment.value(source, RDFS.label))
    for item in (WD.Q16572, WD.Q456):  # Guangzhou and Lyon, coordinates as the snapshot has them
        assert set(enrichment.objects(item, WDT.P625)) == set(SNAPSHOT.objects(item, WDT.P625))
    release, _ = release_graph(project)
    assert not list(release.triples((None, WDT.P625, None)))
