"""The Wikipedia twinnings as triples: the source with its licence, the partner places and
countries the graph did not have, and one sister-city claim a pair (:mod:`.twinnings`)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pdkg.errors import GraphLoadError
from pdkg.national.rdf import DCTERMS, PD, PDR, PROV, RDF, RDFS, SCHEMA
from pdkg.national.twinnings import Row, is_region, slug

SOURCE = PDR("wikipedia-twinnings")
FILE = "national/wikipedia/twinning_china.csv"
LICENCE = ox.NamedNode("https://creativecommons.org/licenses/by-sa/4.0/")
TITLE = "English Wikipedia's lists of twin towns and sister cities, rows involving China"
ACCESSED = (
    f"repository copy ({FILE}: Hekman/twincities twin_cities_raw.csv, committed 2026-02-08, "
    "filtered to the rows involving China)"
)
TRUST = "Crowd-sourced and incomplete: a low-trust source of its own, never the official record. "
TIERS_NOTE = (
    "English Wikipedia's lists are of 'twin towns and sister cities'; they mix the two tiers "
    "(sister cities and friendly-cooperation cities), so a complete official list of sister "
    "cities that lacks the pair disputes it."
)


@dataclass
class Places:
    """What the graph already has: foreign places by (English label, country) and countries by
    English label (lower-cased), and every IRI in use (so that a new one is new)."""

    foreign: dict[tuple[str, str], str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


def known_places(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> Places:
    """The foreign places and countries of ``graph`` in ``store``."""
    places = Places()

    def objects(subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
        found = store.quads_for_pattern(subject, predicate, None, graph)
        return [q.object.value for q in found if isinstance(q.object, ox.NamedNode)]

    for quad in store.quads_for_pattern(None, None, None, graph):
        if isinstance(quad.subject, ox.NamedNode):
            places.used.add(quad.subject.value)
    for quad in store.quads_for_pattern(None, RDF.type, PD.Country, graph):
        if isinstance(quad.subject, ox.NamedNode):
            for label in _english(store, quad.subject, graph):
                places.countries[label.lower()] = quad.subject.value
    for cls in (PD.ForeignCity, PD.ForeignRegion):
        for quad in store.quads_for_pattern(None, RDF.type, cls, graph):
            if not isinstance(quad.subject, ox.NamedNode):
                continue
            for country in objects(quad.subject, PD.country):
                for label in _english(store, quad.subject, graph):
                    places.foreign[(label.lower(), country)] = quad.subject.value
    return places


def add_partner_places(places: Places, path: Path) -> None:
    """Join the partners ``path`` (``national/wikipedia/partner-places.tsv``: name, country,
    resource, evidence) names to the graph's places: a name Wikipedia spells otherwise than the
    graph (Frankfurt am Main, the chapter's Frankfurt), each with the evidence that it is the
    same place. A missing file joins none.

    Raises:
        GraphLoadError: a row has no evidence, or names a country or resource the graph lacks.
    """
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for number, row in enumerate(rows, start=2):
        country = places.countries.get((row.get("country") or "").lower())
        resource = PDR(row.get("resource") or "-").value
        if not (row.get("name") and row.get("evidence")):
            raise GraphLoadError(path, "a row needs a name and its evidence", line=number)
        if country is None or resource not in places.used:
            raise GraphLoadError(
                path, "the row's country and resource must be in the graph", line=number
            )
        places.foreign[(row["name"].lower(), country)] = resource


def _english(
    store: ox.Store, subject: ox.NamedNode, graph: ox.NamedNode | ox.DefaultGraph
) -> list[str]:
    found = store.quads_for_pattern(subject, RDFS.label, None, graph)
    return [
        q.object.value
        for q in found
        if isinstance(q.object, ox.Literal) and q.object.language == "en"
    ]


def triples(
    rows: list[Row], places: Places, unit: Callable[[str], ox.NamedNode]
) -> list[ox.Triple]:
    """The layer: ``unit`` names the resource of a division code."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, p, o))

    def cite(node: ox.NamedNode, row: Row) -> None:
        add(node, PROV.wasDerivedFrom, SOURCE)
        add(node, PD.locator, ox.Literal(f"{FILE}, row {row.number}"))

    add(SOURCE, RDF.type, PD.Source)
    add(SOURCE, RDFS.label, ox.Literal(TITLE, language="en"))
    add(SOURCE, SCHEMA.url, ox.NamedNode("https://github.com/Hekman/twincities"))
    add(SOURCE, DCTERMS.license, LICENCE)
    add(SOURCE, PD.accessedAs, ox.Literal(ACCESSED))
    add(SOURCE, PD.sourceNote, ox.Literal(TRUST + TIERS_NOTE))
    country_of: dict[str, ox.NamedNode] = {}
    partner_of: dict[tuple[str, str], ox.NamedNode] = {}
    pairs: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if not row.usable or row.match.division is None:
            continue
        country = country_of.get(row.country)
        if country is None:
            known = places.countries.get(row.country.lower())
            country = ox.NamedNode(known) if known else _new(places, slug(row.country), "-country")
            if not known:
                add(country, RDF.type, PD.Country)
                add(country, RDFS.label, ox.Literal(row.country, language="en"))
                cite(country, row)
            country_of[row.country] = country
        key = (row.partner.lower(), country.value)
        partner = partner_of.get(key)
        if partner is None:
            known = places.foreign.get(key)
            partner = (
                ox.NamedNode(known)
                if known
                else _new(places, f"wp-{slug(row.partner)}-{slug(row.country)}", "")
            )
            if not known:
                add(
                    partner,
                    RDF.type,
                    PD.ForeignRegion if is_region(row.partner) else PD.ForeignCity,
                )
                add(partner, RDFS.label, ox.Literal(row.partner, language="en"))
                add(partner, PD.country, country)
                cite(partner, row)
                if row.country_note:
                    add(partner, PD.sourceNote, ox.Literal(row.country_note))
            partner_of[key] = partner
        host = unit(row.match.division.code)
        pairs[(host.value, partner.value)].append(row)
    for (host_iri, partner_iri), listed in pairs.items():
        first = listed[0]
        host, partner = ox.NamedNode(host_iri), ox.NamedNode(partner_iri)
        claim = PDR(f"wp-twinning-{_local(host)}-{_local(partner)}")
        add(claim, RDF.type, PD.SisterCityPartnership)
        add(
            claim,
            RDFS.label,
            ox.Literal(f"{first.host} \N{EN DASH} {first.partner} (Wikipedia)", language="en"),
        )
        add(claim, PD.partner, host)
        add(claim, PD.partner, partner)
        cite(claim, first)
        for other in listed[1:]:
            reference = ox.NamedNode(f"{claim.value}-row-{other.number}")
            add(claim, PROV.qualifiedDerivation, reference)
            add(reference, RDF.type, PROV.Derivation)
            add(reference, PROV.entity, SOURCE)
            add(reference, PD.locator, ox.Literal(f"{FILE}, row {other.number}"))
        notes = sorted({f"host '{row.host}': {row.match.evidence}" for row in listed})
        add(claim, PD.sourceNote, ox.Literal("; ".join(notes) + ". " + TIERS_NOTE))
    return out


def _new(places: Places, local: str, suffix: str) -> ox.NamedNode:
    node = PDR(local)
    if node.value in places.used:
        node = PDR(local + (suffix or "-wp"))
    places.used.add(node.value)
    return node


def _local(node: ox.NamedNode) -> str:
    return node.value.rsplit("/", 1)[-1]
