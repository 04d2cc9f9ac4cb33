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
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, Graph

#: each time datatype and the text that turns its value into the first instant of its period
FIRST_INSTANT = {
    XSD.gYear: "-01-01T00:00:00",
    XSD.gYearMonth: "-01T00:00:00",
    XSD.date: "T00:00:00",
}


def dl_variant(graph: Graph) -> Graph:
    """``graph`` with every time value and time datatype in the OWL 2 datatype map.

    >>> from rdflib import Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), URIRef("urn:p"), Literal("2005-03", datatype=XSD.gYearMonth)))
    >>> _ = g.add((URIRef("urn:p"), URIRef("urn:range"), XSD.gYear))
    >>> sorted(str(o) for _, _, o in dl_variant(g))
    ['2005-03-01T00:00:00', 'http://www.w3.org/2001/XMLSchema#dateTime']
    """
    from pdkg.query.engine import to_store

    variant = Graph()
    for prefix, namespace in graph.namespaces():
        variant.bind(prefix, namespace)
    data = ox.serialize(dl_triples(to_store(graph)), format=ox.RdfFormat.N_TRIPLES)
    return variant.parse(data=data, format="nt")


def dl_triples(store: ox.Store) -> Iterator[ox.Triple]:
    """The default graph of ``store`` with every time value and time datatype in the OWL 2
    datatype map (what ``pdkg-dl.nt`` holds)."""
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        yield ox.Triple(quad.subject, quad.predicate, _in_datatype_map(quad.object))


_TIMEZONE = re.compile(r"(Z|[+-][0-9]{2}:[0-9]{2})?$")
_DATETIME = ox.NamedNode(str(XSD.dateTime))
_FIRST = {ox.NamedNode(str(datatype)): text for datatype, text in FIRST_INSTANT.items()}


def _in_datatype_map(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    """A time value as the dateTime its period begins with (its timezone kept); a time
    datatype as xsd:dateTime; anything else as it is.

    >>> _in_datatype_map(ox.Literal("2016Z", datatype=ox.NamedNode(str(XSD.gYear)))).value
    '2016-01-01T00:00:00Z'
    """
    if isinstance(term, ox.Literal) and term.datatype in _FIRST:
        text = term.value
        zone = _TIMEZONE.search(text)
        cut = zone.start() if zone else len(text)
        return ox.Literal(text[:cut] + _FIRST[term.datatype] + text[cut:], datatype=_DATETIME)
    if isinstance(term, ox.NamedNode) and term in _FIRST:
        return _DATETIME
    return term
