"""Namespaces of the ontology, resources, vocabularies and the external terms pdkg uses."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

PDR = Namespace("https://w3id.org/pdkg/resource/")
PDV = Namespace("https://w3id.org/pdkg/vocab/")
PDSH = Namespace("https://w3id.org/pdkg/shapes#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
VOID = Namespace("http://rdfs.org/ns/void#")


class PD(DefinedNamespace):
    """Terms of the pdkg ontology that the code refers to (a test checks each is declared)."""

    _NS = Namespace("https://w3id.org/pdkg/ontology#")
    _fail = True

    Actor: URIRef
    Relation: URIRef
    Source: URIRef
    locator: URIRef
    sourceNote: URIRef
    sourceSection: URIRef


#: Prefixes bound in every serialisation the release writes.
PREFIXES: dict[str, Namespace] = {
    "pd": PD._NS,
    "pdr": PDR,
    "pdv": PDV,
    "pdsh": PDSH,
    "wd": WD,
    "wdt": WDT,
    "void": VOID,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable output) and return it."""
    graph.bind("sh", Namespace("http://www.w3.org/ns/shacl#"))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph
