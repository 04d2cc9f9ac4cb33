"""What a measure says on a layer, in words: the column notes of ``pdkg centrality``."""

from __future__ import annotations

#: the layers whose edges point from the controlled actor to its controller
CONTROL = frozenset({"supervision", "approval", "party", "control"})

_CONTROL = {
    "reach": "actors controlled, directly or through a chain (those with a path up to it)",
    "in-degree": "actors it controls directly: it supervises them, must approve their acts, or "
    "(a person) holds a post in them",
    "out-degree": "actors that control it directly",
    "in-strength": "as in-degree: every control edge weighs 1",
    "out-strength": "as out-degree: every control edge weighs 1",
    "betweenness": "share of the shortest control chains between two other actors through it",
    "closeness": "how few steps separate it from the actors it controls (Wasserman-Faust)",
    "pagerank": "how much control reaches it: PageRank along controller -> controlled edges "
    "(an actor under many, well-placed controllers scores high)",
}
#: the degrees of the single control layers, said of what their edges are
_DEGREES = {
    ("supervision", "in-degree"): "bodies it supervises directly",
    ("supervision", "out-degree"): "bodies that supervise it directly",
    ("approval", "in-degree"): "actors whose acts it must approve",
    ("approval", "out-degree"): "approvers of its acts",
    ("party", "in-degree"): "(a person) the bodies it holds a post in",
    ("party", "out-degree"): "(a body) the persons holding a post in it",
}
_VISITS = {
    "reach": "places whose visits lead to it, directly or through other places",
    "in-degree": "places or delegations that visited it (each counted once)",
    "out-degree": "places it visited (each counted once)",
    "in-strength": "visits it received: the sum of the printed counts",
    "out-strength": "visits it made: the sum of the printed counts",
    "betweenness": "share of the shortest visit routes between two other places through it",
    "closeness": "how few ties separate it from the places that visit it (a tie is one step, "
    "whatever its count)",
    "pagerank": "places that send visits to well-scored destinations: PageRank on reversed "
    "edges, weighted by the counts",
}
_PARTNERSHIPS = {
    "reach": "places tied to it through a chain of partnerships",
    "in-degree": "partners (sister cities, co-parties of agreements)",
    "out-degree": "partners (sister cities, co-parties of agreements)",
    "in-strength": "as the degree: every tie weighs 1",
    "out-strength": "as the degree: every tie weighs 1",
    "betweenness": "share of the shortest partnership paths between two other places through it",
    "closeness": "how few ties separate it from the other places",
    "pagerank": "PageRank on the undirected ties",
}
_WEIGHTED = {
    "betweenness": "share of the shortest visit routes through it, a route of k-visit ties "
    "being as long as the sum of 1/k",
    "closeness": "how near its visitors are, a tie of k visits being 1/k long",
}


def meaning(layer: str, measure: str, *, weighted: bool = False) -> str:
    """One line saying what ``measure`` counts on ``layer``.

    >>> meaning("control", "reach")
    'actors controlled, directly or through a chain (those with a path up to it)'
    >>> meaning("visits", "in-strength")
    'visits it received: the sum of the printed counts'
    """
    if weighted and measure in _WEIGHTED:
        return _WEIGHTED[measure]
    if (layer, measure.replace("strength", "degree")) in _DEGREES:
        said = _DEGREES[layer, measure.replace("strength", "degree")]
        return said if "degree" in measure else f"{said} (every edge weighs 1: the degree)"
    if layer in CONTROL:
        return _CONTROL[measure]
    return (_VISITS if layer == "visits" else _PARTNERSHIPS)[measure]
