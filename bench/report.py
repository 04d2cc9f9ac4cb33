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


def rows_of(stage: str, result: dict[str, Any]) -> dict[str, float | str]:
    """Row name -> median seconds (or "> cap s" / the error) for one side of one stage."""
    if "seconds" not in result:
        shown = f"> {result['capped']:.0f} s" if "capped" in result else "error"
        return {stage: shown}
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
            mine, theirs = rows_of(stage, sides["pdkg"]), rows_of(stage, sides["baseline"])
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
    largest = sizes[-1]
    lines += ["", f"Targets at {largest['triples']:,} triples (issue #12):", ""]
    for row, goal in TARGETS.items():
        value = table.get(row, {}).get(largest["triples"], (None,))[0]
        verdict = "met" if isinstance(value, float) and value <= goal else "not met"
        lines.append(f"- {row}: {seconds(value)} s (goal ≤ {goal:.0f} s): {verdict}")
    return "\n".join(lines) + "\n"
