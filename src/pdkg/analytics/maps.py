"""A map of Guangzhou's partner cities and delegation destinations (PNG and SVG, no tiles).

Places are drawn from their WGS84 coordinates (Wikidata P625 WKT literals) on plain
equirectangular lon/lat axes with a 30° graticule. No coastlines or borders are drawn: no
outline data ships with the installed packages, and nothing is downloaded at build time. Drawn on
a ``Figure`` with an Agg canvas, never pyplot, with the same rc settings as
:mod:`pdkg.analytics.figures`
(self-contained, so that module can import this one) so that SVGs are reproducible."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

DPI = 150
#: role -> (colour, marker), in order of precedence (Okabe-Ito, safe for colour-blind readers)
ROLES = {"sister city": ("#0072B2", "o"), "friendly city": ("#009E73", "D")}
ROLES |= {"partner": ("#CC79A7", "s"), "visit destination": ("#D55E00", "o")}
TITLE = "Guangzhou's partners and visit destinations"
_VISIT = ROLES["visit destination"][0]
_NAMES = {"partner": "partner (tier unknown)", "visit destination": "visit destination only"}
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "pdkg", "font.family": "DejaVu Sans"}
_LABEL: Any = {"fontsize": 9, "va": "center", "zorder": 6, "parse_math": False}
_LEADER: Any = {"arrowstyle": "-", "color": "#888888", "lw": 0.5, "shrinkA": 1, "shrinkB": 3}
_RING: Any = {"mew": 1.3, "zorder": 3}
_KEY: Any = {"loc": "lower center", "fontsize": 9, "frameon": False}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_POINT = re.compile(rf"\s*point\s*\(\s*({_NUMBER})\s+({_NUMBER})\s*\)\s*", re.IGNORECASE)
_SUBTITLE = (
    "WGS84 coordinates (Wikidata P625) on equirectangular longitude/latitude axes with a 30° grid."
    " No coastlines or borders are drawn; lines are straight on this grid, not routes."
)


@dataclass(frozen=True)
class MapPlace:
    """A place on the map: its pdkg IRI, label, coordinates, roles and visit count."""

    iri: str
    label: str
    lon: float
    lat: float
    roles: frozenset[str]  # a subset of ROLES
    visits: int = 0  # delegation visits to it


def parse_point(wkt: str) -> tuple[float, float]:
    """``(lon, lat)`` of a WKT ``Point(lon lat)`` literal as Wikidata gives P625.

    Raises:
        ValueError: not a two-coordinate point (e.g. a globe IRI prefix, another geometry) or
            lon outside -180..180, lat outside -90..90.
    """
    match = _POINT.fullmatch(wkt)
    if not match:
        raise ValueError(f"not a WKT Point(lon lat): {wkt!r}")
    lon, lat = float(match[1]), float(match[2])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"coordinates out of range: {wkt!r}")
    return lon, lat


def _role(place: MapPlace) -> str:
    """The role that decides the colour: the first of ROLES the place has."""
    return next(role for role in ROLES if role in place.roles)


def _degrees(value: float, east: str, west: str) -> str:
    return f"{abs(value):g}°{east if value > 0 else west if value < 0 else ''}"


def _grid(ax: Axes) -> None:
    ax.set(xlim=(-180, 180), ylim=(-90, 90))
    ax.set_xticks(range(-180, 181, 30), [_degrees(x, "E", "W") for x in range(-180, 181, 30)])
    ax.set_yticks(range(-90, 91, 30), [_degrees(y, "N", "S") for y in range(-90, 91, 30)])
    ax.tick_params(labelsize=9, length=0, labelcolor="#555555")
    ax.grid(color="#DDDDDD", lw=0.6)
    ax.set_xlabel("longitude", fontsize=9)
    ax.set_ylabel("latitude", fontsize=9)
    for spine in ax.spines.values():
        spine.set_color("#BBBBBB")


def _labels(ax: Axes, home: MapPlace, places: Sequence[MapPlace]) -> None:
    """Label every place, south to north, beside its marker; a label that would cover a marker
    or a label placed before moves to the other side or up or down in steps (with a leader)."""
    order = [home, *sorted(places, key=lambda p: (p.lat, p.lon, p.label, p.iri))]
    dots = ax.transData.transform([(p.lon, p.lat) for p in order])
    pad = 3 * DPI / 72  # pixels: 3 points around each marker centre
    taken = [Bbox.from_extents(x - pad, y - pad, x + pad, y + pad) for x, y in dots]
    for place in order:
        sides = [-1, 1] if place.lon > 120 and place is not home else [1, -1]  # stay in frame
        weight = "bold" if place is home else "normal"
        tries = [(side, 9.5 * k) for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5) for side in sides]
        for i, (side, dy) in enumerate([*tries, (sides[0], 0.0)]):  # last: nowhere was free
            label = ax.annotate(
                place.label, (place.lon, place.lat), xytext=(6 * side, dy), weight=weight,
                textcoords="offset points", ha="left" if side > 0 else "right",
                arrowprops=_LEADER if dy else None, **_LABEL,
            )  # fmt: skip
            label.get_window_extent()  # places the text at its offset (text and leader)
            box = Text.get_window_extent(label)  # the text alone, without its leader
            if i == len(tries) or not any(box.overlaps(other) for other in taken):
                break
            label.remove()
        taken.append(box)


def _ring(visits: int) -> float:
    """Marker size (points) of a visit ring: its area grows with the number of visits."""
    return 7 + 4 * math.sqrt(max(visits, 1))


def _marks(ax: Axes, home: MapPlace, places: Sequence[MapPlace]) -> None:
    """A line from home to each place, a marker by its role, a ring if it was visited."""
    for place in places:
        role, xy = _role(place), (place.lon, place.lat)
        (colour, marker), visit = ROLES[role], role == "visit destination"
        line = ([home.lon, place.lon], [home.lat, place.lat], "--" if visit else "-")
        ax.plot(*line, color=colour, lw=0.8, alpha=0.6, zorder=2)
        if "visit destination" in place.roles:
            ax.plot(*xy, "o", ms=_ring(place.visits), mfc="none", mec=_VISIT, **_RING)
        if not visit:
            ax.plot(*xy, marker, ms=5.5, color=colour, mec="white", mew=0.5, zorder=4)
    ax.plot(home.lon, home.lat, "*", ms=15, color="black", mec="white", zorder=5)


def _handles(home: MapPlace, places: Sequence[MapPlace]) -> list[Line2D]:
    """Legend entries: home, each role drawn, and the ring sizes of the fewest and most visits."""
    handles = [Line2D([], [], color="black", marker="*", ms=12, ls="", label=home.label)]
    for role in sorted({_role(p) for p in places}, key=list(ROLES).index):
        (colour, marker), visit = ROLES[role], role == "visit destination"
        look: Any = {"mfc": "none", "ms": _ring(1), "ls": "--"} if visit else {}
        handles.append(
            Line2D([], [], color=colour, marker=marker, label=_NAMES.get(role, role), **look)
        )
    counts = sorted({max(p.visits, 1) for p in places if "visit destination" in p.roles})
    for n in sorted({counts[0], counts[-1]}) if counts else []:
        label = f"ring: {n} delegation visit{'s' * (n != 1)}"
        handles.append(
            Line2D([], [], marker="o", ms=_ring(n), mfc="none", mec=_VISIT, ls="", label=label)
        )
    return handles


def draw_partner_map(
    home: MapPlace,
    places: Sequence[MapPlace],
    out_dir: Path,
    *,
    stem: str = "guangzhou-partners-map",
    missing: int = 0,
) -> list[Path]:
    """Draw ``home`` and ``places`` on lon/lat axes, a straight line from home to each place.

    Args:
        home: the centre of the map (Guangzhou).
        places: partner cities and visit destinations with coordinates.
        out_dir: directory for the figure, created if missing.
        stem: the file name without suffix.
        missing: how many places have no coordinates (told in a note, not drawn).

    Returns:
        The PNG and SVG paths.

    Raises:
        ValueError: ``places`` is empty, or a place has no role or an unknown one.
    """
    if not places:
        raise ValueError("no places to draw")
    for place in places:
        if not place.roles or not place.roles <= ROLES.keys():
            raise ValueError(f"{place.iri}: roles must be a non-empty subset of {sorted(ROLES)}")
    places = sorted(places, key=lambda p: (p.label, p.iri))
    width, plot_w, left, top, bottom = 12.0, 10.6, 0.75, 1.0, 1.35  # inches
    height = top + plot_w / 2 + bottom  # 360° x 180° on 2:1 axes: a degree is square
    x, many = left / width, missing != 1
    note = f"{missing} place{'s' * many} without coordinates {'are' if many else 'is'} not drawn."
    png, svg = out_dir / f"{stem}.png", out_dir / f"{stem}.svg"
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(fig)  # attaches itself: label extents are measured by the Agg renderer
        ax = fig.add_axes((x, bottom / height, plot_w / width, plot_w / 2 / height))
        _grid(ax)
        _marks(ax, home, places)
        _labels(ax, home, places)
        fig.text(x, 1 - 0.3 / height, TITLE, size=14, weight="bold", va="top")
        fig.text(x, 1 - 0.62 / height, _SUBTITLE, size=9, va="top", color="#333333")
        fig.text(x, 0.12 / height, note, size=9, color="#333333")
        handles = _handles(home, places)
        anchor = (0.5, 0.3 / height)
        fig.legend(handles=handles, ncol=min(len(handles), 4), bbox_to_anchor=anchor, **_KEY)
        out_dir.mkdir(parents=True, exist_ok=True)
        fig.savefig(png, dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None})
    return [png, svg]
