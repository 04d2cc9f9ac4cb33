"""Control-chain analytics: networkx projections of the graph's layers, centrality, reach, chains.

Edges come from saved queries (``queries/network-*.rq``), so a network can be built from the
local graph or from any SPARQL endpoint. Directions: supervision and approval point from the
controlled actor to its controller (supervised -> supervisor, actor -> approver); party control
points from a body to the person holding a post in it; ``control`` is their union. Partnerships
are undirected; visits point from visitor to destination, weighted by the printed count.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from pdkg.analytics import igraph_measures
from pdkg.analytics.validity import Validity, validity, year_of
from pdkg.errors import ChoiceError
from pdkg.query.table import ResultTable

log = logging.getLogger(__name__)

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
MEASURES = ("reach", "in-degree", "out-degree", "betweenness", "closeness", "pagerank")
#: undirected networks with more nodes than this get k-sampled betweenness
LARGE = 5_000
SAMPLES = 256
SEED = 42

Fetch = Callable[[str], ResultTable]


def network(fetch: Fetch, *, layer: str = "control", year: int | None = None) -> nx.DiGraph:
    """Build the networkx graph of one layer; with ``year``, keep relations valid in that year.

    Args:
        fetch: runs a saved query by name and returns its result table (local or remote).
        layer: one of :data:`LAYERS`.
        year: keep the claims that hold in that year
            (:func:`pdkg.analytics.validity.validity`); claims their sources cannot place in it
            are left out and counted.

    Returns:
        A ``DiGraph`` (``Graph`` for partnerships). Nodes carry ``label``, ``classes``, ``level``
        and ``qid``; edges carry ``kinds`` (sorted list), ``weight`` (sum of counts), ``years``
        and ``locators``; ``graph.graph`` carries ``layer``, ``year``, ``undated`` (claims left
        out as undated for the year), ``undated_as_of`` (the as-of years of those claims) and
        ``likeliest_year`` (the as-of year most of them are known for).

    Raises:
        ChoiceError: unknown layer.
    """
    if layer not in LAYERS:
        raise ChoiceError("layer", layer, list(LAYERS))
    graph: nx.DiGraph = nx.Graph() if layer in UNDIRECTED else nx.DiGraph()
    undated: Counter[int | None] = Counter()
    for query in LAYERS[layer]:
        for row in fetch(query).to_dicts():
            state = Validity.VALID if year is None else validity(row, year)
            if state is Validity.UNDATED:
                undated[None if row.get("asOf") is None else year_of(row["asOf"])] += 1
            if state is Validity.VALID:
                _add_edge(graph, row)
    graph.graph.update(
        layer=layer,
        year=year,
        undated=sum(undated.values()),
        undated_as_of=sorted(y for y in undated if y is not None),
        likeliest_year=max(
            (y for y in undated if y is not None), key=lambda y: (undated[y], -y), default=None
        ),
    )
    nodes = {row["node"]: row for row in fetch("network-nodes").to_dicts()}
    for node in graph.nodes:
        info = nodes.get(node, {})
        graph.nodes[node].update(
            label=info.get("label") or _local(node),
            classes=" ".join(sorted(filter(None, (info.get("classes") or "").split(" | ")))),
            level=info.get("level") or "",
            qid=info.get("qid") or "",
        )
    return graph


def _add_edge(graph: nx.DiGraph, row: dict[str, Any]) -> None:
    source, target = row["source"], row["target"]
    weight = int(row.get("weight") or 1)
    year = row.get("year") or row.get("start")
    if graph.has_edge(source, target):
        data = graph.edges[source, target]
        data["kinds"] = sorted(set(data["kinds"]) | {row["kind"]})
        data["weight"] += weight
        data["locators"] = sorted(set(data["locators"]) | {row["locator"]})
        if year is not None:
            data["years"] = sorted(set(data["years"]) | {year_of(year)})
        return
    graph.add_edge(
        source,
        target,
        kinds=[row["kind"]],
        weight=weight,
        locators=[row["locator"]],
        years=[year_of(year)] if year is not None else [],
    )


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Ranked:
    """One node's value on a measure, with its rank (1 = highest; ties broken by label, IRI)."""

    rank: int
    node: str
    label: str
    value: float


