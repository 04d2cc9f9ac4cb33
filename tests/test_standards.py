"""W3C ORG, PROV-O, schema.org, FOAF and OWL-Time in the data (#9): standard queries answer
without a reasoner, with the same facts the pd: claims state."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from pdkg.paths import ProjectPaths
from pdkg.query.target import Target

ROOT = Path(__file__).resolve().parents[1]
PD = Namespace("https://w3id.org/pdkg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")


@pytest.fixture(scope="module")
def release(release_nt: Path) -> Graph:
    return Graph().parse(release_nt, format="nt")


def test_the_org_query_uses_no_pdkg_term(project_paths: ProjectPaths) -> None:
    text = (project_paths.queries / "org-posts.rq").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "w3id.org/pdkg" not in body
    assert "PREFIX pd" not in body


def test_org_terms_alone_answer_who_holds_which_post_in_which_body_when(chapter: Target) -> None:
    """The same holdings as the pd: claims (body -> holder, post), each with the same time: a
    "former" post (pd:endBefore) ended before its year, any other known as of its source's."""
    labels = {r["node"]: r["label"] for r in chapter.fetch("network-nodes").to_dicts()}

    def year(value: object) -> str | None:
        return None if value is None else str(value)[:4]

    ours: dict[tuple[str, str, str], set[tuple[str | None, ...]]] = {}
    for r in chapter.fetch("network-party-control").to_dicts():
        key = (labels[r["source"]], labels[r["target"]], r["kind"])
        if r["endBefore"]:  # ended before its year: never known to hold
            time = (None, None, None, str(r["endBefore"]))
        elif r["start"] or r["end"]:  # its own dates (#10: the records' posts)
            time = (year(r["start"]), year(r["end"]), None, None)
        else:  # no dates of their own: known as of the source's time
            time = (None, None, str(r["asOf"]), None)
        ours.setdefault(key, set()).add(time)
    rows = chapter.fetch("org-posts").to_dicts()
    assert {(r["bodyLabel"], r["holderLabel"], r["postLabel"]) for r in rows} == set(ours)
    assert any(t[3] for times in ours.values() for t in times)  # the chapter's "former" posts
    assert any(t[0] for times in ours.values() for t in times)  # posts with dates (#10)
    theirs: dict[tuple[str, str, str], set[tuple[str | None, ...]]] = {}
    for r in rows:
        key = (r["bodyLabel"], r["holderLabel"], r["postLabel"])
        time = tuple(r[c] or None for c in ("from", "until", "knownIn", "endedBefore"))
        theirs.setdefault(key, set()).add(time)
    assert theirs == ours


def _instances(graph: Graph, cls: URIRef) -> set[object]:
    classes = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes if str(c).startswith(str(PD)) for s in graph.subjects(RDF.type, c)}


@pytest.mark.parametrize(
    "standard",
    [
        ORG.Organization,
        ORG.Post,
        ORG.Membership,
        URIRef("http://www.w3.org/ns/prov#Entity"),
        URIRef("https://schema.org/City"),
        URIRef("http://xmlns.com/foaf/0.1/Person"),
    ],
)
def test_standard_classes_are_in_the_data(release: Graph, standard: URIRef) -> None:
    """Every instance of a pd: class aligned to a standard class is typed with it (the release held
    0 org:, schema: or foaf: triples)."""
    expected = _instances(release, standard)
    assert expected
    assert set(release.subjects(RDF.type, standard)) == expected


def test_post_holders_and_posts_are_linked_both_ways(release: Graph) -> None:
    """org:holds and org:heldBy in the present tense (#9): a post held "formerly" (pd:endBefore,
    or an end date) has none; every holding, ended or not, is an org:Membership with its role."""
    ended = 0
    for holding in release.subjects(RDF.type, PD.PostHolding):
        holder, post = release.value(holding, PD.holder), release.value(holding, PD.post)
        current = release.value(holding, PD.endBefore) is None and (
            release.value(holding, PD.endDate) is None
        )
        ended += not current
        assert ((holder, ORG.holds, post) in release) is current
        assert ((post, ORG.heldBy, holder) in release) is current
        assert (holding, ORG.member, holder) in release
        assert (holding, ORG.role, post) in release
    assert ended  # the chapter's "former" posts (Lin Shusen's, §3.4)


def test_every_ontology_term_is_defined_by_the_ontology() -> None:
    """#14 item 4: each class and property of pd: names the ontology that defines it, so a
    reader who meets a term anywhere (a dump, a store) can find its definition."""
    ontology = Graph().parse(ROOT / "ontology" / "pdkg.ttl")
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    terms = {
        s
        for s, o in ontology.subject_objects(RDF.type)
        if o in kinds and str(s).startswith(str(PD))
    }
    assert len(terms) > 100
    missing = {
        t
        for t in terms
        if (t, RDFS.isDefinedBy, URIRef("https://w3id.org/pdkg/ontology")) not in ontology
    }
    assert not missing, sorted(missing)[:5]
