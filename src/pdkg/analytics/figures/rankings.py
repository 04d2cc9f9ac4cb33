"""Rankings as charts: the top actors by a measure, and how firm their positions are."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from pdkg.analytics import Ranked
from pdkg.analytics.figures import style
from pdkg.analytics.meaning import meaning
from pdkg.analytics.robustness import Interval

INTERVALS = (
    "Dot: rank as recorded. Light bar: best to worst position over {n} seeded copies without a"
    " random 10% of the edges and over the copies without each source in turn (ties spread: an"
    " actor tied with others can take any of their positions). Dark bar: where it sits in 90% of"
    " the random copies. At the bar end: the copy that puts it lowest ('sample i': the i-th"
    " random copy)."
)


def _rows_of(labels: Sequence[str]) -> tuple[list[str], float]:
    wrapped = [textwrap.fill(label, 44) for label in labels]
    return wrapped, sum(label.count("\n") + 1 for label in wrapped)


def top_actors_figure(
    ranked: Sequence[Ranked], title: str, *, xlabel: str = "", layer: str = "", measure: str = ""
) -> Figure:
    """The figure :func:`top_actors` saves."""
    labels, lines = _rows_of([f"{r.rank}. {r.label}" for r in ranked])
    values = [r.value for r in ranked]
    if not xlabel and measure:
        xlabel = f"{measure}: {meaning(layer, measure)}"
    with matplotlib.rc_context(style.RC):
        fig = style.new_figure(10.0, 1.5 + 0.2 * lines + 0.18 * len(ranked))
        fig.set_layout_engine("constrained")
        ax = fig.add_subplot()
        bars = ax.barh(range(len(ranked)), values, color="#0072B2", height=0.7)
        ax.set_yticks(range(len(ranked)), labels, fontsize=9.5)
        ax.invert_yaxis()
        texts = [f"{v:g}" if v >= 1 else f"{v:.3g}" for v in values]
        ax.bar_label(bars, texts, padding=3, fontsize=9.5)
        ax.set_xlim(0, max(values, default=1) * 1.1 or 1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel(textwrap.fill(xlabel, 100), fontsize=10)
        fig.suptitle(textwrap.fill(title, 90), fontsize=12, fontweight="bold", x=0.01, ha="left")
    return fig


def top_actors(
    ranked: Sequence[Ranked],
    out: Path,
    title: str,
    *,
    xlabel: str = "",
    layer: str = "",
    measure: str = "",
) -> list[Path]:
    """A horizontal bar chart of ranked actors, the highest on top, values at the bar ends.

    Args:
        ranked: the output of :func:`pdkg.analytics.centrality`.
        out: path of the figure; its ``.png`` and ``.svg`` are written.
        title: the chart title (name the measure and the layer).
        xlabel: the label of the value axis; by default what ``measure`` counts on ``layer``
            (:func:`pdkg.analytics.meaning.meaning`).
        layer: the layer ranked.
        measure: the measure ranked by.

    Returns:
        The PNG and SVG paths.
    """
    return style.save(
        top_actors_figure(ranked, title, xlabel=xlabel, layer=layer, measure=measure), out
    )


def rank_intervals_figure(intervals: Sequence[Interval], title: str, *, note: str = "") -> Figure:
    """The figure :func:`rank_intervals` saves."""
    labels, lines = _rows_of([f"{i.rank}. {i.label}" for i in intervals])
    last = max((i.rank_max for i in intervals), default=1)
    with matplotlib.rc_context(style.RC):
        fig = style.new_figure(10.0, 2.1 + 0.2 * lines + 0.2 * len(intervals))
        fig.set_layout_engine("constrained")
        ax = fig.add_subplot()
        rows = range(len(intervals))
        spans = [i.rank_max - i.rank_min for i in intervals]
        lows = [i.rank_min for i in intervals]
        bars = ax.barh(rows, spans, left=lows, height=0.42, color="#DCEAF6", ec="#0072B2", lw=0.8)
        for bar, interval in zip(bars, intervals, strict=True):
            bar.set_label(interval.node)
        for row, interval in zip(rows, intervals, strict=True):
            if interval.band_min is None or interval.band_max is None:
                continue  # no random sample: no band
            width = interval.band_max - interval.band_min  # where it sits in 90% of the samples
            band = ax.barh(row, width, left=interval.band_min, height=0.42, color="#0072B2")
            band.patches[0].set_label(f"{interval.node} band90")
        ax.plot([i.rank for i in intervals], rows, "o", color="black", ms=5.5, zorder=3)
        for row, interval in zip(rows, intervals, strict=True):
            ax.annotate(
                interval.worst,
                (interval.rank_max, row),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color="#333333",
                annotation_clip=False,
                parse_math=False,
            )
        ax.set_yticks(rows, labels, fontsize=9.5)
        ax.set_ylim(len(intervals) - 0.4, -0.6)
        ax.set_xlim(0, last * 1.22 + 1)
        step = 5 if last <= 40 else 10
        ax.set_xticks(sorted({1, *range(step, last + 1, step), last}))
        if last <= 60:  # a tick per position, where they can be told apart
            ax.set_xticks(range(1, last + 1), minor=True)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("position in the ranking (1 = top)", fontsize=10)
        fig.suptitle(textwrap.fill(title, 90), fontsize=12, fontweight="bold", x=0.01, ha="left")
        note = note or INTERVALS.format(n="the")
        ax.set_title(textwrap.fill(note, 100), fontsize=9, loc="left", color="#333333")
    return fig


def rank_intervals(
    intervals: Sequence[Interval], out: Path, title: str, *, note: str = ""
) -> list[Path]:
    """A chart of rank intervals, one row per actor in plain rank order: a dot at its rank as
    recorded, a bar from its best to its worst position, and the copy that put it lowest.

    Args:
        intervals: the output of :func:`pdkg.analytics.robustness.robustness`.
        out: path of the figure; its ``.png`` and ``.svg`` are written.
        title: the chart title (name the measure and the layer).
        note: the line under the title; by default what the dot, bar and text are.

    Returns:
        The PNG and SVG paths.
    """
    return style.save(rank_intervals_figure(intervals, title, note=note), out)
