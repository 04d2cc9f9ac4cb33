"""The control hierarchy above an actor, drawn in rows: central bodies on top, edges in the gaps."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path as MplPath

from pdkg.analytics.figures import layout, style

#: kind family -> arrow colour (Okabe-Ito, safe for colour-blind readers)
FAMILIES = {"administrative subordination": "#0072B2", "party leadership": "#D55E00"}
FAMILIES |= {"guidance": "#CC79A7", "legislative oversight": "#009E73"}
FAMILIES |= {"approval required": "#E69F00", "post held": "#555555"}
#: tier -> box fill
TIERS = {"central": "#F6C9C9", "provincial": "#FBE3C6", "local": "#D9E8F6", "person": "#E6E6E6"}
_LEGEND: Any = {"fontsize": 9, "title_fontsize": 9.5, "ncol": 2, "alignment": "left"}
_BOX_TEXT: Any = {"size": 9, "ha": "center", "va": "center", "zorder": 4, "parse_math": False}
_BOX: Any = {"boxstyle": "round,pad=0.04", "ec": "black", "zorder": 3}
_ARROW: Any = {"arrowstyle": "-|>", "mutation_scale": 14, "lw": 1.5, "zorder": 2}
_ARROW |= {"joinstyle": "round", "capstyle": "butt"}
_BY_CLASS = {"CentralBody": "central", "Person": "person"}
_BY_LEVEL = {"national": "central", "provincial": "provincial"}
_NOTE = "Arrows point from the controlled actor to its controller; rows by the longest chain"
_NOTE += " from the actor, central bodies on top."
#: inches below the hierarchy (legends) and above it (title, note)
_BAND, _HEAD = 1.25, 1.0


def family(kind: str) -> str:
    """The family of a control edge kind: a supervision kind, an approval act, or a post."""
    name, act = kind.replace("-", " "), re.fullmatch(r"[a-z0-9-]+", kind)  # acts are codes
    return name if name in FAMILIES else "approval required" if act else "post held"


def _tier(data: dict[str, Any]) -> str:
    hits = [_BY_CLASS[c] for c in str(data.get("classes", "")).split() if c in _BY_CLASS]
    return min(hits, default=_BY_LEVEL.get(str(data.get("level")), "local"))  # central < person


def _box_label(graph: nx.DiGraph, node: str) -> str:
    return textwrap.fill(style.label(graph, node), 24)


def _sizes(sub: nx.DiGraph, actor: str) -> dict[str, tuple[float, float]]:
    """Each node's box (width, height) in inches: its label as the Agg renderer measures it."""
    with matplotlib.rc_context(style.RC):
        fig = Figure(dpi=style.DPI)
        renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
        sizes = {}
        for node in sub:
            weight = "bold" if node == actor else "normal"
            text = fig.text(0, 0, _box_label(sub, node), weight=weight, **_BOX_TEXT)
            ext = text.get_window_extent(renderer)
            sizes[node] = (ext.width / style.DPI + 0.24, ext.height / style.DPI + 0.2)
    return sizes


def _hierarchy(graph: nx.DiGraph, actor: str) -> tuple[nx.DiGraph, layout.Layered, float, float]:
    if actor not in graph:
        raise KeyError(actor)
    sub = graph.subgraph({actor} | nx.descendants(graph, actor))
    top = [n for n in sub if _tier(sub.nodes[n]) == "central" and sub.out_degree(n) == 0]
    lines = {(s, t): sorted({family(k) for k in d["kinds"]}) for s, t, d in sub.edges(data=True)}
    laid = layout.layered(sub, actor, _sizes(sub, actor), lines, top=top)
    width = max(laid.width + 0.8, 9.0)
    height = _BAND + laid.height + _HEAD
    return sub, laid.shifted((width - laid.width) / 2, _BAND), width, height


def hierarchy_layout(graph: nx.DiGraph, actor: str) -> layout.Layered:
    """The layout :func:`control_hierarchy` draws, in inches from the figure's lower left corner:
    every node's box and every drawn line (one per edge and family) as its polyline.

    Raises:
        KeyError: ``actor`` is not in ``graph``.
    """
    return _hierarchy(graph, actor)[1]


def hierarchy_figure(graph: nx.DiGraph, actor: str) -> Figure:
    """The figure :func:`control_hierarchy` saves."""
    sub, laid, width, height = _hierarchy(graph, actor)
    with matplotlib.rc_context(style.RC):
        fig = style.new_figure(width, height)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0), xlim=(0, width), ylim=(0, height))
        ax.set_axis_off()
        for node, (x0, y0, x1, y1) in laid.boxes.items():
            weight, lw = ("bold", 2.2) if node == actor else ("normal", 0.8)
            pad = 0.04  # the rounded box grows by its pad: the drawn outline is the layout's box
            box = FancyBboxPatch((x0 + pad, y0 + pad), x1 - x0 - 2 * pad, y1 - y0 - 2 * pad, lw=lw)
            ax.add_patch(box).set(fc=TIERS[_tier(sub.nodes[node])], **_BOX)
            label = _box_label(sub, node)
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, label, weight=weight, **_BOX_TEXT)
        for route in laid.routes:
            path = MplPath(route.points)
            ax.add_patch(FancyArrowPatch(path=path, color=FAMILIES[route.family], **_ARROW))
        title = f"Control hierarchy above: {style.label(sub, actor)}"
        ax.text(0.2, height - 0.25, title, va="top", size=13, weight="bold", parse_math=False)
        ax.text(0.2, height - 0.6, _NOTE, va="top", fontsize=9.5, color="#333333")
        used = {r.family for r in laid.routes}
        edges = [Line2D([], [], color=FAMILIES[f], lw=2.2, label=f) for f in FAMILIES if f in used]
        tiers = [t for t in TIERS if t in {_tier(sub.nodes[n]) for n in sub}]
        names = {t: t if t == "person" else f"{t} body" for t in tiers}
        fills = [Patch(fc=TIERS[t], ec="k", lw=0.8, label=names[t]) for t in tiers]
        fig.legend(handles=edges, title="Edge (kind of control)", loc="lower left", **_LEGEND)
        fig.legend(handles=fills, title="Box", loc="lower right", **_LEGEND)
    return fig


def control_hierarchy(graph: nx.DiGraph, actor: str, out: Path) -> list[Path]:
    """Draw the control hierarchy above ``actor`` in rows, central bodies on top.

    A layered layout (:mod:`pdkg.analytics.figures.layout`): an edge that skips rows runs
    through the gaps between the boxes of those rows, so it never crosses a box it does not end
    at.

    Args:
        graph: a control network from :func:`pdkg.analytics.network` (controlled -> controller).
        actor: IRI of the actor drawn at the bottom.
        out: path of the figure; its ``.png`` and ``.svg`` are written.

    Returns:
        The PNG and SVG paths.

    Raises:
        KeyError: ``actor`` is not in ``graph``.
    """
    return style.save(hierarchy_figure(graph, actor), out)
