"""SHACL Core shapes compiled to SPARQL: one query per constraint, for all focus nodes at once.

A targeted shape becomes a list of :class:`Check`, each a query whose rows are the validation
results of one constraint component, as pySHACL reports them: its focus node, its ``sh:value`` (or
none, as for ``sh:minCount``) and its path. Shapes reached through ``sh:node``, ``sh:not``,
``sh:or``, ``sh:xone``, ``sh:and`` or ``sh:qualifiedValueShape`` become one boolean expression,
"``?x`` conforms", built of ``EXISTS`` patterns, so that their nested results (``sh:detail``, which
pdkg does not show) are never materialised. Leaves are read in two-valued logic (a type error is
"fails"), as pySHACL's Python comparisons fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pdkg.validation.fast import text
from pdkg.validation.fast.text import Unsupported, all_of, exists, group, not_exists, safe, select

#: pySHACL never reports this triple for sh:closed
ALWAYS_IGNORED = (RDF.type, RDFS.Resource)
COMPARISONS = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
NODE_KINDS = {
    SH.IRI: "isIRI({0})",
    SH.BlankNode: "isBlank({0})",
    SH.Literal: "isLiteral({0})",
    SH.BlankNodeOrIRI: "!isLiteral({0})",
    SH.BlankNodeOrLiteral: "!isIRI({0})",
    SH.IRIOrLiteral: "!isBlank({0})",
}
#: the sh: terms the compiler understands; any other on a shape makes it fall back
KNOWN = {
    *COMPARISONS,
    *(SH[name] for name in ("class", "in", "not", "and", "or")),
    SH.datatype, SH.nodeKind, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn,
    SH.node, SH.xone,
    SH.hasValue, SH.property, SH.path, SH.minCount, SH.maxCount, SH.uniqueLang,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.closed, SH.ignoredProperties, SH.message, SH.severity,
    SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.sparql,
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    """One query whose rows are the results of one constraint of ``source``."""

    source: Node  # the shape that reports (sh:sourceShape)
    component: URIRef
    query: str
    value: str | None = None  # the column holding sh:value
    path: Node | None = None  # sh:resultPath, a node of the shapes graph
    path_column: str | None = None  # or the column holding it (sh:closed)
    prefixes: Mapping[str, str] = field(default_factory=dict)
    constraint: Node | None = None  # the sh:sparql node of a SPARQL-based constraint
    focus: str = ""  # the focus group, for a SPARQL constraint run once per focus node


class Compiler:
    """Translates the shapes of ``shapes``; ``ill_typed`` lists, by datatype, the literals of the
    data that pySHACL finds ill-typed (they fail ``sh:datatype`` although their datatype fits)."""

    def __init__(self, shapes: Graph, ill_typed: Mapping[URIRef, list[Literal]]) -> None:
        self.shapes = shapes
        self.ill_typed = ill_typed
        self.names = text.Names()

    # --- a shape as a boolean expression ---------------------------------------------------

    def conforms(self, shape: Node, var: str) -> str:
        """``var`` (bound) conforms to ``shape``."""
        self.require_known(shape)
        if self.one(shape, SH.deactivated) == Literal(True):
            return "true"
        if self.shapes.value(shape, SH.sparql) is not None:
            raise Unsupported(f"a SPARQL constraint in a nested shape ({shape!r})")
        if self.one(shape, SH.path) is not None:
            return self.property_ok(shape, var)
        parts = [expr for _, expr, _ in self.value_conditions(shape, var, top=False)]
        parts += [self.property_ok(ps, var) for ps in self.properties(shape)]
        return all_of(parts)

    def property_ok(self, shape: Node, var: str) -> str:
        """The values of ``var`` along the path of property shape ``shape`` satisfy it."""
        self.require_known(shape)
        route = self.route(shape)
        parts = []
        low = self.count(shape, SH.minCount)
        if low:
            parts.append(exists(*text.distinct_values(var, route, self.names.take(low))))
        high = self.count(shape, SH.maxCount)
        if high is not None:
            parts.append(not_exists(*text.distinct_values(var, route, self.names.take(high + 1))))
        for wanted in self.shapes.objects(shape, SH.hasValue):
            parts.append(exists(f"{var} {route} {text.term(wanted)} ."))
        if self.one(shape, SH.uniqueLang) == Literal(True):
            a, b = self.names.take(2)
            parts.append(not_exists(f"{var} {route} {a} . {var} {route} {b} .", lang_clash(a, b)))
        parts += self.qualified_ok(shape, var, route)
        value = next(self.names)
        conditions = [expr for _, expr, _ in self.value_conditions(shape, value, top=False)]
        conditions += [self.property_ok(inner, value) for inner in self.properties(shape)]
        if conditions:
            check = f"FILTER (!{all_of(conditions)})"
            parts.append(not_exists(f"{var} {route} {value} .", check))
        return all_of(parts)

    def qualified_ok(self, shape: Node, var: str, route: str) -> list[str]:
        qualified = self.one(shape, SH.qualifiedValueShape)
        if qualified is None:
            return []
        low, high = self.count(shape, SH.qualifiedMinCount), self.count(shape, SH.qualifiedMaxCount)
        parts = []
        for bound, needed in ((low, True), (high, False)):
            if bound is None or (needed and bound == 0):
                continue
            values = self.names.take(bound if needed else bound + 1)
            fits = all_of(self.qualifies(shape, qualified, value) for value in values)
            pattern = (*text.distinct_values(var, route, values), f"FILTER ({fits})")
            parts.append(exists(*pattern) if needed else not_exists(*pattern))
        return parts

    def qualifies(self, shape: Node, qualified: Node, var: str) -> str:
        """``var`` counts for the qualified cardinality of ``shape`` (sibling shapes excluded)."""
        siblings: list[Node] = []
        if self.one(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            for parent in self.shapes.subjects(SH.property, shape):
                for other in self.shapes.objects(parent, SH.property):
                    siblings += self.shapes.objects(other, SH.qualifiedValueShape)
        others = [f"!{self.conforms(s, var)}" for s in dict.fromkeys(siblings) if s != qualified]
        return all_of([self.conforms(qualified, var), *others])

    def value_conditions(
        self, shape: Node, var: str, *, top: bool
    ) -> Iterator[tuple[URIRef, str, bool]]:
        """(component, ``var`` satisfies it, results carry a value) for each constraint that
        tests one value node. ``top``: leave out sh:closed, which the caller reports per triple."""
        g, term = self.shapes, text.term
        for cls in g.objects(shape, SH["class"]):
            yield SH.ClassConstraintComponent, exists(f"{var} {text.TYPE_OF} {term(cls)} ."), True
        for datatype in g.objects(shape, SH.datatype):
            yield SH.DatatypeConstraintComponent, self.datatype(var, datatype), True
        for kind in g.objects(shape, SH.nodeKind):
            if not isinstance(kind, URIRef) or kind not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind!r}")
            yield SH.NodeKindConstraintComponent, NODE_KINDS[kind].format(var), True
        for key, op, component in (
            (SH.minLength, ">=", SH.MinLengthConstraintComponent),
            (SH.maxLength, "<=", SH.MaxLengthConstraintComponent),
        ):
            for limit in g.objects(shape, key):
                size = int(limit)  # type: ignore[call-overload]
                check = f"!isBlank({var}) && STRLEN(STR({var})) {op} {size}"
                yield component, "true" if size == 0 and op == ">=" else safe(check), True
        for pattern in g.objects(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            given = f", {term(Literal(str(flags)))}" if flags is not None else ""
            check = f"!isBlank({var}) && REGEX(STR({var}), {term(Literal(str(pattern)))}{given})"
            yield SH.PatternConstraintComponent, safe(check), True
        for key, (op, component) in COMPARISONS.items():
            for limit in g.objects(shape, key):
                yield component, safe(f"{var} {op} {term(limit)}"), True
        for listed in g.objects(shape, SH["in"]):
            yield SH.InConstraintComponent, text.same_as_one_of(var, text.items(g, listed)), True
        for listed in g.objects(shape, SH.languageIn):
            yield SH.LanguageInConstraintComponent, language_in(var, text.items(g, listed)), True
        if self.one(shape, SH.path) is None:
            for wanted in g.objects(shape, SH.hasValue):  # a node shape's only value: the focus
                yield SH.HasValueConstraintComponent, f"sameTerm({var}, {term(wanted)})", False
            if not top and self.one(shape, SH.closed) == Literal(True):
                yield SH.ClosedConstraintComponent, not_exists(*self.closed(shape, var)), True
        yield from self.logical_conditions(shape, var)

    def logical_conditions(self, shape: Node, var: str) -> Iterator[tuple[URIRef, str, bool]]:
        g = self.shapes
        for inner in g.objects(shape, SH.node):
            yield SH.NodeConstraintComponent, self.conforms(inner, var), True
        for inner in g.objects(shape, SH["not"]):
            yield SH.NotConstraintComponent, f"!{self.conforms(inner, var)}", True
        for listed in g.objects(shape, SH["and"]):
            each = [self.conforms(inner, var) for inner in text.items(g, listed)]
            yield SH.AndConstraintComponent, all_of(each), True
        for listed in g.objects(shape, SH["or"]):
            each = [self.conforms(inner, var) for inner in text.items(g, listed)]
            yield SH.OrConstraintComponent, text.any_of(each), True
        for listed in g.objects(shape, SH.xone):
            each = [f"IF({self.conforms(inner, var)}, 1, 0)" for inner in text.items(g, listed)]
            yield SH.XoneConstraintComponent, "((" + " + ".join(each or ["0"]) + ") = 1)", True

    def datatype(self, var: str, datatype: Node) -> str:
        """``var`` is a literal of ``datatype`` that pySHACL finds well-formed."""
        if datatype == RDFS.Literal:
            return f"isLiteral({var})"
        if datatype == RDF.langString:
            return safe(f'isLiteral({var}) && LANG({var}) != ""')
        if datatype == RDFS.Datatype:  # pySHACL: a literal with a datatype (not a plain one)
            return safe(f'isLiteral({var}) && LANG({var}) = ""')
        check = f"isLiteral({var}) && DATATYPE({var}) = {text.term(datatype)}"
        bad = self.ill_typed.get(datatype, []) if isinstance(datatype, URIRef) else []
        return safe(check + (f" && !{text.same_as_one_of(var, bad)}" if bad else ""))

    def closed(self, shape: Node, var: str, p: str = "?_p", o: str = "?_o") -> list[str]:
        """The pattern of a triple of ``var`` that closed ``shape`` does not allow."""
        allowed: list[Node] = [
            step
            for inner in self.properties(shape)
            if isinstance(step := self.one(inner, SH.path), URIRef)
        ]
        for listed in self.shapes.objects(shape, SH.ignoredProperties):
            allowed += text.items(self.shapes, listed)
        kept = f"FILTER ({p} NOT IN ({', '.join(text.term(a) for a in allowed)}))"
        ignored = " && ".join(
            f"sameTerm({v}, {text.term(t)})" for v, t in zip((p, o), ALWAYS_IGNORED, strict=True)
        )
        return [f"{var} {p} {o} .", kept if allowed else "", f"FILTER (!({ignored}))"]

    # --- helpers -----------------------------------------------------------------------------

    def one(self, shape: Node, key: URIRef) -> Node | None:
        return self.shapes.value(shape, key)

    def count(self, shape: Node, key: URIRef) -> int | None:
        found = self.one(shape, key)
        return int(found) if isinstance(found, Literal) else None

    def properties(self, shape: Node) -> list[Node]:
        found = self.shapes.objects(shape, SH.property)
        return [ps for ps in found if self.one(ps, SH.deactivated) != Literal(True)]

    def route(self, shape: Node) -> str:
        step = self.one(shape, SH.path)
        if step is None:
            raise Unsupported(f"a property shape without sh:path: {shape!r}")
        return text.path(self.shapes, step)

    def require_known(self, shape: Node) -> None:
        unknown = {
            str(p)
            for p in self.shapes.predicates(shape)
            if str(p).startswith(str(SH)) and p not in KNOWN
        }
        if unknown:
            raise Unsupported(f"{shape!r} uses {sorted(unknown)}")


def lang_clash(a: str, b: str) -> str:
    """A filter: ``a`` and ``b`` differ and share a non-empty language tag (sh:uniqueLang)."""
    same = f"LCASE(LANG({a})) = LCASE(LANG({b}))"
    return f"FILTER ({safe(f'!sameTerm({a}, {b}) && LANG({a}) != {chr(34) * 2} && {same}')})"


def language_in(var: str, languages: list[Node]) -> str:
    """``var`` has a tag of ``languages`` or one whose first part is in it (as pySHACL reads)."""
    wanted = sorted({str(tag).lower() for tag in languages})
    if "*" in wanted:
        return safe(f'isLiteral({var}) && LANG({var}) != ""')
    listed = ", ".join(text.term(Literal(tag)) for tag in wanted)
    first = f'LCASE(STRBEFORE(CONCAT(LANG({var}), "-"), "-"))'
    tag = f"LCASE(LANG({var}))"
    return safe(f'LANG({var}) != "" && ({tag} IN ({listed}) || {first} IN ({listed}))')


__all__ = ["Check", "Compiler", "Unsupported", "group", "select"]
