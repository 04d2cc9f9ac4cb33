"""The network layers: networkx projections of the graph's claims, sliced by year, kind and source.

Edges come from saved queries (``queries/network-*.rq``), so a network can be built from the
local graph or from any SPARQL endpoint. Directions: supervision and approval point from the
controlled actor to its controller (supervised -> supervisor, actor -> approver); party control
points from a body to the person holding a post in it; ``control`` is their union. Partnerships
are undirected; visits point from visitor to destination.

Every edge keeps the claims behind it (``claims``) and the sources they are derived from
(``sources``), so that any number computed on a network can be traced back to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

import networkx as nx

from pdkg.analytics.validity import Validity, validity, year_of
from pdkg.errors import ChoiceError
from pdkg.query.table import ResultTable

#: layer name -> the saved queries whose rows are its edges
LAYERS: dict[str, tuple[str, ...]] = {
    "supervision": ("network-supervision",),
    "approval": ("network-approval",),
    "party": ("network-party-control",),
    "control": ("network-supervision", "network-approval", "network-party-control"),
    "partnerships": ("network-partnerships",),
    "visits": ("network-visits",),
}
UNDIRECTED = frozenset({"partnerships"})
#: layer -> what its edge weights are; on the other layers every edge weighs 1
WEIGHTS = {"visits": "printed visit counts (Table 3.2)"}
#: the relation (``--kind``) of a row whose query names one kind for all its rows; the other
#: queries' rows carry theirs in ``kind`` (a supervision kind, a visit direction, a tie kind)
RELATION_OF_QUERY = {"network-approval": "approval", "network-party-control": "post-holding"}
#: the relations of the control layers, as ``--kind`` takes them
CONTROL_RELATIONS = (
    "administrative-subordination",
    "party-leadership",
    "guidance",
    "legislative-oversight",
    "approval",
    "post-holding",
)

Fetch = Callable[[str], ResultTable]


def network(
    fetch: Fetch,
    *,
    layer: str = "control",
    year: int | None = None,
    kinds: Collection[str] | None = None,
    sources: Collection[str] | None = None,
) -> nx.DiGraph:
    """Build the networkx graph of one layer, optionally sliced.

    Args:
        fetch: runs a saved query by name and returns its result table (local or remote).
        layer: one of :data:`LAYERS`.
        year: keep the claims that hold in that year
            (:func:`pdkg.analytics.validity.validity`); claims their sources cannot place in it
            are left out and counted.
        kinds: keep the claims of these relations only (:func:`relations` lists a layer's).
        sources: keep the claims derived from these ``pd:Source`` IRIs only (see
            :func:`pdkg.analytics.sources.expand` for a source and its parts).

    Returns:
        A ``DiGraph`` (``Graph`` for partnerships). Nodes carry ``label``, ``classes``, ``level``
        and ``qid``; edges carry ``kinds`` and ``relations`` (sorted lists), ``weight`` (the sum
        of the printed counts of its claims on :data:`WEIGHTS` layers, else 1), ``claims`` and
        ``sources`` (sorted IRIs), ``years`` and ``locators``; ``graph.graph`` carries
        ``layer``, ``year``, ``kinds``, ``sources``, ``undated`` (claims left out as undated for
        the year), ``undated_as_of`` (the as-of years of those claims), ``likeliest_year``
        (the as-of year most of them are known for) and ``dated`` (the years the layer's claims
        state, before any slice: a visit's year, a relation's start).

    Raises:
        ChoiceError: unknown layer, or a kind that no claim of the layer has.
    """
    if layer not in LAYERS:
        raise ChoiceError("layer", layer, list(LAYERS))
    graph: nx.DiGraph = nx.Graph() if layer in UNDIRECTED else nx.DiGraph()
    rows = [(query, row) for query in LAYERS[layer] for row in fetch(query).to_dicts()]
    if kinds is not None:
        known = relations(rows)
        for kind in kinds:
            if kind not in known:
                raise ChoiceError(f"kind of relation on the {layer} layer", kind, sorted(known))
    undated: Counter[int | None] = Counter()
    weighted = layer in WEIGHTS
    for query, row in rows:
        if kinds is not None and relation(query, row) not in kinds:
            continue
        if sources is not None and row["evidence"] not in sources:
            continue
        state = Validity.VALID if year is None else validity(row, year)
        if state is Validity.UNDATED:
            undated[None if row.get("asOf") is None else year_of(row["asOf"])] += 1
        if state is Validity.VALID:
            _add_claim(graph, relation(query, row), row, weighted)
    _finish(graph)
    graph.graph.update(
        layer=layer,
        year=year,
        kinds=sorted(kinds) if kinds is not None else None,
        sources=sorted(sources) if sources is not None else None,
        undated=sum(undated.values()),
        undated_as_of=sorted(y for y in undated if y is not None),
        dated=sorted({year_of(y) for _, row in rows if (y := row.get("year") or row.get("start"))}),
        likeliest_year=max(
            (y for y in undated if y is not None), key=lambda y: (undated[y], -y), default=None
        ),
    )
    nodes = {row["node"]: row for row in fetch("network-nodes").to_dicts()}
    for node in graph.nodes:
        info = nodes.get(node, {})
        graph.nodes[node].update(
            label=info.get("label") or local_name(node),
            classes=" ".join(sorted(filter(None, (info.get("classes") or "").split(" | ")))),
            level=info.get("level") or "",
            qid=info.get("qid") or "",
        )
    return graph


def relation(query: str, row: dict[str, Any]) -> str:
    """The relation of one edge row, as ``--kind`` names it."""
    return RELATION_OF_QUERY.get(query) or str(row["kind"])


def relations(rows: list[tuple[str, dict[str, Any]]]) -> set[str]:
    """The relations that occur among ``(query, row)`` pairs."""
    return {relation(query, row) for query, row in rows}


def _add_claim(graph: nx.DiGraph, kind: str, row: dict[str, Any], weighted: bool) -> None:
    source, target = row["source"], row["target"]
    if not graph.has_edge(source, target):
        graph.add_edge(source, target, _claims={}, kinds=set(), relations=set())
        graph.edges[source, target].update(locators=set(), years=set())
    data = graph.edges[source, target]
    # a claim can come back once per as-of date of its source: count its weight once
    data["_claims"][row["claim"]] = (row["evidence"], int(row.get("weight") or 1))
    data["kinds"].add(row["kind"])
    data["relations"].add(kind)
    data["locators"].add(row["locator"])
    year = row.get("year") or row.get("start")
    if year is not None:
        data["years"].add(year_of(year))
    data["_weighted"] = weighted


def _finish(graph: nx.DiGraph) -> None:
    for _, _, data in graph.edges(data=True):
        claims = data.pop("_claims")
        weighted = data.pop("_weighted")
        data["claims"] = sorted(claims)
        data["claim_sources"] = [claims[c][0] for c in data["claims"]]
        data["claim_weights"] = [claims[c][1] if weighted else 1 for c in data["claims"]]
        data["weight"] = sum(data["claim_weights"]) if weighted else 1
        data["sources"] = sorted(set(data["claim_sources"]))
        for key in ("kinds", "relations", "locators", "years"):
            data[key] = sorted(data[key])


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``/`` or ``#``)."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def without_claims(graph: nx.DiGraph, keep: Callable[[str, str], bool]) -> nx.DiGraph:
    """A copy of ``graph`` with only the claims ``keep(claim, source)`` accepts.

    An edge's weight becomes the sum of its kept claims' weights (1 on unweighted layers); an
    edge left without a claim is removed. Every node stays: a node that loses its edges scores as
    an isolated node, so that rankings of the copy and of ``graph`` compare node for node.
    """
    weighted = graph.graph.get("layer") in WEIGHTS
    copy = graph.copy()
    for u, v, data in graph.edges(data=True):
        kept = [
            (claim, source, weight)
            for claim, source, weight in zip(
                data["claims"], data["claim_sources"], data["claim_weights"], strict=True
            )
            if keep(claim, source)
        ]
        if not kept:
            copy.remove_edge(u, v)
        elif len(kept) < len(data["claims"]):
            edge = copy.edges[u, v]
            edge["claims"], edge["claim_sources"], edge["claim_weights"] = map(
                list, zip(*kept, strict=True)
            )
            edge["weight"] = sum(edge["claim_weights"]) if weighted else 1
            edge["sources"] = sorted(set(edge["claim_sources"]))
    return copy
