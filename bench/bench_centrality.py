"""Time networkx against pdkg.analytics.igraph_measures (igraph) on synthetic national-scale
control networks.

Usage: .venv/bin/python bench/bench_centrality.py [--large] [--limit 60] [--seed 42]

Measures are called as pdkg.analytics calls them: betweenness on the control graph (exact, and
k-sampled with k=256, seed 42) and closeness on the graph, PageRank on its reversed view.
Every run happens in a forked child with a time limit; a run that does not finish prints
"> N s". Times are wall-clock inside the child and include the conversion to igraph.
"max abs diff" compares the two engines' values when both finished.
Default sizes: ~1.7k and ~11.5k nodes; --large adds ~108k.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import networkx as nx
from synthetic import control_network

from pdkg.analytics import igraph_measures

Values = dict[str, float]
SIZES = {"small": (31, 3, 3), "medium": (31, 10, 10), "large": (31, 30, 35)}
SAMPLES, SEED = 256, 42
HAS_SCIPY = importlib.util.find_spec("scipy") is not None


def _nx_pagerank(graph: nx.DiGraph) -> Values:
    if HAS_SCIPY:
        return dict(nx.pagerank(graph, weight="weight"))
    # networkx.pagerank needs scipy; without it, networkx's own pure-Python power iteration
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    return dict(_pagerank_python(graph, weight="weight"))


def measures(graph: nx.DiGraph) -> list[tuple[str, Callable[[], Values], Callable[[], Values]]]:
    """(name, networkx run, pdkg.analytics.igraph_measures run) for each measure."""
    rev = graph.reverse(copy=False)
    return [
        (
            "betweenness exact",
            lambda: nx.betweenness_centrality(graph),
            lambda: igraph_measures.betweenness_exact(graph),
        ),
        (
            f"betweenness k={SAMPLES}",
            lambda: nx.betweenness_centrality(graph, k=SAMPLES, seed=SEED),
            lambda: igraph_measures.betweenness_sampled(graph, samples=SAMPLES, seed=SEED),
        ),
        (
            "closeness",
            lambda: nx.closeness_centrality(graph),
            lambda: igraph_measures.closeness_exact(graph),
        ),
        (
            "pagerank" if HAS_SCIPY else "pagerank (*)",
            lambda: _nx_pagerank(rev),
            lambda: igraph_measures.pagerank(rev),
        ),
    ]


def _child(run: Callable[[], Values], conn: Connection) -> None:
    start = time.perf_counter()
    values = run()
    conn.send((time.perf_counter() - start, values))
    conn.close()


def timed(run: Callable[[], Values], limit: float) -> tuple[float, Values] | None:
    """Run ``run`` in a forked child; (seconds, values), or None past ``limit`` seconds."""
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(run, sender))
    child.start()
    sender.close()
    try:
        if not receiver.poll(limit):
            return None
        result: tuple[float, Values] = receiver.recv()
        return result
    except EOFError:  # the child died without an answer
        return None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receiver.close()


def _seconds(result: tuple[float, Values] | None, limit: float) -> str:
    return f"> {limit:.0f} s" if result is None else f"{result[0]:.2f} s"


def _speedup(
    slow: tuple[float, Values] | None, quick: tuple[float, Values] | None, limit: float
) -> str:
    if quick is None or quick[0] <= 0:
        return "-"
    return f"> {limit / quick[0]:.0f}x" if slow is None else f"{slow[0] / quick[0]:.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="add the ~108k-node network")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run (default 60)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the synthetic network")
    args = parser.parse_args()
    sizes = ["small", "medium", "large"] if args.large else ["small", "medium"]
    header = f"| {'nodes':>7} | {'edges':>7} | {'measure':<17} | {'networkx':>9} | "
    header += f"{'pdkg.analytics.igraph_measures':>9} | {'speed-up':>8} | {'max abs diff':>12} |"
    rows = [header, "|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|"]
    notes: list[str] = []
    for size in sizes:
        graph = control_network(*SIZES[size], seed=args.seed)
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        convert = []
        for _ in range(3):
            start = time.perf_counter()
            igraph_measures.to_igraph(graph)
            convert.append(time.perf_counter() - start)
        notes.append(f"{n} nodes: to_igraph {min(convert):.2f} s (best of 3)")
        results: dict[str, tuple[float, Values] | None] = {}
        for name, reference, candidate in measures(graph):
            slow = timed(reference, args.limit)
            quick = timed(candidate, args.limit)
            results[name] = quick
            speedup = _speedup(slow, quick, args.limit)
            diff = (
                f"{max(abs(slow[1][k] - quick[1][k]) for k in graph):.1e}"
                if slow and quick
                else "-"
            )
            rows.append(
                f"| {n:>7} | {m:>7} | {name:<17} | {_seconds(slow, args.limit):>9} | "
                f"{_seconds(quick, args.limit):>9} | {speedup:>8} | {diff:>12} |"
            )
        exact, sampled = results["betweenness exact"], results[f"betweenness k={SAMPLES}"]
        if exact and sampled:
            top = set(sorted(graph, key=lambda k: -exact[1][k])[:20])
            hits = len(top & set(sorted(graph, key=lambda k: -sampled[1][k])[:20]))
            error = max(abs(exact[1][k] - sampled[1][k]) for k in graph)
            notes.append(
                f"{n} nodes: k={SAMPLES} estimate vs exact betweenness: max abs error "
                f"{error:.1e}, top-20 overlap {hits}/20"
            )
    print("\n".join(rows))
    print()
    print("\n".join(notes))
    if not HAS_SCIPY:
        print("(*) no scipy, so networkx.pagerank cannot run: the networkx column times")
        print("    networkx's pure-Python power iteration (_pagerank_python, same stopping rule).")


if __name__ == "__main__":
    main()
