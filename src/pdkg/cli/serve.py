"""`pdkg serve`: the release as a read-only SPARQL endpoint on this machine."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType

import click

from pdkg.cli.common import RELEASE_OPTION, handle_errors, paths_of, release_file
from pdkg.serve import Site, is_loopback, make_server


@click.command(name="serve")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host that is not a loopback address (the graph becomes reachable by others).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds one query may run; a longer one is stopped (HTTP 504).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one answer; more is HTTP 422.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes, each with its own copy of the graph: at most this many "
    "queries run at once, the others wait.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries use SERVICE, so the server fetches any URL a client names "
    "(refused with HTTP 403 by default).",
)
@RELEASE_OPTION
@click.pass_context
@handle_errors
def serve_command(
    ctx: click.Context,
    port: int,
    host: str,
    allow_remote: bool,
    timeout: float,
    max_rows: int,
    workers: int,
    allow_service: bool,
    release: Path | None,
) -> None:
    """Serve the built release read-only: SPARQL at /query, a query page at /, docs at /docs/.

    The front page lists the saved queries with a form each (/queries/{name} answers a table,
    CSV or JSON), /sparql takes any query. The graph's IRIs dereference: /resource/{slug},
    /vocab/{name} and /ontology answer in the format Accept asks for (Turtle, JSON-LD,
    N-Triples, RDF/XML, HTML) or a suffix fixes.
    """
    if not is_loopback(host) and not allow_remote:
        raise click.BadParameter(
            f"{host} is not a loopback address; add --allow-remote to expose the endpoint",
            param_hint="'--host'",
        )
    source = release_file(ctx, release)
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, reachable from other machines", err=True)
    if allow_service:
        click.echo("warning: SERVICE allowed: queries can make this machine fetch URLs", err=True)
    docs = source.parent / "docs"
    paths = paths_of(ctx)
    site = Site(
        release=source,
        docs=docs if docs.is_dir() else None,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        allow_service=allow_service,
        queries=paths.queries,
        ontology=paths.root / "ontology",
    )
    try:
        server = make_server(site, host, port)
    except OSError as exc:
        raise click.BadParameter(
            f"cannot serve on {host}:{port} — {exc.strerror or exc}", param_hint="'--port'"
        ) from exc
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    click.echo(
        f"serving {source.parent} read-only at http://{bound_host}:{bound_port}/ "
        f"(SPARQL: /query; {timeout:g} s and {max_rows} rows a query; Ctrl-C stops)",
        err=True,
    )
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop the workers on kill too
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
