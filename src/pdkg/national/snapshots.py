"""The GB/T 2260 snapshots as histories: what each code was called, and under which unit, from
which snapshot to which (``national/gb2260/``, the Ministry of Civil Affairs' tables as copied by
the public repository cn/GB2260).

A *listing* is one run of consecutive snapshots in which a code bears one name under one parent;
a new name, a new parent or a snapshot without the code ends it. The parent is read from the code
as the spec says (``PP0000`` a province, ``PPCC00`` a prefecture, ``PPCCXX`` a county-level unit):
a county's parent is its prefecture ``PPCC00`` where the snapshot lists one, else its province
(the municipalities' districts and the ``PP90XX`` units the spec's "directly administered"
groupings hold, which these copies do not list as rows). Nothing is inferred beyond that.

>>> level("440100"), level("440000"), level("440103")
('prefectural', 'provincial', 'county')
>>> kind("440000", "广东省"), kind("440103", "荔湾区"), kind("429021", "神农架林区")
('province', 'district', 'forestry-district')
>>> kind("449999", "畹町镇") is None
True
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pdkg.errors import GraphLoadError

#: a name's ending and the kind it says, per level; the longest ending is tried first
KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "provincial": (
        ("特别行政区", "special-administrative-region"),
        ("自治区", "autonomous-region"),
        ("省", "province"),
        ("市", "municipality"),
    ),
    "prefectural": (
        ("自治州", "autonomous-prefecture"),
        ("地区", "prefecture"),
        ("盟", "league"),
        ("市", "prefecture-level-city"),
    ),
    "county": (
        ("自治县", "autonomous-county"),
        ("自治旗", "autonomous-banner"),
        ("林区", "forestry-district"),
        ("特区", "special-district"),
        ("区", "district"),
        ("市", "county-level-city"),
        ("县", "xian"),
        ("旗", "banner"),
    ),
}
COLUMNS = ["Source", "Revision", "Code", "Name"]


def level(code: str) -> str:
    """The level a six-digit code names by its shape (spec.md)."""
    if code.endswith("0000"):
        return "provincial"
    return "prefectural" if code.endswith("00") else "county"


def kind(code: str, name: str) -> str | None:
    """The kind of unit a name's ending says at the code's level, or None where it says none."""
    for ending, said in KINDS[level(code)]:
        if name.endswith(ending):
            return said
    return None


@dataclass(frozen=True)
class Snapshot:
    """One table of the standard: its revision (``198012``), its file, its official URL, rows."""

    revision: str
    file: str
    url: str
    rows: tuple[tuple[str, str], ...]

    @property
    def month(self) -> str:
        """``1980-12``: the precision of every date read from the snapshot."""
        return f"{self.revision[:4]}-{self.revision[4:]}"

    @functools.cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.rows)

    def parent(self, code: str) -> str | None:
        """The unit the code sits under in this snapshot (None for a province, or where the
        snapshot lists neither its prefecture nor its province)."""
        if level(code) == "provincial":
            return None
        codes = self.codes
        prefecture, province = code[:4] + "00", code[:2] + "0000"
        if level(code) == "county" and prefecture in codes:
            return prefecture
        return province if province in codes else None


@dataclass(frozen=True)
class Listing:
    """A code under one name and one parent, from the ``first`` to the ``last`` snapshot."""

    code: str
    name: str
    parent: str | None
    first: Snapshot
    last: Snapshot
    #: the other names the code bears in a snapshot that lists it twice (a doubt of the source)
    twins: tuple[str, ...] = ()


def read_snapshots(folder: Path) -> list[Snapshot]:
    """The snapshots of ``folder`` (``YYYYMM.tsv`` and ``sources.tsv``), oldest first.

    Raises:
        GraphLoadError: a file is missing, has other columns, or a snapshot has no URL.
    """
    urls = {row["Revision"]: row["URL"] for row in _rows(folder / "sources.tsv") if row["URL"]}
    snapshots = []
    for path in sorted(folder.glob("[12][0-9][0-9][0-9][01][0-9].tsv")):
        rows = _rows(path, COLUMNS)
        revision = path.stem
        if revision not in urls:
            raise GraphLoadError(folder / "sources.tsv", f"names no URL for snapshot {revision}")
        pairs = tuple((row["Code"], row["Name"]) for row in rows)
        for number, (code, _) in enumerate(pairs, start=2):
            if len(code) != 6 or not code.isdigit():
                raise GraphLoadError(path, f"code {code!r} is not six digits", line=number)
        snapshots.append(Snapshot(revision, f"national/gb2260/{path.name}", urls[revision], pairs))
    if not snapshots:
        raise GraphLoadError(folder, "holds no YYYYMM.tsv snapshot")
    return snapshots


def _rows(path: Path, columns: list[str] | None = None) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            if columns is not None and reader.fieldnames != columns:
                raise GraphLoadError(
                    path, f"has columns {reader.fieldnames}, not {columns}", line=1
                )
            return list(reader)
    except FileNotFoundError:
        raise GraphLoadError(path, "no such file") from None
    except UnicodeDecodeError:
        raise GraphLoadError(path, "is not UTF-8") from None


def listings(snapshots: Iterable[Snapshot]) -> list[Listing]:
    """Every run of a code under one name and parent, in the order the runs begin."""
    done: list[Listing] = []
    running: dict[tuple[str, str, str | None], Listing] = {}
    for snapshot in snapshots:
        names: dict[str, list[str]] = {}
        for code, name in snapshot.rows:
            names.setdefault(code, []).append(name)
        seen: dict[tuple[str, str, str | None], Listing] = {}
        for code, all_names in names.items():
            parent = snapshot.parent(code)
            for name in all_names:
                key = (code, name, parent)
                twins = tuple(other for other in all_names if other != name)
                before = running.get(key)
                if before is not None:
                    seen[key] = Listing(
                        code, name, parent, before.first, snapshot, before.twins or twins
                    )
                else:
                    seen[key] = Listing(code, name, parent, snapshot, snapshot, twins)
        done.extend(listing for key, listing in running.items() if key not in seen)
        running = seen
    done.extend(running.values())
    done.sort(key=lambda listing: (listing.code, listing.first.revision, listing.name))
    return done
