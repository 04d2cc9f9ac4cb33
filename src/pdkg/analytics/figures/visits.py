"""The visit network year by year: one radial panel per year around Guangzhou."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from pdkg.analytics.figures import style

#: places drawn around one year's panel at most (the chapter's busiest year has 34)
RING = 60
#: marker size (points) of a place with one visit; the area grows with the visits
MARKER = 4.8
OUTGOING, INCOMING, OTHER = "#D55E00", "#0072B2", "#777777"
_RING: Any = {"va": "center", "fontsize": 9, "rotation_mode": "anchor", "parse_math": False}
_PLACE: Any = {"color": "#222222"}
_OTHER: Any = {"color": OTHER, "style": "italic"}
_CENTRE: Any = {"ha": "center", "va": "top", "size": 9.5, "weight": "bold", "zorder": 6}
_CENTRE["bbox"] = {"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1}
_KEYS = [(OUTGOING, "outgoing (Guangzhou → place)"), (INCOMING, "incoming (place → Guangzhou)")]
_OTHER_LABEL = "other Chinese visitor"


def _drawn(graph: nx.DiGraph, centres: set[str]) -> tuple[nx.DiGraph, int]:
    """The part of a year's visit network one panel draws, and how many places it leaves out:
    everything when it fits on the ring, else the :data:`RING` places with the most visits to
    or from the centre (then the most visits at all, then by label)."""
    places = [n for n in graph if n not in centres]
    if len(places) <= RING:
        return graph, 0
    near = dict.fromkeys(places, 0.0)
    total = dict.fromkeys(places, 0.0)
    for source, target, weight in graph.edges(data="weight", default=1.0):
        for end, other in ((source, target), (target, source)):
            if end in total:
                total[end] += weight
                near[end] += weight if other in centres else 0.0
    ranked = sorted(places, key=lambda n: (-near[n], -total[n], style.label(graph, n), n))
    return graph.subgraph(centres.intersection(graph) | set(ranked[:RING])), len(places) - RING


def strengths(graph: nx.DiGraph) -> dict[str, float]:
    """Every node's strength: the printed visit counts of its edges, both ways, summed."""
    return {n: float(s) for n, s in graph.degree(weight="weight")}


def marker_size(strength: float) -> float:
    """The marker size (points) of a node of ``strength``: its area grows as the strength."""
    return MARKER * math.sqrt(max(strength, 1.0))


def _visits_panel(ax: Axes, whole: nx.DiGraph, year: int, centres: set[str]) -> None:
    n_in = sum(d["weight"] for _, t, d in whole.edges(data=True) if t in centres)
    n_out = sum(d["weight"] for s, _, d in whole.edges(data=True) if s in centres)
    n_other = round(whole.size(weight="weight")) - n_in - n_out  # other Chinese visitors' visits
    strength = strengths(whole)
    graph, left_out = _drawn(whole, centres)
    order = {n: (style.label(graph, n), n) for n in graph}.__getitem__
    out = {t for s, t in graph.edges if s in centres and t not in centres}
    into = {s for s, t in graph.edges if t in centres and s not in centres}
    others = {s for s, t in graph.edges if s not in centres and t not in centres}
    groups = [sorted(out - into, key=order)]
    for visitor in sorted(others, key=order):  # another visitor, then its destinations
        placed = {n for g in groups for n in g}
        groups.append([visitor, *sorted(set(graph[visitor]) - placed, key=order)])
    groups += [sorted(out & into, key=order), sorted(into - out - others, key=order)]
    ring = [n for g in groups if g for n in [*g, None]]  # None: a gap between groups
    ax.set(xlim=(-1.78, 1.78), ylim=(-1.78, 1.78), aspect="equal")
    ax.set_axis_off()
    title = f"{year}: {n_out} outgoing, {n_in} incoming"
    if n_other:
        title += f", {n_other} by other visitors"
    if left_out:
        title += f"\n({left_out} places with fewer visits not drawn)"
    ax.set_title(title, fontsize=11.5, fontweight="bold")
    pos = dict.fromkeys(centres, (0.0, 0.0))
    for i, node in ((i, n) for i, n in enumerate(ring) if n is not None):
        angle = math.pi / 2 - 2 * math.pi * i / len(ring)
        x, y = pos[node] = (math.cos(angle), math.sin(angle))
        degrees = math.degrees(angle) % 360
        left, look = 90 < degrees < 270, _OTHER if node in others else _PLACE
        label = textwrap.fill(re.sub(r"\s*\(.*?\)", "", style.label(graph, node)), 18)
        ha, turn = ("right", degrees - 180) if left else ("left", degrees)
        ax.text(1.08 * x, 1.08 * y, label, ha=ha, rotation=turn, **look, **_RING)
        size = marker_size(strength[node])
        mark = "s" if node in others else "o"
        ax.plot(x, y, mark, ms=size, color=look["color"], mec="white", mew=0.5, label=node)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        incoming = target in centres or (source not in centres and "incoming" in data["kinds"])
        chord = source not in centres and target not in centres  # another visitor's visit
        # the same rad bends an edge and its reverse to opposite sides
        rad = 0.4 if chord else 0.22 if (source if incoming else target) in out & into else 0.0
        head, lw = "-|>" if chord else "-", 0.7 + 1.1 * data["weight"]
        arrow = FancyArrowPatch(pos[source], pos[target], shrinkA=3, shrinkB=4, lw=lw, alpha=0.85)
        arrow.set(arrowstyle=head, connectionstyle=f"arc3,rad={rad}", mutation_scale=9)
        ax.add_patch(arrow).set_color(INCOMING if incoming else OUTGOING)
    for centre in sorted(centres.intersection(whole)):
        size = marker_size(strength[centre])
        ax.plot(0, 0, "o", ms=size, color="black", zorder=5, label=centre)
        ax.annotate(
            style.label(whole, centre),
            (0, 0),
            xytext=(0, -size / 2 - 2),
            textcoords="offset points",
            **_CENTRE,
        )


