"""The embedded SPARQL engine: Oxigraph in-process, fed from rdflib graphs (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

RdfTerm = URIRef | BNode | Literal
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_store(graph: Graph) -> ox.Store:
    """Copy an rdflib graph into a fresh in-memory Oxigraph store (default graph)."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> RdfTerm:
    """Convert an Oxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # a plain literal, as SPARQL JSON results give it
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triple terms are not supported: {term}")


def construct(
    store: ox.Store, query: str, *, prefixes: dict[str, str] | None = None
) -> Iterator[tuple[Node, Node, Node]]:
    """Run a CONSTRUCT query on ``store`` (with extra ``prefixes``) and yield rdflib triples."""
    result = store.query(query, use_default_graph_as_union=True, prefixes=prefixes)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("expected a CONSTRUCT query")
    for triple in result:
        yield to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)


def select(store: ox.Store, query: str) -> tuple[list[str], list[list[RdfTerm | None]]]:
    """Run a SELECT query on ``store``; return the variable names and rows of rdflib terms."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    columns = [variable.value for variable in result.variables]
    rows = [
        [None if (value := solution[name]) is None else to_rdflib(value) for name in columns]
        for solution in result
    ]
    return columns, rows
