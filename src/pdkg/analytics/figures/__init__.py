"""Figures of the control and visit networks as PNG and SVG (``pdkg build`` -> ``dist/figures``).

Drawn on ``Figure`` objects with an Agg canvas, never pyplot, so no global state changes; layouts
are deterministic (nodes sorted by label and IRI, no randomness). Each figure has a function that
returns the drawn ``Figure`` (``*_figure``) and one that saves it; no text is smaller than
:data:`MIN_FONT` points."""

from __future__ import annotations

from pathlib import Path

from pdkg import analytics
from pdkg.analytics.figures.hierarchy import (
    FAMILIES,
    TIERS,
    control_hierarchy,
    family,
    hierarchy_figure,
    hierarchy_layout,
)
from pdkg.analytics.figures.provinces import province_map_figure, twinnings_by_province
from pdkg.analytics.figures.rankings import (
    INTERVALS,
    rank_intervals,
    rank_intervals_figure,
    top_actors,
    top_actors_figure,
)
from pdkg.analytics.figures.style import DPI, GUANGZHOU, GUANGZHOU_FAO, MIN_FONT, YEARS
from pdkg.analytics.figures.visits import (
    RING,
    marker_size,
    strengths,
    visits_by_year,
    visits_figure,
)
from pdkg.analytics.robustness import robustness
from pdkg.analytics.sources import Sources

__all__ = [
    "DPI",
    "FAMILIES",
    "GUANGZHOU",
    "GUANGZHOU_FAO",
    "MIN_FONT",
    "RING",
    "TIERS",
    "YEARS",
    "control_hierarchy",
    "family",
    "hierarchy_figure",
    "hierarchy_layout",
    "marker_size",
    "province_map_figure",
    "rank_intervals",
    "rank_intervals_figure",
    "strengths",
    "top_actors",
    "top_actors_figure",
    "twinnings_by_province",
    "visits_by_year",
    "visits_figure",
    "write_all",
]
#: the rank intervals of :func:`write_all`: seeded samples without 10% of the edges
RESAMPLES, SEED, TOP = 100, 42, 15


def write_all(fetch: analytics.Fetch, out_dir: Path, points: Path | None = None) -> list[Path]:
    """Build the networks and write every figure (PNG and SVG) into ``out_dir``.

    Args:
        fetch: runs a saved query by name (see :func:`pdkg.query.target.fetcher`).
        out_dir: directory for the figures, created if missing.
        points: a point per division (``national/cpca/adcodes.csv``): the twinnings per
            province are drawn on them too.

    Returns:
        Every path written. The hierarchy is left out when the graph (e.g. a test graph given
        with ``--data``) has no Guangzhou FAO.
    """
    control = analytics.network(fetch, layer="control")
    visits = {year: analytics.network(fetch, layer="visits", year=year) for year in YEARS}
    ranked = analytics.centrality(control, measure="reach", top=TOP)
    name = Sources.of(fetch).name
    kept = robustness(control, "reach", resamples=RESAMPLES, seed=SEED, top=TOP, name=name)
    paths = []
    if GUANGZHOU_FAO in control:
        paths += control_hierarchy(
            control, GUANGZHOU_FAO, out_dir / "control-hierarchy-guangzhou-fao"
        )
    paths += visits_by_year(visits, out_dir / "visits-by-year")
    title = f"Top {TOP} actors of the control layer by reach"
    paths += top_actors(
        ranked, out_dir / "top-actors-control", title, layer="control", measure="reach"
    )
    title = f"How firm are the positions? Top {TOP} actors of the control layer by reach"
    note = INTERVALS.format(n=RESAMPLES)
    paths += rank_intervals(kept, out_dir / "rank-intervals-control", title, note=note)
    if points is not None:
        paths += twinnings_by_province(fetch, points, out_dir / "twinnings-by-province")
    return paths
