"""The options every analytics command shares: the layer and its slice (year, kind, source)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, overload

import click
import networkx as nx

from pdkg.analytics.layers import CONTROL_RELATIONS, LAYERS, network
from pdkg.analytics.sources import Sources
from pdkg.errors import ChoiceError, EmptySliceError, ResourceNotFoundError
from pdkg.query.target import Target

F = TypeVar("F", bound=Callable[..., Any])

YEAR_OPTION = click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="Keep only relations valid in this year (start <= year <= end, or open).",
)
KIND_OPTION = click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Keep only this kind of relation (repeatable); on the control layers: "
    + ", ".join(CONTROL_RELATIONS)
    + "; on visits: incoming, outgoing; on partnerships: sister-city, alliance, memorandum, "
    "joint-declaration.",
)
SOURCE_OPTION = click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="SOURCE",
    help="Keep only claims derived from this source or its parts (repeatable): a slug "
    "(chapter-table-3-1), a section ('Table 3.1', '§3.2') or a label.",
)

LAYER_OPTION = click.option(
    "--layer",
    type=click.Choice(list(LAYERS)),
    default="control",
    show_default=True,
    help="Which relations make the network (control = supervision + approval + party).",
)


@overload
def slice_options(command: F) -> F: ...


@overload
def slice_options(*, kinds: bool = True) -> Callable[[F], F]: ...


def slice_options(command: F | None = None, *, kinds: bool = True) -> Any:
    """``--year``, ``--kind`` (repeatable; left out with ``kinds=False``) and ``--source``
    (repeatable), passed on as one ``cut`` argument: a function from a target and a layer to
    the sliced network (:func:`sliced`)."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(
            *args: Any,
            year: int | None,
            sources: tuple[str, ...],
            kinds: tuple[str, ...] = (),
            **kw: Any,
        ) -> Any:
            def cut(target: Target, layer: str) -> nx.DiGraph:
                return sliced(target, layer, year=year, kinds=kinds, sources=sources)

            return command(*args, cut=cut, **kw)

        options = [YEAR_OPTION, *([KIND_OPTION] if kinds else []), SOURCE_OPTION]
        return functools.reduce(lambda f, option: option(f), reversed(options), wrapper)  # type: ignore[return-value]

    return decorate(command) if command is not None else decorate


def sliced(
    target: Target,
    layer: str,
    *,
    year: int | None = None,
    kinds: tuple[str, ...] = (),
    sources: tuple[str, ...] = (),
) -> nx.DiGraph:
    """The network of ``layer`` cut to the year, kinds and sources given; a slice without a
    claim is an error, claims left out as undated a warning.

    Raises:
        click.BadParameter: an unknown kind or source (exit 2).
        EmptySliceError: no claim is left.
    """
    wanted = resolve_sources(target, sources)
    try:
        graph = network(target.fetch, layer=layer, year=year, kinds=kinds or None, sources=wanted)
    except ChoiceError as exc:
        if exc.what.startswith("kind"):
            raise click.BadParameter(str(exc), param_hint="'--kind'") from None
        raise
    return checked_slice(graph, sources=sources)


def resolve_sources(target: Target, sources: tuple[str, ...]) -> frozenset[str] | None:
    """The ``pd:Source`` IRIs that ``--source`` values name, with their parts; ``None`` when no
    source is given.

    Raises:
        click.BadParameter: a value that names no source, or several (exit 2).
    """
    if not sources:
        return None
    known = Sources.of(target.fetch)
    try:
        return known.expand(known.resolve(s) for s in sources)
    except ResourceNotFoundError as exc:
        why = f"{exc.value!r} {exc.reason}"
        raise click.BadParameter(why, param_hint="'--source'") from None


def spans(years: list[int]) -> str:
    """Years as runs: ``1995, 2011-2016``.

    >>> spans([1995, 2011, 2012, 2013, 2016])
    '1995, 2011-2013, 2016'
    """
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def checked_slice(graph: nx.DiGraph, *, sources: tuple[str, ...] = ()) -> nx.DiGraph:
    """``graph`` if it holds a claim; warn about the claims left out as undated.

    Raises:
        EmptySliceError: no claim of the layer is left by the year, kinds and sources.
    """
    info = graph.graph
    cut = [f"of kind {', '.join(info['kinds'])}"] if info.get("kinds") else []
    cut += [f"from {', '.join(sources)}"] if sources else []
    if info.get("year") is None:
        if graph.number_of_edges() == 0:
            what = f"of the {info['layer']} layer " + " and ".join(cut or ["is recorded"])
            raise EmptySliceError(what, "the slice leaves no edge; widen it.")
        return graph
    as_of = ", ".join(str(y) for y in info.get("undated_as_of", []))
    undated = info.get("undated", 0)
    why = f"{undated} undated for {info['year']}" + (
        f" (known only as of {as_of})" if as_of else ""
    )
    if graph.number_of_edges() == 0:
        likeliest = info.get("likeliest_year")
        dated = info.get("dated") or []
        hints = [why] if undated else []
        hints += [f"try --year {likeliest}"] if likeliest is not None else []
        hints += [f"its claims state the years {spans(dated)}"] if dated and not hints else []
        what = " ".join([f"of the {info['layer']} layer", *cut, f"holds in {info['year']}"])
        raise EmptySliceError(what, "; ".join(hints or ["none is dated"]) + ".")
    if undated:
        click.echo(f"warning: {why} left out of the {info['layer']} layer.", err=True)
    return graph
