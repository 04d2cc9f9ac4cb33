"""The national layer as triples: each snapshot a source, each code a unit with its listings and
changes, each unit's people's government, and the subordination §3.2's general rule gives them.

IRIs: ``pdr:cn-{code}`` for a unit (or the chapter's resource where ``national/chapter-places.tsv``
links the code to it, with the evidence), ``pdr:cn-{code}-listing-{month}``,
``pdr:cn-{code}-government`` (or the chapter's government), ``pdr:gb2260-{revision}``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pdkg.errors import GraphLoadError
from pdkg.national.history import Change, Unit, changes, units
from pdkg.national.rdf import DCTERMS, PD, PDR, PDV, PROV, RDF, RDFS, SCHEMA, XSD
from pdkg.national.snapshots import Listing, Snapshot, kind, listings, read_snapshots

#: the rule every derived subordination applies (graph/national.ttl states it with its source)
RULE = "rule-upper-level-subordination"
STATE_COUNCIL = "state-council"
GOVERNMENT_LOCATOR = (
    "§3.2, 'the people's government is responsible in front of local people's congress': "
    "every local unit has one; its name here is the unit's name in the standard"
)
RULE_LOCATOR = (
    "§3.2, 'subordinated to the administrative upper level', applied to the pair the "
    "standard's codes give"
)
TWINS_NOTE = (
    "A snapshot of this run lists code {code} twice, as {name} and as {others}; both are kept "
    "as listed."
)
RECODED_NOTE = (
    "The snapshots show code {before} vanish and code {after} appear, each the only one named "
    "{name} among the codes that vanish and appear between the two; that they are one place is "
    "read from that, not stated."
)


@dataclass(frozen=True)
class ChapterPlace:
    """A code the chapter's graph already has a resource (and maybe a government) for."""

    code: str
    resource: str
    government: str | None


def read_chapter_places(path: Path) -> dict[str, ChapterPlace]:
    """``national/chapter-places.tsv``: code, resource, government, evidence.

    Raises:
        GraphLoadError: the file is missing or a row has no evidence.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except FileNotFoundError:
        raise GraphLoadError(path, "no such file") from None
    found = {}
    for number, row in enumerate(rows, start=2):
        if not (row.get("code") and row.get("resource") and row.get("evidence")):
            raise GraphLoadError(
                path, "a row needs a code, a resource and its evidence", line=number
            )
        found[row["code"]] = ChapterPlace(row["code"], row["resource"], row["government"] or None)
    return found


def month(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD.gYearMonth)


class Writer:
    """Collects the layer's triples, naming units and governments the chapter's way."""

    def __init__(
        self, chapter: dict[str, ChapterPlace], governed: set[str], final: Snapshot
    ) -> None:
        self.chapter = chapter
        self.governed = governed
        self.final = final
        self.triples: list[ox.Triple] = []

    def add(
        self, subject: ox.NamedNode, predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal
    ) -> None:
        self.triples.append(ox.Triple(subject, predicate, value))

    def unit(self, code: str) -> ox.NamedNode:
        place = self.chapter.get(code)
        return PDR(place.resource if place else f"cn-{code}")

    def government(self, code: str) -> ox.NamedNode:
        place = self.chapter.get(code)
        return PDR(place.government if place and place.government else f"cn-{code}-government")

    def cite(
        self, node: ox.NamedNode, snapshot: Snapshot, code: str, last: Snapshot | None = None
    ) -> None:
        """The first snapshot as the source; the last one, where another, in the locator."""
        self.add(node, PROV.wasDerivedFrom, source(snapshot))
        span = f" to {last.file}" if last is not None and last != snapshot else ""
        self.add(node, PD.locator, ox.Literal(f"{snapshot.file}{span}, code {code}"))


def source(snapshot: Snapshot) -> ox.NamedNode:
    return PDR(f"gb2260-{snapshot.revision}")


@dataclass(frozen=True)
class Layer:
    """The divisions' triples, the latest snapshot and the resource of each code."""

    triples: list[ox.Triple]
    latest: Snapshot
    writer: Writer

    def unit(self, code: str) -> ox.NamedNode:
        return self.writer.unit(code)


