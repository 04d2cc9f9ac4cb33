"""Running the checks on Oxigraph: each row a validation result, as pySHACL would make it."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from pdkg.terms import from_oxigraph
from pdkg.validation.fast import advanced, text
from pdkg.validation.fast.compiler import Check
from pdkg.validation.fast.text import Unsupported, group, select

#: what pySHACL asks of a well-typed literal's Python value (other datatypes: well-formed only)
PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}
#: datatypes whose literals are never ill-typed to pySHACL
ALWAYS_FINE = {XSD.string, RDF.langString, RDFS.Literal, RDFS.Datatype}


@dataclass(frozen=True)
class Result:
    """One validation result: what ``sh:ValidationResult`` holds."""

    check: Check
    focus: Node
    value: Node | None
    path: Node | None
    messages: tuple[str, ...]


def ill_typed(store: ox.Store, shapes: Graph) -> dict[URIRef, list[Literal]]:
    """The literals of ``store`` whose datatype some ``sh:datatype`` names but which pySHACL
    finds ill-typed (``"banana"^^xsd:date``), by datatype; read with rdflib, as pySHACL reads."""
    checked = {d for d in shapes.objects(None, SH.datatype) if isinstance(d, URIRef)} - ALWAYS_FINE
    if not checked:
        return {}
    listed = ", ".join(text.term(d) for d in sorted(checked))
    query = select(
        "?v",
        group("?s ?p ?v .", f"FILTER (isLiteral(?v) && DATATYPE(?v) IN ({listed}))"),
        distinct=True,
    )
    found: dict[URIRef, list[Literal]] = {}
    quiet = logging.getLogger("rdflib.term")
    level, quiet.disabled = quiet.disabled, True  # rdflib logs a traceback for each bad literal
    try:
        for solution in _select(store, query, {}):
            literal = from_oxigraph(solution["v"])
            if isinstance(literal, Literal) and rejected(literal):
                found.setdefault(URIRef(str(literal.datatype)), []).append(literal)
    finally:
        quiet.disabled = level
    return found


def rejected(literal: Literal) -> bool:
    """pySHACL's ``sh:datatype`` finds ``literal`` ill-typed for its own datatype."""
    if literal.ill_typed:
        return True
    kind = PYTHON_TYPES.get(URIRef(str(literal.datatype)))
    return kind is not None and not isinstance(literal.value, kind)


def results(store: ox.Store, shapes: Graph, check: Check) -> Iterator[Result]:
    """The results of one check.

    Raises:
        Unsupported: a SPARQL constraint whose rows do not name their focus node.
    """
    if check.constraint is not None:
        yield from _sparql_results(store, shapes, check)
        return
    messages = tuple(str(m) for m in shapes.objects(check.source, SH.message))
    for solution in _select(store, check.query, check.prefixes):
        focus = from_oxigraph(solution["this"])
        value = from_oxigraph(solution[check.value]) if check.value else None
        found = from_oxigraph(solution[check.path_column]) if check.path_column else check.path
        yield Result(check, focus, value, found, messages)


def _sparql_results(store: ox.Store, shapes: Graph, check: Check) -> Iterator[Result]:
    assert check.constraint is not None
    own = [m for m in shapes.objects(check.constraint, SH.message) if isinstance(m, Literal)]
    shared = [m for m in shapes.objects(check.source, SH.message) if isinstance(m, Literal)]
    if check.focus:  # once per focus node, $this substituted
        query = select("?this", check.focus, distinct=True)
        nodes = [s["this"] for s in _select(store, query, check.prefixes)]
        runs = [(n, _select(store, check.query, check.prefixes, n)) for n in nodes]
    else:
        runs = [(None, _select(store, check.query, check.prefixes))]
    seen: set[tuple[object, ...]] = set()
    for node, solutions in runs:
        if node is None and ox.Variable("this") not in solutions.variables:
            raise Unsupported(
                f"a SPARQL constraint that does not select $this: {check.constraint!r}"
            )
        for solution in solutions:
            row = {
                v.value: from_oxigraph(t)
                for v in solutions.variables
                if (t := solution[v]) is not None
            }
            bindings = dict(row)
            failure = bindings.pop("failure", None)
            path, value = bindings.pop("path", None), bindings.pop("value", None)
            this = bindings.pop("this", None)
            focus = this or (from_oxigraph(node) if node is not None else None)
            if failure is not None:  # pySHACL: one result a focus node, its messages unfilled
                key: tuple[object, ...] = (focus, True)
                path, value, bindings = None, None, {k: v for k, v in row.items() if k != "failure"}
            elif path is None and value is None and this is None:
                continue
            else:
                key = (focus, path, value, tuple(sorted(bindings.items())))
            if focus is None or key in seen:
                continue
            seen.add(key)
            value = value if value is not None else focus  # a node shape's: its focus node
            if failure is None:
                bindings |= {"this": focus} | ({"path": path} if path is not None else {})
                bindings["value"] = value
            texts = [m for m in own if m not in shared] + shared
            filled = tuple(advanced.message_text(str(m), bindings) for m in texts)
            yield Result(check, focus, value, path, filled)


def _select(
    store: ox.Store,
    query: str,
    prefixes: Mapping[str, str],
    this: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
) -> ox.QuerySolutions:
    substitutions: (
        dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None
    ) = {ox.Variable("this"): this} if this is not None else None
    answer = store.query(query, prefixes=dict(prefixes), substitutions=substitutions)
    if not isinstance(answer, ox.QuerySolutions):
        raise Unsupported("not a SELECT query")
    return answer
