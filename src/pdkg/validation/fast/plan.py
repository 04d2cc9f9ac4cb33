"""The validation plan: for every targeted shape, its focus group and the checks of its constraints.

A shape the compiler cannot translate is listed apart, to be validated by pySHACL itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pdkg.validation.fast import advanced, text
from pdkg.validation.fast.compiler import Check, Compiler, lang_clash
from pdkg.validation.fast.text import Unsupported, group, not_exists, select, subselect

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


@dataclass
class Plan:
    """The checks to run on Oxigraph, and the shapes left to pySHACL (with the reason)."""

    checks: list[Check] = field(default_factory=list)
    fallback: dict[Node, str] = field(default_factory=dict)


def targeted_shapes(shapes: Graph) -> list[Node]:
    """The shapes pySHACL validates on their own: those with a target (explicit or implicit)."""
    found = {s for key in TARGETS for s in shapes.subjects(key, None)}
    classes = {RDFS.Class, *shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class)}
    shape_kinds = {SH.NodeShape, SH.PropertyShape}
    for kind in shape_kinds:
        found |= {
            s for s in shapes.subjects(RDF.type, kind) if classes & set(shapes.objects(s, RDF.type))
        }
    return sorted(found, key=str)


def make_plan(shapes: Graph, compiler: Compiler) -> Plan:
    """Compile every targeted shape, or set it aside for pySHACL."""
    plan = Plan()
    for shape in targeted_shapes(shapes):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        try:
            plan.checks += list(shape_checks(shapes, compiler, shape))
        except Unsupported as exc:
            plan.fallback[shape] = str(exc)
    return plan


def focus_group(shapes: Graph, compiler: Compiler, shape: Node) -> tuple[str, dict[str, str]]:
    """The group binding ``?this`` to each focus node of ``shape`` (a node may come twice)."""
    term, alternatives, known = text.term, list[str](), dict[str, str]()
    classes = list(shapes.objects(shape, SH.targetClass))
    if {RDFS.Class, *shapes.transitive_subjects(RDFS.subClassOf, RDFS.Class)} & set(
        shapes.objects(shape, RDF.type)
    ):
        classes.append(shape)
    alternatives += [group(f"?this {text.TYPE_OF} {term(cls)} .") for cls in classes]
    alternatives += [
        group(f"VALUES ?this {{ {term(n)} }}") for n in shapes.objects(shape, SH.targetNode)
    ]
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        alternatives.append(group(f"?this {term(p)} {next(compiler.names)} ."))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        alternatives.append(group(f"{next(compiler.names)} {term(p)} ?this ."))
    for target in shapes.objects(shape, SH.target):
        found, declared = advanced.target_group(shapes, target)
        if any(known.get(k, v) != v for k, v in declared.items()):
            raise Unsupported(f"two SPARQL targets of {shape!r} bind one prefix differently")
        alternatives.append(found)
        known |= declared
    if len(alternatives) == 1:
        return alternatives[0], known
    # a union joined to ?this's triples made Oxigraph scan all triples first (1.2 s on 100k)
    return subselect("?this", text.union(alternatives), distinct=True), known


def shape_checks(shapes: Graph, compiler: Compiler, shape: Node) -> Iterator[Check]:
    """The checks of targeted ``shape``: its node-level constraints, then its property shapes."""
    compiler.require_known(shape)
    focus, known = focus_group(shapes, compiler, shape)
    if shapes.value(shape, SH.path) is not None:
        yield from property_checks(compiler, shape, focus, known)
        return
    for component, expr, has_value in compiler.value_conditions(shape, "?this", top=True):
        query = select("?this", group(focus, f"FILTER (!{expr})"), distinct=True)
        yield Check(shape, component, query, "this" if has_value else None, prefixes=known)
    if shapes.value(shape, SH.closed) == Literal(True):
        pattern = compiler.closed(shape, "?this", "?p", "?o")
        query = select("?this ?p ?o", group(focus, *pattern), distinct=True)
        yield Check(shape, SH.ClosedConstraintComponent, query, "o", None, "p", known)
    for constraint in shapes.objects(shape, SH.sparql):
        if shapes.value(constraint, SH.deactivated) != Literal(True):
            yield advanced.constraint_check(shapes, shape, constraint, focus, known)
    for ps in compiler.properties(shape):
        yield from property_checks(compiler, ps, focus, known)


def property_checks(
    compiler: Compiler, ps: Node, focus: str, known: dict[str, str]
) -> Iterator[Check]:
    """The checks of property shape ``ps`` on the focus nodes of ``focus``."""
    g = compiler.shapes
    compiler.require_known(ps)
    if g.value(ps, SH.sparql) is not None or g.value(ps, SH.property) is not None:
        raise Unsupported(f"a SPARQL constraint or a nested sh:property on {ps!r}")
    route, at = compiler.route(ps), g.value(ps, SH.path)

    def check(component: URIRef, query: str, value: str | None = None) -> Check:
        return Check(ps, component, query, value, at, prefixes=known)

    low = compiler.count(ps, SH.minCount)
    if low == 1:
        query = select(
            "?this", group(focus, "FILTER " + not_exists(f"?this {route} ?v .")), distinct=True
        )
        yield check(SH.MinCountConstraintComponent, query)
    elif low:
        yield check(
            SH.MinCountConstraintComponent, counted(focus, f"?this {route} ?v .", f"< {low}")
        )
    high = compiler.count(ps, SH.maxCount)
    if high is not None:
        having = f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})"
        query = select("?this", group(focus, f"?this {route} ?v ."), tail=having)
        yield check(SH.MaxCountConstraintComponent, query)
    for wanted in g.objects(ps, SH.hasValue):
        missing = "FILTER " + not_exists(f"?this {route} {text.term(wanted)} .")
        yield check(
            SH.HasValueConstraintComponent, select("?this", group(focus, missing), distinct=True)
        )
    if compiler.one(ps, SH.uniqueLang) == Literal(True):
        pattern = (f"?this {route} ?a . ?this {route} ?b .", lang_clash("?a", "?b"))
        query = select("?this (LCASE(LANG(?a)) AS ?lang)", group(focus, *pattern), distinct=True)
        yield check(SH.UniqueLangConstraintComponent, query)
    yield from qualified_checks(compiler, ps, focus, route, check)
    for component, expr, _ in compiler.value_conditions(ps, "?v", top=True):
        query = select(
            "?this ?v", group(focus, f"?this {route} ?v .", f"FILTER (!{expr})"), distinct=True
        )
        yield check(component, query, "v")
    if compiler.one(ps, SH.closed) == Literal(True):
        triples = [f"?this {route} ?v .", *compiler.closed(ps, "?v", "?p", "?o")]
        query = select("?this ?v ?p ?o", group(focus, *triples), distinct=True)
        yield Check(ps, SH.ClosedConstraintComponent, query, "o", None, "p", known)


def qualified_checks(
    compiler: Compiler, ps: Node, focus: str, route: str, check: Callable[[URIRef, str], Check]
) -> Iterator[Check]:
    """The checks of ``sh:qualifiedMinCount`` and ``sh:qualifiedMaxCount`` of ``ps``."""
    qualified = compiler.one(ps, SH.qualifiedValueShape)
    if qualified is None:
        return
    fits = compiler.qualifies(ps, qualified, "?v")
    pattern = f"?this {route} ?v . FILTER ({fits})"
    for key, component, test in (
        (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, "< {}"),
        (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, "> {}"),
    ):
        bound = compiler.count(ps, key)
        if bound is not None:
            yield check(component, counted(focus, pattern, test.format(bound)))


def counted(focus: str, pattern: str, test: str) -> str:
    """The focus nodes whose number of distinct ``?v`` matching ``pattern`` passes ``test``."""
    counts = subselect(
        "?this (COUNT(DISTINCT ?v) AS ?n)",
        group(focus, f"OPTIONAL {{ {pattern} }}"),
        tail="GROUP BY ?this",
    )
    return select("?this", group(counts, f"FILTER (?n {test})"))
