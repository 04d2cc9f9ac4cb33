"""What the national layer holds and what it could not match: divisions by level in the latest
snapshot, and the crowd-sourced twinning rows by how their Chinese host was matched (``pdkg report
national``, ``dist/national-report.txt`` and ``dist/national-matches.csv``)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from pdkg.national.names import Match
from pdkg.national.snapshots import Snapshot, level
from pdkg.national.twinnings import Row

STATUSES = ("matched", "matched-by-level", "ambiguous", "unmatched")
LEVELS = ("provincial", "prefectural", "county")


@dataclass(frozen=True)
class NationalReport:
    """The counts and the names, from the snapshots and the matched rows."""

    latest: Snapshot
    rows: list[Row]

    def levels(self) -> dict[str, int]:
        """Divisions by level in the latest snapshot: its distinct codes by shape."""
        counted = Counter(level(code) for code in self.latest.codes)
        return {name: counted[name] for name in LEVELS}

    def by_status(self) -> dict[str, tuple[int, int]]:
        """(rows, distinct host names) by match status."""
        rows = Counter(row.match.status for row in self.rows)
        names = Counter(match.status for match in self.matches().values())
        return {status: (rows[status], names[status]) for status in STATUSES}

    def matches(self) -> dict[str, Match]:
        return {row.host: row.match for row in self.rows}

    def without_country(self) -> list[Row]:
        return [row for row in self.rows if not row.country]

    def claims(self) -> int:
        """The claims the usable rows give: one per (host, partner, country)."""
        return len(
            {(row.match.division, row.partner, row.country) for row in self.rows if row.usable}
        )

    def to_text(self) -> str:
        counts = self.levels()
        lines = [
            f"divisions in the latest snapshot ({self.latest.month}, {self.latest.file}): "
            + ", ".join(f"{name} {counts[name]}" for name in LEVELS)
            + f"; {sum(counts.values())} in all",
            f"twinning rows (national/wikipedia/twinning_china.csv): {len(self.rows)}",
        ]
        for status, (rows, names) in self.by_status().items():
            lines.append(f"  {status}: {rows} rows, {names} host names")
        missing = self.without_country()
        lines.append(f"  no partner country: {len(missing)} rows (no claim)")
        lines.append(f"claims made: {self.claims()} (a pair listed from both sides is one)")
        for status in ("ambiguous", "unmatched", "matched-by-level"):
            found = sorted((host, m) for host, m in self.matches().items() if m.status == status)
            lines.append("")
            lines.append(f"{status} ({len(found)}):")
            lines.extend(f"  {host}: {match.evidence}" for host, match in found)
        if missing:
            lines.append("")
            lines.append("rows without a partner country:")
            lines.extend(f"  row {row.number}: {row.host} - {row.partner}" for row in missing)
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """One line per host name: name, rows, status, the chosen code and the evidence."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["host", "rows", "status", "code", "name", "candidates", "evidence"])
        counted = Counter(row.host for row in self.rows)
        for host, match in sorted(self.matches().items()):
            chosen = match.division
            candidates = " ".join(d.code for d in match.candidates)
            writer.writerow([
                host, counted[host], match.status, chosen.code if chosen else "",
                chosen.name if chosen else "", candidates, match.evidence,
            ])  # fmt: skip
        return out.getvalue()
