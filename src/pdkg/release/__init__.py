"""`pdkg build`: load, apply the rules, validate and write the release, atomically."""

from __future__ import annotations

import functools
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from pdkg import store
from pdkg.errors import BuildError
from pdkg.files import atomic_directory
from pdkg.load import load_graph
from pdkg.national import national_report
from pdkg.national.report import NationalReport
from pdkg.paths import ProjectPaths
from pdkg.query.disagreements import count_by_kind, find_disagreements
from pdkg.query.engine import run_local
from pdkg.query.saved import get_query, load_queries
from pdkg.query.table import Answer, ResultTable
from pdkg.release import jsonld, parts
from pdkg.release.dl import dl_triples
from pdkg.release.docs import write_ontology_docs
from pdkg.rules import derive, load_rules
from pdkg.validation import ValidationReport, validate_store
from pdkg.vocab import bind_prefixes
from pdkg.wikidata.publish import FILES as WIKIDATA_FILES
from pdkg.wikidata.publish import WikidataSummary, write_wikidata

log = logging.getLogger(__name__)

T = TypeVar("T")
RELEASE_FILES = (
    "pdkg.ttl",
    "pdkg.nt",
    "pdkg.jsonld",
    *(f"{part}.ttl" for part in parts.PARTS),
    parts.TRIG,
    parts.CONTEXT,
    "pdkg-dl.nt",
    "store",
    "void.ttl",
    "validation.txt",
    "disagreements.csv",
    *WIKIDATA_FILES,
    "queries",
    "docs",
    "figures",
)
QUERY_RESULTS = "queries"
FIGURES_DIGEST = ".inputs.sha256"  # in figures/: the digest of what they were drawn from
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
    dataset = _timed(seconds, "load", lambda: parts.load_parts(paths, data))
    indexed = parts.merged(dataset)
    triples = len(indexed)
    rules = load_rules(load_graph([paths.rules]))
    derived = _timed(seconds, "rules", lambda: derive(indexed, rules))
    parts.add_derived(dataset, derived)
    inferred = len(derived)
    inputs = store.project_inputs(paths, data)
    shapes = load_graph([paths.shapes])
    report = _timed(seconds, "validate", lambda: validate_store(indexed, shapes))
    counts = _table(run_local(get_query(paths.queries, "entity-counts"), indexed))
    result = BuildResult(report, triples + inferred, inferred, counts, seconds)
    if not report.conforms:
        return result
    disagreements = find_disagreements(
        lambda name: run_local(get_query(paths.queries, name), indexed),
        list(load_queries(paths.queries)),
    )
    national = national_report(paths) if data is None and paths.national.is_dir() else None
    wikidata = _timed(
        seconds,
        "write",
        lambda: _write(out, indexed, dataset, paths, report, disagreements, inputs, national),
    )
    return BuildResult(
        report,
        triples + inferred,
        inferred,
        counts,
        seconds,
        out,
        count_by_kind(disagreements),
        wikidata,
    )


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
    indexed: ox.Store,
    dataset: ox.Store,
    paths: ProjectPaths,
    report: ValidationReport,
    disagreements: ResultTable,
    inputs: dict[str, str],
    national: NationalReport | None,
) -> WikidataSummary:
    queries_dir = paths.queries
    # each saved SELECT runs once: the query results, the figures and their digest share it
    select = functools.cache(lambda name: _table(run_local(get_query(queries_dir, name), indexed)))
    # the VoID reads the parts, so it runs on the dataset (its default graph: their union)
    modified = parts.release_date(paths.root)
    described = run_local(
        get_query(queries_dir, "construct-void"),
        dataset,
        {"modified": modified} if modified else {},
    )
    void = bind_prefixes(Graph())
    for triple in described if isinstance(described, Graph) else ():
        void.add(triple)
    ontology = load_graph([paths.ontology, *paths.vocab])
    with atomic_directory(out) as staging:
        prefixes = {name: str(iri) for name, iri in bind_prefixes(Graph()).namespaces()}
        release_nt = store.ntriples(indexed)
        store.write_readable(release_nt, staging / "pdkg.ttl", prefixes)
        (staging / "pdkg.nt").write_bytes(release_nt)
        parts.write_parts(dataset, staging, prefixes)
        context = parts.context(ontology, prefixes)
        (staging / parts.CONTEXT).write_text(json.dumps(context, indent=1) + "\n", encoding="utf-8")
        every = indexed.quads_for_pattern(None, None, None, ox.DefaultGraph())
        (staging / "pdkg.jsonld").write_text(
            jsonld.compact((q.triple for q in every), context, parts.CONTEXT), encoding="utf-8"
        )
        store.write_store(staging / "store", release_nt, inputs)
        ox.serialize(dl_triples(indexed), str(staging / "pdkg-dl.nt"), ox.RdfFormat.N_TRIPLES)
        void.serialize(staging / "void.ttl", format="turtle", encoding="utf-8")
        (staging / "validation.txt").write_text(report.to_text(), encoding="utf-8")
        _write_query_results(staging / QUERY_RESULTS, select, queries_dir)
        (staging / DISAGREEMENTS).write_text(disagreements.to_csv(), encoding="utf-8")
        if national is not None:
            (staging / "national-report.txt").write_text(national.to_text(), encoding="utf-8")
            (staging / "national-matches.csv").write_text(national.to_csv(), encoding="utf-8")
        write_ontology_docs(ontology, staging / "docs")
        points = paths.national_points if national is not None else None
        if points is not None and not points.is_file():
            log.info("figures: no %s, no map of the twinnings per province", points)
            points = None
        _draw_figures(select, staging / "figures", out / "figures", points)
        return write_wikidata(
            staging,
            lambda name, params: run_local(get_query(queries_dir, name), indexed, params),
            paths,
        )


def _draw_figures(
    fetch: Callable[[str], ResultTable], directory: Path, previous: Path, points: Path | None
) -> None:
    """Draw the figures into ``directory`` (the national map too, with ``points``), or copy the
    previous release's when what they are drawn from has not changed (drawing takes seconds;
    the digest milliseconds)."""
    from pdkg.analytics.figure_inputs import inputs_digest

    digest = inputs_digest(fetch, points)
    try:
        if (previous / FIGURES_DIGEST).read_text(encoding="utf-8") == digest:
            shutil.copytree(previous, directory)
            log.info("figures: their inputs have not changed, kept")
            return
    except OSError:
        pass  # no previous figures, or unreadable: draw them
    from pdkg.analytics import figures  # matplotlib: only when figures are drawn

    figures.write_all(fetch, directory, points)
    (directory / FIGURES_DIGEST).write_text(digest, encoding="utf-8")


def _write_query_results(
    directory: Path, select: Callable[[str], ResultTable], queries_dir: Path
) -> None:
    """Write the CSV results of every saved SELECT query that runs without parameters given.

    Federated queries (an ``endpoint`` parameter) are left out: a build never goes online.
    """
    directory.mkdir()
    for name, saved in load_queries(queries_dir).items():
        if saved.form != "SELECT" or any(p.required or p.type == "endpoint" for p in saved.params):
            continue
        table = select(name)
        (directory / f"{name}.csv").write_text(table.to_csv(), encoding="utf-8")
