"""Control-chain analytics on the graph's network layers: centrality, reach, chains.

The layers (:mod:`pdkg.analytics.layers`) are networkx projections of the graph's claims; each
edge keeps its claims and sources, so every number here can be traced back to them
(:mod:`pdkg.analytics.coverage`), and tested for how much it depends on them
(:mod:`pdkg.analytics.robustness`).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from pdkg.analytics import igraph_measures
from pdkg.analytics.layers import LAYERS, UNDIRECTED, WEIGHTS, Fetch, local_name, network
from pdkg.errors import ChoiceError

log = logging.getLogger(__name__)

__all__ = ["LAYERS", "MEASURES", "UNDIRECTED", "WEIGHTS", "Fetch", "centrality", "network"]
MEASURES = (
    "reach",
    "in-degree",
    "out-degree",
    "in-strength",
    "out-strength",
    "betweenness",
    "closeness",
    "pagerank",
)
#: the measures ``weighted=True`` changes: shortest paths then run on distance 1/weight
PATH_MEASURES = frozenset({"betweenness", "closeness"})
#: undirected networks with more nodes than this get k-sampled betweenness
LARGE = 5_000
SAMPLES = 256
SEED = 42
_local = local_name


@dataclass(frozen=True)
class Ranked:
    """One node's value on a measure, with its rank (1 = highest; ties broken by label, IRI)."""

    rank: int
    node: str
    label: str
    value: float


def centrality(
    graph: nx.DiGraph,
    *,
    measure: str = "reach",
    top: int | None = None,
    reference: bool = False,
    weighted: bool = False,
) -> list[Ranked]:
    """Rank the nodes of ``graph`` by ``measure``, deterministically.

    ``reach`` counts the actors that a node controls directly or transitively (for ``control``
    layers: those with a path to it); ``in-/out-strength`` sum the weights of a node's edges
    (printed counts on the visit layer, 1 per edge elsewhere, where they equal the degrees);
    ``closeness`` uses inward distances (how near the actors a node controls are,
    Wasserman-Faust scaled); ``pagerank`` runs on the reversed graph, i.e. where control flows
    to, weighted by the edge weights. How each is computed: :func:`compute`.

    Raises:
        ChoiceError: unknown measure, or ``weighted`` on a layer without weights.
    """
    values = compute(graph, measure, reference=reference, weighted=weighted)
    ordered = sorted(
        values.items(), key=lambda item: (-item[1], graph.nodes[item[0]].get("label", ""), item[0])
    )
    if top is not None:
        ordered = ordered[:top]
    return [
        Ranked(rank=i, node=node, label=graph.nodes[node].get("label", _local(node)), value=value)
        for i, (node, value) in enumerate(ordered, start=1)
    ]


def compute(
    graph: nx.DiGraph, measure: str, *, reference: bool = False, weighted: bool = False
) -> dict[str, float]:
    """The raw values of ``measure`` for every node, rounded to 12 decimals so that ties are ties
    whatever order an engine sums in.

    Betweenness, closeness and PageRank run on igraph (:mod:`pdkg.analytics.igraph_measures`,
    rescaled to networkx's conventions and tested equal to it node for node): exact betweenness
    on networkx grew with exponent 2.65 in ``make bench``. ``reference=True`` computes them with
    networkx, the reference. Betweenness is k-sampled (k=:data:`SAMPLES`, seed :data:`SEED`)
    only on undirected layers above :data:`LARGE` nodes; control chains are short, so exact is
    cheap. With ``weighted``, betweenness and closeness follow shortest paths whose length is
    the sum of 1/weight (a tie of three visits is three times as short as a single visit); it
    is refused on layers whose weights are all 1 (:data:`pdkg.analytics.layers.WEIGHTS`).

    Raises:
        ChoiceError: unknown measure, or ``weighted`` on a layer without weights.
    """
    if measure not in MEASURES:
        raise ChoiceError("measure", measure, MEASURES)
    if weighted and measure not in PATH_MEASURES:
        raise ChoiceError("measure with weighted paths", measure, sorted(PATH_MEASURES))
    if weighted and graph.graph.get("layer") not in WEIGHTS:
        layer = str(graph.graph.get("layer"))
        raise ChoiceError("layer with edge weights (--weighted)", layer, list(WEIGHTS))
    values = _values(_with_distance(graph) if weighted else graph, measure, reference, weighted)
    return {node: round(value, 12) for node, value in values.items()}