def layer(folder: Path) -> Layer:
    """The divisions of ``folder`` (``national/``), their governments and subordination.

    Raises:
        GraphLoadError: a file of the folder is missing or malformed.
    """
    snapshots = read_snapshots(folder / "gb2260")
    found = units(listings(snapshots))
    chapter = read_chapter_places(folder / "chapter-places.tsv")
    governed = {code for code in found if _has_government(code, found)}
    out = Writer(chapter, governed, snapshots[-1])
    for snapshot in snapshots:
        _snapshot(out, snapshot)
    for unit in found.values():
        _unit(out, unit)
        if unit.code in governed:
            _government(out, unit)
    for change in changes(found, snapshots):
        _change(out, change)
    return Layer(out.triples, snapshots[-1], out)


def _has_government(code: str, found: dict[str, Unit]) -> bool:
    """Whether §3.2's rule is applied to the unit: every unit but a provincial one the snapshots
    list nothing under (710000, 810000, 820000), of which the graph cannot tell."""
    if not code.endswith("0000"):
        return True
    return any(other[:2] == code[:2] and other != code for other in found)


def _snapshot(out: Writer, snapshot: Snapshot) -> None:
    node = source(snapshot)
    out.add(node, RDF.type, PD.Source)
    out.add(
        node,
        RDFS.label,
        ox.Literal(
            f"GB/T 2260 division codes of {snapshot.month} (Ministry of Civil Affairs)",
            language="en",
        ),
    )
    out.add(node, SCHEMA.url, ox.NamedNode(snapshot.url))
    out.add(node, DCTERMS.date, month(snapshot.month))
    out.add(node, DCTERMS.isPartOf, PDR("gb2260"))
    out.add(node, PD.accessedAs, ox.Literal(f"table copied by cn/GB2260 ({snapshot.file})"))


def _unit(out: Writer, unit: Unit) -> None:
    node = out.unit(unit.code)
    if unit.code not in out.chapter:
        out.add(
            node, RDF.type, PD.Province if unit.level == "provincial" else PD.AdministrativeUnit
        )
        out.add(node, PD.country, PDR("china"))
        out.cite(node, unit.first, unit.code)
    out.add(node, RDFS.label, ox.Literal(unit.name, language="zh"))
    out.add(node, PD.divisionCode, ox.Literal(unit.code))
    out.add(node, PD.adminLevel, PDV(unit.level))
    if unit.kind:
        out.add(node, PD.divisionKind, PDV(unit.kind))
    if unit.latest.parent and unit.code not in out.chapter:
        out.add(node, PD.partOf, out.unit(unit.latest.parent))
    for listing in unit.listings:
        _listing(out, listing)


def _listing_node(listing: Listing) -> ox.NamedNode:
    twin = f"-{listing.name}" if listing.twins else ""
    return PDR(f"cn-{listing.code}-listing-{listing.first.month}{twin}")


def _listing(out: Writer, listing: Listing) -> None:
    node = _listing_node(listing)
    out.add(node, RDF.type, PD.DivisionListing)
    out.add(node, PD.listedUnit, out.unit(listing.code))
    out.add(node, PD.listedName, ox.Literal(listing.name, language="zh"))
    said = kind(listing.code, listing.name)
    if said:
        out.add(node, PD.divisionKind, PDV(said))
    if listing.parent:
        out.add(node, PD.listedUnder, out.unit(listing.parent))
    out.add(node, PD.startDate, month(listing.first.month))
    if listing.last != out.final:
        out.add(node, PD.endDate, month(listing.last.month))
    out.cite(node, listing.first, listing.code, listing.last)
    if listing.twins:
        others = ", ".join(listing.twins)
        out.add(
            node,
            PD.sourceNote,
            ox.Literal(TWINS_NOTE.format(code=listing.code, name=listing.name, others=others)),
        )


