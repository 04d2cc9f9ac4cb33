"""``pdkg link --enrich``: what Wikidata says of the linked items, kept apart from the claims.

The answer stays in Wikidata's own terms (``rdfs:label``, ``wdt:P17``, ``wdt:P625``,
``wdt:P1082``) about Wikidata's items, in a file of its own (``wikidata/enrichment.ttl``) whose
one provenance node says where and when it was retrieved. ``pdkg build`` copies it to
``dist/wikidata-enrichment.ttl`` and draws the partner map from its coordinates; it never enters
``dist/pdkg.nt``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS

from pdkg.files import write_whole
from pdkg.query.table import ResultTable
from pdkg.vocab import PDR, WD, WDT, bind_prefixes
from pdkg.wikidata.client import Wikidata

ENRICHMENT = PDR["wikidata-enrichment"]


def linked_items(links: ResultTable) -> list[URIRef]:
    """The Wikidata items the graph links to (rows of the saved query ``wikidata-links``)."""
    return sorted({URIRef(str(row["object"])) for row in links.to_dicts()}, key=str)


def enrich(wikidata: Wikidata, items: Sequence[URIRef], day: datetime.date) -> Graph:
    """What ``wikidata`` says of ``items``, with one provenance node for the whole answer."""
    graph = bind_prefixes(wikidata.construct("items", "item", items))
    if wikidata.store is not None:  # the snapshot records no retrieval date of its own
        title = f"Wikidata as the verified snapshot holds it (wikidata/snapshot.ttl), read {day}"
        source = PDR["wikidata-snapshot"]
    else:
        title = f"Wikidata ({wikidata.where}), retrieved {day.isoformat()}"
        source = URIRef(wikidata.where)
    graph.add((ENRICHMENT, RDF.type, PROV.Entity))
    graph.add((ENRICHMENT, RDFS.label, Literal(title, lang="en")))
    graph.add((ENRICHMENT, DCTERMS.title, Literal(title)))
    graph.add((ENRICHMENT, DCTERMS.source, source))
    graph.add((ENRICHMENT, DCTERMS.created, Literal(day.isoformat(), datatype=XSD.date)))
    graph.add(
        (
            ENRICHMENT,
            DCTERMS.description,
            Literal(
                "Labels (en, zh), country (P17), coordinates (P625) and population (P1082) of the "
                "Wikidata items the graph links to, as Wikidata states them; not the graph's "
                "claims."
            ),
        )
    )
    for item in items:
        graph.add((ENRICHMENT, DCTERMS.subject, item))
    return graph


def write_enrichment(graph: Graph, path: Path) -> None:
    """Write the enrichment as Turtle, whole or not at all.

    Raises:
        OutputError: the file cannot be written.
    """
    write_whole(path, graph.serialize(format="turtle"))


def coordinates(graph: Graph) -> dict[str, str]:
    """QID -> its P625 WKT literal, from an enrichment graph."""
    found: dict[str, str] = {}
    for item, value in graph.subject_objects(WDT.P625):
        qid = str(item)[len(str(WD)) :]
        found.setdefault(qid, str(value))
    return found
