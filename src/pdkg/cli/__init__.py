"""The `pdkg` command line: a thin shell over the library (DESIGN.md §5).

Each submodule defines the commands of one concern; this module is the group that holds them.
A command's module is imported only when that command runs (or its own ``--help`` is asked), so
``pdkg --help`` loads click and nothing of the library.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pdkg.version import __version__

#: name -> (module of pdkg.cli, command function, the first paragraph of its help); a test keeps
#: the paragraphs equal to the commands' own
COMMANDS: dict[str, tuple[str, str, str]] = {
    "approvals": (
        "analytics",
        "approvals_command",
        "Who must approve ACT for a city: approver, level, legal basis, and the source.",
    ),
    "build": ("build", "build", "Load, apply the rules, validate and write the release."),
    "centrality": (
        "analytics",
        "centrality_command",
        "Rank actors on a network layer by a centrality measure (ties broken by label, IRI).",
    ),
    "chain": (
        "analytics",
        "chain_command",
        "Print the control paths (supervision, approval, posts) from ACTOR up to the centre.",
    ),
    "communities": (
        "structure",
        "communities_command",
        "Split a layer into communities (Leiden on igraph or Louvain on networkx, seeded).",
    ),
    "coverage": (
        "structure",
        "coverage_command",
        "How many claims each actor's edges rest on, and from which sources (most claims first).",
    ),
    "disagreements": (
        "disagreements",
        "disagreements_command",
        "Every place where two sources disagree (or one contradicts itself), one row each.",
    ),
    "export": (
        "analytics",
        "export_command",
        "Export a network layer for Gephi (GraphML, GEXF) or pandas/igraph (CSV tables).",
    ),
    "link": (
        "wikidata",
        "link_command",
        "Reconcile names with Wikidata, list what has no link, or enrich the linked items.",
    ),
    "multilayer": (
        "structure",
        "multilayer_command",
        "Rank actors across layers: the weighted mean of each layer's value as a share of the "
        "layer's leader, with the actor's rank on every layer side by side.",
    ),
    "push": (
        "query",
        "push_command",
        "Load the built release into a remote SPARQL store, atomically.",
    ),
    "queries": (
        "query",
        "queries_command",
        "List the saved queries: name, summary and parameters.",
    ),
    "query": (
        "query",
        "query_command",
        "Run a saved query (by NAME, or a .rq file) locally or on a SPARQL endpoint.",
    ),
    "report": (
        "report",
        "report_command",
        "Report on a layer: for 'national', divisions by level and the twinning rows' matches.",
    ),
    "serve": (
        "serve",
        "serve_command",
        "Serve the built release read-only: SPARQL at /query, a query page at /, docs at /docs/.",
    ),
    "validate": (
        "build",
        "validate_command",
        "SHACL-validate the graph (or the given data FILES) and print the report.",
    ),
    "wikidata-diff": (
        "wikidata",
        "wikidata_diff_command",
        "The city's partnerships in the graph against Wikidata's P190 "
        "(twinned administrative body).",
    ),
}


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

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f"pdkg.cli.{module}"), name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from :data:`COMMANDS`, without importing a single one."""
        width = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [
            (name, click.Command(name, help=entry[2]).get_short_help_str(width))
            for name, entry in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
