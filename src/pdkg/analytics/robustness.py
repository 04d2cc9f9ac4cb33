"""How much a ranking depends on the claims behind it: rank intervals over perturbed networks.

A centrality ranking is computed on the network as the sources record it; but the sources cover
some areas in detail (Table 3.1 lists 24 Sichuan departments) and others in a sentence. This
module recomputes the ranking on perturbed copies of the network and reports, for each actor,
the interval of positions it takes:

- ``resamples`` copies that each drop a seeded random 10% of the edges (at least one);
- one copy per cited source (the section, table or record a claim names in
  ``prov:wasDerivedFrom``) that drops every claim derived from it (an edge backed by another
  source too stays); a section's subsections are sources of their own, dropped apart.

Ranks here are *positions with ties spread*: an actor whose value is shared by ``t`` actors
below ``k`` better ones can sit anywhere from ``k + 1`` to ``k + t``, so the interval runs from
the best position over all copies to the worst. The unperturbed network is one of the copies,
so the interval always holds the plain rank. Over 100 samples nearly every edge is dropped at
least once, so an actor that hangs on one edge reaches the bottom in some sample: the band of
the samples' 5th to 95th percentiles says where an actor sits in 90% of them. A narrow interval
says the position survives the loss of any one source and of random tenths of the edges; it
does not say the sources are right.
"""

from __future__ import annotations

import math
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

    ``rank_min``/``rank_max`` span every copy; ``worst`` names the copy that put it lowest
    (``"without <source>"``, ``"sample <i>"`` or ``"as recorded"``), the first such copy in the
    order the copies are made. ``band_min``/``band_max`` are the 5th and 95th percentiles
    (nearest rank) of its positions over the random samples alone: where it sits in 90% of
    them (``None`` without samples).
    """

    rank: int
    node: str
    label: str
    value: float
    rank_min: int
    rank_max: int
    worst: str
    band_min: int | None = None
    band_max: int | None = None


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
    drop = min(len(edges), max(1, round(FRACTION * len(edges))))  # at least one edge
    for i in range(1, resamples + 1):
        dropped = set(rng.sample(edges, drop))
        copy = graph.copy()
        copy.remove_edges_from(dropped)
        copies.append((f"sample {i}", copy))
    for source in sorted({s for _, _, d in graph.edges(data=True) for s in d["sources"]}):
        copies.append((f"without {name(source)}", without_claims(graph, _not_from(source))))
    best: dict[str, int] = {}
    worst: dict[str, tuple[int, str]] = {}
    lows: dict[str, list[int]] = {node: [] for node in graph}
    highs: dict[str, list[int]] = {node: [] for node in graph}
    for label, copy in copies:
        for node, (low, high) in positions(compute(copy, measure, weighted=weighted)).items():
            best[node] = min(best.get(node, low), low)
            if high > worst.get(node, (0, ""))[0]:
                worst[node] = (high, label)
            if label.startswith("sample "):
                lows[node].append(low)
                highs[node].append(high)
    return [
        Interval(
            r.rank,
            r.node,
            r.label,
            r.value,
            best[r.node],
            *worst[r.node],
            band_min=_percentile(lows[r.node], 0.05),
            band_max=_percentile(highs[r.node], 0.95),
        )
        for r in plain
    ]


def _percentile(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile: the smallest value at or above ``share`` of them."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


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
