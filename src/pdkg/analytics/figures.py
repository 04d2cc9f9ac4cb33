"""Figures of the control and visit networks as PNG and SVG (``pdkg build`` -> ``dist/figures``).

Drawn on ``Figure`` objects with an Agg canvas, never pyplot, so no global state changes; layouts
are deterministic (nodes sorted by label and IRI, no randomness)."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from pdkg import analytics
from pdkg.analytics import Ranked

RESOURCE = "https://w3id.org/pdkg/resource/"
GUANGZHOU = RESOURCE + "guangzhou"
GUANGZHOU_FAO = RESOURCE + "guangzhou-foreign-affairs-office"
YEARS = tuple(range(2011, 2017))
#: places drawn around one year's panel at most (the chapter's busiest year has 34)
RING = 60
DPI = 150
#: kind family -> arrow colour (Okabe-Ito, safe for colour-blind readers)
FAMILIES = {"administrative subordination": "#0072B2", "party leadership": "#D55E00"}
FAMILIES |= {"guidance": "#CC79A7", "legislative oversight": "#009E73"}
FAMILIES |= {"approval required": "#E69F00", "post held": "#555555"}
#: tier -> box fill
TIERS = {"central": "#F6C9C9", "provincial": "#FBE3C6", "local": "#D9E8F6", "person": "#E6E6E6"}
OUTGOING, INCOMING, OTHER = "#D55E00", "#0072B2", "#777777"
#: SVG text stays text (searchable); ids and metadata are fixed so that builds are reproducible
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "pdkg", "font.family": "DejaVu Sans"}
_LEGEND: Any = {"fontsize": 8.5, "title_fontsize": 9, "ncol": 2, "alignment": "left"}
_BOX_TEXT: Any = {"size": 8.5, "ha": "center", "va": "center", "zorder": 4, "parse_math": False}
_BOX: Any = {"boxstyle": "round,pad=0.04", "ec": "black", "zorder": 3}
_ARROW: Any = {"arrowstyle": "-|>", "mutation_scale": 14, "lw": 1.6, "zorder": 2}
_RING: Any = {"va": "center", "fontsize": 7.5, "rotation_mode": "anchor", "parse_math": False}
_PLACE: Any = {"color": "#222222"}
_OTHER: Any = {"color": OTHER, "style": "italic"}
_CENTRE: Any = {"ha": "center", "va": "top", "size": 8.5, "weight": "bold", "zorder": 6}
_CENTRE["bbox"] = {"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1}
_BY_CLASS = {"CentralBody": "central", "Person": "person"}
_BY_LEVEL = {"national": "central", "provincial": "provincial"}
_KEYS = [(OUTGOING, "outgoing (Guangzhou → place)"), (INCOMING, "incoming (place → Guangzhou)")]
_OTHER_LABEL = "other Chinese visitor"
_NOTE = "Arrows point from the controlled actor to its controller; rows by the longest chain"
_NOTE += " from the actor, central bodies on top."


@contextmanager
def _drawing(out: Path, width: float, height: float) -> Iterator[Figure]:
    """A figure of ``width`` x ``height`` inches, saved to ``out`` as PNG and SVG on exit."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(fig)  # attaches itself: text extents are measured by the Agg renderer
        yield fig
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out.with_suffix(".png"), dpi=DPI, metadata={"Software": None})
        fig.savefig(out.with_suffix(".svg"), metadata={"Date": None})


def family(kind: str) -> str:
    """The family of a control edge kind: a supervision kind, an approval act, or a post."""
    name, act = kind.replace("-", " "), re.fullmatch(r"[a-z0-9-]+", kind)  # acts are codes
    return name if name in FAMILIES else "approval required" if act else "post held"


def _tier(data: dict[str, Any]) -> str:
    hits = [_BY_CLASS[c] for c in str(data.get("classes", "")).split() if c in _BY_CLASS]
    return min(hits, default=_BY_LEVEL.get(str(data.get("level")), "local"))  # central < person


def _label(graph: nx.DiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node.rsplit("/", 1)[-1])


