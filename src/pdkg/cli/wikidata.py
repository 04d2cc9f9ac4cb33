"""`pdkg link` and `pdkg wikidata-diff`: the graph and Wikidata, both ways."""

from __future__ import annotations

import datetime
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib import Literal

from pdkg.cli.common import DATA_OPTION, format_option, handle_errors, paths_of
from pdkg.cli.render import render_table
from pdkg.files import write_whole
from pdkg.query.table import ResultTable
from pdkg.query.target import connect
from pdkg.version import __version__
from pdkg.vocab import MAPPINGS
from pdkg.wikidata import client, diff, enrich, link, sssom, writeback
from pdkg.wikidata.client import Wikidata
from pdkg.wikidata.match import Outcome

F = TypeVar("F", bound=Callable[..., Any])


def wikidata_options(command: F) -> F:
    """Where Wikidata is: an endpoint (default the live service) or the verified snapshot."""
    for option in reversed(
        [
            click.option(
                "--endpoint",
                metavar="URL",
                help=f"A WDQS-compatible SPARQL endpoint (or ${client.ENV}; default: "
                f"{client.LIVE}).",
            ),
            click.option(
                "--snapshot",
                is_flag=True,
                help="Ask the verified offline snapshot (wikidata/snapshot.ttl) instead.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0.1),
                default=client.TIMEOUT,
                show_default=True,
                help="Seconds to wait for an answer (also sent to the server).",
            ),
            click.option(
                "--per-minute",
                type=click.FloatRange(min=0.1),
                default=client.PER_MINUTE,
                show_default=True,
                help="At most this many requests a minute.",
            ),
            click.option(
                "--cache",
                type=click.Path(file_okay=False, path_type=Path),
                default=None,
                help=f"Directory of cached answers (default: ${client.CACHE_ENV}/wikidata or "
                "~/.cache/pdkg/wikidata).",
            ),
            click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        ]
    ):
        command = option(command)
    return command


def open_wikidata(ctx: click.Context, options: dict[str, Any]) -> Wikidata:
    paths = paths_of(ctx)
    if options["snapshot"]:
        if options["endpoint"]:
            raise click.UsageError("give either --endpoint or --snapshot, not both")
        return client.snapshot(paths)
    cache = None if options["no_cache"] else options["cache"] or client.default_cache()
    return client.remote(
        paths,
        options["endpoint"],
        cache=cache,
        timeout=options["timeout"],
        per_minute=options["per_minute"],
    )


@click.command(name="link")
@click.option(
    "--input",
    "names",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV of label,kind,country to reconcile with Wikidata.",
)
@click.option("--missing", is_flag=True, help="List the graph's actors and places with no link.")
@click.option(
    "--enrich", "enrich_", is_flag=True, help="Fetch what Wikidata says of the linked items."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="--input: write the matches as SSSOM TSV here. --enrich: the Turtle file "
    "(default wikidata/enrichment.ttl).",
)
@click.option(
    "--exact",
    is_flag=True,
    help="--input: labels and aliases as written only, no close spellings (for large countries "
    "on the live service).",
)
@format_option(["table", "csv", "json"], "table")
@DATA_OPTION
@wikidata_options
@handle_errors
def link_command(
    names: Path | None,
    missing: bool,
    enrich_: bool,
    output: Path | None,
    exact: bool,
    fmt: str,
    data: tuple[Path, ...],
    **options: Any,
) -> None:
    """Reconcile names with Wikidata, list what has no link, or enrich the linked items.

    --input: candidates by label and alias (exact, then case- and accent-insensitive, qualified
    and close spellings among the items of the row's country), filtered by country and kind.
    Each row is a match (one confident candidate), ambiguous (several plausible; none picked),
    uncertain (one weak candidate) or none. Only a match goes into the SSSOM file.
    """
    ctx = click.get_current_context()
    if sum((names is not None, missing, enrich_)) != 1:
        raise click.UsageError("give exactly one of --input, --missing and --enrich")
    paths = paths_of(ctx)
    if missing:
        table = connect(paths, data=list(data) or None).query("link-missing")
        assert isinstance(table, ResultTable)
        click.echo(render_table(table, fmt), nl=False)
        click.echo(f"{len(table.rows)} actors and places have no Wikidata link.", err=True)
        return
    if enrich_:
        options["no_cache"] = True  # the enrichment's date is the day of its answers: fetch anew
    wikidata = open_wikidata(ctx, options)
    if enrich_:
        links = connect(paths, data=list(data) or None).query("wikidata-links")
        assert isinstance(links, ResultTable)
        items = enrich.linked_items(links)
        graph = enrich.enrich(wikidata, items, datetime.date.today())
        target = output or paths.wikidata_enrichment
        enrich.write_enrichment(graph, target)
        click.echo(f"wrote {target}: {len(graph)} triples about {len(items)} items", err=True)
        return
    assert names is not None
    requests = link.read_names(names)
    kinds = link.read_kinds(paths.root / "wikidata" / "kinds.tsv")
    # the values the batched queries take: a bar only when there is more than one batch
    work = len({r.label for r in requests}) + len({r.country for r in requests if r.country})
    if work <= client.BATCH:
        outcomes = link.reconcile(requests, wikidata, names, kinds, pool=not exact)
    else:
        with click.progressbar(length=work, label="asking Wikidata", file=sys.stderr) as bar:
            outcomes = link.reconcile(requests, wikidata, names, kinds, bar.update, pool=not exact)
    click.echo(render_table(outcome_table(outcomes), fmt), nl=False)
    tally = link.counts(outcomes)
    click.echo(", ".join(f"{status} {n}" for status, n in tally.items()), err=True)
    if output is not None:
        # the set and its subjects are named by the input's content, the same on every machine
        digest = hashlib.sha256(names.read_bytes()).hexdigest()[:16]
        mappings = sssom.outcome_mappings(outcomes, names, f"pdkg link {__version__}")
        text = sssom.render_sssom(
            mappings,
            mapping_set_id=str(MAPPINGS[f"link/{digest}"]),
            title=f"Wikidata matches of {names.name} ({wikidata.where})",
            extra_curies={"input": str(MAPPINGS[f"link/{digest}#"])},
        )
        write_whole(output, text)
        click.echo(f"wrote {output}: {len(mappings)} mappings", err=True)


