"""`dist/bench.md` from the results `bench/run.py` gathered (`dist/bench.json`)."""

from __future__ import annotations

import itertools
import math
from typing import Any

TARGETS = {  # issue #12's goals at 1M triples, seconds (the README says where pdkg lands)
    "build": 90.0,
    "validate": 30.0,
    "query: all": 5.0,
    "centrality: betweenness": 20.0,
}
BUILD_MB = 2560  # ≤ 2.5 GB for the build at 1M
QUERY = 1.0  # each saved query at 1M, seconds
RATIO, RATIO_AT = 10.0, 100_000  # ≥ 10x the baseline end to end, at 100k triples
GROWTH = 1.15  # no stage's growth exponent above this
NOISE = 0.1  # seconds: below this at the largest size a growth exponent says nothing


def rows_of(stage: str, result: dict[str, Any], *, grouped: bool) -> dict[str, float | str]:
    """Row name -> median seconds (or "> cap s" / the error) for one side of one stage; a
    ``grouped`` stage (one row per query or measure) that did not finish shows in its ``all``
    row."""
    if "seconds" not in result:
        shown = f"> {result['capped']:.0f} s" if "capped" in result else "error"
        return {f"{stage}: all" if grouped else stage: shown}
    parts: dict[str, float] = result["seconds"]
    if list(parts) == [""]:
        return {stage: parts[""]}
    rows: dict[str, float | str] = {f"{stage}: {name}": value for name, value in parts.items()}
    rows[f"{stage}: all"] = sum(parts.values())
    return rows


def seconds(value: float | str | None) -> str:
    if value is None:
        return "-"
    return value if isinstance(value, str) else f"{value:.3f}"


def ratio(pdkg: float | str | None, base: float | str | None) -> str:
    if not isinstance(pdkg, float) or pdkg <= 0 or base is None:
        return "-"
    if isinstance(base, str):
        return f"> {float(base.split()[1]) / pdkg:.1f}x" if base.startswith(">") else "-"
    return f"{base / pdkg:.1f}x"


def growth(points: list[tuple[int, float | str | None]]) -> str:
    """The exponents between consecutive sizes where both times are known."""
    shown = []
    for (n1, t1), (n2, t2) in itertools.pairwise(points):
        if isinstance(t1, float) and isinstance(t2, float) and t1 > 0 and t2 > 0:
            shown.append(f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}")
        else:
            shown.append("-")
    return " / ".join(shown) or "-"


def markdown(report: dict[str, Any]) -> str:
    sizes = report["sizes"]
    lines = [
        "# pdkg benchmark",
        "",
        f"Median of {report['runs']} runs per stage, each in a fresh process (peak RSS of that "
        f"process, setup included); a run past {report['cap']:.0f} s is stopped. Baseline: "
        "rdflib parsing and SPARQL, pySHACL's defaults, networkx, rdflib's serialisers. "
        "x is baseline / pdkg. Growth: the exponent between consecutive sizes (1 = linear).",
        "",
    ]
    table: dict[str, dict[int, tuple[Any, Any, Any, Any]]] = {}
    for entry in sizes:
        n = entry["triples"]
        for stage, sides in entry["stages"].items():
            grouped = any(list(side.get("seconds", [""])) != [""] for side in sides.values())
            mine = rows_of(stage, sides["pdkg"], grouped=grouped)
            theirs = rows_of(stage, sides["baseline"], grouped=grouped)
            for row in sorted(mine.keys() | theirs.keys(), key=lambda r: (r.endswith(": all"), r)):
                table.setdefault(row, {})[n] = (
                    mine.get(row),
                    sides["pdkg"].get("peak_mb"),
                    theirs.get(row),
                    sides["baseline"].get("peak_mb"),
                )
    header = ["stage"]
    for entry in sizes:
        size = f"{entry['triples']:,}"
        header += [f"{size} pdkg s", "MB", "baseline s", "MB", "x"]
    header += ["growth pdkg", "growth baseline"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    order = [name for stage in sizes[0]["stages"] for name in table if name.split(":")[0] == stage]
    for row in dict.fromkeys(order):
        cells = [row]
        for entry in sizes:
            mine, my_mb, theirs, their_mb = table[row].get(entry["triples"], (None,) * 4)
            cells += [seconds(mine), str(my_mb or "-"), seconds(theirs), str(their_mb or "-")]
            cells.append(ratio(mine, theirs))
        points = [(e["triples"], table[row].get(e["triples"], (None,) * 4)) for e in sizes]
        cells.append(growth([(n, values[0]) for n, values in points]))
        cells.append(growth([(n, values[2]) for n, values in points]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines + targets(table, sizes)) + "\n"


def targets(table: dict[str, dict[int, tuple[Any, Any, Any, Any]]], sizes: list[Any]) -> list[str]:
    """Where pdkg lands against issue #12's goals, one line each with its verdict."""
    largest = sizes[-1]["triples"]

    def at(row: str, n: int) -> tuple[Any, Any, Any, Any]:
        return table.get(row, {}).get(n, (None,) * 4)

    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    lines = ["", f"Targets at {largest:,} triples (issue #12):", ""]
    for row, goal in TARGETS.items():
        value = at(row, largest)[0]
        ok = isinstance(value, float) and value <= goal
        lines.append(f"- {row}: {seconds(value)} s (goal ≤ {goal:.0f} s): {verdict(ok)}")
    build_mb = at("build", largest)[1]
    ok = isinstance(build_mb, (int, float)) and build_mb <= BUILD_MB
    lines.append(f"- build peak RSS: {build_mb or '-'} MB (goal ≤ {BUILD_MB} MB): {verdict(ok)}")
    queries = {
        row: at(row, largest)[0]
        for row in table
        if row.startswith("query: ") and row != "query: all"
    }
    if queries:
        slowest = max(
            queries, key=lambda row: queries[row] if isinstance(queries[row], float) else 0
        )
        value = queries[slowest]
        ok = all(isinstance(v, float) and v <= QUERY for v in queries.values())
        lines.append(
            f"- each saved query: slowest {slowest.removeprefix('query: ')} {seconds(value)} s "
            f"(goal ≤ {QUERY:.0f} s): {verdict(ok)}"
        )
    near = min(sizes, key=lambda e: abs(math.log(e["triples"] / RATIO_AT)))["triples"]
    mine, _, theirs, _ = at("build", near)
    shown = ratio(mine, theirs)
    ok = shown != "-" and float(shown.strip("> x")) >= RATIO
    lines.append(
        f"- build against the baseline at {near:,} triples: {shown} "
        f"(goal ≥ {RATIO:.0f}x; a '>' means the baseline was stopped at the cap): {verdict(ok)}"
    )
    steep, quick = [], []
    for row, points in table.items():
        timed = [(n, points[n][0]) for n in sorted(points) if isinstance(points[n][0], float)]
        if timed and timed[-1][1] < NOISE:
            quick.append(row)  # start-up and timer resolution dominate: no verdict
            continue
        worst = [float(x) for x in growth(timed).split(" / ") if x != "-"]
        if worst and max(worst) > GROWTH:
            steep.append(f"{row} {max(worst):.2f}")
    lines.append(
        f"- growth exponent ≤ {GROWTH} for every stage taking ≥ {NOISE} s at its largest size "
        f"({len(quick)} quicker rows left out): "
        + (verdict(True) if not steep else "not met (" + ", ".join(sorted(steep)) + ")")
    )
    return lines
