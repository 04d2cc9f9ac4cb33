"""One ranking across several layers, and each actor's rank on every layer side by side.

The layers measure different things (who supervises, who holds posts, who must approve), so
their values are not summed raw: on each layer a value is divided by the layer's highest value
(a share of the leader, 0 to 1), and the combined score is the weighted mean of these shares
with the weights the user gives. An actor absent from a layer has share 0 there. The combined
score is a summary by construction: the per-layer ranks it is printed with say where it comes
from.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from pdkg.analytics import compute
from pdkg.analytics.robustness import positions
from pdkg.errors import ChoiceError


@dataclass(frozen=True)
class Combined:
    """One actor's combined score and rank, and its value and position on each layer.

    ``ranks`` holds, per layer, the best position with ties spread (``None``: not on the
    layer).
    """

    rank: int
    node: str
    label: str
    score: float
    values: dict[str, float | None]
    ranks: dict[str, int | None]


def parse_weights(text: str, layers: list[str]) -> dict[str, float]:
    """``supervision=1,party=0.5`` as ``{"supervision": 1.0, "party": 0.5}``.

    Raises:
        ChoiceError: an unknown layer.
        ValueError: a malformed pair, a layer given twice, a negative or non-finite weight, or
            all weights 0.
    """
    weights: dict[str, float] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        layer, sep, value = pair.partition("=")
        if layer not in layers:
            raise ChoiceError("layer", layer, layers)
        if layer in weights:
            raise ValueError(f"{layer} is given twice")
        try:
            weight = float(value) if sep else 1.0
        except ValueError:
            raise ValueError(f"the weight of {layer} is {value!r}, not a number") from None
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"the weight of {layer} is {value}: give a finite number >= 0")
        weights[layer] = weight
    if not weights or not any(weights.values()):
        raise ValueError("give at least one layer with a weight above 0, e.g. supervision=1")
    return weights


def multilayer(
    build: Callable[[str], nx.DiGraph], weights: Mapping[str, float], measure: str
) -> list[Combined]:
    """Rank actors by the weighted mean of their per-layer shares of the leader's value.

    Args:
        build: layer name -> its network (e.g. a partial of :func:`pdkg.analytics.network`).
        weights: layer -> its weight (:func:`parse_weights`).
        measure: one of :data:`pdkg.analytics.MEASURES`, computed on each layer.

    Returns:
        Every actor on any of the layers, the highest score first (ties by label, IRI).
    """
    values: dict[str, dict[str, float]] = {}
    labels: dict[str, str] = {}
    for layer in weights:
        graph = build(layer)
        values[layer] = compute(graph, measure)
        labels.update({n: d.get("label", n) for n, d in graph.nodes(data=True)})
    total = sum(weights.values())
    scores: dict[str, float] = {}
    for node in labels:
        share = 0.0
        for layer, weight in weights.items():
            top = max(values[layer].values(), default=0.0)
            share += weight * (values[layer].get(node, 0.0) / top if top else 0.0)
        scores[node] = round(share / total, 12)
    ranks = {layer: positions(values[layer]) for layer in weights}
    ordered = sorted(scores, key=lambda n: (-scores[n], labels[n], n))
    return [
        Combined(
            rank=i,
            node=node,
            label=labels[node],
            score=scores[node],
            values={layer: values[layer].get(node) for layer in weights},
            ranks={
                layer: ranks[layer][node][0] if node in ranks[layer] else None for layer in weights
            },
        )
        for i, node in enumerate(ordered, start=1)
    ]
