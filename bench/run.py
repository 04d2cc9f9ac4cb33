"""`make bench`: every stage of pdkg at 10k, 100k and 1M triples, against a plain baseline.

Usage: .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--huge] [--runs 3]
       [--cap 300] [--seed 42] [--out dist]

For each size, ``bench/generate.py`` writes a graph that conforms to the shapes into a project
of its own (the real ontology, shapes, rules and queries; the generated file as its graph),
whose store is built once (not validated: see ``project_for``). Each stage (``bench/stages.py``)
then runs ``--runs`` times, each time in a fresh process: setup untimed, the work timed; the
child's peak RSS (imports and setup included) is kept. A run past ``--cap`` seconds is stopped
and the stage shows "> cap"; a side that passed the cap at one size is not run at larger ones.
Written: ``dist/bench.md`` and ``dist/bench.json`` with the median seconds, peak RSS, the ratio
baseline / pdkg, and the growth exponent between sizes (``log(t2 / t1) / log(n2 / n1)``, n the
release's triples; 1 is linear).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generate import generate
from stages import STAGES, Case, Parts, Stage

from pdkg import store
from pdkg.load import load_release_store
from pdkg.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 100_000, 1_000_000)
HUGE = 10_000_000
Result = dict[str, Any]


def project_for(size: int, seed: int, folder: Path) -> Case:
    """A project holding a generated graph of about ``size`` triples, its store built."""
    root = folder / f"project-{size}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "graph").mkdir(parents=True)
    for shared in ("ontology", "queries", "wikidata"):
        (root / shared).symlink_to(ROOT / shared)
    data = root / "graph" / "generated.nt"
    generate(size, seed, 0.0).write(data)
    paths = ProjectPaths(root)
    # the store every reading stage opens; not validated here (pySHACL alone would take most of
    # an hour at 1M): the generator's output conforms by construction, tests/test_generate.py
    # checks it does at sizes pySHACL can validate
    release = load_release_store(paths)
    store.write_store(paths.release_store, store.ntriples(release), store.project_inputs(paths))
    return Case(paths, data, paths.release_store)


def _child(
    setup: Callable[[Case], Any], work: Callable[[Any], Parts], case: Case, pipe: Connection
) -> None:
    try:
        parts = work(setup(case))
        pipe.send((parts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    except Exception as exc:  # reported in the table, not hidden
        pipe.send(f"{type(exc).__name__}: {exc}")
    pipe.close()


def run_once(
    setup: Callable[[Case], Any], work: Callable[[Any], Parts], case: Case, cap: float
) -> tuple[Parts, float] | str | None:
    """One run in a fresh child process: (seconds per part, peak RSS in MB), an error, or None
    past ``cap`` seconds (the child's start and imports are not timed, but count against cap)."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: its own peak RSS
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(setup, work, case, sender))
    child.start()
    sender.close()
    try:
        if not receiver.poll(cap):
            return None
        answer: tuple[Parts, float] | str = receiver.recv()
        return answer
    except EOFError:
        return "the process died (out of memory?)"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def measure(stage: Stage, side: str, case: Case, runs: int, cap: float) -> Result:
    """The median seconds of each part over ``runs`` runs and the peak RSS, or why not."""
    setup = stage.setup if side == "pdkg" or stage.baseline_setup is None else stage.baseline_setup
    work = stage.pdkg if side == "pdkg" else stage.baseline
    samples: list[Parts] = []
    peak = 0.0
    for _ in range(runs):
        outcome = run_once(setup, work, case, cap)
        if outcome is None:
            return {"capped": cap}
        if isinstance(outcome, str):
            return {"error": outcome}
        samples.append(outcome[0])
        peak = max(peak, outcome[1])
    parts = {name: statistics.median(s[name] for s in samples) for name in samples[0]}
    return {"seconds": parts, "peak_mb": round(peak, 1)}


def exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    if t1 <= 0 or t2 <= 0 or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="triples, comma-separated"
    )
    parser.add_argument("--huge", action="store_true", help=f"add {HUGE:,} triples")
    parser.add_argument("--runs", type=int, default=3, help="runs per stage (median; default 3)")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds per run (default 300)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--only", default="", help="stages to run, comma-separated (default all)")
    args = parser.parse_args()
    try:
        sizes = [int(s) for s in args.sizes.split(",")] + ([HUGE] if args.huge else [])
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    chosen = [s for s in STAGES if not args.only or s.name in args.only.split(",")]
    work_dir = args.out / "bench-data"
    work_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"runs": args.runs, "cap": args.cap, "seed": args.seed, "sizes": []}
    over_cap: set[tuple[str, str]] = set()
    for size in sizes:
        start = time.perf_counter()
        case = project_for(size, args.seed, work_dir)
        triples = int(json.loads((case.release / store.MANIFEST).read_text())["triples"])
        print(
            f"{size:,}: {triples:,} triples in the release "
            f"({time.perf_counter() - start:.0f} s to prepare)",
            file=sys.stderr,
        )
        entry: dict[str, Any] = {"requested": size, "triples": triples, "stages": {}}
        for stage in chosen:
            results = {}
            for side in ("pdkg", "baseline"):
                if (stage.name, side) in over_cap:
                    results[side] = {"capped": args.cap, "skipped": True}
                    continue
                results[side] = measure(stage, side, case, args.runs, args.cap)
                if "capped" in results[side]:
                    over_cap.add((stage.name, side))
                print(f"  {stage.name} {side}: {brief(results[side])}", file=sys.stderr)
            entry["stages"][stage.name] = results
        report["sizes"].append(entry)
    from report import markdown

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}", file=sys.stderr)


def brief(result: Result) -> str:
    if "seconds" not in result:
        return json.dumps(result)
    total = sum(result["seconds"].values())
    return f"{total:.3f} s, {result['peak_mb']} MB"


if __name__ == "__main__":
    main()
