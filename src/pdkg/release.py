"""`pdkg build`: load, apply the rules, validate and write the release, atomically."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from pdkg import engine, render
from pdkg.disagreements import count_by_kind, find_disagreements
from pdkg.dl import dl_variant
from pdkg.docs import write_ontology_docs
from pdkg.engine import run_local
from pdkg.errors import BuildError
from pdkg.graph import load_project
from pdkg.paths import ProjectPaths
from pdkg.queries import get_query, load_queries
from pdkg.table import Answer, ResultTable
from pdkg.validate import ValidationReport, release_graph, validate
from pdkg.vocab import bind_prefixes
from pdkg.wikidata.publish import FILES as WIKIDATA_FILES
from pdkg.wikidata.publish import WikidataSummary, write_wikidata

log = logging.getLogger(__name__)

T = TypeVar("T")
RELEASE_FILES = (
    "pdkg.ttl",
    "pdkg.nt",
    "pdkg.jsonld",
    "pdkg-dl.nt",
    "void.ttl",
    "validation.txt",
    "disagreements.csv",
    *WIKIDATA_FILES,
    "queries",
    "docs",
    "figures",
)
QUERY_RESULTS = "queries"
DISAGREEMENTS = "disagreements.csv"


@dataclass(frozen=True)
class BuildResult:
    """What a build did: sizes, counts, the validation report and the seconds per stage."""

    report: ValidationReport
    triples: int
    inferred: int
    counts: ResultTable
    seconds: dict[str, float] = field(default_factory=dict)
    out: Path | None = None
    disagreements: dict[str, int] = field(default_factory=dict)
    wikidata: WikidataSummary | None = None

    @property
    def conforms(self) -> bool:
        return self.report.conforms


def build_release(paths: ProjectPaths, *, out: Path, data: list[Path] | None = None) -> BuildResult:
    """Build the release of the project at ``paths`` into ``out``.

    When the graph does not conform, nothing is written and the previous ``out`` stays as it was
    (check ``result.conforms``).

    Raises:
        GraphLoadError: an input file is bad.
        BuildError: the release directory cannot be written.
    """
    seconds: dict[str, float] = {}
    project = _timed(seconds, "load", lambda: load_project(paths, data=data))
    release, inferred = _timed(seconds, "rules", lambda: release_graph(project))
    report = _timed(seconds, "validate", lambda: validate(release, project.shapes))
    store = _timed(seconds, "index", lambda: engine.to_store(release))
    counts = _table(run_local(get_query(paths.queries, "entity-counts"), store))
    result = BuildResult(report, len(release), len(inferred), counts, seconds)
    if not report.conforms:
        return result
    disagreements = find_disagreements(
        lambda name: run_local(get_query(paths.queries, name), store),
        list(load_queries(paths.queries)),
    )
    wikidata = _timed(
        seconds,
        "write",
        lambda: _write(out, release, store, paths, report, project.ontology, disagreements),
    )
    return BuildResult(
        report,
        len(release),
        len(inferred),
        counts,
        seconds,
        out,
        count_by_kind(disagreements),
        wikidata,
    )


def release_store(paths: ProjectPaths, *, data: list[Path] | None = None) -> ox.Store:
    """Load the project (or ``data``), apply the rules and index the result for SPARQL."""
    release, _ = release_graph(load_project(paths, data=data))
    return engine.to_store(release)


def _table(answer: Answer) -> ResultTable:
    if not isinstance(answer, ResultTable):
        raise BuildError(Path("queries"), "a query the release reads must be a SELECT query")
    return answer


def _timed(seconds: dict[str, float], stage: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = work()
    seconds[stage] = time.perf_counter() - start
    log.info("%s: %.2f s", stage, seconds[stage])
    return value


def _write(
    out: Path,
    release: Graph,
    store: ox.Store,
    paths: ProjectPaths,
    report: ValidationReport,
    ontology: Graph,
    disagreements: ResultTable,
) -> WikidataSummary:
    queries_dir = paths.queries
    void = bind_prefixes(Graph())
    for triple in engine.construct(store, get_query(queries_dir, "construct-void").text):
        void.add(triple)
    with _atomic_directory(out) as staging:
        release.serialize(staging / "pdkg.ttl", format="turtle", encoding="utf-8")
        release.serialize(staging / "pdkg.nt", format="nt", encoding="utf-8")
        release.serialize(
            staging / "pdkg.jsonld", format="json-ld", encoding="utf-8", auto_compact=True
        )
        dl_variant(release).serialize(staging / "pdkg-dl.nt", format="nt", encoding="utf-8")
        void.serialize(staging / "void.ttl", format="turtle", encoding="utf-8")
        (staging / "validation.txt").write_text(
            render.render_report(report, "text"), encoding="utf-8"
        )
        _write_query_results(staging / QUERY_RESULTS, store, queries_dir)
        (staging / DISAGREEMENTS).write_text(
            render.render_table(disagreements, "csv"), encoding="utf-8"
        )
        write_ontology_docs(ontology, staging / "docs")
        from pdkg.figures import write_all  # matplotlib: only when a release is written

        write_all(
            lambda name: _table(run_local(get_query(queries_dir, name), store)),
            staging / "figures",
        )
        return write_wikidata(
            staging,
            lambda name, params: run_local(get_query(queries_dir, name), store, params),
            paths,
        )


def _write_query_results(directory: Path, store: ox.Store, queries_dir: Path) -> None:
    """Write the CSV results of every saved SELECT query that runs without parameters given.

    Federated queries (an ``endpoint`` parameter) are left out: a build never goes online.
    """
    directory.mkdir()
    for name, saved in load_queries(queries_dir).items():
        if saved.form != "SELECT" or any(p.required or p.type == "endpoint" for p in saved.params):
            continue
        table = _table(run_local(saved, store))
        (directory / f"{name}.csv").write_text(render.render_table(table, "csv"), encoding="utf-8")


@contextmanager
def _atomic_directory(out: Path) -> Iterator[Path]:
    """Yield a staging directory beside ``out``; on success swap it in, on failure drop it.

    Whatever fails, the previous release is in place afterwards (or, if even restoring it
    fails, the error says where it is).
    """
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
        staging.chmod(0o755)
    except OSError as exc:
        raise BuildError(out, f"cannot create a staging directory ({exc.strerror})") from None
    try:
        yield staging
        _swap_in(staging, out)
    except OSError as exc:
        raise BuildError(out, f"{exc.strerror}: {exc.filename}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames, putting ``out`` back if the second fails."""
    previous = out.with_name(f".{out.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    had_release = out.exists()
    if had_release:
        out.rename(previous)  # on failure nothing has moved yet
    try:
        staging.rename(out)
    except OSError as exc:
        if had_release:
            try:
                previous.rename(out)
            except OSError:
                raise BuildError(
                    out,
                    f"{exc.strerror}, and the previous release could not be put back: "
                    f"it is in {previous}",
                ) from None
        raise BuildError(out, f"cannot move the new release in place ({exc.strerror})") from None
    shutil.rmtree(previous, ignore_errors=True)
