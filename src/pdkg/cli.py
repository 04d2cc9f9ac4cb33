"""The `pdkg` command line: a thin shell over the library (DESIGN.md §5)."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pdkg.analytics import LAYERS, MEASURES, centrality, chains, network
from pdkg.api import Target, connect, run_query
from pdkg.approvals import ACTS, approvals
from pdkg.errors import EXIT_NONCONFORMING, PdkgError
from pdkg.export import EXPORT_FORMATS, write_export
from pdkg.graph import load_graph, load_project
from pdkg.paths import ProjectPaths, find_root
from pdkg.push import DEFAULT_GRAPH, push_release
from pdkg.queries import is_iri_or_slug, load_queries
from pdkg.release import build_release
from pdkg.remote import Endpoint
from pdkg.render import (
    REPORT_FORMATS,
    TABLE_FORMATS,
    render_approvals,
    render_chains,
    render_query_catalogue,
    render_query_list,
    render_ranking,
    render_report,
    render_summary,
    render_table,
)
from pdkg.serve import Site, is_loopback, load_store, make_server
from pdkg.validate import validate_project
from pdkg.version import __version__
from pdkg.vocab import PDR

F = TypeVar("F", bound=Callable[..., Any])

DATA_OPTION = click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A Turtle data file to use instead of graph/ (repeatable).",
)


def handle_errors(command: F) -> F:
    """Turn a PdkgError into its one-line message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PdkgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _paths(ctx: click.Context) -> ProjectPaths:
    root: Path | None = ctx.obj.get("root")
    return find_root(root)


