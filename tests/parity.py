"""Comparing answers across engines: the same table (as a multiset of rows), boolean or graph."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph

from pdkg.query.table import Answer, ResultTable


def same_answer(ours: Answer, theirs: Answer) -> bool:
    """Whether two answers are equal: tables cell for cell (rows in any order, since ORDER BY
    may leave ties), booleans, or isomorphic graphs."""
    if isinstance(ours, ResultTable) and isinstance(theirs, ResultTable):
        return ours.columns == theirs.columns and sorted(ours.rows, key=repr) == sorted(
            theirs.rows, key=repr
        )
    if isinstance(ours, Graph) and isinstance(theirs, Graph):
        return canonical(ours) == canonical(theirs)
    return ours is theirs


def canonical(graph: Graph) -> set[str]:
    """The graph's triples with RDFC-1.0 canonical blank node labels (Oxigraph's): two graphs
    are isomorphic exactly when these sets are equal. (rdflib.compare.isomorphic said False for
    the release and its skolemised-then-restored copy, which RDFC-1.0 finds equal.)"""
    data = graph.serialize(format="nt", encoding="utf-8")
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def deskolemised(graph: Graph, genid: str) -> Graph:
    """``graph`` with its ``genid`` IRIs turned back into blank nodes."""

    def back(term: Any) -> Any:
        return BNode(term[len(genid) :]) if str(term).startswith(genid) else term

    result = Graph()
    for s, p, o in graph:
        result.add((back(s), p, back(o)))
    return result


def size(answer: Answer) -> int:
    """Rows, triples, or 1 for a true ASK."""
    if isinstance(answer, ResultTable):
        return len(answer.rows)
    if isinstance(answer, Graph):
        return len(answer)
    return int(answer)
