"""SPARQL text from shapes: RDF terms, SHACL paths and the few query forms the checks use.

Every value that enters a query is an RDF term of the shapes graph, written by Oxigraph's own
N-Triples serialiser (``<iri>``, ``"text"@en``, ``"1"^^<…#integer>``), never a raw string; the
query forms are assembled here, from keywords, in one place, so no other module holds SPARQL.

>>> term(URIRef("https://w3id.org/pdkg/ontology#Actor"))
'<https://w3id.org/pdkg/ontology#Actor>'
>>> term(Literal("en"))
'"en"'
>>> select("?this", "{ ?this ?p ?o }", distinct=True).split()[:3]
['SELECT', 'DISTINCT', '?this']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

TYPE_OF = f"{RDF.type.n3()}/{RDFS.subClassOf.n3()}*"  # instances, as sh:class and targets see them
SELECT = "SELECT"
IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


class Unsupported(Exception):
    """A shape uses a feature this compiler does not translate (the caller falls back)."""


def term(node: Node) -> str:
    """The SPARQL text of an IRI or literal of the shapes graph.

    Raises:
        Unsupported: a blank node, which a query cannot name.
    """
    if isinstance(node, URIRef):
        try:
            return str(ox.NamedNode(str(node)))
        except ValueError:
            raise Unsupported(f"not an IRI a query can hold: {node!r}") from None
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype is not None else None
        return str(ox.Literal(str(node), datatype=datatype))
    raise Unsupported(f"a blank node cannot be named in a query: {node!r}")


def items(shapes: Graph, node: Node) -> list[Node]:
    """The members of an RDF list of the shapes graph."""
    return list(Collection(shapes, node))


def path(shapes: Graph, node: Node) -> str:
    """The SPARQL property path of a SHACL path.

    Raises:
        Unsupported: a path of a form SHACL does not define.
    """
    if isinstance(node, URIRef):
        return term(node)
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(path(shapes, step) for step in items(shapes, node)) + ")"
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(node, key)
        if inner is not None:
            return "(" + path(shapes, inner) + ")" + mark
    inverse = shapes.value(node, SH.inversePath)
    if inverse is not None:
        return "^(" + path(shapes, inverse) + ")"
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path(shapes, step) for step in items(shapes, alternatives)) + ")"
    raise Unsupported(f"not a SHACL path: {node!r}")


def select(projection: str, where: str, *, distinct: bool = False, tail: str = "") -> str:
    """A SELECT query (``where`` is a group, braces included)."""
    words = [SELECT, "DISTINCT" if distinct else "", projection, "WHERE", where, tail]
    return " ".join(word for word in words if word)


def subselect(projection: str, where: str, *, distinct: bool = False, tail: str = "") -> str:
    """A nested SELECT, as a group to join."""
    return "{ " + select(projection, where, distinct=distinct, tail=tail) + " }"


def group(*parts: str) -> str:
    """A group graph pattern of the parts (patterns and filters), in order."""
    return "{ " + " ".join(part for part in parts if part) + " }"


def union(groups: Iterable[str]) -> str:
    """The union of groups, itself one group."""
    return group(" UNION ".join(groups))


def exists(*parts: str) -> str:
    return "EXISTS " + group(*parts)


def not_exists(*parts: str) -> str:
    return "NOT EXISTS " + group(*parts)


def safe(expression: str) -> str:
    """``expression`` in two-valued logic: an error (a type mismatch) counts as false."""
    return f"COALESCE(({expression}), false)"


def all_of(expressions: Iterable[str]) -> str:
    listed = list(expressions)
    return "(" + " && ".join(listed) + ")" if listed else "true"


def any_of(expressions: Iterable[str]) -> str:
    listed = list(expressions)
    return "(" + " || ".join(listed) + ")" if listed else "false"


def same_as_one_of(var: str, nodes: Iterable[Node]) -> str:
    """``var`` is one of the terms (term equality, as pySHACL compares: ``"01"`` is not ``"1"``)."""
    return any_of(f"sameTerm({var}, {term(node)})" for node in nodes)


def distinct_values(subject: str, route: str, names: list[str]) -> list[str]:
    """Patterns binding each of ``names`` to a value, the values pairwise different."""
    patterns = [f"{subject} {route} {name} ." for name in names]
    pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
    return patterns + ([f"FILTER ({all_of(pairs)})"] if pairs else [])


class Names:
    """Fresh variable names (``?_v1``, ``?_v2``…), which no shape's own query uses."""

    def __init__(self) -> None:
        self._count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        self._count += 1
        return f"?_v{self._count}"

    def take(self, count: int) -> list[str]:
        return [next(self) for _ in range(count)]


def is_blank(node: Node) -> bool:
    return isinstance(node, BNode)


def masked(query: str) -> str:
    """``query`` with the text of its strings and comments blanked (same length), so that
    braces and keywords are found only in the query's own syntax (IRIs are skipped whole: an
    IRI may hold ``#``, which would otherwise start a comment).

    >>> masked('{ ?x <urn:a#b> "{" } # }')
    '{ ?x <urn:a#b> " " }    '
    """
    out, at, quote = list(query), 0, ""
    while at < len(query):
        char = query[at]
        if quote:
            if char == "\\":
                out[at] = " "
                at += 1
                if at < len(query):
                    out[at] = " "
            elif query.startswith(quote, at):
                at += len(quote) - 1
                quote = ""
            else:
                out[at] = " " if char != "\n" else "\n"
        elif char == "#":
            while at < len(query) and query[at] != "\n":
                out[at] = " "
                at += 1
            continue
        elif char == "<" and (iri := IRI.match(query, at)):
            at = iri.end()
            continue
        elif char in "'\"":
            quote = char * 3 if query.startswith(char * 3, at) else char
            at += len(quote) - 1
        at += 1
    return "".join(out)


def closing(code: str, opening: int) -> int:
    """The index of the ``}`` matching the ``{`` at ``opening`` (in masked text)."""
    depth = 0
    for at in range(opening, len(code)):
        if code[at] == "{":
            depth += 1
        elif code[at] == "}":
            depth -= 1
            if depth == 0:
                return at
    raise ValueError("unbalanced braces")