def _rows(sub: nx.DiGraph, actor: str) -> list[list[str]]:
    """Rows bottom-up: longest chain from ``actor``; central bodies without controller on top."""
    dag = sub if nx.is_directed_acyclic_graph(sub) else nx.bfs_tree(sub, actor)
    rank = {actor: 0}
    for node in nx.topological_sort(dag):
        rank[node] = max((rank[p] + 1 for p in dag.predecessors(node)), default=0)
    top = max(rank.values())
    for node in rank:
        if _tier(sub.nodes[node]) == "central" and sub.out_degree(node) == 0:
            rank[node] = top
    key = {n: (_label(sub, n), n) for n in sub}
    rows = [sorted((n for n in rank if rank[n] == i), key=key.__getitem__) for i in range(top + 1)]
    x = {n: j - (len(row) - 1) / 2 for row in rows for j, n in enumerate(row)}
    for _ in range(6):  # barycentre sweeps against every neighbour in another row
        for row in rows:
            near = {n: [x[m] for m in nx.all_neighbors(sub, n) if rank[m] != rank[n]] for n in row}
            row.sort(key=lambda n: (sum(near[n]) / len(near[n]) if near[n] else x[n], key[n]))
            x.update({n: j - (len(row) - 1) / 2 for j, n in enumerate(row)})
    return rows


def control_hierarchy(graph: nx.DiGraph, actor: str, out: Path) -> list[Path]:
    """Draw the control hierarchy above ``actor`` top-down, central bodies on top.

    Args:
        graph: a control network from :func:`pdkg.analytics.network` (controlled -> controller).
        actor: IRI of the actor drawn at the bottom.
        out: path of the figure; its ``.png`` and ``.svg`` are written.

    Returns:
        The PNG and SVG paths.

    Raises:
        KeyError: ``actor`` is not in ``graph``.
    """
    if actor not in graph:
        raise KeyError(actor)
    sub = graph.subgraph({actor} | nx.descendants(graph, actor))
    rows = _rows(sub, actor)
    slot, row_height, band = 2.5, 1.45, 1.05  # inches: data units are inches on this canvas
    width = max(max(len(row) for row in rows) * slot, 8.0) + 0.4
    height = len(rows) * row_height + band + 0.75
    with _drawing(out, width, height) as fig:
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0), xlim=(0, width), ylim=(0, height))
        ax.set_axis_off()
        boxes: dict[str, tuple[FancyBboxPatch, tuple[float, float]]] = {}
        for i, row in enumerate(rows):
            for j, node in enumerate(row):
                x, y = width / 2 + (j - (len(row) - 1) / 2) * slot, band + (i + 0.5) * row_height
                weight, lw = ("bold", 2.2) if node == actor else ("normal", 0.8)
                label = textwrap.fill(_label(sub, node), 24)
                ext = ax.text(x, y, label, weight=weight, **_BOX_TEXT).get_window_extent()
                w, h = ext.width / DPI + 0.16, ext.height / DPI + 0.12
                boxes[node] = FancyBboxPatch((x - w / 2, y - h / 2), w, h, lw=lw, **_BOX), (x, y)
                ax.add_patch(boxes[node][0]).set_facecolor(TIERS[_tier(sub.nodes[node])])
        used: set[str] = set()
        for source, target in sorted(sub.edges):
            (a, start), (b, end) = boxes[source], boxes[target]
            kinds = sorted({family(k) for k in sub.edges[source, target]["kinds"]})
            used.update(kinds)
            mutual = 0.2 * sub.has_edge(target, source)  # same sign: the reverse bends away
            for k, kind in enumerate(kinds):  # one arrow per family, fanned out
                bend = f"arc3,rad={mutual + 0.12 * k - 0.06 * (len(kinds) - 1)}"
                arrow = FancyArrowPatch(start, end, patchA=a, patchB=b, shrinkA=0, shrinkB=0)
                ax.add_patch(arrow).set(connectionstyle=bend, color=FAMILIES[kind], **_ARROW)
        title = f"Control hierarchy above: {_label(sub, actor)}"
        ax.text(0.2, height - 0.25, title, va="top", size=13, weight="bold", parse_math=False)
        ax.text(0.2, height - 0.6, _NOTE, va="top", fontsize=9, color="#333333")
        edges = [Line2D([], [], color=FAMILIES[f], lw=2.2, label=f) for f in FAMILIES if f in used]
        tiers = [t for t in TIERS if t in {_tier(sub.nodes[n]) for n in sub}]
        names = {t: t if t == "person" else f"{t} body" for t in tiers}
        fills = [Patch(fc=TIERS[t], ec="k", lw=0.8, label=names[t]) for t in tiers]
        fig.legend(handles=edges, title="Edge (kind of control)", loc="lower left", **_LEGEND)
        fig.legend(handles=fills, title="Box", loc="lower right", **_LEGEND)
    return [out.with_suffix(".png"), out.with_suffix(".svg")]


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
    ranked = sorted(places, key=lambda n: (-near[n], -total[n], _label(graph, n), n))
    return graph.subgraph(centres.intersection(graph) | set(ranked[:RING])), len(places) - RING


