"""Communities, connected components and k-cores of a layer's network.

A *community* is a group of actors more densely connected among themselves, in one layer's
edges as the sources record them, than the layer's degrees would lead one to expect by chance.
It is a pattern in the recorded relations, not a proven administrative unit, a bloc or an
alliance: a missing source splits a community, a well-documented actor pulls others into its
own. Communities are found by maximising *modularity*,

    Q = sum over communities c of  L_c / m  -  resolution * (d_c / 2m) ** 2,

where ``m`` is the total edge weight, ``L_c`` the weight of the edges inside ``c`` and ``d_c``
the sum of the weighted degrees of its members. ``Q`` near 0 means the split is no better than
chance; higher values (rarely above 0.7) mean sparser links between communities than within
them. ``Q`` only compares splits of the same network: it is not a measure of how "real" a
community is, nor comparable across layers or years of different sizes. A resolution above 1
favours more, smaller communities; below 1, fewer and larger ones.

Everything runs on the *undirected view* of a network: for a ``DiGraph`` the weights of
``u -> v`` and ``v -> u`` are summed into one undirected edge. Nodes enter that view sorted by
``(label, IRI)`` and edges in that order, so the result depends neither on the order the edges
came in nor on the process (hash seed, global random state): the same seed gives the same
:class:`Partition`.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from pdkg.analytics.igraph_measures import to_igraph
from pdkg.errors import ChoiceError

METHODS = ("leiden", "louvain")


@dataclass(frozen=True)
class Community:
    """One community of a :class:`Partition`.

    Attributes:
        index: 1-based rank; communities are ordered by size (largest first), then by the
            label of their first member.
        members: node IRIs, sorted by ``(label, IRI)``.
        labels: the members' labels, in the same order.
    """

    index: int
    members: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Partition:
    """A split of a network's nodes into communities.

    Attributes:
        method: ``"leiden"`` or ``"louvain"``.
        seed: the seed of the method's random choices.
        resolution: the resolution the method optimised (above 1: more, smaller communities).
        modularity: the classic modularity ``Q`` (resolution 1) of this split on the
            undirected, weighted view, as ``networkx.community.modularity`` computes it, rounded
            to 12 decimals; it says how much denser the recorded links are within communities
            than expected by chance, not that the communities exist as institutions.
        communities: every node in exactly one community (isolated nodes alone in theirs).
    """

    method: str
    seed: int
    resolution: float
    modularity: float
    communities: tuple[Community, ...]


def communities(
    graph: nx.Graph | nx.DiGraph,
    *,
    method: str = "leiden",
    seed: int = 42,
    resolution: float = 1.0,
    weight: str | None = "weight",
) -> Partition:
    """Split a network into communities by maximising modularity.

    Args:
        graph: a layer's network (``pdkg.analytics.network``); nodes carry ``label``
            (the IRI stands in when it is missing).
        method: ``"leiden"`` (igraph's Leiden algorithm on the modularity objective, iterated
            until stable; its communities are always connected) or ``"louvain"`` (networkx).
        seed: seed of the method's random node order; the same seed gives the same result.
            igraph's random generator is global: it is set for the call and reset to Python's
            ``random`` module afterwards, whose state is left untouched.
        resolution: the resolution parameter (1 is classic modularity; higher: more, smaller
            communities; lower: fewer, larger ones).
        weight: edge attribute holding the weight (missing values count 1), or ``None`` to
            count every edge 1; reciprocal directed edges are summed either way.

    Returns:
        The :class:`Partition`.

    Raises:
        ChoiceError: unknown method.
        ValueError: the graph has no nodes, or no edge of positive weight.
    """
    if method not in METHODS:
        raise ChoiceError("method", method, METHODS)
    if graph.number_of_nodes() == 0:
        raise ValueError("cannot find communities in an empty network: it has no nodes")
    view = undirected_view(graph, weight=weight)
    if view.size(weight="weight") <= 0:
        raise ValueError(
            "cannot find communities in a network without edges of positive weight: "
            "every node would be alone in its community"
        )
    if method == "leiden":
        groups = _leiden(view, seed=seed, resolution=resolution)
    else:
        groups = nx.community.louvain_communities(
            view, weight="weight", resolution=resolution, seed=seed
        )
    ordered = _ordered(view, groups)
    modularity = nx.community.modularity(view, [set(group) for group in ordered], weight="weight")
    return Partition(
        method=method,
        seed=seed,
        resolution=float(resolution),
        modularity=round(float(modularity), 12) + 0.0,  # + 0.0: no -0.0
        communities=tuple(
            Community(index=i, members=tuple(group), labels=tuple(_label(view, n) for n in group))
            for i, group in enumerate(ordered, start=1)
        ),
    )


def undirected_view(graph: nx.Graph | nx.DiGraph, *, weight: str | None = "weight") -> nx.Graph:
    """The undirected, weighted copy of a network on which communities are found.

    Nodes are added sorted by ``(label, IRI)`` with their ``label``; each edge's ``weight`` is
    the sum of the weights of the edges joining its two ends in either direction (missing
    weights, or every edge when ``weight`` is ``None``, count 1). Self-loops are kept.
    """
    nodes = sorted(graph.nodes, key=lambda node: _key(graph, node))
    rank = {node: i for i, node in enumerate(nodes)}
    summed: dict[tuple[int, int], float] = {}
    for u, v, value in graph.edges(data=weight or "weight", default=1.0):
        pair = (rank[u], rank[v]) if rank[u] <= rank[v] else (rank[v], rank[u])
        summed[pair] = summed.get(pair, 0.0) + (1.0 if weight is None else float(value))
    view = nx.Graph()
    view.add_nodes_from((node, {"label": _label(graph, node)}) for node in nodes)
    view.add_weighted_edges_from(
        (nodes[i], nodes[j], total) for (i, j), total in sorted(summed.items())
    )
    return view


def components(graph: nx.Graph | nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """Connected components (weakly connected for directed networks).

    Returns:
        The components, largest first, then by the label of their first member; members sorted
        by ``(label, IRI)``. An empty network has none.
    """
    found = nx.weakly_connected_components if graph.is_directed() else nx.connected_components
    return tuple(tuple(group) for group in _ordered(graph, found(graph)))


def core_numbers(graph: nx.Graph | nx.DiGraph) -> dict[str, int]:
    """The k-core number of each node, on the undirected simple view.

    A node's core number is the largest ``k`` such that it belongs to a subgraph in which every
    node has at least ``k`` neighbours. Directions and weights are ignored, reciprocal edges
    count once and self-loops are removed.

    Returns:
        Node IRI -> core number, in ``(label, IRI)`` order of the nodes.
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges if u != v)
    cores = nx.core_number(simple)
    return {node: cores[node] for node in sorted(graph.nodes, key=lambda n: _key(graph, n))}


def _leiden(view: nx.Graph, *, seed: int, resolution: float) -> list[list[Any]]:
    """Leiden on the modularity objective, seeded, without touching ``random``'s state."""
    import igraph  # a heavy import, only where communities are computed

    converted, nodes = to_igraph(view)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = converted.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=-1,
        )
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, list[Any]] = {}
    for node, member in zip(nodes, clustering.membership, strict=True):
        groups.setdefault(member, []).append(node)
    return list(groups.values())


def _ordered(graph: nx.Graph, groups: Iterable[Iterable[Hashable]]) -> list[list[Any]]:
    """Groups with members sorted by ``(label, IRI)``; largest first, then by first member."""
    sorted_groups = [sorted(group, key=lambda node: _key(graph, node)) for group in groups]
    return sorted(sorted_groups, key=lambda group: (-len(group), _key(graph, group[0])))


def _label(graph: nx.Graph, node: Hashable) -> str:
    label = graph.nodes[node].get("label")
    return str(node) if label is None else str(label)


def _key(graph: nx.Graph, node: Hashable) -> tuple[str, str]:
    return (_label(graph, node), str(node))
