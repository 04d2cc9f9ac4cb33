"""The materialisation rules: the expected shortcut edges, the same as a SHACL-AF engine gives."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDFS, Graph

from pdkg.errors import RulesError
from pdkg.load import load_graph, load_project
from pdkg.paths import ProjectPaths
from pdkg.rules import apply_rules, load_rules

PD = "https://w3id.org/pdkg/ontology#"


def test_rules_materialise_shortcuts(project_paths: ProjectPaths, minimal_data: Path) -> None:
    project = load_project(project_paths, data=[minimal_data])
    inferred = apply_rules(project.graph, load_rules(project.rules))
    edges = {(s.split("/")[-1], p.split("#")[-1], o.split("/")[-1]) for s, p, o in inferred}
    assert edges == {
        ("test-office", "supervisedBy", "test-city-government"),
        ("test-city-government", "supervisedBy", "test-centre"),
        ("test-office", "reportsTo", "test-city-government"),  # W3C ORG's reporting line
        ("test-city-government", "reportsTo", "test-centre"),
        ("test-city", "twinnedWith", "test-partner"),
        ("test-partner", "twinnedWith", "test-city"),
        ("test-source", "citedAs", "Test source"),  # how answers name a source (#10)
    }


SHORTCUT_CASES = """
@prefix pd:   <https://w3id.org/pdkg/ontology#> .
@prefix pdv:  <https://w3id.org/pdkg/vocab/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <http://example.org/> .
ex:ended a pd:Supervision ; pd:supervised ex:a ; pd:supervisor ex:b ;
    pd:supervisionKind pdv:administrative-subordination ; pd:endDate "1999"^^xsd:gYear .
ex:former a pd:PostHolding ; pd:holder ex:p ; pd:post ex:mayor ; pd:endBefore "2016"^^xsd:gYear .
ex:superseded a pd:SisterCityPartnership ; pd:partner ex:a , ex:c ;
    pd:claimStatus pdv:superseded .
ex:taking-part a pd:Membership ; pd:member ex:a ; pd:organization ex:forum ;
    pd:membershipRole pdv:participant .
ex:guided a pd:Supervision ; pd:supervised ex:c ; pd:supervisor ex:b ;
    pd:supervisionKind pdv:guidance .
"""


def test_shortcut_edges_are_in_the_present_tense(project_paths: ProjectPaths) -> None:
    """#9: an ended or superseded claim and a mere participation give no shortcut edge; guidance
    is supervision (pd:supervisedBy) but no ORG reporting line."""
    data = Graph().parse(data=SHORTCUT_CASES, format="turtle")
    inferred = apply_rules(data, load_rules(Graph().parse(project_paths.rules)))
    edges = {(s.split("/")[-1], p.split("#")[-1], o.split("/")[-1]) for s, p, o in inferred}
    shortcuts = {"supervisedBy", "reportsTo", "twinnedWith", "memberOf", "holdsPost", "holds"}
    assert {e for e in edges if e[1] in shortcuts} == {("c", "supervisedBy", "b")}


def test_rules_agree_with_pyshacl_shacl_af(project_paths: ProjectPaths) -> None:
    """Running each rule globally to a fixpoint gives what pySHACL's per-focus-node engine gives
    in one pass in sh:order, on the fixture that holds an instance of every class.

    pySHACL gets the ontology's hierarchy axioms only (it takes a minute with the whole ontology,
    minutes on the chapter); that the rest of the ontology derives nothing more is checked on
    our side."""
    every_class = Path(__file__).resolve().parent / "data" / "shapes" / "valid" / "every-class.ttl"
    project = load_project(project_paths, data=[every_class])
    rules = load_rules(project.rules)
    axioms = Graph()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf):
        for triple in project.ontology.triples((None, predicate, None)):
            axioms.add(triple)
    assert 0 < len(axioms) < len(project.ontology) / 5
    data = axioms + project.graph
    ours = apply_rules(data, rules)
    assert set(ours) == set(apply_rules(project.ontology + project.graph, rules))
    theirs = data + Graph()
    pyshacl.shacl_rules(theirs, shacl_graph=project.rules, advanced=True, inplace=True)
    assert set(theirs - data) == set(ours)
    derived = {p.split("#")[-1] for _, p, _ in ours}
    assert {"supervisedBy", "twinnedWith", "heldBy", "memberDuring", "type"} <= derived


RULES = Path(__file__).resolve().parent / "data" / "rules"


def _thing() -> Graph:
    graph = Graph()
    graph.parse(data="<http://example.org/a> a <http://example.org/Thing> .", format="turtle")
    return graph


def test_rules_that_do_not_converge_fail_loudly() -> None:
    """#8: they used to stop after 10 rounds without a word."""
    rules = load_rules(load_graph([RULES / "diverging.ttl"]))
    with pytest.raises(RulesError, match="do not converge"):
        apply_rules(_thing(), rules, max_rounds=5)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("triple-rule.ttl", "not a sh:SPARQLRule"),
        ("bad-sparql.ttl", "not valid SPARQL"),
    ],
)
def test_a_rule_pdkg_cannot_run_is_an_error(name: str, reason: str) -> None:
    """#8: a rule that is not a SPARQL rule used to be skipped."""
    with pytest.raises(RulesError, match=reason):
        apply_rules(_thing(), load_rules(load_graph([RULES / name])))
