"""The namespaces the national layer writes its triples in, as Oxigraph terms.

>>> PD.divisionCode.value
'https://w3id.org/pdkg/ontology#divisionCode'
>>> PDR("cn-440100").value
'https://w3id.org/pdkg/resource/cn-440100'
"""

from __future__ import annotations

import pyoxigraph as ox


class Space:
    """A namespace: ``Space(base).local`` and ``Space(base)("local-name")`` are IRIs in it."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + local)

    def __getattr__(self, local: str) -> ox.NamedNode:
        if local.startswith("__"):
            raise AttributeError(local)
        return ox.NamedNode(self.base + local)


PD = Space("https://w3id.org/pdkg/ontology#")
PDR = Space("https://w3id.org/pdkg/resource/")
PDV = Space("https://w3id.org/pdkg/vocab/")
PROV = Space("http://www.w3.org/ns/prov#")
RDF = Space("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Space("http://www.w3.org/2000/01/rdf-schema#")
XSD = Space("http://www.w3.org/2001/XMLSchema#")
DCTERMS = Space("http://purl.org/dc/terms/")
SCHEMA = Space("https://schema.org/")
