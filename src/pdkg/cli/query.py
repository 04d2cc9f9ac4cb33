"""`pdkg queries`, `pdkg query` and `pdkg push`: saved queries anywhere."""

from __future__ import annotations

from pathlib import Path

import click

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
from pdkg.cli.render import (
    ANSWER_FORMATS,
    check_format,
    render_answer,
    render_query_catalogue,
    render_query_list,
)
from pdkg.load import load_graph
from pdkg.query.push import DEFAULT_GRAPH, push_release
from pdkg.query.saved import get_query, load_queries
from pdkg.query.table import ResultTable
from pdkg.query.target import run_query


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
    ANSWER_FORMATS,
    None,
    "SELECT: a readable table (default), W3C SPARQL 1.1 CSV, TSV or JSON results; ASK: true or "
    "false (or json); CONSTRUCT, DESCRIBE: Turtle (default), N-Triples or JSON-LD.",
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
    fmt: str | None,
    endpoint: str | None,
    timeout: float,
    user: str | None,
    default_graph: str | None,
    allow_truncated: bool,
    data: tuple[Path, ...],
) -> None:
    """Run a saved query (by NAME, or a .rq file) locally or on a SPARQL endpoint.

    SELECT, ASK, CONSTRUCT and DESCRIBE queries all run. Exits 2 for a bad parameter or a value
    that names no resource (nothing is sent) and 3 when the endpoint is down, times out,
    answers garbage or truncates the answer.
    """
    paths = paths_of(ctx)
    check_format(get_query(paths.queries, name).form, fmt)
    target = (
        make_endpoint(endpoint, timeout, user, default_graph, allow_truncated=allow_truncated)
        if endpoint
        else None
    )
    answer = run_query(
        name, target, paths=paths, data=list(data) or None, params=parse_params(params)
    )
    click.echo(render_answer(answer, fmt), nl=False)
    if isinstance(answer, ResultTable):
        for warning in answer.warnings():
            click.echo(f"warning: {warning}.", err=True)


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