def centrality(
    graph: nx.DiGraph, *, measure: str = "reach", top: int | None = None, reference: bool = False
) -> list[Ranked]:
    """Rank the nodes of ``graph`` by ``measure``, deterministically.

    ``reach`` counts the actors that a node controls directly or transitively (for ``control``
    layers: those with a path to it); ``closeness`` uses inward distances (how near the actors a
    node controls are, Wasserman-Faust scaled); ``pagerank`` runs on the reversed graph, i.e.
    where control flows to. How each is computed: :func:`compute`.

    Raises:
        ChoiceError: unknown measure.
    """
    values = compute(graph, measure, reference=reference)
    ordered = sorted(
        values.items(), key=lambda item: (-item[1], graph.nodes[item[0]].get("label", ""), item[0])
    )
    if top is not None:
        ordered = ordered[:top]
    return [
        Ranked(rank=i, node=node, label=graph.nodes[node].get("label", _local(node)), value=value)
        for i, (node, value) in enumerate(ordered, start=1)
    ]


def compute(graph: nx.DiGraph, measure: str, *, reference: bool = False) -> dict[str, float]:
    """The raw values of ``measure`` for every node, rounded to 12 decimals so that ties are ties
    whatever order an engine sums in.

    Betweenness, closeness and PageRank run on igraph (:mod:`pdkg.analytics.igraph_measures`,
    rescaled to networkx's conventions and tested equal to it node for node): exact betweenness
    on networkx grew with exponent 2.65 in ``make bench``. ``reference=True`` computes them with
    networkx, the reference. Betweenness is k-sampled (k=:data:`SAMPLES`, seed :data:`SEED`)
    only on undirected layers above :data:`LARGE` nodes; control chains are short, so exact is
    cheap.
    """
    return {node: round(value, 12) for node, value in _values(graph, measure, reference).items()}


def _values(graph: nx.DiGraph, measure: str, reference: bool) -> dict[str, float]:
    if measure == "reach":
        if graph.is_directed():
            return {n: float(len(nx.ancestors(graph, n))) for n in graph}
        return {n: float(len(nx.node_connected_component(graph, n)) - 1) for n in graph}
    if measure == "in-degree":
        return {n: float(d) for n, d in _degree(graph, incoming=True)}
    if measure == "out-degree":
        return {n: float(d) for n, d in _degree(graph, incoming=False)}
    sampled = graph.number_of_nodes() > LARGE and not graph.is_directed()
    reversed_view = graph.reverse(copy=False) if graph.is_directed() else graph
    if measure == "betweenness":
        if sampled:
            return igraph_measures.betweenness_sampled(graph, samples=SAMPLES, seed=SEED)
        if reference:
            return {n: float(v) for n, v in nx.betweenness_centrality(graph).items()}
        return igraph_measures.betweenness_exact(graph)
    if measure == "closeness":
        # inward distance on directed graphs (networkx's convention): how near controlled actors are
        if reference:
            return {n: float(v) for n, v in nx.closeness_centrality(graph).items()}
        return igraph_measures.closeness_exact(graph)
    if measure == "pagerank":
        if reference:
            return {n: float(v) for n, v in nx.pagerank(reversed_view, weight="weight").items()}
        return igraph_measures.pagerank(reversed_view)
    raise ChoiceError("measure", measure, MEASURES)


def _degree(graph: nx.DiGraph, *, incoming: bool) -> Iterable[tuple[str, int]]:
    if not graph.is_directed():
        return list(graph.degree())
    return list(graph.in_degree() if incoming else graph.out_degree())


@dataclass(frozen=True)
class Step:
    """One edge of a chain: from, to, the kinds of relation and where the source says so."""

    source: str
    source_label: str
    target: str
    target_label: str
    kinds: tuple[str, ...]
    locators: tuple[str, ...]


def chains(graph: nx.DiGraph, actor: str, *, to_central: bool = True) -> list[list[Step]]:
    """Every simple path from ``actor`` up its control chain to a top (a node controlled by none).

    With ``to_central`` only paths ending at a central body are returned. Paths are sorted by
    length, then by their labels.

    Raises:
        KeyError: ``actor`` is not in the network.
    """
    if actor not in graph:
        raise KeyError(actor)
    tops = [n for n in graph if graph.out_degree(n) == 0 and n != actor]
    if to_central:
        tops = [n for n in tops if "CentralBody" in graph.nodes[n].get("classes", "").split()]
    found: list[list[Step]] = []
    for top in tops:
        for path in nx.all_simple_paths(graph, actor, top):
            found.append([_step(graph, a, b) for a, b in itertools.pairwise(path)])
    return sorted(found, key=lambda steps: (len(steps), [s.target_label for s in steps]))


def _step(graph: nx.DiGraph, source: str, target: str) -> Step:
    data = graph.edges[source, target]
    return Step(
        source=source,
        source_label=graph.nodes[source].get("label", _local(source)),
        target=target,
        target_label=graph.nodes[target].get("label", _local(target)),
        kinds=tuple(data["kinds"]),
        locators=tuple(data["locators"]),
    )
