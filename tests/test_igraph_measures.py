"""pdkg.analytics.igraph_measures (igraph) against the networkx reference, node for node, on
small hand-made graphs."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from pdkg.analytics import igraph_measures


def _named(graph: nx.Graph) -> nx.Graph:
    """String node keys, as in pdkg's networks."""
    return nx.relabel_nodes(graph, lambda node: f"n{node}")


def _two_components() -> nx.DiGraph:
    graph = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    graph.add_edges_from([(10, 11), (11, 12), (13, 11)])
    graph.add_node(20)  # isolated
    return graph


def _weighted_directed() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(
        [(0, 1, 2.0), (1, 2, 0.5), (2, 0, 1.0), (2, 3, 4.0), (0, 3, 1.5), (3, 4, 1.0), (4, 4, 2.5)]
    )
    graph.add_edge(1, 4)  # no weight: counts 1
    graph.add_node(5)  # dangling and isolated
    return graph


GRAPHS: dict[str, Callable[[], nx.Graph]] = {
    "path": lambda: nx.path_graph(7),
    "directed path": lambda: nx.path_graph(7, create_using=nx.DiGraph),
    "star": lambda: nx.star_graph(8),
    "directed star": lambda: nx.DiGraph((leaf, 0) for leaf in range(1, 9)),
    "diamond": lambda: nx.Graph([(0, 1), (0, 2), (1, 3), (2, 3)]),
    "directed diamond": lambda: nx.DiGraph([(0, 1), (0, 2), (1, 3), (2, 3)]),
    "directed tree": lambda: nx.DiGraph(
        (child, parent) for parent, child in nx.bfs_edges(nx.balanced_tree(3, 3), 0)
    ),
    "two components": _two_components,
    "two undirected components": lambda: _two_components().to_undirected(),
    "weighted directed": _weighted_directed,
    "random directed": lambda: nx.gnp_random_graph(60, 0.08, seed=7, directed=True),
    "random undirected": lambda: nx.gnp_random_graph(60, 0.08, seed=11),
    "single node": lambda: nx.empty_graph(1, create_using=nx.DiGraph),
    "two nodes": lambda: nx.DiGraph([(0, 1)]),
}
NAMES = sorted(GRAPHS)


@pytest.fixture(params=NAMES)
def graph(request: pytest.FixtureRequest) -> nx.Graph:
    built: nx.Graph = _named(GRAPHS[request.param]())
    return built


def _reference_pagerank(graph: nx.Graph, weight: str | None, tol: float) -> dict[str, float]:
    """networkx.pagerank (needs scipy), else its pure-Python power iteration (same algorithm)."""
    if importlib.util.find_spec("scipy") is not None:
        return dict(nx.pagerank(graph, weight=weight, tol=tol, max_iter=10_000))
    return dict(_pagerank_python(graph, weight=weight, tol=tol, max_iter=10_000))


def test_to_igraph_keeps_nodes_edges_and_weights() -> None:
    graph = _named(_weighted_directed())
    converted, nodes = igraph_measures.to_igraph(graph)
    assert nodes == list(graph.nodes)
    assert converted.is_directed()
    assert converted.vcount() == graph.number_of_nodes()
    edges = {(nodes[e.source], nodes[e.target]): e["weight"] for e in converted.es}
    assert edges == {(u, v): float(w) for u, v, w in graph.edges(data="weight", default=1.0)}


def test_to_igraph_undirected() -> None:
    converted, nodes = igraph_measures.to_igraph(_named(nx.path_graph(4)))
    assert not converted.is_directed()
    assert nodes == ["n0", "n1", "n2", "n3"]
    assert converted.ecount() == 3


def test_betweenness_exact_matches_networkx(graph: nx.Graph) -> None:
    expected = nx.betweenness_centrality(graph)
    assert igraph_measures.betweenness_exact(graph) == pytest.approx(expected, abs=1e-9)


def test_closeness_matches_networkx(graph: nx.Graph) -> None:
    expected = nx.closeness_centrality(graph)
    assert igraph_measures.closeness_exact(graph) == pytest.approx(expected, abs=1e-9)


def test_closeness_of_reversed_view_matches_networkx(graph: nx.Graph) -> None:
    """As pdkg.analytics calls it: outgoing distance, through a reversed view."""
    view = graph.reverse(copy=False) if graph.is_directed() else graph
    assert igraph_measures.closeness_exact(view) == pytest.approx(
        nx.closeness_centrality(view), abs=1e-9
    )


@pytest.mark.parametrize("weight", ["weight", None])
def test_pagerank_matches_networkx(graph: nx.Graph, weight: str | None) -> None:
    expected = _reference_pagerank(graph, weight, tol=1e-12)
    assert igraph_measures.pagerank(graph, weight=weight) == pytest.approx(expected, abs=1e-6)


def test_pagerank_is_within_networkx_default_tolerance(graph: nx.Graph) -> None:
    """networkx's default stopping rule (L1 change < n * 1e-6) leaves a few 1e-6 per node."""
    expected = _reference_pagerank(graph, "weight", tol=1e-6)
    assert igraph_measures.pagerank(graph) == pytest.approx(expected, abs=1e-5)


def test_pagerank_undirected_self_loop_counts_once() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c"), ("b", "b"), ("c", "d")])
    expected = _reference_pagerank(graph, "weight", tol=1e-12)
    assert igraph_measures.pagerank(graph) == pytest.approx(expected, abs=1e-6)


def test_pagerank_of_empty_graph() -> None:
    assert igraph_measures.pagerank(nx.DiGraph()) == {}


@pytest.mark.parametrize("extra", [0, 1, 50])
def test_sampled_with_all_nodes_is_exact(graph: nx.Graph, extra: int) -> None:
    samples = graph.number_of_nodes() + extra
    sampled = igraph_measures.betweenness_sampled(graph, samples=samples, seed=3)
    assert sampled == pytest.approx(igraph_measures.betweenness_exact(graph), abs=1e-9)
    assert sampled == pytest.approx(nx.betweenness_centrality(graph), abs=1e-9)


@pytest.mark.parametrize("name", ["random directed", "random undirected", "directed tree"])
@pytest.mark.parametrize(("samples", "seed"), [(2, 0), (5, 42), (20, 1), (30, 99)])
def test_sampled_matches_networkx_k_sampling(name: str, samples: int, seed: int) -> None:
    """Same seed, same sources as networkx's ``k=``: the same estimate."""
    graph = _named(GRAPHS[name]())
    expected = nx.betweenness_centrality(graph, k=samples, seed=seed)
    sampled = igraph_measures.betweenness_sampled(graph, samples=samples, seed=seed)
    assert sampled == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 42, 2024])
def test_sampled_is_deterministic(seed: int) -> None:
    graph = _named(GRAPHS["random directed"]())
    first = igraph_measures.betweenness_sampled(graph, samples=12, seed=seed)
    second = igraph_measures.betweenness_sampled(graph, samples=12, seed=seed)
    again = igraph_measures.betweenness_sampled(graph.copy(), samples=12, seed=seed)
    assert first == second == again


def test_sampled_depends_on_seed() -> None:
    graph = _named(GRAPHS["random directed"]())
    first = igraph_measures.betweenness_sampled(graph, samples=12, seed=1)
    second = igraph_measures.betweenness_sampled(graph, samples=12, seed=2)
    assert first != second


def test_sampled_rejects_no_samples() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        igraph_measures.betweenness_sampled(nx.path_graph(4), samples=0, seed=1)
