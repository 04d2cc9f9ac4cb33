"""The embedded SPARQL engine: Oxigraph in-process, fed from rdflib graphs (DESIGN.md §4).

Every failure of a query here becomes a :class:`~pdkg.errors.PdkgError`: a query that does not
parse is a :class:`~pdkg.errors.QueryFormatError`, a ``SERVICE`` that cannot be reached an
:class:`~pdkg.errors.EndpointError`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from pdkg.errors import EndpointError, QueryFormatError
from pdkg.query.binding import bind
from pdkg.query.saved import SavedQuery
from pdkg.query.table import Answer, ResultTable
from pdkg.terms import from_oxigraph


def to_store(graph: Graph) -> ox.Store:
    """Copy an rdflib graph into a fresh in-memory Oxigraph store (default graph)."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def _query(
    store: ox.Store, text: str, where: str, prefixes: dict[str, str] | None = None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    try:
        return store.query(text, use_default_graph_as_union=True, prefixes=prefixes)
    except SyntaxError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "invalid SPARQL"
        raise QueryFormatError(Path(where), f"it is not valid SPARQL ({reason})") from None
    except OSError as exc:
        # Oxigraph reports a SERVICE it cannot reach, or a store read error, as OSError
        raise EndpointError(where, f"the query could not run ({exc})") from None


def run(store: ox.Store, text: str, *, where: str = "query") -> Answer:
    """Run any query on ``store``: a result table, a boolean or a graph.

    Raises:
        QueryFormatError: the text is not SPARQL (``where`` names the query in the message).
        EndpointError: a ``SERVICE`` the query names could not be reached.
    """
    result = _query(store, text, where)
    try:
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            graph = Graph()
            for triple in result:
                graph.add(_triple(triple))
            return graph
        columns = tuple(variable.value for variable in result.variables)
        rows = tuple(  # a solution iterates its values in column order (None: unbound)
            tuple(None if v is None else from_oxigraph(v) for v in solution) for solution in result
        )
    except OSError as exc:  # results stream: a SERVICE may fail while they are read
        raise EndpointError(where, f"the query could not run ({exc})") from None
    return ResultTable(columns, rows)


def construct(
    store: ox.Store, query: str, *, prefixes: dict[str, str] | None = None, where: str = "rule"
) -> Iterator[tuple[Node, Node, Node]]:
    """Run a CONSTRUCT query on ``store`` (with extra ``prefixes``) and yield rdflib triples.

    Raises:
        QueryFormatError: the text does not parse or is not a CONSTRUCT query.
    """
    for triple in construct_triples(store, query, prefixes=prefixes, where=where):
        yield _triple(triple)


def construct_triples(
    store: ox.Store, query: str, *, prefixes: dict[str, str] | None = None, where: str = "rule"
) -> Iterator[ox.Triple]:
    """:func:`construct` with Oxigraph's own triples, for adding them back to a store.

    Raises:
        QueryFormatError: the text does not parse or is not a CONSTRUCT query.
    """
    result = _query(store, query, where, prefixes)
    if not isinstance(result, ox.QueryTriples):
        raise QueryFormatError(Path(where), "it is not a CONSTRUCT query")
    yield from result


def _triple(triple: ox.Triple) -> tuple[Node, Node, Node]:
    return (
        from_oxigraph(triple.subject),
        from_oxigraph(triple.predicate),
        from_oxigraph(triple.object),
    )


def run_local(
    query: SavedQuery, store: ox.Store, params: Mapping[str, str] | None = None
) -> Answer:
    """Bind ``params`` and run a saved query on an in-process Oxigraph store.

    Raises:
        QueryParameterError: a parameter value is bad.
        QueryFormatError: the query is not valid SPARQL.
        EndpointError: a ``SERVICE`` in the query cannot be reached.
    """
    where = str(query.path or f"{query.name}.rq")
    answer = run(store, bind(query, params or {}), where=where)
    if isinstance(answer, ResultTable):
        return answer.with_sorted_lists(query.lists)
    return answer
