"""Steps 4 and 5 of :mod:`pdkg.analytics.figures.layout`: x coordinates and the lines' geometry.

x coordinates: each item moves to the weighted mean of its neighbours in the adjacent rows
(straight dummy chains weigh most), then the row is projected back onto its order with its
spacing kept (isotonic regression, pool adjacent violators). Lines leave and enter boxes at
ports spread over the box's side, and their corners are rounded by sampled Bezier arcs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
#: horizontal space between two items of a row; width of one line through a dummy
GAP_X, LANE = 0.32, 0.09
#: ports: spacing of the lines leaving one side of a box; radius of the rounded corners
PORT, ROUND = 0.16, 0.09
#: sweeps of the coordinate relaxation
RELAX = 60


def coordinates(
    rows: list[list[str]], weight: Mapping[tuple[str, str], float], width: Mapping[str, float]
) -> dict[str, float]:
    near: dict[str, dict[str, float]] = {}
    for (a, b), w in weight.items():
        near.setdefault(a, {})[b] = w
        near.setdefault(b, {})[a] = w
    x: dict[str, float] = {}
    for row in rows:
        at = 0.0
        for j, n in enumerate(row):
            at += 0.0 if j == 0 else (width[row[j - 1]] + width[n]) / 2 + GAP_X
            x[n] = at
        x.update({n: x[n] - at / 2 for n in row})
    for sweep in range(RELAX):
        order = rows if sweep % 2 else rows[::-1]
        for row in order:
            want, mass = [], []
            for n in row:
                ws = near.get(n, {})
                total = sum(ws.values())
                want.append(sum(x[m] * w for m, w in ws.items()) / total if total else x[n])
                mass.append(total or 0.1)
            gaps = [(width[a] + width[b]) / 2 + GAP_X for a, b in itertools.pairwise(row)]
            x.update(zip(row, project(want, mass, gaps), strict=True))
    return x


def project(want: list[float], mass: list[float], gaps: list[float]) -> list[float]:
    """The positions nearest ``want`` (weighted least squares) that keep the order and gaps."""
    offset = [0.0]
    for g in gaps:
        offset.append(offset[-1] + g)
    blocks: list[list[float]] = []  # [weighted sum, mass, count]
    for t, m, o in zip(want, mass, offset, strict=True):
        blocks.append([(t - o) * m, m, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, w, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += w
            blocks[-1][2] += c
    out: list[float] = []
    for s, w, c in blocks:
        out += [s / w] * int(c)
    return [v + o for v, o in zip(out, offset, strict=True)]


def ports(
    chain: Mapping[tuple[str, str], list[str]],
    channels: Mapping[tuple[str, str], list[tuple[str, str, str]]],
    x: Mapping[str, float],
    boxes: Mapping[str, Box],
) -> dict[tuple[str, str, int], tuple[float, float]]:
    """Where each line leaves the top of its lower box and enters the bottom of its higher one:
    spread over the side, in the order of the next point, so lines do not cross at the box."""
    sides: dict[tuple[str, str], list[tuple[float, float, tuple[str, str, int]]]] = {}
    for (lo, hi), items in chain.items():
        n = len(channels[lo, hi])
        for k in range(n):
            off = LANE * (k - (n - 1) / 2)
            sides.setdefault((lo, "top"), []).append((x[items[1]] + off, off, (lo, hi, k)))
            sides.setdefault((hi, "bottom"), []).append((x[items[-2]] + off, off, (lo, hi, k)))
    ports: dict[tuple[str, str, int], list[float]] = {}
    for (node, side), members in sorted(sides.items()):
        members.sort()
        x0, _, x1, _ = boxes[node]
        step = min(PORT, 0.7 * (x1 - x0) / max(len(members), 1))
        for j, (_, _, line) in enumerate(members):
            at = (x0 + x1) / 2 + step * (j - (len(members) - 1) / 2)
            ports.setdefault(line, [0.0, 0.0])[0 if side == "top" else 1] = at
    return {k: (v[0], v[1]) for k, v in ports.items()}


def rounded(points: list[Point]) -> list[Point]:
    """The polyline with each corner replaced by a sampled quadratic Bezier arc of radius at most
    :data:`ROUND` (it stays in the triangle of the corner and its two neighbouring points)."""
    clean = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    out = [clean[0]]
    for prev, here, nxt in zip(clean, clean[1:], clean[2:], strict=False):
        a, b = toward(here, prev), toward(here, nxt)
        turn = (here[0] - prev[0]) * (nxt[1] - here[1]) - (here[1] - prev[1]) * (nxt[0] - here[0])
        if abs(turn) < 1e-9:  # straight on
            out.append(here)
            continue
        out.append(a)
        for t in (i / 6 for i in range(1, 6)):
            out.append(
                (
                    (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * here[0] + t**2 * b[0],
                    (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * here[1] + t**2 * b[1],
                )
            )
        out.append(b)
    out.append(clean[-1])
    return [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]


def toward(here: Point, there: Point) -> Point:
    """The point :data:`ROUND` from ``here`` toward ``there``, at most half-way."""
    dx, dy = there[0] - here[0], there[1] - here[1]
    step = min(ROUND, (dx * dx + dy * dy) ** 0.5 / 2) / ((dx * dx + dy * dy) ** 0.5)
    return (here[0] + dx * step, here[1] + dy * step)
