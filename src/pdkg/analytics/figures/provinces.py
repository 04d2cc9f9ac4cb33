"""Twinnings per province as proportional symbols (``dist/figures/twinnings-by-province.*``).

Each provincial-level unit with partnerships is a circle at the point ``national/cpca/adcodes.csv``
gives its code (a copy of the PyPI package cpca's table: one point per division, no boundary),
its area proportional to the partnerships of its divisions (the saved query
``twinnings-per-province``: each pair of a Chinese division and a foreign place once, every source
together). Every division's point is drawn small and grey beneath: the outline they make is
where the divisions are, not a border. No tiles, no coastline: nothing is downloaded.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from pdkg.analytics.figures.style import MIN_FONT, RC, new_figure, save
from pdkg.errors import GraphLoadError
from pdkg.query.table import ResultTable

#: the saved query the map draws
QUERY = "twinnings-per-province"
#: points² of the circle for one partnership (matplotlib's scatter sizes are areas)
AREA_PER_TIE = 4.0
KEY_TIES = (10, 50, 200)
#: vertical offsets (points) a label tries, in order, when the place beside its circle is taken
STEPS = (0.0, 10.0, -10.0, 20.0, -20.0, 30.0, -30.0, 40.0, -40.0)
LEADER: dict[str, object] = {"arrowstyle": "-", "color": "#888888", "lw": 0.5, "shrinkB": 2}
COLOUR, BACKDROP = "#0072B2", "#BBBBBB"
NOTE = (
    "Circle area: partnerships of the province's divisions with places abroad, each pair once,"
    " every source together (saved query twinnings-per-province); most come from English"
    " Wikipedia's lists, which volunteers keep and which are incomplete. Points: every division"
    " of national/cpca/adcodes.csv (PyPI cpca 0.5.5, MIT): where a unit is drawn, not a border."
)


@dataclass(frozen=True)
class Point:
    """Where a division is drawn: its code (six digits), name and WGS84 longitude, latitude."""

    code: str
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Symbol:
    """A province's circle: its point and partnership count."""

    point: Point
    ties: int


def read_points(path: Path) -> dict[str, Point]:
    """The points of ``adcodes.csv`` (adcode, name, longitude, latitude) by six-digit code; a
    row without coordinates (the groupings 市辖区, a few units) has none.

    Raises:
        GraphLoadError: the file is missing or a row is malformed.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise GraphLoadError(path, "no such file") from None
    points = {}
    for number, row in enumerate(rows, start=2):
        if row.get("adcode") and not (row.get("longitude") or row.get("latitude")):
            continue  # 293 rows without a point: groupings (市辖区) and some units
        try:
            code = row["adcode"][:6]
            points[code] = Point(code, row["name"], float(row["longitude"]), float(row["latitude"]))
        except (KeyError, TypeError, ValueError):
            raise GraphLoadError(
                path, "a row needs adcode, name, longitude and latitude", line=number
            ) from None
    return points


def symbols(table: ResultTable, points: Mapping[str, Point]) -> tuple[list[Symbol], list[str]]:
    """The circles of the answer of :data:`QUERY`, largest first, and the province codes with
    partnerships but no point (left off the map, and named in its note)."""
    index = {column: i for i, column in enumerate(table.columns)}
    drawn, missing = [], []
    for row in table.rows:
        code, ties = str(row[index["provinceCode"]]), int(str(row[index["ties"]]))
        if code in points:
            drawn.append(Symbol(points[code], ties))
        else:
            missing.append(code)
    return sorted(drawn, key=lambda s: (-s.ties, s.point.code)), sorted(missing)


def province_map_figure(
    drawn: Sequence[Symbol], backdrop: Sequence[Point], missing: Sequence[str] = ()
) -> Figure:
    """The map: the backdrop's points, a circle per symbol (area :data:`AREA_PER_TIE` points²
    a partnership) labelled with its name and count, a key of :data:`KEY_TIES` and the note."""
    fig = new_figure(9, 8)
    ax = fig.add_axes((0.05, 0.2, 0.9, 0.72))
    ax.scatter(
        [p.lon for p in backdrop], [p.lat for p in backdrop], s=1, c=BACKDROP, lw=0, zorder=1
    )
    for symbol in drawn:
        p = symbol.point
        ax.scatter(
            [p.lon], [p.lat], s=symbol.ties * AREA_PER_TIE, c=COLOUR, alpha=0.45,
            edgecolors=COLOUR, lw=0.8, zorder=3, label=p.code,
        )  # fmt: skip
    ax.set_aspect(1 / math.cos(math.radians(35)))  # equirectangular, true at 35°N
    _labels(ax, drawn)
    for ties in KEY_TIES:
        ax.scatter(
            [], [], s=ties * AREA_PER_TIE, c=COLOUR, alpha=0.45, label=f"{ties} partnerships"
        )
    handles = [h for h in ax.collections if str(h.get_label()).endswith(" partnerships")]
    ax.legend(handles=handles, loc="lower left", fontsize=MIN_FONT, frameon=False, labelspacing=2)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title("Twinnings per province: partnerships of its divisions abroad")
    note = NOTE
    if missing:
        note += f" Not drawn (no point): {', '.join(missing)}."
    fig.text(0.05, 0.03, note, fontsize=MIN_FONT, wrap=True, va="bottom")
    return fig


def _labels(ax: Axes, drawn: Sequence[Symbol]) -> None:
    """Label each circle with its name and count, largest first: beside it, else further out or
    up or down in steps with a leader line, wherever no label placed before is."""
    ax.figure.canvas.draw()  # fixes the axes' limits: positions in pixels hold from here
    taken: list[Bbox] = []
    for symbol in drawn:
        p = symbol.point
        radius = math.sqrt(symbol.ties * AREA_PER_TIE / math.pi)  # points
        tries = [(side, dy) for dy in STEPS for side in (1, -1)]
        for i, (side, dy) in enumerate(tries):
            label = ax.annotate(
                f"{p.name} {symbol.ties}", (p.lon, p.lat), xytext=(side * (radius + 2), dy),
                textcoords="offset points", ha="left" if side > 0 else "right", va="center",
                fontsize=MIN_FONT, zorder=4, arrowprops=LEADER if dy else None,
            )  # fmt: skip
            label.get_window_extent()  # places the text at its offset (text and leader)
            box = Text.get_window_extent(label)  # the text alone
            if i == len(tries) - 1 or not any(box.overlaps(other) for other in taken):
                break
            label.remove()
        taken.append(box)


def twinnings_by_province(
    fetch: Callable[[str], ResultTable], points_file: Path, out: Path
) -> list[Path]:
    """Draw the map from :data:`QUERY`'s answer and ``points_file`` into ``out`` (PNG and
    SVG); nothing when no province has partnerships."""
    points = read_points(points_file)
    drawn, missing = symbols(fetch(QUERY), points)
    if not drawn:
        return []
    with matplotlib.rc_context(RC):
        fig = province_map_figure(drawn, list(points.values()), missing)
        return save(fig, out)
