"""The entry point for notebooks and the CLI: run saved queries locally or on an endpoint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pdkg.paths import ProjectPaths, find_root
from pdkg.queries import ResultTable, SavedQuery, get_query, resolve_labels, run_local
from pdkg.release import release_store
from pdkg.remote import Endpoint, run_remote

LABEL_QUERY = "resolve-label"
Runner = Callable[[SavedQuery, Mapping[str, str]], ResultTable]


@dataclass(frozen=True)
class Target:
    """Where saved queries run: the local graph (indexed once) or a SPARQL endpoint."""

    paths: ProjectPaths
    runner: Runner

    def query(self, name: str, params: Mapping[str, str] | None = None) -> ResultTable:
        """Run a saved query (name or ``.rq`` path); ``iri`` parameters may be labels."""
        saved = get_query(self.paths.queries, name)
        return self.runner(saved, resolve_labels(saved, params or {}, self.resolve))

    def fetch(self, name: str) -> ResultTable:
        """Run a saved query without parameters (what :func:`pdkg.analytics.network` reads)."""
        return self.runner(get_query(self.paths.queries, name), {})

    def resolve(self, label: str) -> list[str]:
        """The IRIs whose English label is ``label``."""
        table = self.runner(get_query(self.paths.queries, LABEL_QUERY), {"label": label})
        return [str(row[0]) for row in table.rows]


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
        return Target(paths, lambda query, values: run_remote(query, remote, values))
    local = store if store is not None else release_store(paths, data=data)
    return Target(paths, lambda query, values: run_local(query, local, values))


def run_query(
    name: str,
    endpoint: Endpoint | str | None = None,
    *,
    paths: ProjectPaths | None = None,
    data: list[Path] | None = None,
    params: Mapping[str, str] | None = None,
    **kwparams: str,
) -> ResultTable:
    """Run the saved query ``name`` (or a ``.rq`` path); return its result table.

    Locally (no ``endpoint``) it runs on the project graph with the rules applied; with an
    endpoint the same bound text goes to that SPARQL server. Parameters come as ``params``
    and/or keyword arguments; ``iri`` parameters accept an IRI, a slug (``guangzhou``) or an
    English label (``"Los Angeles"``).

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
