"""What `make bench` times: each stage as pdkg runs it, and the same work done the plain way.

A stage is ``(setup, work)``: ``setup(case)`` prepares its input (not timed) and ``work(state)``
is timed, as many named parts as it has (one per saved query, one per measure). The baseline is
what a project without pdkg's choices would run: rdflib parsing and its SPARQL engine, pySHACL
with its defaults, networkx for every measure, rdflib's serialisers.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdkg import analytics, store
from pdkg.analytics.export import write_export
from pdkg.load import load_graph, load_project, load_release_store, load_store
from pdkg.paths import ProjectPaths
from pdkg.query import engine
from pdkg.query.binding import bind
from pdkg.query.saved import SavedQuery, load_queries
from pdkg.query.table import ResultTable
from pdkg.release import build_release
from pdkg.rules import derive, load_rules
from pdkg.validation import validate_store


@dataclass(frozen=True)
class Case:
    """One generated graph in a project of its own whose store is built (``bench/run.py``)."""

    paths: ProjectPaths
    data: Path
    release: Path  # the store directory holding the release of ``data``


Parts = dict[str, float]
Work = Callable[[Any], Parts]


@dataclass(frozen=True)
class Stage:
    """A stage: pdkg's work and the baseline's, each after its (untimed) setup."""

    name: str
    setup: Callable[[Case], Any]
    pdkg: Work
    baseline: Work
    baseline_setup: Callable[[Case], Any] | None = None  # default: ``setup``


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def plain_queries(paths: ProjectPaths) -> dict[str, SavedQuery]:
    """The saved queries a build answers: SELECT, ASK or CONSTRUCT without a required value."""
    return {
        name: saved
        for name, saved in load_queries(paths.queries).items()
        if not any(p.required or p.type == "endpoint" for p in saved.params)
    }


# --- setups ------------------------------------------------------------------------------------


def given(case: Case) -> Case:
    return case


def loaded(case: Case) -> tuple[Case, Any]:
    return case, load_project(case.paths, data=[case.data])


def files_of(case: Case) -> list[Path]:
    return [case.paths.ontology, *case.paths.vocab, case.data]


def store_loaded(case: Case) -> tuple[Case, Any]:
    return case, load_store(files_of(case))


def store_released(case: Case) -> tuple[Case, Any]:
    return case, load_release_store(case.paths)


def indexed(case: Case) -> tuple[Case, Any]:
    return case, store.open_store(case.release)


def control_network(case: Case) -> tuple[Case, Any]:
    target = store.open_store(case.release)
    return case, analytics.network(_fetcher(target, case.paths), layer="control")


def _fetcher(target: Any, paths: ProjectPaths) -> Callable[[str], ResultTable]:
    queries = load_queries(paths.queries)

    def fetch(name: str) -> ResultTable:
        answer = engine.run_local(queries[name], target)
        assert isinstance(answer, ResultTable)
        return answer

    return fetch


# --- pdkg --------------------------------------------------------------------------------------


def pdkg_load(case: Case) -> Parts:
    return {"": timed(lambda: load_store(files_of(case)))}


def pdkg_rules(state: tuple[Case, Any]) -> Parts:
    case, loaded_store = state
    rules = load_rules(load_graph([case.paths.rules]))
    return {"": timed(lambda: derive(loaded_store, rules))}


def pdkg_validate(state: tuple[Case, Any]) -> Parts:
    case, release = state
    shapes = load_graph([case.paths.shapes])
    return {"": timed(lambda: validate_store(release, shapes))}


def pdkg_index(case: Case) -> Parts:
    return {"": timed(lambda: store.open_store(case.release))}


def pdkg_queries(state: tuple[Case, Any]) -> Parts:
    case, target = state
    return {
        name: timed(lambda saved=saved: engine.run_local(saved, target))
        for name, saved in plain_queries(case.paths).items()
    }


def measures(graph: Any, *, reference: bool = False) -> Parts:
    return {
        m: timed(lambda m=m: analytics.centrality(graph, measure=m, reference=reference))
        for m in analytics.MEASURES
    }


def pdkg_measures(state: tuple[Case, Any]) -> Parts:
    import igraph  # noqa: F401  (setup: the first measure would otherwise pay the import)

    return measures(state[1])


def networkx_measures(state: tuple[Case, Any]) -> Parts:
    with contextlib.suppress(ImportError):
        import scipy  # noqa: F401  (setup: networkx's PageRank imports it on first use)
    return measures(state[1], reference=True)  # every measure on networkx, the reference


def pdkg_export(state: tuple[Case, Any]) -> Parts:
    with tempfile.TemporaryDirectory() as folder:
        return {"": timed(lambda: write_export(state[1], Path(folder) / "g.graphml", "graphml"))}


def pdkg_build(case: Case) -> Parts:
    with tempfile.TemporaryDirectory() as folder:
        return {"": timed(lambda: build_release(case.paths, out=Path(folder), data=[case.data]))}


def pdkg_cold_query(case: Case) -> Parts:
    """A fresh ``pdkg query`` process on the project's built store."""
    command = [str(Path(sys.executable).with_name("pdkg")), "--root", str(case.paths.root)]
    return {"": timed(lambda: _run([*command, "query", "entity-counts", "--format", "csv"]))}


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=3600)


