"""`pdkg serve` against `oxigraph serve-read-only` under a burst of concurrent queries (#14).

Usage: .venv/bin/python bench/serve_load.py [--release dist] [--clients 200] [--runs 3]
       [--workers 2]

Both servers hold the same release (the folder ``pdkg build`` writes; ``oxigraph load`` loads
its ``pdkg.nt`` for Oxigraph) on 127.0.0.1. Each run releases ``--clients`` small SELECTs at once (a
barrier), each on its own connection, and times every request from its start to the end of its
answer; a request that fails counts as failed, not timed. Prints p50 and p99 per server and
run, the wall time of the burst, and how far ``pdkg serve``'s p99 is from Oxigraph's (the goal
of #14: within 3x).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from remote import oxigraph, wait_ready
from run import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from loopback import free_port

#: small SELECTs, each distinct, all answered from the release
QUERY = "SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n} }} }}"


@contextmanager
def pdkg_serve(release: Path, workers: int) -> Iterator[str]:
    """``pdkg serve`` on a free loopback port: its query URL."""
    port = free_port()
    binary = shutil.which("pdkg", path=str(Path(sys.executable).parent)) or "pdkg"
    command = [binary, "--root", str(ROOT), "serve", "--release", str(release)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_ready(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def burst(url: str, clients: int) -> tuple[list[float], int, float]:
    """Every request's seconds, the failures, and the burst's wall time."""
    gate = threading.Barrier(clients)

    def one(n: int) -> float | None:
        query = urllib.parse.urlencode({"query": QUERY.format(n=n)})
        request = urllib.request.Request(
            f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        gate.wait(timeout=60)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except OSError:
            return None
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(1, clients + 1)))
    wall = time.perf_counter() - start
    times = [t for t in results if t is not None]
    return times, len(results) - len(times), wall


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "dist", help="a built release")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    triples = args.release / "pdkg.nt"
    if not triples.is_file():
        print(f"error: no release in {args.release}; run 'make run' (pdkg build) first")
        return 2
    p99: dict[str, list[float]] = {}
    print(f"| server | run | p50 s | p99 s | wall s | failed (of {args.clients}) |")
    print("|---|---:|---:|---:|---:|---:|")
    with (
        tempfile.TemporaryDirectory() as folder,
        oxigraph(triples, Path(folder)) as (oxigraph_url, _),
        pdkg_serve(args.release, args.workers) as pdkg_url,
    ):
        servers = {"oxigraph serve-read-only": oxigraph_url, "pdkg serve": pdkg_url}
        for run in range(1, args.runs + 1):
            for name, url in servers.items():
                times, failed, wall = burst(url, args.clients)
                if not times:
                    print(f"error: every request to {name} failed")
                    return 3
                p99.setdefault(name, []).append(percentile(times, 0.99))
                print(
                    f"| {name} | {run} | {statistics.median(times):.3f} "
                    f"| {percentile(times, 0.99):.3f} | {wall:.2f} | {failed} |"
                )
    ratio = statistics.median(p99["pdkg serve"]) / statistics.median(
        p99["oxigraph serve-read-only"]
    )
    verdict = "met" if ratio <= 3 else "not met"
    print(f"\npdkg serve's median p99 is {ratio:.1f}x Oxigraph's (goal <= 3x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
