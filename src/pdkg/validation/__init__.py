"""SHACL validation of the graph (pySHACL, the reference validator) into a readable report."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import BNode, Node

from pdkg.load import Project
from pdkg.rules import apply_rules, load_rules
from pdkg.vocab import PD, bind_prefixes

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One failed constraint, with where the claim came from."""

    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str = "Violation"
    locator: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against the shapes."""

    conforms: bool
    violations: tuple[Violation, ...] = field(default=())
    results: Graph = field(default_factory=Graph, compare=False, repr=False)

    def to_text(self) -> str:
        """The report as people read it (``validation.txt``, ``pdkg validate``): grouped by
        shape, each result with its focus, path, value, message and the claim's locator."""
        if self.conforms and not self.violations:
            return "Conforms: yes (0 violations)\n"
        lines = [f"Conforms: {'yes' if self.conforms else 'no'} ({len(self.violations)} results)"]
        for shape, violations in self.by_shape().items():
            lines.append("")
            lines.append(f"{shape} ({len(violations)})")
            for v in violations:
                lines.append(f"  {v.severity}: {v.focus}" + (f"  path {v.path}" if v.path else ""))
                if v.value:
                    lines.append(f"    value:   {v.value}")
                lines.append(f"    message: {v.message}")
                if v.locator:
                    lines.append(f"    source:  {v.locator}")
        return "\n".join(lines) + "\n"

    def by_shape(self) -> dict[str, list[Violation]]:
        """Violations grouped by the node shape that reported them, shapes in name order."""
        ordered = sorted(self.violations, key=lambda v: (v.shape, v.focus, v.path or ""))
        return {shape: list(group) for shape, group in groupby(ordered, key=lambda v: v.shape)}


def release_graph(project: Project) -> tuple[Graph, Graph]:
    """The graph a release holds (ontology + data + rule output) and the rule output alone."""
    inferred = apply_rules(project.ontology + project.graph, load_rules(project.rules))
    return bind_prefixes(project.ontology + project.graph + inferred), inferred


def validate_project(project: Project) -> ValidationReport:
    """Apply the rules to a loaded project and validate the result against its shapes."""
    release, _ = release_graph(project)
    return validate(release, project.shapes)


def validate_store(
    indexed: ox.Store, shapes: Graph, *, reference: bool = False
) -> ValidationReport:
    """Validate the default graph of an Oxigraph store (the release as built) against ``shapes``.

    By default with :mod:`pdkg.validation.fast` (the shapes compiled to SPARQL on the store; tested
    to report exactly what pySHACL reports); ``reference=True`` runs pySHACL itself.
    """
    if not reference:
        from pdkg.validation.fast import fast_validate

        return fast_validate(indexed, shapes)
    data = Graph()
    data.parse(
        data=indexed.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    return validate(data, shapes)


def validate(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` (asserted data + ontology + rule output) against ``shapes``.

    No inference closure is computed: RDFS inference hid violations in our measurements
    (DESIGN.md §4). ``sh:class`` still follows the ontology's ``rdfs:subClassOf`` in ``data``.
    """
    import pyshacl  # a heavy import, only where a graph is validated

    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations = tuple(
        sorted(
            (
                violation_of(results, result, data, shapes)
                for result in results.subjects(RDF.type, SH.ValidationResult)
                # a nested result (sh:detail) repeats its parent's failure in pySHACL's words
                if (None, SH.detail, result) not in results
            ),
            key=lambda v: (v.shape, v.focus, v.path or "", v.value or ""),
        )
    )
    return ValidationReport(conforms=bool(conforms), violations=violations, results=results)


def violation_of(results: Graph, result: Node, data: Graph, shapes: Graph) -> Violation:
    """One ``sh:ValidationResult`` of pySHACL's ``results`` in pdkg's words (shared with
    :mod:`pdkg.validation.fast`, so both validators name shapes, paths and values alike)."""
    names = bind_prefixes(Graph())
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    source = results.value(result, SH.sourceShape)
    node_shape = shapes.value(None, SH.property, source) or source
    locator = data.value(focus, PD.locator) if focus is not None else None
    return Violation(
        shape=show_term(names, node_shape),
        focus=show_term(names, focus),
        path=show_path(names, results, path) if path is not None else None,
        value=show_term(names, value) if value is not None else None,
        message=str(message) if message is not None else "constraint failed",
        severity=show_term(names, severity).removeprefix("sh:") or "Violation",
        locator=str(locator) if locator is not None else None,
    )


def show_term(names: Graph, node: Node | None) -> str:
    """A term as a report shows it: a literal's text, ``[]`` for a blank node, else a CURIE."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return "[]"
    return node.n3(names.namespace_manager)


def show_path(names: Graph, results: Graph, path: Node) -> str:
    """A SHACL path as a report shows it; a sequence path (an RDF list in ``results``) as
    ``(a b)``."""
    if isinstance(path, BNode) and results.value(path, RDF.first) is not None:
        return "(" + " ".join(show_term(names, step) for step in Collection(results, path)) + ")"
    return show_term(names, path)
