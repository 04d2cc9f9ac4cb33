"""The one-call entry point for notebooks: run a saved query locally or on an endpoint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox

from pdkg.paths import ProjectPaths, find_root
from pdkg.queries import ResultTable, SavedQuery, get_query, resolve_labels, run_local
from pdkg.release import release_store
from pdkg.remote import Endpoint, run_remote

LABEL_QUERY = "resolve-label"


def run_query(
    name: str,
    endpoint: Endpoint | str | None = None,
    *,
    paths: ProjectPaths | None = None,
    data: list[Path] | None = None,
    store: ox.Store | None = None,
    params: Mapping[str, str] | None = None,
    **kwparams: str,
) -> ResultTable:
    """Run the saved query ``name`` (or a ``.rq`` path) with parameters; return its result table.

    Parameters come as ``params`` (a mapping) and/or keyword arguments.

    Locally (no ``endpoint``) it runs on the project graph with the rules applied; with an
    endpoint (a URL or an :class:`Endpoint`) the same bound text goes to that SPARQL server.
    ``iri`` parameters accept an IRI, a resource slug (``guangzhou``) or an English label.

    Example (in a clone)::

        table = run_query("visits", year="2013", direction="incoming")
        table.to_pandas()            # or to_rows(), to_dicts()
        run_query("sister-cities", "http://localhost:7878/query", city="Guangzhou")
    """
    paths = paths or find_root()
    saved = get_query(paths.queries, name)
    runner = _runner(paths, endpoint, data, store)
    lookup_query = get_query(paths.queries, LABEL_QUERY)

    def lookup(label: str) -> list[str]:
        return [str(row[0]) for row in runner(lookup_query, {"label": label}).rows]

    values = {**(params or {}), **kwparams}
    return runner(saved, resolve_labels(saved, values, lookup))


def _runner(
    paths: ProjectPaths,
    endpoint: Endpoint | str | None,
    data: list[Path] | None,
    store: ox.Store | None,
) -> Callable[[SavedQuery, Mapping[str, str]], ResultTable]:
    if endpoint is not None:
        target = Endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        return lambda query, values: run_remote(query, target, values)
    local = store if store is not None else release_store(paths, data=data)
    return lambda query, values: run_local(query, local, values)
