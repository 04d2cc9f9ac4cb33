"""A fast SHACL validation path with pySHACL's results: the shapes compiled to SPARQL on Oxigraph.

:func:`fast_validate` gives the :class:`~pdkg.validation.ValidationReport` that
:func:`pdkg.validation.validate` gives (pySHACL, ``inference="none"``, ``advanced=True``,
``allow_warnings=True``): the same violations, shown by the same helpers, and the same
``conforms``. Each constraint of each targeted shape is one query for all its focus nodes
(:mod:`.plan`, :mod:`.compiler`); SHACL-AF's SPARQL targets and constraints run on Oxigraph with
``$this`` bound by the focus group (:mod:`.advanced`). A shape using a feature the compiler does not
translate is validated by pySHACL, alone (the other shapes' targets removed), on the whole
graph; ontology/shapes.ttl has none, and ``FastReport.fallback`` says which and why.

Where it cannot be pySHACL: Oxigraph stores literals in canonical form (``"1.50"^^xsd:decimal``
becomes ``"1.5"``, ``"EN"`` tags ``"en"``, ``"1"^^xsd:boolean`` and ``"true"`` one term), so a
graph holding non-canonical literals may show or count them differently; a result's locator is
the least ``pd:locator`` of its focus node where pySHACL shows any one (they differ only for
a node with two).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pdkg.terms import from_oxigraph
from pdkg.validation import ValidationReport, Violation, show_path, show_term, violation_of
from pdkg.validation.fast.compiler import Compiler
from pdkg.validation.fast.plan import TARGETS, Plan, make_plan, targeted_shapes
from pdkg.validation.fast.run import Result, ill_typed, results
from pdkg.validation.fast.text import Unsupported
from pdkg.vocab import PD, bind_prefixes

__all__ = ["FastReport", "compile_shapes", "fast_validate"]
#: severities that do not break conformance (pdkg validates with allow_warnings=True)
LENIENT = {SH.Warning, SH.Info}


@dataclass(frozen=True)
class FastReport(ValidationReport):
    """A :class:`ValidationReport`, and the shapes pySHACL validated instead (with the reason)."""

    fallback: dict[str, str] = field(default_factory=dict, compare=False)


def compile_shapes(shapes: Graph, store: ox.Store | None = None) -> Plan:
    """The plan for ``shapes`` (with ``store``, knowing its ill-typed literals); the last plan
    is kept and given again for the same, unchanged shapes graph and ill-typed literals."""
    bad = ill_typed(store, shapes) if store is not None else {}
    key = (id(shapes), len(shapes), tuple(sorted((str(d), tuple(v)) for d, v in bad.items())))
    if _last.get("key") != key:
        _last.clear()
        _last.update(key=key, plan=make_plan(shapes, Compiler(shapes, bad)), shapes=shapes)
    plan = _last["plan"]
    assert isinstance(plan, Plan)
    return plan


_last: dict[str, object] = {}  # the last compiled plan (it holds its shapes graph, so the id stays)


def fast_validate(data: ox.Store | Graph, shapes: Graph) -> FastReport:
    """Validate ``data`` against ``shapes`` as :func:`pdkg.validation.validate` does, fast.

    ``data`` is read as it is (no inference; ``sh:class`` follows its ``rdfs:subClassOf``). An
    rdflib graph is first copied into an in-memory Oxigraph store.
    """
    store = data if isinstance(data, ox.Store) else _to_store(data)
    plan = compile_shapes(shapes, store)
    found: list[Result] = []
    fallback = dict(plan.fallback)
    by_shape: dict[Node, list[Result]] = {}
    for check in plan.checks:
        owner = _owner(shapes, check.source)
        if owner in fallback:
            continue
        try:
            by_shape.setdefault(owner, []).extend(results(store, shapes, check))
        except Unsupported as exc:
            fallback[owner] = str(exc)
    for owner, rows in by_shape.items():
        if owner not in fallback:
            found += rows
    names = bind_prefixes(Graph())
    locators = _Locators(store)
    report = Graph()
    violations = [_to_violation(names, shapes, r, locators) for r in found]
    conforms = all(_severity(shapes, r.check.source) in LENIENT for r in found)
    if fallback:
        more, more_conforms, graph = _pyshacl(data, store, shapes, list(fallback))
        violations += more
        conforms = conforms and more_conforms
        report += graph
    _write_results(report, shapes, found, conforms)
    ordered = sorted(violations, key=lambda v: (v.shape, v.focus, v.path or "", v.value or ""))
    shown = {str(shape): reason for shape, reason in fallback.items()}
    return FastReport(conforms, tuple(ordered), report, fallback=shown)


def _to_store(graph: Graph) -> ox.Store:
    from pdkg.query.engine import to_store  # pdkg's one rdflib-to-Oxigraph copy

    return to_store(graph)


def _owner(shapes: Graph, source: Node) -> Node:
    """The targeted shape a check belongs to (a property shape's node shape)."""
    return shapes.value(None, SH.property, source) or source


def _severity(shapes: Graph, shape: Node) -> Node:
    return shapes.value(shape, SH.severity) or SH.Violation


class _Locators:
    """``pd:locator`` of focus nodes, looked up once each."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.known = store, dict[Node, str | None]()

    def __call__(self, focus: Node) -> str | None:
        if focus not in self.known:
            self.known[focus] = None
            if isinstance(focus, URIRef):
                quads = self.store.quads_for_pattern(
                    ox.NamedNode(str(focus)), ox.NamedNode(str(PD.locator)), None
                )
                texts = sorted(str(from_oxigraph(q.object)) for q in quads)
                self.known[focus] = texts[0] if texts else None
        return self.known[focus]


def _to_violation(names: Graph, shapes: Graph, found: Result, locators: _Locators) -> Violation:
    source = found.check.source
    return Violation(
        shape=show_term(names, _owner(shapes, source)),
        focus=show_term(names, found.focus),
        path=show_path(names, shapes, found.path) if found.path is not None else None,
        value=show_term(names, found.value) if found.value is not None else None,
        message=found.messages[0] if found.messages else "constraint failed",
        severity=show_term(names, _severity(shapes, source)).removeprefix("sh:") or "Violation",
        locator=locators(found.focus),
    )


def _write_results(report: Graph, shapes: Graph, found: Iterable[Result], conforms: bool) -> None:
    """An ``sh:ValidationReport`` of the results, like pySHACL's (``--format turtle`` shows it)."""
    top = BNode()
    report.add((top, RDF.type, SH.ValidationReport))
    report.add((top, SH.conforms, Literal(conforms)))
    for result in found:
        node, check = BNode(), result.check
        report.add((top, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, result.focus))
        report.add((node, SH.sourceShape, check.source))
        report.add((node, SH.sourceConstraintComponent, check.component))
        report.add((node, SH.resultSeverity, _severity(shapes, check.source)))
        if check.constraint is not None:
            report.add((node, SH.sourceConstraint, check.constraint))
        if result.value is not None:
            report.add((node, SH.value, result.value))
        if result.path is not None:
            report.add((node, SH.resultPath, result.path))
            if isinstance(result.path, BNode):
                report += shapes.cbd(result.path)
        for message in result.messages:
            report.add((node, SH.resultMessage, Literal(message)))


def _pyshacl(
    data: ox.Store | Graph, store: ox.Store, shapes: Graph, only: list[Node]
) -> tuple[list[Violation], bool, Graph]:
    """pySHACL's results for the targeted shapes ``only``: the other shapes lose their targets
    (pySHACL's own ``use_shapes`` reported nothing for such a shape in our tests)."""
    import pyshacl  # a heavy import, only where a shape needs it

    graph = (
        data
        if isinstance(data, Graph)
        else Graph().parse(
            data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"",
            format="nt",
        )
    )
    kept = Graph()
    kept += shapes
    for shape in targeted_shapes(shapes):
        if shape not in only:
            for key in TARGETS:
                kept.remove((shape, key, None))
            kept.remove((shape, RDF.type, RDFS.Class))  # an implicit class target
    conforms, graph_results, _ = pyshacl.validate(
        graph, shacl_graph=kept, inference="none", advanced=True, allow_warnings=True
    )
    violations = [
        violation_of(graph_results, result, graph, kept)
        for result in graph_results.subjects(RDF.type, SH.ValidationResult)
        if (None, SH.detail, result) not in graph_results
    ]
    return violations, bool(conforms), graph_results
