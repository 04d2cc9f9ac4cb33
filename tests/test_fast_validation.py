"""The fast validation path (pdkg.validation.fast) reports exactly what pySHACL reports.

Each test validates one graph twice, with :func:`pdkg.validation.validate` (pySHACL) and with
:func:`pdkg.validation.fast.fast_validate`, and compares every result (node shape, focus node, path,
value, message, severity, as many times as pySHACL gives it) and ``conforms``: on every shape
fixture (built with the ontology and the rules, as tests/test_shapes.py builds them), on the real
project's release, on seeded mutations of that release, and on generated graphs with seeded
violations (bench/generate.py).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from pdkg.load import Project, load_graph, load_project
from pdkg.paths import ProjectPaths
from pdkg.query.engine import to_store
from pdkg.validation import ValidationReport, release_graph, validate
from pdkg.validation.fast import compile_shapes, fast_validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "data" / "shapes").glob("*/*.ttl"))
PD = "https://w3id.org/pdkg/ontology#"


def results(report: ValidationReport) -> Counter[tuple[str, ...]]:
    """Every result of a report, with its multiplicity."""
    return Counter(
        (v.shape, v.focus, v.path or "-", v.value or "-", v.message, v.severity, v.locator or "-")
        for v in report.violations
    )


def assert_same(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` both ways; the reports must agree. Returns pySHACL's."""
    reference = validate(data, shapes)
    fast = fast_validate(data, shapes)
    assert fast.fallback == {}, "a shape fell back to pySHACL"
    missing = results(reference) - results(fast)
    extra = results(fast) - results(reference)
    assert not missing, f"pySHACL only: {missing}\nfast path only: {extra}"
    assert not extra, f"fast path only: {extra}"
    assert fast.conforms == reference.conforms
    return reference


@pytest.fixture(scope="module")
def base(project_paths: ProjectPaths) -> Project:
    """The real project (ontology, shapes, rules), loaded once; tests swap its data."""
    return load_project(project_paths)


@pytest.fixture(scope="module")
def release(release_nt: Path) -> Graph:
    """The real project's release graph (ontology + data + rule output)."""
    return Graph().parse(release_nt, format="nt")


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in FIXTURES])
def test_fixture_same_as_pyshacl(base: Project, path: Path) -> None:
    data, _ = release_graph(replace(base, graph=load_graph([path])))

    reference = assert_same(data, base.shapes)

    assert reference.conforms == (path.parent.name == "valid")


def test_release_same_as_pyshacl(base: Project, release: Graph) -> None:
    assert assert_same(release, base.shapes).conforms


def test_store_and_graph_give_the_same_report(base: Project, release: Graph) -> None:
    store = to_store(release)

    assert fast_validate(store, base.shapes) == fast_validate(release, base.shapes)


def mutated(release: Graph, seed: int) -> Graph:
    """The release with a seeded sample of triples removed, retyped, misspelt or repointed."""
    rng = random.Random(seed)
    # blank nodes are named anew by each parse: leave them out, so the sample is the same
    named = (t for t in release if not any(isinstance(node, BNode) for node in t))
    triples = sorted(named, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    out = Graph()
    out += release
    for s, p, o in rng.sample(triples, 40):
        out.remove((s, p, o))
        kind = rng.randrange(4)
        if kind == 1 and isinstance(o, Literal):  # a string where a year was, or the reverse
            out.add((s, p, Literal(str(o)) if o.datatype else Literal(str(o), datatype=XSD.gYear)))
        elif kind == 2 and isinstance(p, URIRef) and str(p).startswith(PD):
            out.add((s, URIRef(str(p).lower() + "x"), o))  # misspelt: closed shapes see it
        elif kind == 3 and p != RDF.type:
            out.add((s, p, rng.choice(triples)[0]))  # another node: sh:class, sh:node see it
    return out


@pytest.mark.parametrize("seed", range(3))
def test_mutated_release_same_as_pyshacl(base: Project, release: Graph, seed: int) -> None:
    reference = assert_same(mutated(release, seed), base.shapes)

    assert not reference.conforms  # the mutations bite


def test_generated_graph_same_as_pyshacl(base: Project, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        generate = pytest.importorskip("generate")
    finally:
        sys.path.remove(str(ROOT / "bench"))
    made = generate.generate(6000, seed=7, violations=0.05)
    out = tmp_path / "generated.nt"
    made.write(out)
    graph = Graph().parse(out, format="nt")
    data, _ = release_graph(replace(base, graph=graph))

    reference = assert_same(data, base.shapes)

    assert made.expected, "the generator seeded no violation"
    reported = Counter(v.shape for v in reference.violations)
    assert Counter(made.by_shape()) <= reported


def test_shapes_compile_without_fallback(base: Project) -> None:
    plan = compile_shapes(base.shapes)

    assert plan.fallback == {}
    assert len(plan.checks) > 200


def test_unsupported_shape_falls_back_to_pyshacl(base: Project, release: Graph) -> None:
    """A component the compiler does not translate (sh:equals) is left to pySHACL, alone."""
    shapes = Graph()
    shapes += base.shapes
    odd = URIRef("https://w3id.org/pdkg/shapes#EqualsShape")
    check = URIRef("https://w3id.org/pdkg/shapes#EqualsShape-locator")
    shapes.add((odd, RDF.type, SH.NodeShape))
    shapes.add((odd, SH.targetClass, URIRef(PD + "Actor")))
    shapes.add((odd, SH.property, check))
    shapes.add((check, SH.path, URIRef(PD + "locator")))
    shapes.add((check, SH.equals, RDFS.label))  # an actor's locators are not its labels

    fast = fast_validate(release, shapes)
    reference = validate(release, shapes)

    assert list(fast.fallback) == [str(odd)]
    assert results(fast) == results(reference)
    assert not fast.conforms
    assert any(v.shape == "pdsh:EqualsShape" for v in fast.violations)


def test_empty_store_conforms(base: Project) -> None:
    assert fast_validate(ox.Store(), base.shapes).conforms
