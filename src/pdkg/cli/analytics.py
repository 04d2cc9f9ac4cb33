"""`pdkg centrality`, `pdkg chain`, `pdkg approvals` and `pdkg export`: control analytics."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx

from pdkg.analytics import LAYERS, MEASURES, centrality, chains, network
from pdkg.analytics.approvals import ACTS, approvals
from pdkg.analytics.export import EXPORT_FORMATS, write_export
from pdkg.cli.common import (
    format_option,
    handle_errors,
    resolve_actor,
    with_target,
)
from pdkg.cli.render import (
    render_approvals,
    render_chains,
    render_ranking,
)
from pdkg.errors import EmptySliceError
from pdkg.query.target import Target

LAYER_OPTION = click.option(
    "--layer",
    type=click.Choice(list(LAYERS)),
    default="control",
    show_default=True,
    help="Which relations make the network (control = supervision + approval + party).",
)
YEAR_OPTION = click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="Keep only relations valid in this year (start <= year <= end, or open).",
)


def checked_slice(graph: nx.DiGraph) -> nx.DiGraph:
    """``graph`` if it holds claims for its year; warn about the claims left out as undated.

    Raises:
        EmptySliceError: no claim of the layer holds in the year.
    """
    info = graph.graph
    if info.get("year") is None:
        return graph
    as_of = ", ".join(str(y) for y in info.get("undated_as_of", []))
    undated = info.get("undated", 0)
    why = f"{undated} undated for {info['year']}" + (
        f" (known only as of {as_of})" if as_of else ""
    )
    if graph.number_of_edges() == 0:
        likeliest = info.get("likeliest_year")
        hint = f"; try --year {likeliest}" if likeliest is not None else ""
        raise EmptySliceError(
            f"of the {info['layer']} layer holds in {info['year']}", why + hint + "."
        )
    if undated:
        click.echo(f"warning: {why} left out of the {info['layer']} layer.", err=True)
    return graph


@click.command(name="centrality")
@LAYER_OPTION
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    default="reach",
    show_default=True,
    help="reach = actors controlled directly or transitively.",
)
@YEAR_OPTION
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N first.")
@format_option(["table", "csv", "json"], "table")
@handle_errors
@with_target
def centrality_command(
    layer: str,
    measure: str,
    year: int | None,
    top: int | None,
    fmt: str,
    target: Target,
) -> None:
    """Rank actors on a network layer by a centrality measure (ties broken by label, IRI)."""
    graph = checked_slice(network(target.fetch, layer=layer, year=year))
    click.echo(render_ranking(centrality(graph, measure=measure, top=top), measure, fmt), nl=False)


@click.command(name="chain")
@click.argument("actor")
@click.option(
    "--all", "all_tops", is_flag=True, help="Also paths that end at a body that is not central."
)
@format_option(["text", "json"], "text")
@handle_errors
@with_target
def chain_command(
    actor: str,
    all_tops: bool,
    fmt: str,
    target: Target,
) -> None:
    """Print the supervision and party-control paths from ACTOR up to the centre.

    ACTOR is an IRI, a slug (guangzhou-foreign-affairs-office) or an English label. Every step
    shows the kind of relation and where the source says so.
    """
    iri = resolve_actor(target, actor, "'ACTOR'")
    graph = network(target.fetch, layer="control")
    if iri not in graph:
        raise click.BadParameter(
            f"{actor!r} has no supervision or control relation", param_hint="'ACTOR'"
        )
    click.echo(render_chains(chains(graph, iri, to_central=not all_tops), fmt), nl=False)


@click.command(name="approvals")
@click.argument("act", type=click.Choice(ACTS))
@click.option("--city", default=None, help="A city (IRI, slug or English label).")
@handle_errors
@with_target
def approvals_command(
    act: str,
    city: str | None,
    target: Target,
) -> None:
    """Who must approve ACT for a city: approver, level, legal basis, and the source."""
    city_iri = resolve_actor(target, city, "'--city'") if city is not None else None
    claims = target.fetch("approval-claims")
    click.echo(render_approvals(approvals(claims, act, city=city_iri)), nl=False)


@click.command(name="export")
@LAYER_OPTION
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (a directory for csv: nodes.csv and edges.csv).",
)
@YEAR_OPTION
@handle_errors
@with_target
def export_command(
    layer: str,
    fmt: str,
    out: Path,
    year: int | None,
    target: Target,
) -> None:
    """Export a network layer for Gephi (GraphML, GEXF) or pandas/igraph (CSV tables)."""
    graph = checked_slice(network(target.fetch, layer=layer, year=year))
    for path in write_export(graph, out, fmt):
        click.echo(
            f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)",
            err=True,
        )
