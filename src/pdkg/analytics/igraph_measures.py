"""Centrality on igraph for large networks, normalised exactly like the networkx reference.

:mod:`pdkg.analytics` computes every measure with networkx; on national-scale control networks
(10^4 to 10^5 nodes) networkx's pure-Python loops take minutes, so these functions convert the
graph once to igraph and rescale igraph's results to networkx's conventions, node for node.
Node keys come back unchanged (strings in pdkg's networks).
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    import igraph


def to_igraph(
    graph: nx.DiGraph | nx.Graph, *, weight: str = "weight"
) -> tuple[igraph.Graph, list[str]]:
    """Convert a networkx graph to igraph, keeping the node order.

    Args:
        graph: a ``DiGraph`` (becomes a directed igraph graph) or a ``Graph`` (undirected).
        weight: the networkx edge attribute copied to igraph's ``weight`` (missing values: 1.0).

    Returns:
        The igraph graph, with a ``weight`` edge attribute, and the networkx nodes in igraph
        vertex order, so that vertex ``i`` is ``nodes[i]``.
    """
    nodes: list[Any] = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for u, v, value in graph.edges(data=weight, default=1.0):
        edges.append((index[u], index[v]))
        weights.append(float(value))
    import igraph  # a heavy import, only where a measure is computed

    converted = igraph.Graph(n=len(nodes), edges=edges, directed=graph.is_directed())
    converted.es["weight"] = weights
    return converted, nodes


def betweenness_exact(
    graph: nx.DiGraph | nx.Graph, *, distance: str | None = None
) -> dict[str, float]:
    """Exact betweenness, equal to ``networkx.betweenness_centrality(graph, weight=distance)``.

    Normalised like networkx: by ``(n-1)(n-2)`` ordered pairs for directed graphs and by
    ``(n-1)(n-2)/2`` unordered pairs for undirected ones; graphs with ``n <= 2`` give zeros.

    Args:
        graph: the network.
        distance: the edge attribute holding each edge's length, or ``None`` (every edge 1).
    """
    converted, nodes = to_igraph(graph, weight=distance or "weight")
    weights = "weight" if distance else None
    raw = converted.betweenness(directed=graph.is_directed(), weights=weights) if nodes else []
    n = len(nodes)
    # igraph counts unordered pairs in undirected graphs, networkx ordered ones: double them.
    ordered = 1.0 if graph.is_directed() else 2.0
    scale = ordered / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {node: float(value) * scale for node, value in zip(nodes, raw, strict=True)}


def betweenness_sampled(
    graph: nx.DiGraph | nx.Graph, *, samples: int, seed: int
) -> dict[str, float]:
    """Pivot-sampled betweenness, equal to ``betweenness_centrality(graph, k=samples, seed=seed)``.

    The ``samples`` source nodes are drawn exactly as networkx draws them
    (``random.Random(seed).sample(list(graph), samples)``); igraph accumulates the shortest-path
    dependencies from those sources only, and the sums are inflated with networkx's factors
    (``1/(k(n-2))`` for non-sources, ``1/((k-1)(n-2))`` for sources, which cannot lie on their
    own paths). With ``samples >= n`` the result is the exact betweenness.

    Args:
        graph: the network.
        samples: number of source nodes ``k`` (at least 1).
        seed: seed of the source choice; the same seed gives the same values.

    Raises:
        ValueError: ``samples`` is less than 1.
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, not {samples}")
    n = graph.number_of_nodes()
    if samples >= n:
        return betweenness_exact(graph)
    converted, nodes = to_igraph(graph)
    sources = random.Random(seed).sample(nodes, samples)
    index = {node: i for i, node in enumerate(nodes)}
    raw = converted.betweenness(
        directed=graph.is_directed(), sources=[index[s] for s in sources], targets=None
    )
    if n <= 2:
        return {node: float(value) for node, value in zip(nodes, raw, strict=True)}
    ordered = 1.0 if graph.is_directed() else 2.0
    chosen = set(sources)
    source_scale = ordered / ((samples - 1) * (n - 2)) if samples > 1 else math.nan
    other_scale = ordered / (samples * (n - 2))
    return {
        node: float(value) * (source_scale if node in chosen else other_scale)
        for node, value in zip(nodes, raw, strict=True)
    }


def closeness_exact(
    graph: nx.DiGraph | nx.Graph, *, distance: str | None = None
) -> dict[str, float]:
    """Closeness, equal to ``networkx.closeness_centrality(graph, distance=distance)``
    (``wf_improved``).

    For directed graphs the distance is the incoming one (from the other nodes to the node).
    A node reaching ``r`` of the ``n`` nodes at total distance ``d`` scores
    ``(r / d) * (r / (n - 1))`` (Wasserman-Faust), and 0 when ``r == 0``.

    Args:
        graph: the network.
        distance: the edge attribute holding each edge's length, or ``None`` (every edge 1).
    """
    converted, nodes = to_igraph(graph, weight=distance or "weight")
    n = len(nodes)
    if n <= 1:
        return dict.fromkeys(nodes, 0.0)
    mode = "in" if graph.is_directed() else "all"
    weights = "weight" if distance else None
    mean = converted.closeness(mode=mode, normalized=True, weights=weights)  # r / d, r reached
    inverse = converted.closeness(mode=mode, normalized=False, weights=weights)  # 1 / d
    result: dict[str, float] = {}
    for node, per_node, total in zip(nodes, mean, inverse, strict=True):
        if math.isnan(per_node) or math.isnan(total) or total == 0.0:
            result[node] = 0.0
            continue
        reached = round(per_node / total)
        result[node] = float(per_node) * reached / (n - 1)
    return result


def pagerank(graph: nx.DiGraph | nx.Graph, weight: str | None = "weight") -> dict[str, float]:
    """PageRank with networkx's defaults (alpha 0.85, uniform teleport and dangling mass).

    igraph solves the system exactly (PRPACK); networkx stops its power iteration once the L1
    change drops below ``n * 1e-6``, so networkx's own values are off the fixed point by up to a
    few 1e-6 (they agree to 1e-12 with ``networkx.pagerank(graph, tol=1e-12)``).

    Args:
        graph: the network; undirected edges count in both directions, self-loops once (as in
            networkx's ``to_directed``).
        weight: edge attribute holding the weight (missing values count 1), or ``None``.
    """
    directed = graph if graph.is_directed() else graph.to_directed(as_view=True)
    converted, nodes = to_igraph(directed, weight=weight or "weight")
    if not nodes:
        return {}
    values = converted.pagerank(
        directed=True, damping=0.85, weights=None if weight is None else "weight"
    )
    return {node: float(value) for node, value in zip(nodes, values, strict=True)}
