"""`pdkg disagreements`: where two sources disagree."""

from __future__ import annotations

import click

from pdkg.cli.common import format_option, handle_errors, paths_of, resolve_actor, with_target
from pdkg.cli.render import render_table
from pdkg.query.disagreements import count_by_kind, find_disagreements
from pdkg.query.saved import load_queries
from pdkg.query.target import Target


@click.command(name="disagreements")
@format_option(["table", "csv", "json"], "table")
@click.option(
    "--subject",
    default=None,
    metavar="IRI",
    help="Only the disagreements about this resource (an IRI, a slug or an English label).",
)
@handle_errors
@with_target
def disagreements_command(fmt: str, subject: str | None, target: Target) -> None:
    """Every place where two sources disagree (or one contradicts itself), one row each.

    Kinds: date, kind (tier of partnership), complete list, count, value. Each row gives the
    subject, the aspect, each side's value with its source and locator, and an explanation.
    """
    names = list(load_queries(paths_of(click.get_current_context()).queries))
    iri = resolve_actor(target, subject, "'--subject'") if subject is not None else None
    table = find_disagreements(target.query, names, subject=iri)
    click.echo(render_table(table, fmt), nl=False)
    if not table.rows:
        click.echo(
            "warning: no disagreement" + (f" about {iri}" if iri else "") + " in the graph.",
            err=True,
        )
    elif fmt == "table":
        kinds = ", ".join(f"{kind} {n}" for kind, n in count_by_kind(table).items())
        click.echo(f"{len(table.rows)} disagreements ({kinds})", err=True)
