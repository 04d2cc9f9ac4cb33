"""Time the saved query ``control-chain`` for random actors of a generated national graph.

    .venv/bin/python bench/control_chain.py                      # 1M triples, 50 actors
    .venv/bin/python bench/control_chain.py --triples 100000 --actors 20 --query old.rq

The graph is built as ``make bench`` builds it (``run.project_for``: seed 42, no violations);
the store is opened once and the query run for each actor, so the times are the engine's, not
the store's loading. ``--query`` times another text of the query (e.g. an earlier version from
``git show``) on the same actors. Prints the median and the largest time, and the largest depth.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, project_for

from pdkg.query import engine
from pdkg.query.saved import get_query, parse_query
from pdkg.store import open_release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=50)
    parser.add_argument("--query", type=Path, default=None, help="another text of the query")
    args = parser.parse_args(argv)
    query = get_query(ROOT / "queries", "control-chain")
    if args.query is not None:
        query = parse_query("control-chain", args.query.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        case = project_for(args.triples, 42, Path(folder))
        store = open_release(case.paths)
        edges = engine.run_local(get_query(ROOT / "queries", "network-supervision"), store, {})
        actors = sorted({str(row["source"]) for row in edges.to_dicts()})
        sample = random.Random(1).sample(actors, min(args.actors, len(actors)))
        times, deepest = [], 0
        for actor in sample:
            start = time.perf_counter()
            answer = engine.run_local(query, store, {"actor": actor})
            times.append(time.perf_counter() - start)
            deepest = max([deepest, *(int(r[0]) for r in answer.rows if r[0] is not None)])
        print(
            f"control-chain at {len(store):,} triples, {len(sample)} of {len(actors):,} actors: "
            f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms, "
            f"largest depth {deepest}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
