"""`pdkg centrality`, `pdkg chain`, `pdkg approvals` and `pdkg export`: control analytics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import Any

import click
import networkx as nx

from pdkg.analytics import MEASURES, centrality, chains
from pdkg.analytics.approvals import ACTS, approvals
from pdkg.analytics.communities import components
from pdkg.analytics.coverage import Coverage, coverage
from pdkg.analytics.export import EXPORT_FORMATS, write_export
from pdkg.analytics.meaning import meaning
from pdkg.analytics.robustness import FRACTION, robustness
from pdkg.analytics.sources import Sources
from pdkg.cli.common import format_option, handle_errors, resolve_actor, with_target
from pdkg.cli.render_analytics import (
    RECORD_FORMATS,
    render_approvals,
    render_chains,
    render_records,
)
from pdkg.cli.slicing import LAYER_OPTION, SOURCE_OPTION, resolve_sources, slice_options
from pdkg.errors import EmptySliceError
from pdkg.query.target import Target

Cut = Callable[[Target, str], nx.DiGraph]
SEED_OPTION = click.option(
    "--seed", type=int, default=42, show_default=True, help="Seed of the random resamples."
)


@click.command(name="centrality")
@LAYER_OPTION
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="reach",
    show_default=True,
    help="reach = actors controlled directly or transitively; in-/out-strength = summed weights.",
)
@click.option(
    "--weighted",
    is_flag=True,
    help="Betweenness and closeness along paths of length 1/weight (visits: printed counts).",
)
@slice_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N first.")
@click.option(
    "--robustness",
    "resamples",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help=f"Add each actor's rank interval over N resamples without {FRACTION:.0%} of the edges "
    "and over dropping each source in turn.",
)
@SEED_OPTION
@click.option(
    "--explain",
    is_flag=True,
    help="Add each actor's claims, sources and component; list the components on stderr.",
)
@format_option(RECORD_FORMATS, "table")
@handle_errors
@with_target
def centrality_command(
    layer: str,
    measure: str,
    weighted: bool,
    cut: Cut,
    top: int | None,
    resamples: int | None,
    seed: int,
    explain: bool,
    fmt: str,
    target: Target,
) -> None:
    """Rank actors on a network layer by a centrality measure (ties broken by label, IRI).

    Each value says only what the sources record: --explain shows how many claims and which
    sources an actor's edges come from, --robustness how far its rank moves without them.
    """
    graph = cut(target, layer)
    sources = Sources.of(target.fetch) if resamples is not None or explain else None
    columns = ["rank", "node", "actor", measure]
    rows: list[list[Any]]
    if resamples is None:
        ranked = centrality(graph, measure=measure, top=top, weighted=weighted)
        rows = [[r.rank, r.node, r.label, r.value] for r in ranked]
    else:
        assert sources is not None
        found = robustness(
            graph,
            measure,
            resamples=resamples,
            seed=seed,
            weighted=weighted,
            top=top,
            name=sources.name,
        )
        columns += ["rankMin", "rankMax", "worstWhen", "band90Min", "band90Max"]
        rows = [[*astuple(i)] for i in found]
    if explain:
        assert sources is not None
        columns += ["claims", "sources", "topSource", "topShare", "component", "componentSize"]
        known = {c.node: c for c in coverage(graph, name=sources.name)}
        rows = [row + _explained(known[row[1]], sources) for row in rows]
        _note_components(graph)
    if fmt == "table":
        columns, rows = columns[:1] + columns[2:], [row[:1] + row[2:] for row in rows]
        click.echo(f"{measure} on the {layer} layer: {meaning(layer, measure, weighted=weighted)}")
    click.echo(render_records(columns, rows, fmt), nl=False)


def _explained(item: Coverage, sources: Sources) -> list[Any]:
    top = sources.name(item.sources[0][0]) if item.sources else None
    return [item.claims, len(item.sources), top, item.share, item.component, item.component_size]


def _note_components(graph: nx.DiGraph) -> None:
    parts = components(graph)
    sizes = ", ".join(str(len(p)) for p in parts)
    click.echo(
        f"note: the {graph.graph['layer']} layer has {len(parts)} connected component"
        f"{'s' * (len(parts) != 1)} ({sizes} actors); no chain crosses from one to another, "
        "so reach and closeness compare actors of different components only by size.",
        err=True,
    )


@click.command(name="chain")
@click.argument("actor")
@click.option("--all", "every", is_flag=True, help="Every path with its length, not the shortest.")
@click.option(
    "--any-top",
    is_flag=True,
    help="Also paths to the tops that are not central bodies (a person or a body no one controls).",
)
@slice_options
@format_option(["text", "json"], "text")
@handle_errors
@with_target
def chain_command(
    actor: str,
    every: bool,
    any_top: bool,
    cut: Cut,
    fmt: str,
    target: Target,
) -> None:
    """Print the control paths (supervision, approval, posts) from ACTOR up to the centre.

    ACTOR is an IRI, a slug (guangzhou-foreign-affairs-office) or an English label. Each path
    shows its number of steps; by default only the shortest paths to each central body, with
    --all every path. Every step shows its relation (as --kind names it, with the act or post
    its claims state) and where the source says so. A chain that reaches no central body is an
    error (exit 2).
    """
    iri = resolve_actor(target, actor, "'ACTOR'")
    graph = cut(target, "control")
    info = graph.graph
    sliced = info.get("year") is not None or info.get("kinds") or info.get("sources")
    where = " in this slice (--year, --kind, --source)" if sliced else ""
    if iri not in graph:
        raise click.BadParameter(f"{actor!r} has no control relation{where}", param_hint="'ACTOR'")
    found = chains(graph, iri, to_central=not any_top, every=every)
    if not found:
        what = "a central body" if not any_top else "an actor above it"
        hint = "; --any-top lists paths to the tops that are not central" if not any_top else ""
        why = f"none of its paths reaches one{hint}."
        raise EmptySliceError(f"makes a chain from {actor!r} to {what}{where}", why)
    click.echo(render_chains(found, fmt), nl=False)


@click.command(name="approvals")
@click.argument("act", type=click.Choice(ACTS))
@click.option("--city", default=None, help="A city (IRI, slug or English label).")
@SOURCE_OPTION
@handle_errors
@with_target
def approvals_command(
    act: str,
    city: str | None,
    sources: tuple[str, ...],
    target: Target,
) -> None:
    """Who must approve ACT for a city: approver, level, legal basis, and the source."""
    city_iri = resolve_actor(target, city, "'--city'") if city is not None else None
    wanted = resolve_sources(target, sources)
    found = approvals(target.fetch("approval-claims"), act, city=city_iri, sources=wanted)
    if wanted is not None and not found:
        raise EmptySliceError(f"on {act} from {', '.join(sources)}", "the source states none.")
    click.echo(render_approvals(found), nl=False)


@click.command(name="export")
@LAYER_OPTION
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (a directory for csv: nodes.csv and edges.csv).",
)
@slice_options
@handle_errors
@with_target
def export_command(
    layer: str,
    fmt: str,
    out: Path,
    cut: Cut,
    target: Target,
) -> None:
    """Export a network layer for Gephi (GraphML, GEXF) or pandas/igraph (CSV tables)."""
    graph = cut(target, layer)
    for path in write_export(graph, out, fmt):
        click.echo(
            f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)",
            err=True,
        )
