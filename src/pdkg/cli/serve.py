"""`pdkg serve`: the release as a read-only SPARQL endpoint on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from pdkg.cli.common import RELEASE_OPTION, handle_errors, release_file
from pdkg.serve import Site, is_loopback, load_store, make_server


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