@click.group()
@click.version_option(__version__, prog_name="pdkg")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project directory (default: $PDKG_ROOT, else search up from the current directory).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, verbose: bool) -> None:
    """pdkg: the paradiplomacy knowledge graph.

    Build, validate and query a knowledge graph of how sub-national governments act abroad.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Release directory (default: dist/ in the project). Replaced atomically.",
)
@DATA_OPTION
@click.pass_context
@handle_errors
def build(ctx: click.Context, out: Path | None, data: tuple[Path, ...]) -> None:
    """Load, apply the rules, validate and write the release.

    Writes pdkg.ttl, pdkg.nt, pdkg.jsonld, void.ttl and validation.txt. If the graph does not
    conform, prints the report, exits 1 and leaves the previous release untouched.
    """
    paths = _paths(ctx)
    result = build_release(paths, out=out or paths.dist, data=list(data) or None)
    click.echo(render_summary(result), nl=False)
    if not result.conforms:
        click.echo(render_report(result.report, "text"), err=True, nl=False)
        click.echo("error: the graph does not conform; the release was not written.", err=True)
        sys.exit(EXIT_NONCONFORMING)


@main.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@DATA_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.pass_context
@handle_errors
def validate_command(
    ctx: click.Context, files: tuple[Path, ...], data: tuple[Path, ...], fmt: str
) -> None:
    """SHACL-validate the graph (or the given data FILES) and print the report.

    The report is grouped by shape and gives the focus node, path, value, message and the
    locator of the claim in its source. Exits 0 if the data conforms, 1 if not.
    """
    paths = _paths(ctx)
    chosen = [*files, *data]
    report = validate_project(load_project(paths, data=chosen or None))
    click.echo(render_report(report, fmt), nl=False)
    if not report.conforms:
        sys.exit(EXIT_NONCONFORMING)


@main.command(name="queries")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="A plain list, or the Markdown catalogue the README shows.",
)
@click.pass_context
@handle_errors
def queries_command(ctx: click.Context, fmt: str) -> None:
    """List the saved queries: name, summary and parameters."""
    saved = list(load_queries(_paths(ctx).queries).values())
    render = render_query_catalogue if fmt == "markdown" else render_query_list
    click.echo(render(saved), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="'-p'")
        params[key] = value
    return params


ENDPOINT_ENV = "PDKG_ENDPOINT"
USER_ENV = "PDKG_ENDPOINT_USER"
PASSWORD_ENV = "PDKG_ENDPOINT_PASSWORD"


def endpoint_options(command: F) -> F:
    """The options every command that talks to a remote SPARQL endpoint shares."""
    for option in reversed(
        [
            click.option(
                "--endpoint",
                envvar=ENDPOINT_ENV,
                metavar="URL",
                help=f"A SPARQL 1.1 query endpoint (or ${ENDPOINT_ENV}); default: the local graph.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0.1),
                default=60.0,
                show_default=True,
                help="Seconds to wait for the endpoint (also sent to servers that accept one).",
            ),
            click.option(
                "--user",
                envvar=USER_ENV,
                metavar="NAME",
                help=f"User for HTTP basic auth (or ${USER_ENV}; password from ${PASSWORD_ENV}).",
            ),
            click.option(
                "--default-graph",
                metavar="IRI",
                help="Query this named graph as the default graph (default-graph-uri).",
            ),
        ]
    ):
        command = option(command)
    return command


def make_endpoint(
    url: str, timeout: float, user: str | None, default_graph: str | None, **extra: Any
) -> Endpoint:
    """An :class:`Endpoint` from CLI options; the password comes from the environment only."""
    return Endpoint(
        url=url,
        timeout=timeout,
        user=user,
        password=os.environ.get(PASSWORD_ENV),
        default_graph=default_graph,
        **extra,
    )


@main.command(name="query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter value (repeatable); see 'pdkg queries' for each query's parameters.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABLE_FORMATS),
    default="table",
    show_default=True,
    help="Output: a readable table, or W3C SPARQL 1.1 CSV, TSV or JSON results.",
)
@endpoint_options
@click.option(
    "--allow-truncated",
    is_flag=True,
    help="Print an answer that hits a known result cap instead of failing with exit 3.",
)
@DATA_OPTION
@click.pass_context
@handle_errors
def query_command(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    timeout: float,
    user: str | None,
    default_graph: str | None,
    allow_truncated: bool,
    data: tuple[Path, ...],
) -> None:
    """Run a saved query (by NAME, or a .rq file) locally or on a SPARQL endpoint.

    Exits 2 for a bad parameter (nothing is sent) and 3 when the endpoint is down, times out,
    answers garbage or truncates the answer.
    """
    target = (
        make_endpoint(endpoint, timeout, user, default_graph, allow_truncated=allow_truncated)
        if endpoint
        else None
    )
    table = run_query(
        name, target, paths=_paths(ctx), data=list(data) or None, params=_parse_params(params)
    )
    click.echo(render_table(table, fmt), nl=False)


RELEASE_OPTION = click.option(
    "--release",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built release directory (default: dist/ in the project).",
)


def _release_file(ctx: click.Context, release: Path | None) -> Path:
    directory = release or _paths(ctx).dist
    path = directory / "pdkg.nt"
    if not path.is_file():
        raise click.UsageError(f"no release at {path} — run 'pdkg build' first.")
    return path


@main.command(name="push")
@endpoint_options
@click.option(
    "--graph",
    "graph_iri",
    default=DEFAULT_GRAPH,
    show_default=True,
    metavar="IRI",
    help="The named graph to replace on the store.",
)
@click.option("--update-endpoint", metavar="URL", help="SPARQL Update URL (default: .../update).")
@click.option(
    "--store-endpoint",
    metavar="URL",
    help="Graph Store Protocol URL (Oxigraph /store, Fuseki /DATASET/data); else INSERT DATA.",
)
@RELEASE_OPTION
@click.pass_context
@handle_errors
def push_command(
    ctx: click.Context,
    endpoint: str | None,
    timeout: float,
    user: str | None,
    default_graph: str | None,
    graph_iri: str,
    update_endpoint: str | None,
    store_endpoint: str | None,
    release: Path | None,
) -> None:
    """Load the built release into a remote SPARQL store, atomically.

    The release goes into a staging named graph, its triple count is checked, then one MOVE
    swaps it in for --graph. On any failure the previous remote graph is untouched (exit 3).
    """
    if not endpoint:
        raise click.UsageError(f"pdkg push needs --endpoint (or ${ENDPOINT_ENV}).")
    source = _release_file(ctx, release)
    result = push_release(
        load_graph([source]),
        make_endpoint(endpoint, timeout, user, default_graph),
        queries_dir=_paths(ctx).queries,
        target=graph_iri,
        update_url=update_endpoint,
        store_url=store_endpoint,
    )
    click.echo(f"pushed {result.triples} triples into <{result.graph}> ({result.method})")


@main.command(name="serve")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that is not a loopback address (the graph becomes reachable by others).",
)
@RELEASE_OPTION
@click.pass_context
@handle_errors
def serve_command(
    ctx: click.Context, port: int, host: str, allow_remote: bool, release: Path | None
) -> None:
    """Serve the built release read-only: SPARQL at /query, a query page at /, docs at /docs/."""
    if not is_loopback(host) and not allow_remote:
        raise click.BadParameter(
            f"{host} is not a loopback address; add --allow-remote to expose the endpoint",
            param_hint="'--host'",
        )
    source = _release_file(ctx, release)
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    docs = source.parent / "docs"
    server = make_server(Site(load_store(source), docs if docs.is_dir() else None), host, port)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    click.echo(
        f"serving {source.parent} read-only at http://{bound_host}:{bound_port}/ "
        "(SPARQL: /query; Ctrl-C stops)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def with_target(command: F) -> F:
    """Give ``command`` a ``target`` (the local graph, or --endpoint) instead of the endpoint
    and --data options, which it declares."""

    @endpoint_options
    @DATA_OPTION
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        timeout: float,
        user: str | None,
        default_graph: str | None,
        data: tuple[Path, ...],
        **kwargs: Any,
    ) -> Any:
        remote = make_endpoint(endpoint, timeout, user, default_graph) if endpoint else None
        target = connect(_paths(click.get_current_context()), remote, data=list(data) or None)
        return command(*args, target=target, **kwargs)

    return wrapper  # type: ignore[return-value]


def _resolve_actor(target: Target, value: str, hint: str) -> str:
    """An actor given as an IRI, a slug or an English label, as an IRI."""
    if is_iri_or_slug(value):
        return value if ":" in value else str(PDR[value])
    found = sorted(set(target.resolve(value)))
    if len(found) != 1:
        names = "no resource" if not found else "several: " + ", ".join(found)
        raise click.BadParameter(f"{value!r} names {names}", param_hint=hint)
    return found[0]


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


@main.command(name="centrality")
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
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
    graph = network(target.fetch, layer=layer, year=year)
    click.echo(render_ranking(centrality(graph, measure=measure, top=top), measure, fmt), nl=False)


@main.command(name="chain")
@click.argument("actor")
@click.option(
    "--all", "all_tops", is_flag=True, help="Also paths that end at a body that is not central."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
    iri = _resolve_actor(target, actor, "'ACTOR'")
    graph = network(target.fetch, layer="control")
    if iri not in graph:
        raise click.BadParameter(
            f"{actor!r} has no supervision or control relation", param_hint="'ACTOR'"
        )
    click.echo(render_chains(chains(graph, iri, to_central=not all_tops), fmt), nl=False)


@main.command(name="approvals")
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
    city_iri = _resolve_actor(target, city, "'--city'") if city is not None else None
    claims = target.fetch("approval-claims")
    click.echo(render_approvals(approvals(claims, act, city=city_iri)), nl=False)


@main.command(name="export")
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
    graph = network(target.fetch, layer=layer, year=year)
    for path in write_export(graph, out, fmt):
        click.echo(
            f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)",
            err=True,
        )
