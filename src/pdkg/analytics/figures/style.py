"""What every figure shares: the canvas, the fonts, the places they centre on, saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

RESOURCE = "https://w3id.org/pdkg/resource/"
GUANGZHOU = RESOURCE + "guangzhou"
GUANGZHOU_FAO = RESOURCE + "guangzhou-foreign-affairs-office"
YEARS = tuple(range(2011, 2017))
DPI = 150
#: no text of any figure is smaller (points)
MIN_FONT = 9.0
#: fonts for the Chinese names of the national layer, the first one installed drawn where DejaVu
#: Sans has no glyph (Debian: ``fonts-wqy-microhei``, which ``.ci/run`` installs); with none, a
#: Chinese name shows as empty boxes and matplotlib warns
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Droid Sans Fallback")


def _families() -> list[str]:
    import logging

    from matplotlib import font_manager

    # a CJK font has no bold face: matplotlib uses the regular one, and says so on every title
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in CJK_FONTS if name in installed)]


#: SVG text stays text (searchable); ids and metadata are fixed so that builds are reproducible
RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "pdkg", "font.family": _families()}
RC |= {"font.size": 10}


def new_figure(width: float, height: float) -> Figure:
    """A ``width`` x ``height`` inch figure with an Agg canvas (text extents are measured by the
    Agg renderer); call it within ``rc_context(RC)``."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, out: Path) -> list[Path]:
    """Save ``fig`` to ``out`` as PNG and SVG; returns both paths."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(RC):
        fig.savefig(out.with_suffix(".png"), dpi=DPI, metadata={"Software": None})
        fig.savefig(out.with_suffix(".svg"), metadata={"Date": None})
    return [out.with_suffix(".png"), out.with_suffix(".svg")]


def label(graph: nx.DiGraph, node: str) -> str:
    """A node's label, else the last segment of its IRI."""
    return str(graph.nodes[node].get("label") or node.rsplit("/", 1)[-1])