# --- the baseline: rdflib, its SPARQL engine, pySHACL's defaults, networkx ---------------------


def plain_load(case: Case) -> Parts:
    return {"": timed(lambda: load_graph(files_of(case)))}


def plain_rules(state: tuple[Case, Any]) -> Parts:
    _case, project = state
    return {"": timed(lambda: rdflib_rules(project.ontology + project.graph, project.rules))}


def rdflib_rules(graph: Any, rules_graph: Any) -> Any:
    """The rules with rdflib's SPARQL engine: each stratum until nothing new appears."""
    rules = load_rules(rules_graph)
    for order in sorted({rule.order for rule in rules}):
        while True:
            new = {
                triple
                for rule in rules
                if rule.order == order
                for triple in graph.query(rule.query, initNs=rule.prefixes)
                if triple not in graph
            }
            if not new:
                break
            for triple in new:
                graph.add(triple)
    return graph


def plain_validate(state: tuple[Case, Any]) -> Parts:
    import pyshacl

    case, release = state
    shapes = load_graph([case.paths.shapes])
    return {"": timed(lambda: pyshacl.validate(release, shacl_graph=shapes))}


def rdflib_release(case: Case) -> tuple[Case, Any]:
    from rdflib import Graph

    graph = Graph()
    graph.parse(case.release / store.RELEASE, format="nt")
    return case, graph


def plain_index(case: Case) -> Parts:
    return {"": timed(lambda: rdflib_release(case))}


def plain_queries_run(state: tuple[Case, Any]) -> Parts:
    case, graph = state
    return {
        name: timed(lambda saved=saved: list(graph.query(bind(saved, {}))))
        for name, saved in plain_queries(case.paths).items()
    }


def plain_build(case: Case) -> Parts:
    def work() -> None:
        project = load_project(case.paths, data=[case.data])
        release = rdflib_rules(project.ontology + project.graph, project.rules)
        plain_validate((case, release))
        with tempfile.TemporaryDirectory() as folder:
            release.serialize(Path(folder) / "pdkg.ttl", format="turtle", encoding="utf-8")
            release.serialize(Path(folder) / "pdkg.nt", format="nt", encoding="utf-8")

    return {"": timed(work)}


def plain_cold_query(case: Case) -> Parts:
    """A fresh process that parses the data, applies the rules and asks the query (the way
    every `pdkg query` worked before the store)."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'bench')\n"
        "from stages import *\n"
        f"case = Case(ProjectPaths(Path({str(case.paths.root)!r})), Path({str(case.data)!r}),"
        f" Path({str(case.release)!r}))\n"
        "project = load_project(case.paths, data=[case.data])\n"
        "graph = rdflib_rules(project.ontology + project.graph, project.rules)\n"
        "list(graph.query(bind(load_queries(case.paths.queries)['entity-counts'], {})))\n"
    )
    return {"": timed(lambda: _run([sys.executable, "-c", code]))}


STAGES = (
    Stage("load", given, pdkg_load, plain_load),
    Stage("rules", store_loaded, pdkg_rules, plain_rules, loaded),
    Stage("validate", store_released, pdkg_validate, plain_validate, rdflib_release),
    Stage("index", given, pdkg_index, plain_index),
    Stage("query", indexed, pdkg_queries, plain_queries_run, rdflib_release),
    Stage("centrality", control_network, pdkg_measures, networkx_measures),
    # pdkg writes GraphML with networkx: the baseline is the same writer
    Stage("export", control_network, pdkg_export, pdkg_export),
    Stage("build", given, pdkg_build, plain_build),
    Stage("cold query", given, pdkg_cold_query, plain_cold_query),
)