def _visits_panel(ax: Axes, whole: nx.DiGraph, year: int, centres: set[str]) -> None:
    n_in = sum(d["weight"] for _, t, d in whole.edges(data=True) if t in centres)
    n_out = round(whole.size(weight="weight")) - n_in
    graph, left_out = _drawn(whole, centres)
    order = {n: (_label(graph, n), n) for n in graph}.__getitem__
    out = {t for s, t in graph.edges if s in centres and t not in centres}
    into = {s for s, t in graph.edges if t in centres and s not in centres}
    others = {s for s, t in graph.edges if s not in centres and t not in centres}
    groups = [sorted(out - into, key=order)]
    for visitor in sorted(others, key=order):  # another visitor, then its destinations
        placed = {n for g in groups for n in g}
        groups.append([visitor, *sorted(set(graph[visitor]) - placed, key=order)])
    groups += [sorted(out & into, key=order), sorted(into - out - others, key=order)]
    ring = [n for g in groups if g for n in [*g, None]]  # None: a gap between groups
    ax.set(xlim=(-1.72, 1.72), ylim=(-1.72, 1.72), aspect="equal")
    ax.set_axis_off()
    title = f"{year}: {n_out} outgoing, {n_in} incoming"
    if left_out:
        title += f"\n({left_out} places with fewer visits not drawn)"
    ax.set_title(title, fontsize=11, fontweight="bold")
    pos = dict.fromkeys(centres, (0.0, 0.0))
    for i, node in ((i, n) for i, n in enumerate(ring) if n is not None):
        angle = math.pi / 2 - 2 * math.pi * i / len(ring)
        x, y = pos[node] = (math.cos(angle), math.sin(angle))
        degrees = math.degrees(angle) % 360
        left, look = 90 < degrees < 270, _OTHER if node in others else _PLACE
        label = textwrap.fill(re.sub(r"\s*\(.*?\)", "", _label(graph, node)), 18)
        ha, turn = ("right", degrees - 180) if left else ("left", degrees)
        ax.text(1.07 * x, 1.07 * y, label, ha=ha, rotation=turn, **look, **_RING)
        ax.plot(x, y, "s" if node in others else "o", ms=4.5, color=look["color"])
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        incoming = target in centres or (source not in centres and "incoming" in data["kinds"])
        chord = source not in centres and target not in centres  # another visitor's visit
        # the same rad bends an edge and its reverse to opposite sides
        rad = 0.4 if chord else 0.22 if (source if incoming else target) in out & into else 0.0
        style, lw = "-|>" if chord else "-", 0.7 + 1.1 * data["weight"]
        arrow = FancyArrowPatch(pos[source], pos[target], shrinkA=3, shrinkB=4, lw=lw, alpha=0.85)
        arrow.set(arrowstyle=style, connectionstyle=f"arc3,rad={rad}", mutation_scale=9)
        ax.add_patch(arrow).set_color(INCOMING if incoming else OUTGOING)
    ax.plot(0, 0, "o", ms=12, color="black", zorder=5)
    ax.text(0, -0.14, "Guangzhou", **_CENTRE)