def _government(out: Writer, unit: Unit) -> None:
    node = out.government(unit.code)
    place = out.chapter.get(unit.code)
    if not (place and place.government):
        out.add(node, RDF.type, PD.Government)
        out.add(node, RDF.type, PD.LocalBody)
        out.add(
            node,
            RDFS.label,
            ox.Literal(f"people's government of {unit.name} ({unit.code})", language="en"),
        )
        out.add(node, PD.jurisdiction, out.unit(unit.code))
        out.add(node, PROV.wasDerivedFrom, PDR("chapter-s3-2"))
        out.add(
            node,
            PD.locator,
            ox.Literal(GOVERNMENT_LOCATOR),
        )
    for listing in unit.listings:
        upper = listing.parent
        if upper is not None and upper not in out.governed:
            continue
        supervisor = out.government(upper) if upper else PDR(STATE_COUNCIL)
        if upper is None and unit.level != "provincial":
            continue
        _subordination(out, node, supervisor, listing)


def _subordination(
    out: Writer, node: ox.NamedNode, supervisor: ox.NamedNode, listing: Listing
) -> None:
    claim = PDR(f"cn-{listing.code}-government-subordination-{listing.first.month}")
    if listing.twins:
        claim = PDR(
            f"cn-{listing.code}-government-subordination-{listing.first.month}-{listing.name}"
        )
    out.add(claim, RDF.type, PD.Supervision)
    out.add(claim, PD.supervised, node)
    out.add(claim, PD.supervisor, supervisor)
    out.add(claim, PD.supervisionKind, PDV("administrative-subordination"))
    out.add(claim, PD.byRule, PDR(RULE))
    out.add(claim, PD.startDate, month(listing.first.month))
    if listing.last != out.final:
        out.add(claim, PD.endDate, month(listing.last.month))
    out.add(claim, PROV.wasDerivedFrom, PDR("chapter-s3-2"))
    out.add(
        claim,
        PD.locator,
        ox.Literal(RULE_LOCATOR),
    )
    out.add(claim, PD.ruleCase, _listing_node(listing))


def _change(out: Writer, change: Change) -> None:
    node = PDR(change.slug)
    out.add(node, RDF.type, PD.DivisionChange)
    out.add(node, PD.changeKind, PDV(change.what))
    if change.what == "renamed":
        label = f"{change.code_after} renamed from {change.name_before} to {change.name_after}"
    else:
        label = f"{change.name_after} recoded from {change.code_before} to {change.code_after}"
    out.add(node, RDFS.label, ox.Literal(label, language="en"))
    out.add(node, PD.unitBefore, out.unit(change.code_before))
    out.add(node, PD.unitAfter, out.unit(change.code_after))
    out.add(node, PD.nameBefore, ox.Literal(change.name_before, language="zh"))
    out.add(node, PD.nameAfter, ox.Literal(change.name_after, language="zh"))
    out.add(node, PD.changedAfter, month(change.after.month))
    out.add(node, PD.changedBy, month(change.by.month))
    record = PDR(f"{change.slug}-record")
    out.add(record, RDF.type, PD.Record)
    out.add(record, PD.records, node)
    out.add(record, PROV.wasDerivedFrom, source(change.by))
    out.add(
        record,
        PD.locator,
        ox.Literal(
            f"{change.after.file}, code {change.code_before}; "
            f"{change.by.file}, code {change.code_after}"
        ),
    )
    if change.what == "recoded":
        out.add(
            record,
            PD.sourceNote,
            ox.Literal(
                RECODED_NOTE.format(
                    before=change.code_before, after=change.code_after, name=change.name_after
                )
            ),
        )
