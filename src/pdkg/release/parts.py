"""The release as Linked Data: its parts as files, as the named graphs of one dataset, and the
JSON-LD context of its vocabulary.

The parts are the ontology, its vocabularies (SKOS schemes), the asserted data (``graph/``) and
what the rules derive: ``ontology.ttl``, ``vocabularies.ttl``, ``asserted.ttl`` and
``derived.ttl``, and together ``pdkg.trig``, one named graph each
(``https://w3id.org/pdkg/graph/{part}``). The merged files (``pdkg.nt``, ``pdkg.ttl``,
``pdkg.jsonld``) hold their union. The input files are read once, into the parts; the merged
graph is their copy, so a blank node has the same label in every file. The derived triples name
no blank node, so each part is a document of its own.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:  # rdflib and the loaders: only when a release is built (pdkg serve reads FILES)
    from rdflib import Graph

    from pdkg.paths import ProjectPaths

GRAPHS = "https://w3id.org/pdkg/graph/"
PARTS = ("ontology", "vocabularies", "asserted", "national", "wikipedia", "derived")
TRIG = "pdkg.trig"
CONTEXT = "context.jsonld"
#: the release's Linked Data files and their media types: ``pdkg serve`` answers them at
#: ``/dist/{file}``, as ``void:dataDump`` names them (``https://w3id.org/pdkg/dist/{file}``)
FILES = {
    "pdkg.nt": "application/n-triples",
    "pdkg.ttl": "text/turtle; charset=utf-8",
    "pdkg.jsonld": "application/ld+json",
    TRIG: "application/trig",
    CONTEXT: "application/ld+json",
    "void.ttl": "text/turtle; charset=utf-8",
    **{f"{part}.ttl": "text/turtle; charset=utf-8" for part in PARTS},
}


def graph_of(part: str) -> ox.NamedNode:
    """The named graph of a part: ``https://w3id.org/pdkg/graph/asserted``."""
    return ox.NamedNode(GRAPHS + part)


def load_parts(paths: ProjectPaths, data: list[Path] | None) -> ox.Store:
    """The release's input files as a dataset: the ontology, the vocabularies and the asserted
    data (``data`` for ``graph/``), each part in its named graph; nothing in the default graph.

    Raises:
        GraphLoadError: an input file is bad.
    """
    from pdkg.load import load_store, project_data
    from pdkg.national import national_layers

    dataset = ox.Store()
    sources = {
        "ontology": [paths.ontology],
        "vocabularies": paths.vocab,
        "asserted": project_data(paths, data),
    }
    for part, files in sources.items():
        graph = graph_of(part)
        dataset.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, graph) for q in load_store(files)
        )
    if data is None:  # a triple the asserted data states (a chapter place's level) stays there
        asserted = graph_of("asserted")
        for part, built in national_layers(paths, dataset, asserted).items():
            graph = graph_of(part)
            dataset.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in built
                if ox.Quad(t.subject, t.predicate, t.object, asserted) not in dataset
            )
    return dataset


def merged(dataset: ox.Store) -> ox.Store:
    """The union of the parts in the default graph of a new store, blank nodes kept: the graph
    the rules, the shapes and the saved queries read."""
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in dataset)
    return union


def add_derived(dataset: ox.Store, derived: Iterable[ox.Triple]) -> None:
    """Put what the rules derived into the dataset's ``derived`` graph."""
    graph = graph_of("derived")
    dataset.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in derived)


def write_parts(dataset: ox.Store, directory: Path, prefixes: Mapping[str, str]) -> None:
    """Write each part as Turtle (``{part}.ttl``) and all of them as TriG, lines sorted within
    each graph so that equal releases are equal files."""
    for part in PARTS:
        triples = sorted(
            (ox.Triple(q.subject, q.predicate, q.object) for q in _quads(dataset, part)), key=str
        )
        ox.serialize(
            triples, str(directory / f"{part}.ttl"), ox.RdfFormat.TURTLE, prefixes=dict(prefixes)
        )
    quads = [q for part in PARTS for q in sorted(_quads(dataset, part), key=str)]
    ox.serialize(quads, str(directory / TRIG), ox.RdfFormat.TRIG, prefixes=dict(prefixes))


def _quads(dataset: ox.Store, part: str) -> Iterable[ox.Quad]:
    return dataset.quads_for_pattern(None, None, None, graph_of(part))


def context(ontology: Graph, prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-LD context of the release: the project's prefixes, and a term for each class and
    property of the ``pd:`` vocabulary (object properties take IRIs: ``"@type": "@id"``).

    Datatype properties get no type coercion: their values keep their own datatype (a start date
    is an ``xsd:date`` or an ``xsd:gYear``).
    """
    from rdflib import OWL, RDF, URIRef

    from pdkg.vocab import PD

    terms: dict[str, Any] = dict(sorted(prefixes.items()))
    namespace = str(PD)
    kinds = {
        OWL.Class: None,
        OWL.ObjectProperty: "@id",
        OWL.DatatypeProperty: None,
        OWL.AnnotationProperty: None,
    }
    for kind, coercion in kinds.items():
        for term in sorted(set(ontology.subjects(RDF.type, kind)), key=str):
            if not (isinstance(term, URIRef) and str(term).startswith(namespace)):
                continue
            name = str(term)[len(namespace) :]
            compact = f"pd:{name}"
            terms[name] = {"@id": compact, "@type": coercion} if coercion else compact
    return {"@context": terms}


def release_date(root: Path) -> str | None:
    """The day the release's sources were last changed, so that equal inputs give equal files:
    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) when set, else the date of the checkout's
    last commit; ``None`` outside a git checkout."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    day = done.stdout.strip()  # %cs: the committer date, YYYY-MM-DD
    return day if done.returncode == 0 and len(day) == 10 else None
