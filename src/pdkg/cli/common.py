"""What the commands share: options, error handling, the project, the query target."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from pdkg.errors import PdkgError, ResourceNotFoundError
from pdkg.paths import ProjectPaths, find_root
from pdkg.query.http import Endpoint
from pdkg.query.target import Target, connect

F = TypeVar("F", bound=Callable[..., Any])

DATA_OPTION = click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A Turtle or N-Triples file, or a folder of them, to use instead of graph/ "
    "(repeatable). Reading commands take it as it is, without validating it.",
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


def paths_of(ctx: click.Context) -> ProjectPaths:
    root: Path | None = ctx.obj.get("root")
    return find_root(root)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {item!r}", param_hint="'-p'")
        params[key] = value
    return params


ENDPOINT_ENV = "PDKG_ENDPOINT"
USER_ENV = "PDKG_ENDPOINT_USER"
PASSWORD_ENV = "PDKG_ENDPOINT_PASSWORD"


def endpoint_options(command: F) -> F:
    """The options every command that talks to a remote SPARQL endpoint shares."""
    for option in reversed(
        [
            click.option(
                "--endpoint",
                envvar=ENDPOINT_ENV,
                metavar="URL",
                help=f"A SPARQL 1.1 query endpoint (or ${ENDPOINT_ENV}); default: the local graph.",
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0.1),
                default=60.0,
                show_default=True,
                help="Seconds to wait for the endpoint (also sent to servers that accept one).",
            ),
            click.option(
                "--user",
                envvar=USER_ENV,
                metavar="NAME",
                help=f"User for HTTP basic auth (or ${USER_ENV}; password from ${PASSWORD_ENV}).",
            ),
            click.option(
                "--default-graph",
                metavar="IRI",
                help="Query this named graph as the default graph (default-graph-uri).",
            ),
        ]
    ):
        command = option(command)
    return command


def make_endpoint(
    url: str, timeout: float, user: str | None, default_graph: str | None, **extra: Any
) -> Endpoint:
    """An :class:`Endpoint` from CLI options; the password comes from the environment only."""
    return Endpoint(
        url=url,
        timeout=timeout,
        user=user,
        password=os.environ.get(PASSWORD_ENV),
        default_graph=default_graph,
        **extra,
    )


RELEASE_OPTION = click.option(
    "--release",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built release directory (default: dist/ in the project).",
)


def release_file(ctx: click.Context, release: Path | None) -> Path:
    directory = release or paths_of(ctx).dist
    path = directory / "pdkg.nt"
    if not path.is_file():
        raise click.UsageError(f"no release at {path} — run 'pdkg build' first.")
    return path


def with_target(command: F) -> F:
    """Give ``command`` a ``target`` (the local graph, or --endpoint) instead of the endpoint
    and --data options, which it declares."""

    @endpoint_options
    @DATA_OPTION
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        timeout: float,
        user: str | None,
        default_graph: str | None,
        data: tuple[Path, ...],
        **kwargs: Any,
    ) -> Any:
        remote = make_endpoint(endpoint, timeout, user, default_graph) if endpoint else None
        target = connect(paths_of(click.get_current_context()), remote, data=list(data) or None)
        return command(*args, target=target, **kwargs)

    return wrapper  # type: ignore[return-value]


def resolve_actor(target: Target, value: str, hint: str) -> str:
    """An actor given as an IRI, a slug or an English label, as an IRI; a name that names
    nothing is a usage error (exit 2) with a suggestion."""
    try:
        return target.resolve(value)
    except ResourceNotFoundError as exc:
        raise click.BadParameter(f"{exc.value!r} {exc.reason}", param_hint=hint) from None


def format_option(
    choices: Sequence[str], default: str | None, help: str | None = None
) -> Callable[[F], F]:
    """The ``--format`` option of a command: one of ``choices``, passed as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=default is not None,
        help=help,
    )