def _with_distance(graph: nx.DiGraph) -> nx.DiGraph:
    copy = graph.copy()
    for _, _, data in copy.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return copy


def _values(graph: nx.DiGraph, measure: str, reference: bool, weighted: bool) -> dict[str, float]:
    if measure == "reach":
        if graph.is_directed():
            return {n: float(len(nx.ancestors(graph, n))) for n in graph}
        return {n: float(len(nx.node_connected_component(graph, n)) - 1) for n in graph}
    if measure.endswith(("-degree", "-strength")):
        weight = "weight" if measure.endswith("-strength") else None
        return {n: float(d) for n, d in _degree(graph, measure.startswith("in-"), weight)}
    distance = "distance" if weighted else None
    sampled = graph.number_of_nodes() > LARGE and not graph.is_directed()
    reversed_view = graph.reverse(copy=False) if graph.is_directed() else graph
    if measure == "betweenness":
        if sampled:
            return igraph_measures.betweenness_sampled(graph, samples=SAMPLES, seed=SEED)
        if reference:
            values = nx.betweenness_centrality(graph, weight=distance)
            return {n: float(v) for n, v in values.items()}
        return igraph_measures.betweenness_exact(graph, distance=distance)
    if measure == "closeness":
        # inward distance on directed graphs (networkx's convention): how near controlled actors are
        if reference:
            values = nx.closeness_centrality(graph, distance=distance)
            return {n: float(v) for n, v in values.items()}
        return igraph_measures.closeness_exact(graph, distance=distance)
    if reference:
        return {n: float(v) for n, v in nx.pagerank(reversed_view, weight="weight").items()}
    return igraph_measures.pagerank(reversed_view)


def _degree(graph: nx.DiGraph, incoming: bool, weight: str | None) -> Iterable[tuple[str, float]]:
    if not graph.is_directed():
        return list(graph.degree(weight=weight))
    return list(graph.in_degree(weight=weight) if incoming else graph.out_degree(weight=weight))


@dataclass(frozen=True)
class Step:
    """One edge of a chain: from, to, its relations (as ``--kind`` names them), their kinds
    as the claims state them (a supervision kind, an act, a post), and where the source says so."""

    source: str
    source_label: str
    target: str
    target_label: str
    kinds: tuple[str, ...]
    locators: tuple[str, ...]
    relations: tuple[str, ...] = ()


def chains(
    graph: nx.DiGraph, actor: str, *, to_central: bool = True, every: bool = False
) -> list[list[Step]]:
    """The paths from ``actor`` up its control chain to each top (a node controlled by none).

    Args:
        graph: a control network (controlled -> controller).
        actor: the IRI the paths start from.
        to_central: only paths ending at a central body.
        every: every simple path to each top, not only the shortest ones (a path's length is
            its number of steps, ``len(path)``).

    Returns:
        Paths sorted by length, then by their labels.

    Raises:
        KeyError: ``actor`` is not in the network.
    """
    if actor not in graph:
        raise KeyError(actor)
    tops = [n for n in graph if graph.out_degree(n) == 0 and n != actor]
    if to_central:
        tops = [n for n in tops if "CentralBody" in graph.nodes[n].get("classes", "").split()]
    reachable = nx.descendants(graph, actor)
    found: list[list[Step]] = []
    for top in (t for t in tops if t in reachable):
        paths = nx.all_simple_paths if every else nx.all_shortest_paths
        for path in paths(graph, actor, top):
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
        relations=tuple(data.get("relations", ())),
    )
