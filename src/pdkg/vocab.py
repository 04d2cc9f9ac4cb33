"""Namespaces of the ontology, resources, vocabularies and the external terms pdkg uses."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

PDR = Namespace("https://w3id.org/pdkg/resource/")
PDV = Namespace("https://w3id.org/pdkg/vocab/")
PDSH = Namespace("https://w3id.org/pdkg/shapes#")
MAPPINGS = Namespace("https://w3id.org/pdkg/mappings/")  # SSSOM mapping sets
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
VOID = Namespace("http://rdfs.org/ns/void#")
#: Wikidata's RDF: statements (p:), their values (ps:), qualifiers (pq:), references (pr:)
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
#: SSSOM's slots in RDF, the mapping justifications of SEMAPV, PAV's authoredBy
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
PAV = Namespace("http://purl.org/pav/")


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
    "sssom": SSSOM,
    "semapv": SEMAPV,
    "pav": PAV,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable output) and return it."""
    graph.bind("sh", Namespace("http://www.w3.org/ns/shacl#"))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph
