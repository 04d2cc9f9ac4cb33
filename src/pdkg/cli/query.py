"""`pdkg queries`, `pdkg query`, `pdkg push` and `pdkg serve`: saved queries anywhere."""

from __future__ import annotations

from pathlib import Path

import click

from pdkg.api import run_query
from pdkg.cli.common import (
    DATA_OPTION,
    ENDPOINT_ENV,
    RELEASE_OPTION,
    endpoint_options,
    format_option,
    handle_errors,
    make_endpoint,
    parse_params,
    paths_of,
    release_file,
)
from pdkg.graph import load_graph
from pdkg.push import DEFAULT_GRAPH, push_release
from pdkg.queries import load_queries
from pdkg.render import (
    TABLE_FORMATS,
    render_query_catalogue,
    render_query_list,
    render_table,
)
from pdkg.serve import Site, is_loopback, load_store, make_server


@click.command(name="queries")
@format_option(
    ["text", "markdown"], "text", "A plain list, or the Markdown catalogue the README shows."
)
@click.pass_context
@handle_errors
def queries_command(ctx: click.Context, fmt: str) -> None:
    """List the saved queries: name, summary and parameters."""
    saved = list(load_queries(paths_of(ctx).queries).values())
    render = render_query_catalogue if fmt == "markdown" else render_query_list
    click.echo(render(saved), nl=False)


@click.command(name="query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter value (repeatable); see 'pdkg queries' for each query's parameters.",
)
@format_option(
    TABLE_FORMATS, "table", "Output: a readable table, or W3C SPARQL 1.1 CSV, TSV or JSON results."
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
        name, target, paths=paths_of(ctx), data=list(data) or None, params=parse_params(params)
    )
    click.echo(render_table(table, fmt), nl=False)


@click.command(name="push")
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
    source = release_file(ctx, release)
    result = push_release(
        load_graph([source]),
        make_endpoint(endpoint, timeout, user, default_graph),
        queries_dir=paths_of(ctx).queries,
        target=graph_iri,
        update_url=update_endpoint,
        store_url=store_endpoint,
    )
    click.echo(f"pushed {result.triples} triples into <{result.graph}> ({result.method})")


@click.command(name="serve")
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
    source = release_file(ctx, release)
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
