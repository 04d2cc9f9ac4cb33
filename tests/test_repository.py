"""The real ontology, shapes, vocabularies and graph: parse, meta-validate, conform, reason."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.namespace import SH

from dl_reasoner import consistency
from pdkg.load import Project, load_graph, load_project
from pdkg.paths import ProjectPaths
from pdkg.release.dl import dl_variant
from pdkg.validation import release_graph, validate_project
from pdkg.vocab import PD

ROOT = Path(__file__).resolve().parents[1]
PD_NS = str(PD._NS)
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


@pytest.fixture(scope="module")
def project(project_paths: ProjectPaths) -> Project:
    return load_project(project_paths)


def test_graph_conforms(project: Project) -> None:
    report = validate_project(project)
    assert report.conforms, report.violations


def test_shapes_pass_shacl_meta_validation(project: Project) -> None:
    conforms, _, text = pyshacl.validate(
        project.shapes, shacl_graph=project.shapes, meta_shacl=True
    )
    assert conforms, text


@pytest.mark.integration
def test_a_dl_reasoner_finds_the_release_consistent(project: Project, tmp_path: Path) -> None:
    """#9: HermiT, a complete OWL 2 DL reasoner, on the DL variant of the whole release
    (ontology, vocabularies, data and the rules' output): no contradiction."""
    release, _ = release_graph(project)
    assert consistency(dl_variant(release), tmp_path) == "consistent"


def test_owl_rl_closure_is_consistent(project: Project) -> None:
    closure = project.ontology + project.graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert list(closure.subjects(RDF.type, OWL.Nothing)) == []
    errors = [str(m) for m in closure.objects(None, OWLRL_ERRORS.error)]
    assert errors == []


def test_owl_rl_flags_a_body_that_is_also_a_relation(project: Project) -> None:
    """The consistency test can fail: disjoint classes make a mistyped node inconsistent."""
    closure = project.ontology + project.graph
    closure.add((URIRef("https://w3id.org/pdkg/resource/state-council"), RDF.type, PD.Relation))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert list(closure.objects(None, OWLRL_ERRORS.error)) != []


def _ontology_terms(ontology: Graph) -> set[URIRef]:
    return {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(PD_NS)
    }


def test_every_term_has_english_label_and_definition(project: Project) -> None:
    skos_definition = URIRef("http://www.w3.org/2004/02/skos/core#definition")
    missing = [
        term
        for term in _ontology_terms(project.ontology)
        if not any(label.language == "en" for label in project.ontology.objects(term, RDFS.label))
        or project.ontology.value(term, skos_definition) is None
    ]
    assert missing == []


def test_ontology_metadata(project_paths: ProjectPaths) -> None:
    ontology = load_graph([project_paths.ontology])
    header = URIRef("https://w3id.org/pdkg/ontology")
    for prop in (
        OWL.versionIRI,
        URIRef("http://purl.org/dc/terms/title"),
        URIRef("http://purl.org/dc/terms/description"),
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"),
        URIRef("http://purl.org/vocab/vann/preferredNamespaceUri"),
    ):
        assert ontology.value(header, prop) is not None, prop


def test_vocab_terms_are_declared(project: Project) -> None:
    used = {getattr(PD, name) for name in PD.__annotations__}
    assert used <= _ontology_terms(project.ontology)


def test_every_class_used_in_graph_has_a_shape(project: Project) -> None:
    used = {o for o in project.graph.objects(None, RDF.type) if str(o).startswith(PD_NS)}
    shaped = set(project.shapes.objects(None, SH.targetClass))
    assert sorted(used - shaped) == []


def test_every_relation_node_has_provenance(project: Project) -> None:
    release, _ = release_graph(project)
    rows = release.query(
        """SELECT ?node WHERE {
            ?node a/rdfs:subClassOf* pd:Relation .
            FILTER NOT EXISTS { ?node prov:wasDerivedFrom ?s ; pd:locator ?l . ?s a pd:Source }
        }""",
        initNs={"pd": PD._NS, "rdfs": RDFS, "prov": "http://www.w3.org/ns/prov#"},
    )
    assert list(rows) == []


def test_countries_from_the_wikidata_snapshot_are_its_statements(project: Project) -> None:
    """#9: every edge claim sourced to the snapshot cites a P17 statement the committed snapshot
    holds, between the items its subject and object are linked to."""
    snapshot = Graph().parse(ROOT / "wikidata" / "snapshot.ttl")
    prov = Namespace("http://www.w3.org/ns/prov#")
    wd, p17 = "http://www.wikidata.org/entity/", URIRef("http://www.wikidata.org/prop/direct/P17")
    source = URIRef("https://w3id.org/pdkg/resource/wikidata-snapshot")
    claims = set(project.graph.subjects(prov.wasDerivedFrom, source))
    assert len(claims) > 50
    for claim in claims:
        place = project.graph.value(claim, RDF.subject)
        country = project.graph.value(claim, RDF.object)
        item, country_item = (project.graph.value(n, SKOS.exactMatch) for n in (place, country))
        locator = str(project.graph.value(claim, PD.locator))
        assert (item, p17, country_item) in snapshot, claim
        assert f"wd:{item[len(wd) :]} wdt:P17 wd:{country_item[len(wd) :]}" in locator
