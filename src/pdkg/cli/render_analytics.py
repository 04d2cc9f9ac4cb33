"""Pure functions that turn analytics results into text: records, chains, approvals."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pdkg.cli.columns import pad, shown_width
from pdkg.errors import ChoiceError

if TYPE_CHECKING:
    from pdkg.analytics import Step
    from pdkg.analytics.approvals import Approval

RECORD_FORMATS = ("table", "csv", "json")


def render_records(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows of plain values as an aligned text table, CSV (header, then one line a row) or JSON
    (a list of objects). Floats show 4 decimals in the table and 6 in CSV and JSON, whole ones
    none (a reach of 43 is ``43``); ``None`` is
    an empty cell (``null`` in JSON); lists are joined with " | " (kept as lists in JSON).

    >>> print(render_records(["rank", "actor"], [(1, "State Council")], "csv"), end="")
    rank,actor
    1,State Council
    """
    if fmt == "json":
        objects = [dict(zip(columns, map(_json, row), strict=True)) for row in rows]
        return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv(v) for v in row] for row in rows])
        return buffer.getvalue()
    if fmt != "table":
        raise ChoiceError("format", fmt, RECORD_FORMATS)
    cells = [list(columns), *([_text(v) for v in row] for row in rows)]
    widths = [max(shown_width(row[i]) for row in cells) for i in range(len(columns))]
    right = [all(_numeric(row[i]) for row in rows) for i in range(len(columns))]
    lines = [
        "  ".join(pad(v, w, right=r) for v, w, r in zip(row, widths, right, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) or value is None


def _json(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 6)
    if isinstance(value, tuple):
        return list(value)
    return value


def _csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, 6))
    if isinstance(value, list | tuple):
        return " | ".join(map(str, value))
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.4f}"
    return _csv(value)


def render_chains(found: list[list[Step]], fmt: str = "text") -> str:
    """Control chains as numbered paths, each with its number of steps, every step's relation
    and locators; or JSON (``[{"steps": n, "path": [step, ...]}, ...]``)."""
    if fmt == "json":
        paths = [{"steps": len(path), "path": [vars(step) for step in path]} for path in found]
        return json.dumps(paths, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for number, path in enumerate(found, start=1):
        steps = f"{len(path)} step{'s' * (len(path) != 1)}"
        lines.append(f"{number}. {path[0].source_label}  ({steps} to {path[-1].target_label})")
        for step in path:
            lines.append(f"   -> {step.target_label}  [{_relation(step)}]")
            lines.extend(f"        source: {locator}" for locator in step.locators)
    return "\n".join(lines) + "\n"


def _relation(step: Step) -> str:
    """The step's relations, with the kinds its claims state when they say more (an act, a
    post): ``approval: trip-abroad``, ``administrative-subordination``."""
    said = ", ".join(step.relations or step.kinds)
    more = [kind for kind in step.kinds if kind not in step.relations]
    return f"{said}: {', '.join(more)}" if step.relations and more else said


def render_approvals(found: list[Approval]) -> str:
    """Approval requirements as a readable list with their sources."""
    if not found:
        return "no approval requirement recorded for this act\n"
    lines = []
    for item in found:
        who = item.approver or "(approver not named)"
        lines.append(f"- {who}" + (f", {item.level} level" if item.level else ""))
        if item.basis:
            lines.append(f"    basis:   {item.basis}")
        if item.applies_to:
            lines.append(f"    binds:   {item.applies_to}")
        lines.append(f"    source:  {item.locator}")
    return "\n".join(lines) + "\n"
