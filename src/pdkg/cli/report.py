"""`pdkg report`: what a layer of the graph holds and what its build could not match."""

from __future__ import annotations

import json

import click

from pdkg.cli.common import format_option, handle_errors, paths_of
from pdkg.errors import GraphLoadError


@click.command(name="report")
@click.argument("layer", type=click.Choice(["national"]))
@format_option(["text", "csv", "json"], "text")
@handle_errors
def report_command(layer: str, fmt: str) -> None:
    """Report on a layer: for 'national', divisions by level and the twinning rows' matches.

    The national layer is built from national/ (national/README.md): text gives the counts and
    every ambiguous, unmatched and matched-by-level host name with its evidence; csv one line per
    host name (status, chosen code, candidates, evidence); json the counts.
    """
    from pdkg.national import national_report

    paths = paths_of(click.get_current_context())
    if not paths.national.is_dir():
        raise GraphLoadError(
            paths.national, "no national/ folder: this project has no national layer"
        )
    report = national_report(paths)
    if fmt == "csv":
        click.echo(report.to_csv(), nl=False)
    elif fmt == "json":
        counts = {
            "snapshot": report.latest.month,
            "divisions": report.levels(),
            "rows": len(report.rows),
            "matches": {s: {"rows": r, "names": n} for s, (r, n) in report.by_status().items()},
            "without_country": len(report.without_country()),
            "claims": report.claims(),
        }
        click.echo(json.dumps(counts, indent=1, ensure_ascii=False))
    else:
        click.echo(report.to_text(), nl=False)
