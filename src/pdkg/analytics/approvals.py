"""Who must approve an act (a sister-city tie, an international event, a trip abroad) for a city."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from pdkg.query.table import ResultTable

ACTS = ("sister-city-tie", "international-event", "trip-abroad", "trade-office-abroad")


@dataclass(frozen=True)
class Approval:
    """One requirement: the approver (or only the level), the legal basis, whom it binds."""

    act: str
    approver: str | None
    level: str | None
    basis: str | None
    applies_to: str | None
    locator: str


def approvals(
    claims: ResultTable,
    act: str,
    *,
    city: str | None = None,
    sources: Collection[str] | None = None,
) -> list[Approval]:
    """Filter the ``approval-claims`` table to ``act`` (a notation such as ``trip-abroad``).

    With ``city`` (an IRI), keep the requirements that bind every local government (no
    ``pd:appliesTo``) and those that bind the city or one of its bodies; without it, all. With
    ``sources`` (``pd:Source`` IRIs), keep the requirements derived from one of them.
    """
    found = []
    for row in claims.to_dicts():
        if not str(row["act"]).endswith("/" + act):
            continue
        if sources is not None and row["evidence"] not in sources:
            continue
        bound = row["appliesToPlace"]
        if city is not None and bound is not None and bound != city:
            continue
        found.append(
            Approval(
                act=row["actLabel"],
                approver=row["approverLabel"],
                level=row["level"],
                basis=row["basisLabel"],
                applies_to=row["appliesToLabel"],
                locator=row["locator"],
            )
        )
    return sorted(found, key=lambda a: (a.level or "", a.approver or "", a.locator))
