"""``pdkg wikidata-diff``: a city's partnerships in the graph against Wikidata's P190 for it.

Each partner falls in one of four groups: in both; only in the graph (with its claims' sources and
locators, and whether a complete official list gives it); only in Wikidata; or unlinked (the
graph's partner has no verified QID, so it cannot be compared). A pair only in the graph that an
official source confirms, and that no rule disputes, is what the graph can give back
(:func:`additions`, written as QuickStatements by :mod:`pdkg.wikidata.writeback`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields

from rdflib import Literal, URIRef

from pdkg.errors import ResourceNotFoundError
from pdkg.query.binding import local_name
from pdkg.query.table import Answer, ResultTable
from pdkg.vocab import PDV, WD
from pdkg.wikidata.client import Wikidata
from pdkg.wikidata.writeback import Addition

STATUSES = ("both", "graph only", "wikidata only", "unlinked")
DISPUTED = str(PDV.disputed)


@dataclass(frozen=True)
class DiffRow:
    """One partner of the city and where it is listed."""

    status: str
    partner: str  # the graph's resource ('' for a partner only Wikidata lists)
    partnerLabel: str
    item: str  # the QID ('' when unlinked)
    wikidataLabel: str
    statedBy: str  # which item states the P190: city, partner or both ('' if neither)
    tiers: str
    start: str
    official: bool
    officialUrl: str
    officialStart: str
    disputed: bool
    sources: str
    locators: str
    hint: str  # what a curator can do about the row


COLUMNS = tuple(f.name for f in fields(DiffRow))


def city_item(links: ResultTable, city: str) -> str:
    """The city's QID from the saved query ``wikidata-links``.

    Raises:
        ResourceNotFoundError: the city has no verified Wikidata item.
    """
    for row in links.to_dicts():
        if str(row["subject"]) == city:
            return local_name(str(row["object"]))
    raise ResourceNotFoundError(
        city, "has no verified Wikidata item (skos:exactMatch), so there is nothing to compare"
    )


def compare(claims: ResultTable, twinned: ResultTable) -> list[DiffRow]:
    """The rows of ``partnership-claims`` (one a claim and source) against ``twinned``."""
    by_partner: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in claims.to_dicts():
        by_partner[str(row["partner"])].append(row)
    listed = {
        local_name(str(r["partner"])): str(r.get("partnerLabel") or "") for r in twinned.to_dicts()
    }
    sides = {local_name(str(r["partner"])): str(r.get("side") or "") for r in twinned.to_dicts()}
    rows = []
    seen: set[str] = set()
    for partner, records in sorted(by_partner.items()):
        qid = next((local_name(str(r["item"])) for r in records if r.get("item")), "")
        seen.add(qid)
        official = [r for r in records if r.get("official") == "yes"]
        status = "unlinked" if not qid else "both" if qid in listed else "graph only"
        rows.append(
            DiffRow(
                status=status,
                partner=partner,
                partnerLabel=str(records[0]["partnerLabel"]),
                item=qid,
                wikidataLabel=listed.get(qid, ""),
                statedBy=sides.get(qid, ""),
                tiers=_joined(str(r["tier"]) for r in records),
                start=_joined(str(r["start"]) for r in records if r.get("start") is not None),
                official=bool(official),
                officialUrl=_joined(str(r["url"]) for r in official if r.get("url")),
                officialStart=_joined(str(r["start"]) for r in official if r.get("start")),
                disputed=any(r.get("status") == DISPUTED for r in records),
                sources=_joined(str(r["sourceLabel"]) for r in records),
                locators=_joined(str(r["locator"]) for r in records),
                hint="",
            )
        )
    unlinked = {row.partnerLabel: row.partner for row in rows if row.status == "unlinked"}
    for qid, label in sorted(listed.items(), key=lambda kv: int(kv[0][1:])):
        if qid in seen:
            continue
        hint = ""
        if label in unlinked:
            hint = (
                f"the graph's unlinked {unlinked[label]} has this label: verify the QID, then link"
            )
        rows.append(
            DiffRow(
                "wikidata only",
                "",
                "",
                qid,
                label,
                sides[qid],
                "",
                "",
                False,
                "",
                "",
                False,
                "",
                "",
                hint,
            )
        )
    return rows


def additions(rows: Sequence[DiffRow], city_qid: str, claims: ResultTable) -> list[Addition]:
    """The pairs a complete official list gives, no rule disputes and the city's item lacks
    (only in the graph, or stated on the partner's item alone): each a P190 statement on the
    city's item with the official start date and the official page as reference."""
    official: dict[str, list[dict[str, object]]] = defaultdict(list)
    for record in _terms(claims):  # the start stays an RDF term, its precision in its datatype
        if str(record.get("official")) == "yes" and record.get("url") is not None:
            official[str(record["partner"])].append(record)
    found = []
    for row in rows:
        lacking = row.status == "graph only" or row.statedBy == "partner"  # not on the city's item
        if not lacking or not row.official or row.disputed or not official[row.partner]:
            continue
        first = sorted(official[row.partner], key=lambda r: (str(r["url"]), str(r["claim"])))[0]
        start = first.get("start")
        found.append(
            Addition(
                city_qid=city_qid,
                partner_qid=row.item,
                partner_label=row.partnerLabel,
                start=start if isinstance(start, Literal) else None,
                reference_url=str(first["url"]),
                retrieved=None,  # the stored excerpts record no retrieval date
            )
        )
    return found


def run_diff(
    query: Callable[[str, dict[str, str]], Answer], city: str, wikidata: Wikidata
) -> tuple[str, ResultTable, list[DiffRow]]:
    """The city's QID, its partnership claims and the diff rows, asking ``query`` (the graph's
    saved queries) and ``wikidata`` (``queries/wikidata/twinned.rq``)."""
    links = query("wikidata-links", {})
    claims = query("partnership-claims", {"city": city})
    assert isinstance(links, ResultTable)
    assert isinstance(claims, ResultTable)
    qid = city_item(links, city)
    twinned = wikidata.ask("twinned", params={"city": str(URIRef(WD[qid]))})
    assert isinstance(twinned, ResultTable)
    return qid, claims, compare(claims, twinned)


def _terms(table: ResultTable) -> list[dict[str, object]]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def counts(rows: Sequence[DiffRow]) -> dict[str, int]:
    """How many partners fall in each group."""
    tally = dict.fromkeys(STATUSES, 0)
    for row in rows:
        tally[row.status] += 1
    return tally


def render_csv(rows: Sequence[DiffRow]) -> str:
    """The diff as CSV, one row a partner, in the order of :data:`COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        record = asdict(row)
        record["official"] = str(row.official).lower()
        record["disputed"] = str(row.disputed).lower()
        writer.writerow(record)
    return out.getvalue()


def _joined(values: object) -> str:
    return "; ".join(sorted(set(values)))  # type: ignore[call-overload]
