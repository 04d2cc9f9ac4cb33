"""`pdkg coverage`, `pdkg communities` and `pdkg multilayer`: what a layer's numbers rest on."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
import networkx as nx

from pdkg.analytics import MEASURES
from pdkg.analytics.communities import METHODS, communities, core_numbers
from pdkg.analytics.coverage import coverage
from pdkg.analytics.layers import LAYERS
from pdkg.analytics.multilayer import multilayer, parse_weights
from pdkg.analytics.sources import Sources
from pdkg.cli.common import format_option, handle_errors, with_target
from pdkg.cli.render_analytics import RECORD_FORMATS, render_records
from pdkg.cli.slicing import LAYER_OPTION, slice_options
from pdkg.errors import ChoiceError
from pdkg.query.target import Target

Cut = Callable[[Target, str], nx.DiGraph]


@click.command(name="coverage")
@LAYER_OPTION
@slice_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N first.")
@format_option(RECORD_FORMATS, "table")
@handle_errors
@with_target
def coverage_command(layer: str, cut: Cut, top: int | None, fmt: str, target: Target) -> None:
    """How many claims each actor's edges rest on, and from which sources (most claims first).

    A high rank that comes from one table shows as a topShare near 1: the actor ranks by what
    that table lists. sources lists every source with its number of claims.
    """
    graph = cut(target, layer)
    names = Sources.of(target.fetch).name
    columns = ["actor", "node", "edges", "claims", "topShare", "component", "sources"]
    rows = [
        [c.label, c.node, c.edges, c.claims, c.share, c.component, _named(c.sources, names)]
        for c in coverage(graph, name=names)[:top]
    ]
    if fmt == "table":
        columns, rows = columns[:1] + columns[2:], [row[:1] + row[2:] for row in rows]
    click.echo(render_records(columns, rows, fmt), nl=False)


def _named(sources: tuple[tuple[str, int], ...], names: Callable[[str], str]) -> list[str]:
    return [f"{names(source)} ({count})" for source, count in sources]


@click.command(name="communities")
@LAYER_OPTION
@click.option("--method", type=click.Choice(METHODS), default="leiden", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the method.")
@click.option(
    "--resolution",
    type=click.FloatRange(min=0.0, min_open=True),
    default=1.0,
    show_default=True,
    help="Above 1: more, smaller communities; below 1: fewer, larger ones.",
)
@slice_options
@format_option(RECORD_FORMATS, "table")
@handle_errors
@with_target
def communities_command(
    layer: str, method: str, seed: int, resolution: float, cut: Cut, fmt: str, target: Target
) -> None:
    """Split a layer into communities (Leiden on igraph or Louvain on networkx, seeded).

    One row per actor: its community, the community's size, and the actor's k-core number (the
    largest k such that it lies in a part where every actor has at least k neighbours). The
    modularity of the split goes to stderr. A community is a dense group in the recorded
    relations, not a proven administrative unit.
    """
    graph = cut(target, layer)
    partition = communities(graph, method=method, seed=seed, resolution=resolution)
    cores = core_numbers(graph)
    columns = ["community", "size", "actor", "node", "core"]
    rows = [
        [c.index, len(c.members), label, node, cores[node]]
        for c in partition.communities
        for node, label in zip(c.members, c.labels, strict=True)
    ]
    if fmt == "table":
        columns, rows = columns[:3] + columns[4:], [row[:3] + row[4:] for row in rows]
    click.echo(render_records(columns, rows, fmt), nl=False)
    found = len(partition.communities)
    click.echo(
        f"note: {found} communit{'y' if found == 1 else 'ies'} on the {layer} layer by {method} "
        f"(seed {seed}, resolution {resolution:g}); modularity {partition.modularity:.4f} "
        "(measured at resolution 1, so splits compare).",
        err=True,
    )


@click.command(name="multilayer")
@click.option(
    "--weights",
    "text",
    default="supervision=1,party=1,approval=1",
    show_default=True,
    metavar="LAYER=W,...",
    help=f"The layers and their weights; layers: {', '.join(LAYERS)}.",
)
@click.option(
    "--measure", type=click.Choice(MEASURES), default="reach", show_default=True, help="Per layer."
)
@slice_options(kinds=False)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N first.")
@format_option(RECORD_FORMATS, "table")
@handle_errors
@with_target
def multilayer_command(
    text: str, measure: str, cut: Cut, top: int | None, fmt: str, target: Target
) -> None:
    """Rank actors across layers: the weighted mean of each layer's value as a share of the
    layer's leader, with the actor's rank on every layer side by side.

    A layer's leader has share 1 whatever the layer's size: give a small layer (approval has 2
    edges) a small weight, and read the per-layer ranks before the score. There is no --kind:
    the layers are the kinds (supervision, party, approval).
    """
    try:
        weights = parse_weights(text, list(LAYERS))
    except (ChoiceError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="'--weights'") from None
    ranked = multilayer(functools.partial(cut, target), weights, measure)[:top]
    columns: list[str] = ["rank", "actor", "node", "score"]
    columns += [f"{layer} rank" for layer in weights] + [f"{layer} {measure}" for layer in weights]
    rows: list[list[Any]] = [
        [c.rank, c.label, c.node, c.score, *c.ranks.values(), *c.values.values()] for c in ranked
    ]
    if fmt == "table":
        columns, rows = columns[:2] + columns[3:], [row[:2] + row[3:] for row in rows]
    click.echo(render_records(columns, rows, fmt), nl=False)
