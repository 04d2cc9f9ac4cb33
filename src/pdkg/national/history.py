"""What the snapshots show of each unit: its span, its names, and the changes between two
consecutive snapshots (renamed: one code, a new name; recoded: a code vanishes and another
appears with the same name, the only one of that name among the codes that vanish and appear
between the two). A change is dated by the two snapshots: after the first, by the second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pdkg.national.snapshots import Listing, Snapshot, kind, level


@dataclass(frozen=True)
class Unit:
    """A code over its life: its listings, oldest first."""

    code: str
    listings: tuple[Listing, ...]

    @property
    def level(self) -> str:
        return level(self.code)

    @property
    def first(self) -> Snapshot:
        return min((listing.first for listing in self.listings), key=lambda s: s.revision)

    @property
    def last(self) -> Snapshot:
        return max((listing.last for listing in self.listings), key=lambda s: s.revision)

    @property
    def latest(self) -> Listing:
        """The listing of its last snapshot (of two in one snapshot, the first by name)."""
        return min(
            (listing for listing in self.listings if listing.last == self.last),
            key=lambda listing: listing.name,
        )

    @property
    def name(self) -> str:
        return self.latest.name

    @property
    def kind(self) -> str | None:
        return kind(self.code, self.name)


@dataclass(frozen=True)
class Change:
    """A change the snapshots show between ``after`` and ``by`` (consecutive snapshots)."""

    what: str  # "renamed" or "recoded"
    code_before: str
    code_after: str
    name_before: str
    name_after: str
    after: Snapshot
    by: Snapshot

    @property
    def slug(self) -> str:
        return f"cn-{self.code_after}-{self.what}-{self.by.month}"


def units(listings: list[Listing]) -> dict[str, Unit]:
    """The units by code, each with its listings."""
    grouped: dict[str, list[Listing]] = defaultdict(list)
    for listing in listings:
        grouped[listing.code].append(listing)
    return {
        code: Unit(code, tuple(sorted(found, key=lambda item: item.first.revision)))
        for code, found in sorted(grouped.items())
    }


def changes(found: dict[str, Unit], snapshots: list[Snapshot]) -> list[Change]:
    """The renamings and recodings, in the order of their later snapshot."""
    position = {snapshot.revision: index for index, snapshot in enumerate(snapshots)}
    result: list[Change] = []
    for unit in found.values():
        for before, after in zip(unit.listings, unit.listings[1:], strict=False):
            adjacent = position[after.first.revision] == position[before.last.revision] + 1
            if adjacent and before.name != after.name and not before.twins:
                result.append(
                    Change(
                        "renamed",
                        unit.code,
                        unit.code,
                        before.name,
                        after.name,
                        before.last,
                        after.first,
                    )
                )
    gone: dict[int, list[Listing]] = defaultdict(list)
    new: dict[int, list[Listing]] = defaultdict(list)
    for unit in found.values():
        start, end = position[unit.first.revision], position[unit.last.revision]
        if start > 0:
            new[start].append(min(unit.listings, key=lambda item: item.first.revision))
        if end < len(snapshots) - 1:
            gone[end + 1].append(unit.latest)
    for index in sorted(new):
        appeared = _unique_names(new[index])
        for name, vanished in _unique_names(gone.get(index, [])).items():
            if name in appeared:
                result.append(
                    Change(
                        "recoded",
                        vanished.code,
                        appeared[name].code,
                        name,
                        name,
                        snapshots[index - 1],
                        snapshots[index],
                    )
                )
    result.sort(key=lambda change: (change.by.revision, change.code_after, change.what))
    return result


def _unique_names(listings: list[Listing]) -> dict[str, Listing]:
    by_name: dict[str, list[Listing]] = defaultdict(list)
    for listing in listings:
        by_name[listing.name].append(listing)
    return {name: found[0] for name, found in by_name.items() if len(found) == 1}
