"""How much a ranking depends on the claims behind it: rank intervals over perturbed networks.

A centrality ranking is computed on the network as the sources record it; but the sources cover
some areas in detail (Table 3.1 lists 24 Sichuan departments) and others in a sentence. This
module recomputes the ranking on perturbed copies of the network and reports, for each actor,
the interval of positions it takes:

- ``resamples`` copies that each drop a seeded random 10% of the edges;
- one copy per source that drops every claim derived from that source (an edge backed by
  another source too stays).

Ranks here are *positions with ties spread*: an actor whose value is shared by ``t`` actors
below ``k`` better ones can sit anywhere from ``k + 1`` to ``k + t``, so the interval runs from
the best position over all copies to the worst. The unperturbed network is one of the copies,
so the interval always holds the plain rank. A narrow interval says the position survives the
loss of any one source and of random tenths of the edges; it does not say the sources are right.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from pdkg.analytics import SEED, centrality, compute
from pdkg.analytics.layers import without_claims

#: the share of edges each resample drops
FRACTION = 0.1


@dataclass(frozen=True)
class Interval:
    """One actor's plain rank and value, and the positions it takes over the perturbed copies.

    ``worst`` names the copy that put it lowest (``"without <source>"``, ``"sample <i>"`` or
    ``"as recorded"``), the first such copy in the order the copies are made.
    """

    rank: int
    node: str
    label: str
    value: float
    rank_min: int
    rank_max: int
    worst: str


def robustness(
    graph: nx.DiGraph,
    measure: str,
    *,
    resamples: int,
    seed: int = SEED,
    weighted: bool = False,
    top: int | None = None,
    name: Callable[[str], str] = str,
) -> list[Interval]:
    """The ranking of ``graph`` by ``measure`` with each actor's rank interval.

    Args:
        graph: a network from :func:`pdkg.analytics.network`.
        measure: one of :data:`pdkg.analytics.MEASURES`.
        resamples: how many random copies without :data:`FRACTION` of the edges (0: only the
            drop-one-source copies).
        seed: the seed of the edge samples; the same seed gives the same intervals.
        weighted: as for :func:`pdkg.analytics.compute`.
        top: only the N first of the plain ranking.
        name: how a source IRI is named in ``worst``.

    Returns:
        The plain ranking's actors in its order, each with its interval.
    """
    plain = centrality(graph, measure=measure, top=top, weighted=weighted)
    copies: list[tuple[str, nx.DiGraph]] = [("as recorded", graph)]
    edges = sorted(graph.edges, key=lambda e: (e[0], e[1]))
    rng = random.Random(seed)
    drop = round(FRACTION * len(edges))
    for i in range(1, resamples + 1):
        dropped = set(rng.sample(edges, drop))
        copy = graph.copy()
        copy.remove_edges_from(dropped)
        copies.append((f"sample {i}", copy))
    for source in sorted({s for _, _, d in graph.edges(data=True) for s in d["sources"]}):
        copies.append((f"without {name(source)}", without_claims(graph, _not_from(source))))
    best: dict[str, int] = {}
    worst: dict[str, tuple[int, str]] = {}
    for label, copy in copies:
        for node, (low, high) in positions(compute(copy, measure, weighted=weighted)).items():
            best[node] = min(best.get(node, low), low)
            if high > worst.get(node, (0, ""))[0]:
                worst[node] = (high, label)
    return [Interval(r.rank, r.node, r.label, r.value, best[r.node], *worst[r.node]) for r in plain]


def _not_from(source: str) -> Callable[[str, str], bool]:
    return lambda _claim, claim_source: claim_source != source


def positions(values: dict[str, float]) -> dict[str, tuple[int, int]]:
    """Each node's best and worst position, ties spread: (1 + better ones, better + tied ones).

    >>> positions({"a": 3.0, "b": 1.0, "c": 1.0, "d": 0.0})
    {'a': (1, 1), 'b': (2, 3), 'c': (2, 3), 'd': (4, 4)}
    """
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    last: dict[float, int] = {}
    for i, value in enumerate(ordered, start=1):
        first.setdefault(value, i)
        last[value] = i
    return {node: (first[value], last[value]) for node, value in values.items()}