def outcome_table(outcomes: list[Outcome]) -> ResultTable:
    """One row an input line: its outcome, the chosen QID and every plausible candidate."""
    columns = (
        "line",
        "label",
        "kind",
        "country",
        "status",
        "item",
        "score",
        "candidates",
        "reason",
    )
    rows = []
    for o in outcomes:
        best = o.candidates[0] if o.status == "match" else None
        candidates = "; ".join(f"{c.qid} {c.label} ({c.score:g}, {c.how})" for c in o.candidates)
        cells = (
            o.row.line,
            o.row.label,
            o.row.kind,
            o.row.country or "",
            o.status,
            best.qid if best else "",
            f"{best.score:g}" if best else "",
            candidates,
            o.reason,
        )
        rows.append(tuple(Literal(c) for c in cells))
    return ResultTable(columns, tuple(rows))


@click.command(name="wikidata-diff")
@click.option(
    "--city",
    default="guangzhou",
    show_default=True,
    metavar="IRI",
    help="The city (an IRI, a slug or an English label).",
)
@click.option(
    "--quickstatements",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write QuickStatements for the official pairs Wikidata lacks (nothing is sent).",
)
@format_option(["table", "csv", "json"], "table")
@DATA_OPTION
@wikidata_options
@handle_errors
def wikidata_diff_command(
    city: str, quickstatements: Path | None, fmt: str, data: tuple[Path, ...], **options: Any
) -> None:
    """The city's partnerships in the graph against Wikidata's P190 (twinned administrative body).

    One row a partner: in both, graph only (with sources and locators, and whether the complete
    official list gives it), wikidata only, or unlinked (no verified QID to compare).
    """
    ctx = click.get_current_context()
    target = connect(paths_of(ctx), data=list(data) or None)
    iri = target.resolve(city)
    wikidata = open_wikidata(ctx, options)
    qid, claims, rows = diff.run_diff(target.query, iri, wikidata)
    if fmt == "csv":
        click.echo(diff.render_csv(rows), nl=False)
    else:
        table = ResultTable(
            diff.COLUMNS, tuple(tuple(Literal(v) for v in vars(r).values()) for r in rows)
        )
        click.echo(render_table(table, fmt), nl=False)
    tally = diff.counts(rows)
    if not rows:
        click.echo(
            f"warning: neither the graph nor {wikidata.where} has a partner of {iri}.", err=True
        )
    click.echo(
        f"{iri} ({qid}) against {wikidata.where}: "
        + ", ".join(f"{s} {n}" for s, n in tally.items()),
        err=True,
    )
    if quickstatements is not None:
        found = diff.additions(rows, qid, claims)
        write_whole(quickstatements, writeback.quickstatements(found))
        click.echo(f"wrote {quickstatements}: {len(found)} statements", err=True)
