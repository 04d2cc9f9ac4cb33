"""Time the full saved-query set locally (in-process Oxigraph) and through a loopback server.

Usage: .venv/bin/python bench/queries_local_vs_remote.py [--repeat 5]
Needs a built release (make run) and the `oxigraph` server from the dev extra. Federated queries
are left out (they would go online); everything else runs with its example parameters.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pdkg.engine import run_local
from pdkg.http_client import Endpoint
from pdkg.paths import find_root
from pdkg.queries import load_queries
from pdkg.remote import run_remote
from pdkg.serve import load_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--port", type=int, default=7931)
    args = parser.parse_args()
    paths = find_root()
    release = paths.dist / "pdkg.nt"
    saved = [
        q
        for n, q in sorted(load_queries(paths.queries).items())
        if not n.startswith("construct-") and all(p.type != "endpoint" for p in q.params)
    ]
    store = load_store(release)
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    with tempfile.TemporaryDirectory() as location:
        subprocess.run(
            [binary, "load", "--location", location, "--file", str(release)],
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{args.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{args.port}/query"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            endpoint = Endpoint(url)
            for label, run in (
                ("local ", lambda q: run_local(q, store, q.example)),
                ("remote", lambda q: run_remote(q, endpoint, q.example)),
            ):
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    for query in saved:
                        run(query)
                    times.append(time.perf_counter() - start)
                print(
                    f"{label}: {len(saved)} queries, median "
                    f"{statistics.median(times) * 1000:.0f} ms per full set "
                    f"(min {min(times) * 1000:.0f} ms, {args.repeat} runs)"
                )
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
