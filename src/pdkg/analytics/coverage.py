"""What a network knows about each actor: its claims and the sources they come from.

A centrality rank can only be as broad as the sources: an actor whose edges all come from one
table ranks by what that table lists. :func:`coverage` counts, for each actor, the claims on its
edges and the sources behind them, so a rank that rests on one source is visible; and
:func:`pdkg.analytics.communities.components` says which actors are connected at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from pdkg.analytics.communities import components
from pdkg.analytics.layers import local_name


@dataclass(frozen=True)
class Coverage:
    """The claims on one actor's edges (in both directions, each claim once) and their sources.

    ``sources`` pairs each source with its number of claims, most claims first (then by name);
    ``share`` is the first source's part of ``claims``; ``component`` is the 1-based index of
    the actor's (weakly) connected component, largest first, and ``component_size`` its size.
    """

    node: str
    label: str
    edges: int
    claims: int
    sources: tuple[tuple[str, int], ...]
    share: float
    component: int
    component_size: int


def coverage(graph: nx.DiGraph, *, name: Callable[[str], str] = local_name) -> list[Coverage]:
    """Every actor's coverage, the most claims first (then by label, IRI).

    Args:
        graph: a network from :func:`pdkg.analytics.network`.
        name: how a source IRI is named, to order sources with equal counts.
    """
    where = {node: (i, len(c)) for i, c in enumerate(components(graph), start=1) for node in c}
    found = []
    for node, data in graph.nodes(data=True):
        if graph.is_directed():
            incident = [*graph.in_edges(node, data=True), *graph.out_edges(node, data=True)]
        else:
            incident = list(graph.edges(node, data=True))
        # a claim on several of its edges (an agreement of many parties) counts once
        cited = {
            c: s for *_, e in incident for c, s in zip(e["claims"], e["claim_sources"], strict=True)
        }
        counts = Counter(cited.values())
        claims = sum(counts.values())
        ordered = tuple(sorted(counts.items(), key=lambda item: (-item[1], name(item[0]))))
        found.append(
            Coverage(
                node=node,
                label=data.get("label", local_name(node)),
                edges=len(incident),
                claims=claims,
                sources=ordered,
                share=round(ordered[0][1] / claims, 4) if claims else 0.0,
                component=where[node][0],
                component_size=where[node][1],
            )
        )
    return sorted(found, key=lambda c: (-c.claims, c.label, c.node))
