"""pdkg.analytics.communities on hand-made networks whose split is known from their structure."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys

import networkx as nx
import pytest

from pdkg.analytics.communities import (
    METHODS,
    Partition,
    communities,
    components,
    core_numbers,
    undirected_view,
)
from pdkg.errors import ChoiceError

EX = "http://example.org/"
#: two 5-cliques; labels sort differently from IRIs (the q clique's first label sorts first)
P = {f"{EX}p{i}": label for i, label in enumerate(["Eve", "Dan", "Cat", "Bob", "Ann"], 1)}
Q = {f"{EX}q{i}": label for i, label in enumerate(["Ida", "Hal", "Gus", "Fay", "Abe"], 1)}


def _by_label(labels: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(labels, key=lambda iri: (labels[iri], iri)))


def _labelled(graph: nx.Graph, labels: dict[str, str]) -> nx.Graph:
    for iri, label in labels.items():
        graph.add_node(iri, label=label)
    return graph


def _modularity(graph: nx.Graph, split: list[set[str]]) -> float:
    """Q = sum over communities c of L_c / m - (d_c / 2m)^2, by hand on the edge list."""
    m = sum(w for _, _, w in graph.edges(data="weight", default=1.0))
    total = 0.0
    for group in split:
        inside = sum(w for u, v, w in graph.edges(data="weight", default=1.0) if {u, v} <= group)
        degree = sum(
            w * ((u in group) + (v in group)) for u, v, w in graph.edges(data="weight", default=1.0)
        )
        total += inside / m - (degree / (2 * m)) ** 2
    return total


def _cliques() -> nx.Graph:
    """Two 5-cliques joined by the bridge p1 - q1, plus an isolated node labelled first."""
    graph = _labelled(nx.Graph(), {**P, **Q, f"{EX}z": "Aaron"})
    graph.add_edges_from(itertools.combinations(P, 2), weight=1)
    graph.add_edges_from(itertools.combinations(Q, 2), weight=1)
    graph.add_edge(f"{EX}p1", f"{EX}q1", weight=1)
    return graph


def _square(heavy: str) -> nx.Graph:
    """The 4-cycle a-b-c-d-a; the two opposite edges ``heavy`` ("ab-cd" or "bc-da") weigh 10."""
    graph = _labelled(nx.Graph(), {f"{EX}{n}": n.upper() for n in "abcd"})
    pairs = {"ab-cd": (("a", "b"), ("c", "d")), "bc-da": (("b", "c"), ("d", "a"))}
    for u, v in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]:
        graph.add_edge(f"{EX}{u}", f"{EX}{v}", weight=10 if (u, v) in pairs[heavy] else 1)
    return graph


def _random(seed: int, *, directed: bool = False) -> nx.Graph:
    graph = nx.gnp_random_graph(40, 0.1, seed=seed, directed=directed)
    graph = nx.relabel_nodes(graph, lambda n: f"{EX}r{n}")
    for node in graph:
        graph.nodes[node]["label"] = f"Node {int(node.removeprefix(EX + 'r')):02d}"
    return graph


def _members(partition: Partition) -> list[tuple[str, ...]]:
    return [community.members for community in partition.communities]


@pytest.mark.parametrize("method", METHODS)
def test_two_cliques_split_at_the_bridge(method: str) -> None:
    partition = communities(_cliques(), method=method)
    # equal sizes: the q clique comes first (first label "Abe" < "Ann"); the isolated node last
    assert _members(partition) == [_by_label(Q), _by_label(P), (f"{EX}z",)]
    assert partition.communities[0].labels == ("Abe", "Fay", "Gus", "Hal", "Ida")
    assert [c.index for c in partition.communities] == [1, 2, 3]
    # m = 21; each clique: L_c = 10, d_c = 4 * 5 + 1 = 21; the isolated node adds nothing
    assert _modularity(_cliques(), [set(P), set(Q)]) == pytest.approx(19 / 42)
    assert partition.modularity == round(19 / 42, 12)
    assert (partition.method, partition.seed, partition.resolution) == (method, 42, 1.0)


@pytest.mark.parametrize("method", METHODS)
def test_low_resolution_merges_and_modularity_stays_classic(method: str) -> None:
    # at resolution 0.01 one community scores 1 - 0.01 > 20/21 - 0.01 / 2 for the split
    partition = communities(_cliques(), method=method, resolution=0.01)
    assert _members(partition)[0] == _by_label({**P, **Q})
    assert partition.resolution == 0.01
    assert partition.modularity == 0.0  # one community: L = m, d = 2m -> 1 - 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("heavy", "split"),
    [("ab-cd", [("A", "B"), ("C", "D")]), ("bc-da", [("A", "D"), ("B", "C")])],
)
def test_weights_decide_the_split(method: str, heavy: str, split: list[tuple[str, ...]]) -> None:
    partition = communities(_square(heavy), method=method)
    assert [c.labels for c in partition.communities] == split
    # m = 22; each pair: L_c = 10, d_c = 2 * 10 + 1 + 1 = 22 -> 2 * (10/22 - 1/4) = 9/22
    groups = [{f"{EX}{n.lower()}" for n in pair} for pair in split]
    assert _modularity(_square(heavy), groups) == pytest.approx(9 / 22)
    assert partition.modularity == round(9 / 22, 12)


def _reciprocal() -> tuple[nx.DiGraph, nx.Graph]:
    """a<->b and c<->d weigh 3 each way (6 summed), b-c and a-d weigh 4.

    Summed, {a,b} / {c,d} wins (Q = 0.1); keeping one direction (3) would split {b,c} / {a,d}.
    """
    directed = _labelled(nx.DiGraph(), {f"{EX}{n}": n.upper() for n in "abcd"})
    for u, v, w in [("a", "b", 3), ("b", "a", 3), ("c", "d", 3), ("d", "c", 3)]:
        directed.add_edge(f"{EX}{u}", f"{EX}{v}", weight=w)
    directed.add_edge(f"{EX}b", f"{EX}c", weight=4)
    directed.add_edge(f"{EX}a", f"{EX}d", weight=4)
    undirected = _labelled(nx.Graph(), {f"{EX}{n}": n.upper() for n in "abcd"})
    for u, v, w in [("a", "b", 6), ("c", "d", 6), ("b", "c", 4), ("a", "d", 4)]:
        undirected.add_edge(f"{EX}{u}", f"{EX}{v}", weight=w)
    return directed, undirected


@pytest.mark.parametrize("method", METHODS)
def test_directed_reciprocal_edges_are_summed(method: str) -> None:
    directed, undirected = _reciprocal()
    view = undirected_view(directed)
    assert view[f"{EX}a"][f"{EX}b"]["weight"] == 6.0
    assert view[f"{EX}b"][f"{EX}c"]["weight"] == 4.0
    partition = communities(directed, method=method)
    assert partition == communities(undirected, method=method)
    assert [c.labels for c in partition.communities] == [("A", "B"), ("C", "D")]
    # m = 20; each pair: L_c = 6, d_c = 2 * 6 + 4 + 4 = 20 -> 2 * (6/20 - 1/4)
    assert partition.modularity == round(0.1, 12)


def test_unweighted_counts_every_edge_once() -> None:
    directed, _ = _reciprocal()
    view = undirected_view(directed, weight=None)
    assert view[f"{EX}a"][f"{EX}b"]["weight"] == 2.0  # a->b and b->a
    assert view[f"{EX}a"][f"{EX}d"]["weight"] == 1.0


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_partition_whatever_the_insertion_order(method: str) -> None:
    graph = _random(3)
    first = communities(graph, method=method, seed=7)
    assert first == communities(graph, method=method, seed=7)
    shuffled = nx.Graph()
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges)
    random.Random(0).shuffle(nodes)
    random.Random(1).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from((v, u) for u, v in edges)
    assert communities(shuffled, method=method, seed=7) == first
    assert sorted(m for c in first.communities for m in c.members) == sorted(graph)


def test_same_partition_in_another_process() -> None:
    script = (
        "import random, sys\n"
        "random.seed(99)\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "from test_communities import _random\n"
        "from pdkg.analytics.communities import communities\n"
        "for method in ('leiden', 'louvain'):\n"
        "    print(repr(communities(_random(3), method=method, seed=7)))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    here = [repr(communities(_random(3), method=m, seed=7)) for m in ("leiden", "louvain")]
    assert done.stdout.splitlines() == here


@pytest.mark.parametrize("method", METHODS)
def test_no_global_random_side_effect(method: str) -> None:
    import igraph

    random.seed(1)
    expected = [random.random() for _ in range(5)]
    random.seed(1)
    communities(_random(3), method=method)
    assert [random.random() for _ in range(5)] == expected
    # igraph draws from the random module again afterwards
    random.seed(5)
    before = igraph.Graph.Erdos_Renyi(n=20, p=0.3).get_edgelist()
    random.seed(5)
    assert igraph.Graph.Erdos_Renyi(n=20, p=0.3).get_edgelist() == before


def _structure() -> nx.DiGraph:
    """Triangle a,b,c (a<->b reciprocal) with the path c -> d -> e hanging off it; the pairs
    f -> g and i -> j; the node h alone with a self-loop."""
    labels = {f"{EX}{n}": n.upper() for n in "abcde"}
    labels |= {f"{EX}f": "Zulu", f"{EX}g": "Yankee", f"{EX}i": "Bravo", f"{EX}j": "Alpha"}
    graph = _labelled(nx.DiGraph(), {**labels, f"{EX}h": "H"})
    for u, v in ["ab", "ba", "bc", "ca", "cd", "de", "fg", "ij", "hh"]:
        graph.add_edge(f"{EX}{u}", f"{EX}{v}")
    return graph


def test_components_of_a_known_structure() -> None:
    assert components(_structure()) == (
        tuple(f"{EX}{n}" for n in "abcde"),
        (f"{EX}j", f"{EX}i"),  # Alpha, Bravo: before the Yankee/Zulu pair
        (f"{EX}g", f"{EX}f"),
        (f"{EX}h",),
    )
    assert components(_structure().to_undirected()) == components(_structure())
    assert components(nx.Graph()) == ()


def test_core_numbers_of_a_known_structure() -> None:
    expected = dict.fromkeys("abc", 2) | dict.fromkeys("defgij", 1) | {"h": 0}
    assert core_numbers(_structure()) == {f"{EX}{n}": k for n, k in expected.items()}
    assert core_numbers(nx.Graph()) == {}


@pytest.mark.parametrize("directed", [False, True])
def test_components_and_cores_agree_with_networkx(directed: bool) -> None:
    graph = nx.gnp_random_graph(60, 0.03, seed=5, directed=directed)
    graph.add_edges_from([(0, 0), (7, 7)])
    graph = nx.relabel_nodes(graph, lambda n: f"{EX}n{n:02d}")
    found = components(graph)
    reference = (nx.weakly_connected_components if directed else nx.connected_components)(graph)
    assert sorted(map(set, found), key=sorted) == sorted(reference, key=sorted)
    sizes = [len(group) for group in found]
    assert sizes == sorted(sizes, reverse=True)
    assert len(found) > 2
    simple = nx.Graph(graph.to_undirected())
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert core_numbers(graph) == nx.core_number(simple)


def test_unknown_method() -> None:
    with pytest.raises(ChoiceError) as caught:
        communities(_cliques(), method="spectral")
    assert caught.value.choices == list(METHODS)
    assert "'spectral' is not a method" in str(caught.value)


@pytest.mark.parametrize("method", METHODS)
def test_empty_or_edgeless_network(method: str) -> None:
    with pytest.raises(ValueError, match="empty network"):
        communities(nx.DiGraph(), method=method)
    with pytest.raises(ValueError, match="without edges"):
        communities(nx.empty_graph(3), method=method)
