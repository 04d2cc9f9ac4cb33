"""The OWL 2 DL variant of the release: the same graph, its times inside the OWL 2 datatype map.

Times in pdkg have one model: the value and its precision together, as XSD writes them —
``xsd:gYear`` (a year), ``xsd:gYearMonth`` (a month) or ``xsd:date`` (a day). SPARQL engines and
SHACL read these directly, but they are outside the OWL 2 datatype map, so a DL reasoner (HermiT)
refuses the release. The DL variant writes each time as the ``xsd:dateTime`` its period begins
with (``"2005-03"^^xsd:gYearMonth`` becomes ``"2005-03-01T00:00:00"^^xsd:dateTime``) and each
mention of those datatypes (a property's range, say) as ``xsd:dateTime``:
the precision stays in the release, not in the variant, which exists for reasoners.
"""

from __future__ import annotations

import re

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

#: each time datatype and the text that turns its value into the first instant of its period
FIRST_INSTANT = {
    XSD.gYear: "-01-01T00:00:00",
    XSD.gYearMonth: "-01T00:00:00",
    XSD.date: "T00:00:00",
}


def dl_variant(graph: Graph) -> Graph:
    """``graph`` with every time value and time datatype in the OWL 2 datatype map.

    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), URIRef("urn:p"), Literal("2005-03", datatype=XSD.gYearMonth)))
    >>> _ = g.add((URIRef("urn:p"), URIRef("urn:range"), XSD.gYear))
    >>> sorted(str(o) for _, _, o in dl_variant(g))
    ['2005-03-01T00:00:00', 'http://www.w3.org/2001/XMLSchema#dateTime']
    """
    variant = Graph()
    for prefix, namespace in graph.namespaces():
        variant.bind(prefix, namespace)
    for s, p, o in graph:
        variant.add((s, p, _in_datatype_map(o)))
    return variant


_TIMEZONE = re.compile(r"(Z|[+-][0-9]{2}:[0-9]{2})?$")


def _in_datatype_map(term: Node) -> Node:
    """A time value as the dateTime its period begins with (its timezone kept); a time
    datatype as xsd:dateTime; anything else as it is.

    >>> str(_in_datatype_map(Literal("2016Z", datatype=XSD.gYear)))
    '2016-01-01T00:00:00Z'
    """
    if isinstance(term, Literal) and term.datatype in FIRST_INSTANT:
        text = str(term)
        zone = _TIMEZONE.search(text)
        cut = zone.start() if zone else len(text)
        value = text[:cut] + FIRST_INSTANT[term.datatype] + text[cut:]
        return Literal(value, datatype=XSD.dateTime, normalize=False)
    if isinstance(term, URIRef) and term in FIRST_INSTANT:
        return XSD.dateTime
    return term
