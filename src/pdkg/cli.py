"""The `pdkg` command line: a thin shell over the library (DESIGN.md §5)."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pdkg import __version__
from pdkg.errors import EXIT_NONCONFORMING, PdkgError
from pdkg.graph import load_project
from pdkg.paths import ProjectPaths, find_root
from pdkg.queries import get_query, load_queries, run_local
from pdkg.release import build_release, release_store
from pdkg.render import (
    REPORT_FORMATS,
    TABLE_FORMATS,
    render_query_list,
    render_report,
    render_summary,
    render_table,
)
from pdkg.validate import validate_project

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
@click.pass_context
@handle_errors
def queries_command(ctx: click.Context) -> None:
    """List the saved queries: name, summary and parameters."""
    click.echo(render_query_list(list(load_queries(_paths(ctx).queries).values())), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="'-p'")
        params[key] = value
    return params


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
@DATA_OPTION
@click.pass_context
@handle_errors
def query_command(
    ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, data: tuple[Path, ...]
) -> None:
    """Run a saved query (by NAME, or a .rq file) on the graph and print its results."""
    paths = _paths(ctx)
    saved = get_query(paths.queries, name)
    values = _parse_params(params)
    table = run_local(saved, release_store(paths, data=list(data) or None), values)
    click.echo(render_table(table, fmt), nl=False)
