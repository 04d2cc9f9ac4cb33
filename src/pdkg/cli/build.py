"""`pdkg build` and `pdkg validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pdkg.cli.common import (
    DATA_OPTION,
    format_option,
    handle_errors,
    paths_of,
)
from pdkg.cli.render import (
    REPORT_FORMATS,
    render_report,
    render_summary,
)
from pdkg.errors import EXIT_NONCONFORMING
from pdkg.load import load_graph, load_release_store
from pdkg.release import build_release
from pdkg.validation import validate_store


@click.command()
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
    paths = paths_of(ctx)
    result = build_release(paths, out=out or paths.dist, data=list(data) or None)
    click.echo(render_summary(result), nl=False)
    if not result.conforms:
        click.echo(render_report(result.report, "text"), err=True, nl=False)
        click.echo("error: the graph does not conform; the release was not written.", err=True)
        sys.exit(EXIT_NONCONFORMING)


@click.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@DATA_OPTION
@format_option(REPORT_FORMATS, "text", "Report format.")
@click.option(
    "--reference",
    is_flag=True,
    help="Validate with pySHACL, the reference validator, instead of the shapes compiled to "
    "SPARQL (same report, tested; about 20 times slower).",
)
@click.pass_context
@handle_errors
def validate_command(
    ctx: click.Context, files: tuple[Path, ...], data: tuple[Path, ...], fmt: str, reference: bool
) -> None:
    """SHACL-validate the graph (or the given data FILES) and print the report.

    The report is grouped by shape and gives the focus node, path, value, message and the
    locator of the claim in its source. Exits 0 if the data conforms, 1 if not.
    """
    paths = paths_of(ctx)
    chosen = [*files, *data]
    indexed = load_release_store(paths, data=chosen or None)
    report = validate_store(indexed, load_graph([paths.shapes]), reference=reference)
    click.echo(render_report(report, fmt), nl=False)
    if not report.conforms:
        sys.exit(EXIT_NONCONFORMING)
