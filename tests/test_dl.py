"""The OWL 2 DL variant (#9): a real DL reasoner (HermiT) accepts it and finds what the
ontology forbids; the release itself, with XSD year and month times, is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

from dl_reasoner import consistency
from pdkg.paths import ProjectPaths
from pdkg.release.dl import dl_variant
from pdkg.vocab import PDR

pytestmark = pytest.mark.integration

PD = Namespace("https://w3id.org/pdkg/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def ontology(project_paths: ProjectPaths) -> Graph:
    """The ontology and its vocabularies (the terms only: no instance data)."""
    graph = Graph().parse(project_paths.ontology)
    for path in project_paths.vocab:
        graph.parse(path)
    return graph


def _event(ontology: Graph) -> Graph:
    """The ontology and one event with a year, recorded as the model says."""
    graph = Graph()
    graph += ontology
    event = PDR["test-summit"]
    graph.add((event, RDF.type, PD.Event))
    graph.add((event, RDFS.label, Literal("Test summit", lang="en")))
    graph.add((event, PD.date, Literal("1996", datatype=XSD.gYear)))
    graph.add((PDR["test-summit-record"], RDF.type, PD.Record))
    graph.add((PDR["test-summit-record"], PD.records, event))
    return graph


def test_the_dl_variant_of_an_event_is_consistent(ontology: Graph, tmp_path: Path) -> None:
    assert consistency(dl_variant(_event(ontology)), tmp_path) == "consistent"


def test_hermit_refuses_xsd_years_which_is_why_the_variant_exists(
    ontology: Graph, tmp_path: Path
) -> None:
    answer = consistency(_event(ontology), tmp_path)
    assert "gYear" in answer
    assert "not part of the OWL 2 datatype map" in answer


def test_an_event_typed_as_a_claim_is_inconsistent(ontology: Graph, tmp_path: Path) -> None:
    """PROV-O keeps activities and entities apart; the old model made every event a claim."""
    graph = _event(ontology)
    graph.add((PDR["test-summit"], RDF.type, PD.Relation))
    assert consistency(dl_variant(graph), tmp_path) == "inconsistent"


def test_a_concept_as_an_actor_is_inconsistent(ontology: Graph, tmp_path: Path) -> None:
    graph = _event(ontology)
    graph.add((PDR["test-summit"], PD.hostedBy, PDR["some-tie"]))  # hostedBy ranges over actors
    graph.add((PDR["some-tie"], RDF.type, SKOS.Concept))
    assert consistency(dl_variant(graph), tmp_path) == "inconsistent"
