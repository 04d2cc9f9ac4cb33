"""The entry point for notebooks and the CLI: run saved queries locally or on an endpoint."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pdkg.errors import QueryFormatError
from pdkg.paths import ProjectPaths, find_root
from pdkg.query.disagreements import find_disagreements
from pdkg.query.engine import run_local
from pdkg.query.http import Endpoint
from pdkg.query.remote import run_remote
from pdkg.query.resolve import Resolver
from pdkg.query.saved import SavedQuery, get_query, load_queries
from pdkg.query.table import Answer, ResultTable
from pdkg.store import open_release

log = logging.getLogger(__name__)

Runner = Callable[[SavedQuery, Mapping[str, str]], Answer]


@dataclass(frozen=True)
class Target:
    """Where saved queries run: the local graph (indexed once) or a SPARQL endpoint."""

    paths: ProjectPaths
    runner: Runner
    name: str = "the local graph"
    resolver: Resolver = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def raw(name: str, params: Mapping[str, str]) -> Answer:
            return self.runner(get_query(self.paths.queries, name), params)

        object.__setattr__(self, "resolver", Resolver(raw))

    def query(self, name: str, params: Mapping[str, str] | None = None) -> Answer:
        """Run a saved query (name or ``.rq`` path); ``iri`` values must name a resource.

        Raises:
            QueryParameterError: a value is bad or names no resource (with a suggestion).
        """
        saved = get_query(self.paths.queries, name)
        values = self.resolver.params(saved, params or {})
        log.info("query %s on %s with %s", saved.name, self.name, values or "no parameters")
        start = time.perf_counter()
        answer = self.runner(saved, values)
        log.info(
            "query %s answered %s in %.3f s", saved.name, _size(answer), time.perf_counter() - start
        )
        return answer

    def fetch(self, name: str) -> ResultTable:
        """Run a saved SELECT query without parameters (what :func:`pdkg.analytics.network`
        reads).

        Raises:
            QueryFormatError: the query is not a SELECT.
        """
        saved = get_query(self.paths.queries, name)
        answer = self.runner(saved, {})
        if not isinstance(answer, ResultTable):
            raise QueryFormatError(saved.path or Path(name), "it must be a SELECT query")
        return answer

    def resolve(self, value: str) -> str:
        """The IRI an actor given as an IRI, a slug or an English label names.

        Raises:
            ResourceNotFoundError: it names no resource, or several.
        """
        return self.resolver.iri(value)


def _size(answer: Answer) -> str:
    if isinstance(answer, bool):
        return str(answer).lower()
    if isinstance(answer, ResultTable):
        return f"{len(answer.rows)} rows"
    return f"{len(answer)} triples"


def connect(
    paths: ProjectPaths | None = None,
    endpoint: Endpoint | str | None = None,
    *,
    data: list[Path] | None = None,
    store: ox.Store | None = None,
) -> Target:
    """A :class:`Target`: ``endpoint`` (a URL or an :class:`Endpoint`), else the local graph
    (``data`` files instead of ``graph/``, or an already built ``store``)."""
    paths = paths or find_root()
    if endpoint is not None:
        remote = Endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        return Target(paths, lambda q, values: run_remote(q, remote, values), remote.shown)
    local = store if store is not None else open_release(paths, data=data)
    return Target(paths, lambda q, values: run_local(q, local, values))


def run_query(
    name: str,
    endpoint: Endpoint | str | None = None,
    *,
    paths: ProjectPaths | None = None,
    data: list[Path] | None = None,
    params: Mapping[str, str] | None = None,
    **kwparams: str,
) -> Answer:
    """Run the saved query ``name`` (or a ``.rq`` path): a result table (SELECT), a boolean
    (ASK) or an rdflib graph (CONSTRUCT, DESCRIBE).

    Locally (no ``endpoint``) it runs on the project graph with the rules applied; with an
    endpoint the same bound text goes to that SPARQL server. Parameters come as ``params``
    and/or keyword arguments; ``iri`` parameters accept an IRI, a slug (``guangzhou``) or an
    English label (``"Los Angeles"``), and must name a resource of the graph.

    Example (in a clone)::

        table = run_query("visits", year="2013", direction="incoming")
        table.to_pandas()            # or to_rows(), to_dicts()
        run_query("sister-cities", "http://localhost:7878/query", city="Guangzhou")
    """
    target = connect(paths, endpoint, data=data)
    return target.query(name, {**(params or {}), **kwparams})


def fetcher(
    paths: ProjectPaths | None = None,
    endpoint: Endpoint | str | None = None,
    *,
    data: list[Path] | None = None,
    store: ox.Store | None = None,
) -> Callable[[str], ResultTable]:
    """A function that runs a saved query by name, for :func:`pdkg.analytics.network`."""
    return connect(paths, endpoint, data=data, store=store).fetch


def disagreements(
    endpoint: Endpoint | str | None = None,
    *,
    paths: ProjectPaths | None = None,
    data: list[Path] | None = None,
    subject: str | None = None,
) -> ResultTable:
    """Every place where two sources disagree, one row each (``pdkg disagreements``), locally or
    on ``endpoint``; only those about ``subject`` (an IRI, a slug or an English label).

    Raises:
        ResourceNotFoundError: ``subject`` names no resource of the graph.
    """
    target = connect(paths, endpoint, data=data)
    iri = target.resolve(subject) if subject is not None else None
    names = list(load_queries(target.paths.queries))
    return find_disagreements(target.query, names, subject=iri)
