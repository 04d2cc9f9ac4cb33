"""Every SHACL node shape in ontology/shapes.ttl bites.

Each file under tests/data/shapes/valid/ is a small self-contained graph that must conform.
Each file under tests/data/shapes/invalid/ is named ``<ShapeLocalName>--<case>.ttl``, breaks one
constraint of ``pdsh:<ShapeLocalName>`` and says on an ``# expect: ...`` line how the sh:message
the user sees begins (``{?value}``-style placeholders stand for whatever pySHACL fills in).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from pdkg.load import Project, load_graph, load_project
from pdkg.paths import ProjectPaths
from pdkg.validation import ValidationReport, Violation, validate_project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

PDSH = "https://w3id.org/pdkg/shapes#"
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
EXPECT_LINE = re.compile(r"^# expect: (?P<text>.+?)\s*$", re.MULTILINE)
PLACEHOLDER = re.compile(r"\{[?$]\w+\}")


@pytest.fixture(scope="module")
def shapes(project_paths: ProjectPaths) -> Graph:
    """ontology/shapes.ttl, parsed on its own."""
    return Graph().parse(project_paths.shapes, format="turtle")


@pytest.fixture(scope="module")
def base(project_paths: ProjectPaths) -> Project:
    """The real ontology, shapes and rules, parsed once for every fixture of this module."""
    return load_project(project_paths, data=[VALID[0]])


def validate_fixture(base: Project, path: Path) -> ValidationReport:
    """Validate one fixture file as the whole data graph, with the real ontology and shapes."""
    return validate_project(dataclasses.replace(base, graph=load_graph([path])))


def shape_named_by(path: Path) -> str:
    return "pdsh:" + path.stem.split("--")[0]


def compact(node: URIRef) -> str:
    return "pdsh:" + str(node).removeprefix(PDSH)


def targeted_shapes(shapes: Graph) -> dict[str, URIRef]:
    """The pdsh: node shapes that select focus nodes, by compact name."""
    return {
        compact(shape): shape
        for target in TARGETS
        for shape in shapes.subjects(target, None)
        if isinstance(shape, URIRef) and str(shape).startswith(PDSH)
    }


def messages_of(shapes: Graph, name: str) -> list[str]:
    """The sh:message texts of a node shape, its property shapes and its SPARQL constraints."""
    shape = URIRef(PDSH + name.removeprefix("pdsh:"))
    owners = [
        shape,
        *shapes.objects(shape, SH.property),
        *shapes.objects(shape, SH.sparql),
    ]
    return [str(message) for owner in owners for message in shapes.objects(owner, SH.message)]


def expected_message(path: Path) -> str:
    match = EXPECT_LINE.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name} has no '# expect: <start of the sh:message>' line"
    return match["text"]


def message_pattern(template_start: str) -> re.Pattern[str]:
    """A pattern matching messages that begin like the template, placeholders filled in."""
    parts = PLACEHOLDER.split(template_start)
    return re.compile(".+?".join(re.escape(part) for part in parts))


def describe(violations: Iterable[Violation]) -> str:
    lines = [
        f"  {v.shape} {v.focus} {v.path or '-'} {v.value or '-'}: {v.message}" for v in violations
    ]
    return "\n".join(lines) or "  (no violations)"


@pytest.mark.parametrize("path", VALID, ids=[path.name for path in VALID])
def test_valid_fixture_conforms(base: Project, path: Path) -> None:
    report = validate_fixture(base, path)

    assert report.violations == (), f"{path.name} should conform:\n{describe(report.violations)}"
    assert report.conforms


@pytest.mark.parametrize("path", INVALID, ids=[path.name for path in INVALID])
def test_invalid_fixture_is_reported_by_its_shape(base: Project, shapes: Graph, path: Path) -> None:
    shape = shape_named_by(path)
    expected = expected_message(path)
    templates = messages_of(shapes, shape)
    assert any(template.startswith(expected) for template in templates), (
        f"{path.name} expects {expected!r}, which begins no sh:message of {shape}: {templates}"
    )

    report = validate_fixture(base, path)

    assert not report.conforms, f"{path.name} should not conform"
    reported = [v for v in report.violations if v.shape == shape]
    assert reported, f"{shape} reports nothing for {path.name}; all:\n{describe(report.violations)}"
    pattern = message_pattern(expected)
    assert any(pattern.match(v.message) for v in reported), (
        f"no {shape} violation begins {expected!r}:\n{describe(reported)}"
    )


def test_every_targeted_shape_has_an_invalid_fixture(shapes: Graph) -> None:
    targeted = targeted_shapes(shapes)
    covered = {shape_named_by(path) for path in INVALID}

    assert targeted, "no node shape with a target found in ontology/shapes.ttl"
    missing = sorted(set(targeted) - covered)
    assert not missing, f"targeted shapes without an invalid fixture in {FIXTURES}: {missing}"


def test_valid_fixtures_give_every_targeted_shape_a_focus_node(
    project_paths: ProjectPaths, shapes: Graph
) -> None:
    project = load_project(project_paths, data=VALID)
    data = project.ontology + project.graph
    without_focus = []
    for name, shape in sorted(targeted_shapes(shapes).items()):
        focus_nodes = set()
        for target in shapes.objects(shape, SH.targetClass):
            focus_nodes |= set(
                data.query(
                    "SELECT ?x WHERE { ?x a/rdfs:subClassOf* ?class }",
                    initBindings={"class": target},
                    initNs={"rdfs": RDFS},
                )
            )
        for target in shapes.objects(shape, SH.targetSubjectsOf):
            focus_nodes |= set(data.subjects(target, None))
        for target in shapes.objects(shape, SH.targetObjectsOf):
            focus_nodes |= set(data.objects(None, target))
        focus_nodes |= set(shapes.objects(shape, SH.targetNode))
        if not focus_nodes:
            without_focus.append(name)

    assert not without_focus, f"no valid fixture exercises: {without_focus}"


def test_no_shape_has_two_node_level_messages(shapes: Graph) -> None:
    """A violation of a node-level constraint gets its shape's sh:message; with two, which one it
    gets is not defined (pySHACL picked by hash order: CI and a local run disagreed, #9)."""
    targeted = {s for target in TARGETS for s in shapes.subjects(target, None)}
    assert sorted(s for s in targeted if len(set(shapes.objects(s, SH.message))) > 1) == []