def visits_by_year(graphs: dict[int, nx.DiGraph], out: Path, center: str = GUANGZHOU) -> list[Path]:
    """Small multiples of the visit network around ``center``, one radial panel per year.

    Guangzhou's government is drawn as the centre too. Clockwise from the top, the circle holds
    destinations, other visitors with theirs, places visited both ways, then origins.

    Args:
        graphs: year -> visit network of that year (:func:`pdkg.analytics.network`).
        out: path of the figure; its ``.png`` and ``.svg`` are written.
        center: IRI drawn at the centre of every panel.

    Returns:
        The PNG and SVG paths.
    """
    years = sorted(graphs)
    cols, rows = min(3, max(1, len(years))), max(1, math.ceil(len(years) / 3))
    height = 6.2 * rows + 1.2
    with _drawing(out, 6.2 * cols, height) as fig:
        fig.subplots_adjust(0.005, 0.45 / height, 0.995, 1 - 0.95 / height, 0.02, 0.08)
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
        fig.legend(handles=handles, loc="lower center", ncol=5, fontsize=10, frameon=False)
    return [out.with_suffix(".png"), out.with_suffix(".svg")]


def top_actors(ranked: Sequence[Ranked], out: Path, title: str, *, xlabel: str = "") -> list[Path]:
    """A horizontal bar chart of ranked actors, the highest on top, values at the bar ends.

    Args:
        ranked: the output of :func:`pdkg.analytics.centrality`.
        out: path of the figure; its ``.png`` and ``.svg`` are written.
        title: the chart title (name the measure and the layer).
        xlabel: the label of the value axis.

    Returns:
        The PNG and SVG paths.
    """
    labels = [textwrap.fill(f"{r.rank}. {r.label}", 44) for r in ranked]
    values = [r.value for r in ranked]
    lines = sum(label.count("\n") + 1 for label in labels)
    with _drawing(out, 10.0, 1.3 + 0.2 * lines + 0.18 * len(ranked)) as fig:
        fig.set_layout_engine("constrained")
        ax = fig.add_subplot()
        bars = ax.barh(range(len(ranked)), values, color="#0072B2", height=0.7)
        ax.set_yticks(range(len(ranked)), labels, fontsize=9)
        ax.invert_yaxis()
        texts = [f"{v:g}" if v >= 1 else f"{v:.3g}" for v in values]
        ax.bar_label(bars, texts, padding=3, fontsize=9)
        ax.set_xlim(0, max(values, default=1) * 1.1 or 1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel(xlabel, fontsize=9)
        fig.suptitle(textwrap.fill(title, 90), fontsize=12, fontweight="bold", x=0.01, ha="left")
    return [out.with_suffix(".png"), out.with_suffix(".svg")]


def write_all(fetch: analytics.Fetch, out_dir: Path) -> list[Path]:
    """Build the networks and write every figure (PNG and SVG) into ``out_dir``.

    Args:
        fetch: runs a saved query by name (see :func:`pdkg.query.target.fetcher`).
        out_dir: directory for the figures, created if missing.

    Returns:
        Every path written. The hierarchy is left out when the graph (e.g. a test graph given
        with ``--data``) has no Guangzhou FAO.
    """
    control = analytics.network(fetch, layer="control")
    visits = {year: analytics.network(fetch, layer="visits", year=year) for year in YEARS}
    ranked = analytics.centrality(control, measure="reach", top=15)
    paths = []
    if GUANGZHOU_FAO in control:
        paths += control_hierarchy(
            control, GUANGZHOU_FAO, out_dir / "control-hierarchy-guangzhou-fao"
        )
    paths += visits_by_year(visits, out_dir / "visits-by-year")
    title, reach = "Top 15 actors of the control layer by reach", "reach: actors controlled"
    xlabel = f"{reach}, directly or through a chain"
    return paths + top_actors(ranked, out_dir / "top-actors-control", title, xlabel=xlabel)
