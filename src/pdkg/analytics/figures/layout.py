"""A layered (Sugiyama-style) layout of a small directed graph, in pure Python (no graphviz).

1. Rows by the longest chain from the root, after reversing the edges that close a cycle (the
   back edges of a depth-first search from the root); chosen nodes can be lifted to the top row.
2. A dummy node on every row that an edge skips, so that every segment joins adjacent rows.
3. Barycentre sweeps, down and up, with the dummies, and swaps of neighbours that remove
   crossings; the ordering with the fewest crossings is kept.
4. x coordinates: each item moves to the weighted mean of its neighbours in the adjacent rows
   (straight dummy chains weigh most), then the row is projected back onto its order with its
   spacing kept (isotonic regression, pool adjacent violators).
5. Routing: an edge leaves its box vertically to the row's lane line, crosses the gap between two
   rows diagonally, passes each row it skips vertically at its dummy, and enters the other box
   vertically; corners are rounded by short Bezier arcs, sampled into the polyline.

Within a row nothing lies between the boxes but dummies, and between the rows nothing but
diagonals, so no route crosses a box it does not end at (the figure tests check it). Units are
inches; ``y`` grows upward from the root's row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from pdkg.analytics.figures import placement
from pdkg.analytics.figures.placement import LANE, Box, Point

#: vertical space between the boxes of two rows
GAP_Y = 0.8
#: vertical stubs above and below a row's tallest box; width of a dummy
STUB, DUMMY = 0.14, 0.14
#: barycentre sweeps of the ordering
SWEEPS = 12


@dataclass(frozen=True)
class Route:
    """One line drawn for an edge: ``points`` run from ``source``'s box to ``target``'s."""

    source: str
    target: str
    family: str
    points: tuple[Point, ...]

    def segments(self) -> Iterable[tuple[Point, Point]]:
        return zip(self.points, self.points[1:], strict=False)


@dataclass(frozen=True)
class Layered:
    """Rows (bottom-up, left to right, real nodes only), boxes and routes, in inches."""

    rows: tuple[tuple[str, ...], ...]
    boxes: dict[str, Box]
    routes: tuple[Route, ...]
    width: float
    height: float
    dummies: dict[tuple[str, str], tuple[Point, ...]] = field(default_factory=dict)

    def shifted(self, dx: float, dy: float) -> Layered:
        def move(p: Point) -> Point:
            return (p[0] + dx, p[1] + dy)

        boxes = {
            n: (x0 + dx, y0 + dy, x1 + dx, y1 + dy) for n, (x0, y0, x1, y1) in self.boxes.items()
        }
        routes = tuple(
            Route(r.source, r.target, r.family, tuple(map(move, r.points))) for r in self.routes
        )
        dummies = {k: tuple(map(move, v)) for k, v in self.dummies.items()}
        return Layered(self.rows, boxes, routes, self.width, self.height, dummies)


def ranks(graph: nx.DiGraph, root: str, top: Iterable[str] = ()) -> dict[str, int]:
    """Row of every node: its longest chain from ``root`` once the edges closing a cycle are
    reversed; the nodes of ``top`` (they must have no out-edges) go to the highest row."""
    key = _key(graph)
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack = [(root, iter(sorted(graph.successors(root), key=key)))]
    state[root] = 1
    while stack:
        node, todo = stack[-1]
        nxt = next(todo, None)
        if nxt is None:
            state[node] = 2
            stack.pop()
        elif state.get(nxt) == 1:
            back.add((node, nxt))
        elif nxt not in state:
            state[nxt] = 1
            stack.append((nxt, iter(sorted(graph.successors(nxt), key=key))))
    dag = nx.DiGraph([e for e in graph.edges if e not in back])
    dag.add_nodes_from(graph)
    rank: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        rank[node] = max((rank[p] + 1 for p in dag.predecessors(node)), default=0)
    highest = max(rank.values(), default=0)
    rank.update({n: highest for n in top})
    return rank


def layered(
    graph: nx.DiGraph,
    root: str,
    sizes: Mapping[str, tuple[float, float]],
    lines: Mapping[tuple[str, str], Sequence[str]],
    *,
    top: Iterable[str] = (),
) -> Layered:
    """Lay out ``graph`` (edges pointing up) in rows above ``root``.

    Args:
        graph: the nodes and edges; node ``label`` attributes order ties.
        root: the node of the bottom row.
        sizes: node -> box (width, height).
        lines: edge -> the families drawn for it, one line each (default: one line, "").
        top: nodes lifted to the highest row (nodes without out-edges).

    Raises:
        ValueError: a node of ``top`` has an out-edge to a node of the highest row.
    """
    rank = ranks(graph, root, top)
    key = _key(graph)
    # a channel joins a lower and a higher node; an edge and its reverse share one
    channels: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for s, t in sorted(graph.edges, key=lambda e: (key(e[0]), key(e[1]))):
        if rank[s] == rank[t]:  # only a lifted node with an out-edge can share its row
            raise ValueError(f"{s} and {t} share a row: a node of top has an out-edge")
        lo, hi = (s, t) if rank[s] < rank[t] else (t, s)
        for fam in lines.get((s, t)) or [""]:
            channels.setdefault((lo, hi), []).append((s, t, fam))
    n_rows = max(rank.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(n_rows)]
    for node in sorted(graph, key=key):
        rows[rank[node]].append(node)
    chain: dict[tuple[str, str], list[str]] = {}
    width: dict[str, float] = {n: sizes[n][0] for n in graph}
    for (lo, hi), members in channels.items():
        dummies = [f"\0{lo}\0{hi}\0{r}" for r in range(rank[lo] + 1, rank[hi])]
        for r, d in zip(range(rank[lo] + 1, rank[hi]), dummies, strict=True):
            rows[r].append(d)
            width[d] = DUMMY + LANE * (len(members) - 1)
        chain[lo, hi] = [lo, *dummies, hi]
    weight: dict[tuple[str, str], float] = {}
    for (_lo, _hi), items in chain.items():
        n = len(channels[_lo, _hi])
        for a, b in itertools.pairwise(items):
            straight = (1.0, 2.0, 8.0)[a.startswith("\0") + b.startswith("\0")]
            weight[a, b] = weight.get((a, b), 0.0) + n * straight
    rows = _order(rows, weight, key)
    x = placement.coordinates(rows, weight, width)
    # y: every row as tall as its tallest box, GAP_Y between the boxes of two rows
    half = [max((sizes[n][1] / 2 for n in row if n in sizes), default=0.0) for row in rows]
    y = [half[0]]
    for i in range(1, n_rows):
        y.append(y[-1] + half[i - 1] + GAP_Y + half[i])
    boxes: dict[str, Box] = {}
    for i, row in enumerate(rows):
        for node in row:
            if node in sizes:
                w, h = sizes[node]
                boxes[node] = (x[node] - w / 2, y[i] - h / 2, x[node] + w / 2, y[i] + h / 2)
    ports = placement.ports(chain, channels, x, boxes)
    routes: list[Route] = []
    lanes: dict[tuple[str, str], tuple[Point, ...]] = {}
    for (lo, hi), items in chain.items():
        members = channels[lo, hi]
        for k, (s, t, fam) in enumerate(members):
            off = LANE * (k - (len(members) - 1) / 2)
            lo_x, hi_x = ports[lo, hi, k]
            pts: list[Point] = [(lo_x, boxes[lo][3]), (lo_x, y[rank[lo]] + half[rank[lo]] + STUB)]
            for d in items[1:-1]:
                r = rank[lo] + items.index(d)
                pts += [(x[d] + off, y[r] - half[r] - STUB), (x[d] + off, y[r] + half[r] + STUB)]
            pts += [(hi_x, y[rank[hi]] - half[rank[hi]] - STUB), (hi_x, boxes[hi][1])]
            pts = placement.rounded(pts)
            routes.append(Route(s, t, fam, tuple(pts if s == lo else reversed(pts))))
        lanes[lo, hi] = tuple((x[d], y[rank[lo] + j + 1]) for j, d in enumerate(items[1:-1]))
    left = min((b[0] for b in boxes.values()), default=0.0)
    left = min([left, *(p[0] - LANE for r in routes for p in r.points)])
    right = max((b[2] for b in boxes.values()), default=0.0)
    right = max([right, *(p[0] + LANE for r in routes for p in r.points)])
    real = tuple(tuple(n for n in row if n in sizes) for row in rows)
    out = Layered(real, boxes, tuple(routes), right - left, y[-1] + half[-1], lanes)
    return out.shifted(-left, 0.0)


def crossings(rows: Sequence[Sequence[str]], weight: Mapping[tuple[str, str], float]) -> float:
    """Weighted crossings of the segments between adjacent rows."""
    total = 0.0
    for low, high in itertools.pairwise(rows):
        at_low, at_high = {n: i for i, n in enumerate(low)}, {n: i for i, n in enumerate(high)}
        segs = [
            (at_low[a], at_high[b], w)
            for (a, b), w in weight.items()
            if a in at_low and b in at_high
        ]
        for i, (a1, b1, w1) in enumerate(segs):
            for a2, b2, w2 in segs[i + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += w1 * w2
    return total


def _key(graph: nx.DiGraph) -> Callable[[str], tuple[str, str]]:
    return lambda n: (str(graph.nodes[n].get("label", "")) if n in graph else "", n)


def _order(
    rows: list[list[str]], weight: Mapping[tuple[str, str], float], key: Callable[[str], object]
) -> list[list[str]]:
    """Barycentre sweeps with neighbour swaps; the ordering with the fewest crossings."""
    below: dict[str, dict[str, float]] = {}
    above: dict[str, dict[str, float]] = {}
    for (a, b), w in weight.items():
        above.setdefault(a, {})[b] = w
        below.setdefault(b, {})[a] = w

    def sort(row: list[str], ref: list[str], near: dict[str, dict[str, float]]) -> list[str]:
        pos = {n: i - (len(ref) - 1) / 2 for i, n in enumerate(ref)}
        mine = {n: i - (len(row) - 1) / 2 for i, n in enumerate(row)}

        def centre(n: str) -> float:
            ws = near.get(n, {})
            total = sum(ws.values())
            return sum(pos[m] * w for m, w in ws.items()) / total if total else mine[n]

        return sorted(row, key=lambda n: (centre(n), mine[n]))

    rows = [list(r) for r in rows]
    for i in range(1, len(rows)):  # a first sweep up from the root
        rows[i] = sort(rows[i], rows[i - 1], below)
    best, fewest = [list(r) for r in rows], crossings(rows, weight)
    for sweep in range(SWEEPS):
        order = range(1, len(rows)) if sweep % 2 else range(len(rows) - 2, -1, -1)
        for i in order:
            rows[i] = (
                sort(rows[i], rows[i - 1], below)
                if sweep % 2
                else sort(rows[i], rows[i + 1], above)
            )
        _swap(rows, weight)
        now = crossings(rows, weight)
        if now < fewest:
            best, fewest = [list(r) for r in rows], now
    return best


def _swap(rows: list[list[str]], weight: Mapping[tuple[str, str], float]) -> None:
    improved = True
    while improved:
        improved = False
        for row in rows:
            for j in range(len(row) - 1):
                before = crossings(rows, weight)
                row[j], row[j + 1] = row[j + 1], row[j]
                if crossings(rows, weight) < before:
                    improved = True
                else:
                    row[j], row[j + 1] = row[j + 1], row[j]
