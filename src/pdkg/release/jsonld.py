"""The release as compacted JSON-LD, written straight from Oxigraph's triples.

rdflib's JSON-LD serialiser took 26 s for the national release (370k triples: a parse of the
N-Triples into rdflib, then its compaction); this writes the same graph in well under that. The
document is flat: one node object a subject (sorted by ``@id``), ``@type`` for ``rdf:type``, the
context's terms for the ``pd:`` properties it defines, compact IRIs for every other property and
IRI. A ``pd:`` object property's value is a compact IRI string (the context coerces it with
``"@type": "@id"``); any other value is a value object (``@value`` with ``@type`` or
``@language``) or a node reference (``{"@id": ...}``), so nothing depends on a default.
``tests/test_linked_release.py`` reads it back with rdflib to the graph of ``pdkg.nt``.

>>> ctx = {"@context": {"pdr": "https://w3id.org/pdkg/resource/", "pd": "https://w3id.org/pdkg/ontology#",
...        "partOf": {"@id": "pd:partOf", "@type": "@id"}}}
>>> triples = [ox.Triple(ox.NamedNode("https://w3id.org/pdkg/resource/a"),
...            ox.NamedNode("https://w3id.org/pdkg/ontology#partOf"),
...            ox.NamedNode("https://w3id.org/pdkg/resource/b"))]
>>> json.loads(compact(triples, ctx, "context.jsonld"))["@graph"]
[{'@id': 'pdr:a', 'partOf': 'pdr:b'}]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Compactor:
    """Compacts IRIs and properties with one context's prefixes and terms."""

    def __init__(self, ctx: Mapping[str, Any]) -> None:
        entries = dict(ctx["@context"])
        # longest namespace first, so that a nested namespace wins
        self.prefixes = sorted(
            ((name, iri) for name, iri in entries.items() if isinstance(iri, str) and ":" in iri
             and iri.endswith(("/", "#"))),
            key=lambda item: -len(item[1]),
        )  # fmt: skip
        self.terms: dict[str, tuple[str, bool]] = {}
        for name, definition in entries.items():
            if isinstance(definition, dict):
                self.terms[self.expand(definition["@id"])] = (
                    name,
                    definition.get("@type") == "@id",
                )
            elif isinstance(definition, str) and not definition.endswith(("/", "#")):
                self.terms[self.expand(definition)] = (name, False)

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        for name, iri in self.prefixes:
            if name == prefix:
                return iri + local
        return value

    def iri(self, value: str) -> str:
        for name, namespace in self.prefixes:
            if value.startswith(namespace) and not value[len(namespace) :].startswith("//"):
                return f"{name}:{value[len(namespace) :]}"
        return value

    def node(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD_STRING:
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        if isinstance(term, ox.Triple):
            raise ValueError("RDF-star triple terms have no JSON-LD 1.1 form")
        return {"@id": self.node(term)}


def compact(triples: Iterable[ox.Triple], ctx: Mapping[str, Any], reference: str) -> str:
    """``triples`` as one JSON-LD document whose ``@context`` is ``reference`` (the file or URL of
    ``ctx``): sorted nodes and keys, so that equal graphs with equal labels give equal text."""
    names = Compactor(ctx)
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        subject = names.node(triple.subject)  # type: ignore[arg-type]
        predicate, obj = triple.predicate.value, triple.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            nodes[subject]["@type"].append(names.iri(obj.value))
            continue
        term, coerced = names.terms.get(predicate, (names.iri(predicate), False))
        if coerced and not isinstance(obj, ox.Literal):
            nodes[subject][term].append(names.node(obj))  # type: ignore[arg-type]
        elif coerced:  # a literal where the context expects an IRI: the plain compact IRI
            nodes[subject][names.iri(predicate)].append(names.value(obj))
        else:
            nodes[subject][term].append(names.value(obj))
    graph = []
    for subject in sorted(nodes):
        body: dict[str, Any] = {"@id": subject}
        for key, values in nodes[subject].items():
            ordered = sorted(values, key=lambda item: json.dumps(item, sort_keys=True))
            body[key] = ordered[0] if len(ordered) == 1 else ordered
        graph.append(body)
    document = {"@context": reference, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
