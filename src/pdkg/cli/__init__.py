"""The `pdkg` command line: a thin shell over the library (DESIGN.md §5).

Each submodule defines the commands of one concern; this module is the group that holds them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pdkg.cli.analytics import approvals_command, centrality_command, chain_command, export_command
from pdkg.cli.build import build, validate_command
from pdkg.cli.disagreements import disagreements_command
from pdkg.cli.query import push_command, queries_command, query_command
from pdkg.cli.serve import serve_command
from pdkg.cli.wikidata import link_command, wikidata_diff_command
from pdkg.version import __version__


class OneLineGroup(click.Group):
    """A group whose usage errors are one line on stderr (``error: ...``), exit 2, as every
    other error of pdkg; click's default prints the usage block and a hint besides."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"error: {exc.format_message()}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=OneLineGroup)
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


for command in (
    build,
    validate_command,
    queries_command,
    query_command,
    push_command,
    serve_command,
    centrality_command,
    chain_command,
    approvals_command,
    export_command,
    disagreements_command,
    link_command,
    wikidata_diff_command,
):
    main.add_command(command)