def _size_keys(top: float) -> list[int]:
    """Strengths for the size legend: 1, then 3, 10, 30, ... up to the largest drawn."""
    keys = [1]
    while keys[-1] * 3.2 <= max(top, 1.0) * 1.05:
        keys.append(keys[-1] * 3 + (keys[-1] % 3 == 0))  # 1, 3, 10, 31 -> round to 30
    return [k if k < 30 else round(k, -1) for k in keys]


def _legend_row(fig: Figure, rows: list[list[Any]], titles: list[str], y: float) -> None:
    """Legends side by side, centred as a group along the bottom of ``fig``."""
    look: Any = {"loc": "lower left", "fontsize": 10, "title_fontsize": 10, "frameon": False}
    legends = [
        fig.legend(handles=h, title=t, ncol=len(h), alignment="left", **look)
        for h, t in zip(rows, titles, strict=True)
    ]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    widths = [lg.get_window_extent(renderer).width / fig.bbox.width for lg in legends]
    x = (1 - sum(widths) - 0.04 * (len(widths) - 1)) / 2
    for legend, width in zip(legends, widths, strict=True):
        legend.set_bbox_to_anchor((x, y), transform=fig.transFigure)
        x += width + 0.04


def visits_figure(graphs: dict[int, nx.DiGraph], center: str = style.GUANGZHOU) -> Figure:
    """The figure :func:`visits_by_year` saves."""
    years = sorted(graphs)
    cols, rows = min(3, max(1, len(years))), max(1, math.ceil(len(years) / 3))
    side = 6.6
    height = side * rows + 1.5
    with matplotlib.rc_context(style.RC):
        fig = style.new_figure(side * cols, height)
        fig.subplots_adjust(0.005, 0.75 / height, 0.995, 1 - 0.95 / height, 0.02, 0.1)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, year in zip(axes, years, strict=False):
            _visits_panel(ax, graphs[year], year, {center})
        for ax in axes[len(years) :]:
            ax.set_axis_off()
        fig.suptitle("Visits to and from Guangzhou by year", fontsize=15, fontweight="bold")
        keys = [*_KEYS, *(("black", f"{n} visit{'s' * (n > 1)}") for n in (1, 2))]
        widths = [1.8, 1.8, 1.8, 2.9]  # as drawn: 0.7 + 1.1 * weight
        handles = [
            Line2D([], [], color=c, lw=w, label=k) for (c, k), w in zip(keys, widths, strict=True)
        ]
        handles.insert(2, Line2D([], [], color=OTHER, marker="s", ls="", label=_OTHER_LABEL))
        top = max((s for g in graphs.values() for s in strengths(g).values()), default=1.0)
        sizes = [
            Line2D([], [], color="#222222", marker="o", ls="", ms=marker_size(k), label=f"{k}")
            for k in _size_keys(top)
        ]
        titles = ["Arrow (width: visits that year)", "Marker area: visits made and received"]
        _legend_row(fig, [handles, sizes], titles, 0.12 / height)
    return fig


def visits_by_year(
    graphs: dict[int, nx.DiGraph], out: Path, center: str = style.GUANGZHOU
) -> list[Path]:
    """Small multiples of the visit network around ``center``, one radial panel per year.

    Guangzhou's government is drawn as the centre too. Clockwise from the top, the circle holds
    destinations, other visitors with theirs, places visited both ways, then origins. A marker's
    area is the place's :func:`strengths` in that year (visits made plus received, printed
    counts); an arrow's width is its count of visits.

    Args:
        graphs: year -> visit network of that year (:func:`pdkg.analytics.network`).
        out: path of the figure; its ``.png`` and ``.svg`` are written.
        center: IRI drawn at the centre of every panel.

    Returns:
        The PNG and SVG paths.
    """
    return style.save(visits_figure(graphs, center), out)
