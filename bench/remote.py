"""`make bench-remote`: the generated graph in real stores, the saved queries through `--endpoint`.

Usage: .venv/bin/python bench/remote.py [--triples 1000000] [--runs 3] [--seed 42] [--out dist]

The release of a generated graph (``bench/generate.py``, built and validated as ``bench/run.py``
does) is bulk-loaded with each store's own loader, which is what a graph of this size takes:
``oxigraph load`` then ``oxigraph serve-read-only`` (always), and Debian's Virtuoso 7.2 with
``ld_dir`` + ``rdf_loader_run`` into the named graph pdkg pushes to (when ``virtuoso-t`` is
installed). Every saved query that needs no value then runs ``--runs`` times through pdkg's own
remote path (``pdkg.query.remote.run_remote``, what ``pdkg query --endpoint`` calls), and the
in-process
store answers it too. Written: ``dist/bench-remote.md`` and ``dist/bench-remote.json``. A query a
store truncates (Virtuoso stops at 10,000 rows) or fails is reported as such, not timed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from run import ROOT, project_for
from stages import plain_queries

from pdkg import store
from pdkg.errors import PdkgError
from pdkg.query import engine
from pdkg.query.http import Endpoint
from pdkg.query.push import DEFAULT_GRAPH
from pdkg.query.remote import run_remote

sys.path.insert(0, str(ROOT / "tests"))
from loopback import free_port
from virtuoso import virtuoso_server


def wait_ready(url: str, tries: int = 300) -> None:
    """Wait until the SPARQL endpoint at ``url`` answers an ASK (0.1 s between tries)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)


@contextmanager
def oxigraph(release: Path, folder: Path) -> Iterator[tuple[str, float]]:
    """A read-only Oxigraph server holding ``release``: its query URL and the load seconds."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    location = folder / "oxigraph"
    start = time.perf_counter()
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(release)],
        check=True,
        capture_output=True,
    )
    loaded = time.perf_counter() - start
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_ready(url)
        yield url, loaded
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def virtuoso(release: Path, folder: Path) -> Iterator[tuple[str, float]]:
    """Debian's Virtuoso with ``release`` bulk-loaded into pdkg's named graph."""
    with virtuoso_server(folder / "virtuoso") as server:
        shutil.copy(release, server.directory / "release.nt")
        start = time.perf_counter()
        server.isql(
            f"ld_dir('{server.directory}', 'release.nt', '{DEFAULT_GRAPH}')",
            "rdf_loader_run()",
            "checkpoint",
        )
        yield server.sparql, time.perf_counter() - start


def timings(ask: Callable[[Any], object], queries: dict[str, Any], runs: int) -> dict[str, Any]:
    """The median seconds of each query over ``runs``, or why it has none."""
    result: dict[str, Any] = {}
    for name, saved in queries.items():
        samples = []
        try:
            for _ in range(runs):
                start = time.perf_counter()
                ask(saved)
                samples.append(time.perf_counter() - start)
        except PdkgError as exc:
            result[name] = str(exc).split(" — ")[-1][:120]
            continue
        result[name] = statistics.median(samples)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a request may take")
    args = parser.parse_args()
    work = args.out / "bench-data"
    work.mkdir(parents=True, exist_ok=True)
    case = project_for(args.triples, args.seed, work)
    release = case.release / store.RELEASE
    queries = {n: q for n, q in plain_queries(case.paths).items() if q.form == "SELECT"}
    local = store.open_store(case.release)
    report: dict[str, Any] = {"triples": release.read_bytes().count(b"\n"), "runs": args.runs}
    report["in-process"] = {
        "load": None,
        "queries": timings(lambda q: engine.run_local(q, local), queries, args.runs),
    }
    servers = [("oxigraph", oxigraph, None)]
    if shutil.which("virtuoso-t"):
        servers.append(("virtuoso", virtuoso, DEFAULT_GRAPH))
    else:
        print("virtuoso-t is not installed: Oxigraph only", file=sys.stderr)
    for name, start, graph in servers:
        with (
            tempfile.TemporaryDirectory(dir=work) as folder,
            start(release, Path(folder)) as (url, load),
        ):
            endpoint = Endpoint(url, timeout=args.timeout, default_graph=graph)
            print(f"{name}: loaded in {load:.1f} s", file=sys.stderr)
            report[name] = {
                "load": load,
                "queries": timings(lambda q, e=endpoint: run_remote(q, e), queries, args.runs),
            }
    (args.out / "bench-remote.json").write_text(
        json.dumps(report, indent=1) + "\n", encoding="utf-8"
    )
    (args.out / "bench-remote.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {args.out / 'bench-remote.md'}", file=sys.stderr)


def markdown(report: dict[str, Any]) -> str:
    stores = [key for key in report if isinstance(report[key], dict)]
    lines = [
        f"# Saved queries on {report['triples']:,} triples: in-process and through --endpoint",
        "",
        f"Median of {report['runs']} runs, seconds; the load is each store's bulk loader.",
        "",
        "| query | " + " | ".join(stores) + " |",
        "|---|" + "---|" * len(stores),
    ]
    load = ["load"] + [f"{report[s]['load']:.1f}" if report[s]["load"] else "-" for s in stores]
    lines.append("| " + " | ".join(load) + " |")
    for name in report[stores[0]]["queries"]:
        cells = [name]
        for key in stores:
            value = report[key]["queries"].get(name)
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    totals = ["all (answered)"]
    for key in stores:
        known = [v for v in report[key]["queries"].values() if isinstance(v, float)]
        totals.append(f"{sum(known):.3f} ({len(known)} of {len(report[key]['queries'])})")
    lines.append("| " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
