"""Loading RDF files into rdflib graphs, with one clear error per bad file, and serialising them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from pdkg.errors import GraphLoadError
from pdkg.paths import ProjectPaths
from pdkg.vocab import bind_prefixes

log = logging.getLogger(__name__)


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file strictly.

    Raises:
        GraphLoadError: the file is missing, unreadable, empty, not UTF-8 or not valid Turtle;
            the error names the file and, where known, the line.
    """
    text = _read(path).decode("utf-8")
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise GraphLoadError(path, _why(exc), line=exc.lines + 1) from None
    if len(graph) == 0:
        raise GraphLoadError(path, "holds no triples (only prefixes or comments)")
    return graph


def _read(path: Path) -> bytes:
    """The bytes of a Turtle file, checked to be readable, UTF-8 and not empty.

    Raises:
        GraphLoadError: as :func:`parse_turtle`.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GraphLoadError(path, "no such file") from None
    except IsADirectoryError:
        raise GraphLoadError(path, "is a directory, not a Turtle file") from None
    except OSError as exc:
        raise GraphLoadError(path, f"cannot read it ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GraphLoadError(
            path, f"is not UTF-8 (byte 0x{raw[exc.start]:02x})", line=line
        ) from None
    if not text.strip():
        raise GraphLoadError(path, "the file is empty")
    return raw


def load_store(paths: Iterable[Path]) -> ox.Store:
    """Load the union of RDF files into one in-memory Oxigraph store with Oxigraph's parser
    (about ten times rdflib's speed), each file's blank nodes its own.

    Raises:
        GraphLoadError: as :func:`parse_turtle`, with the same messages: a file Oxigraph refuses
            is parsed again by rdflib for its words and line.
    """
    store = ox.Store()
    for path in paths:
        raw = _read(path)
        before = len(store)
        try:
            store.bulk_load(raw, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            parse_turtle(path)  # raises rdflib's message, which the tests and users know
            line = exc.lineno if isinstance(exc.lineno, int) else None
            raise GraphLoadError(path, str(exc.msg), line=line) from None
        if len(store) == before:
            raise GraphLoadError(path, "holds no triples (only prefixes or comments)")
        log.debug("loaded %s (%d triples)", path, len(store) - before)
    return store


def _why(exc: BadSyntax) -> str:
    # BadSyntax keeps the reason in a private attribute; its str() is a multi-line dump.
    why = str(getattr(exc, "_why", "")) or "invalid Turtle"
    if why.startswith("Prefix ") and "not bound" in why:
        prefix = why.split()[1].strip('"')
        return f"unknown prefix '{prefix}' (declare it with @prefix)"
    return why


def load_graph(paths: Iterable[Path]) -> Graph:
    """Load the union of Turtle files into one plain in-memory graph."""
    graph = bind_prefixes(Graph())
    for path in paths:
        part = parse_turtle(path)
        log.debug("loaded %s (%d triples)", path, len(part))
        graph += part
    return graph


@dataclass(frozen=True)
class Project:
    """Everything a build needs: ontology (with vocabularies), data, shapes and rules."""

    ontology: Graph
    graph: Graph
    shapes: Graph
    rules: Graph


DATA_SUFFIXES = (".ttl", ".nt")


def data_files(given: list[Path]) -> list[Path]:
    """The files ``--data`` names: each file as given, each folder's ``*.ttl`` and ``*.nt``.

    Raises:
        GraphLoadError: a folder holds no such file.
    """
    files: list[Path] = []
    for path in given:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
        if not found:
            raise GraphLoadError(path, "the folder holds no .ttl or .nt file")
        files.extend(found)
    return files


def project_data(paths: ProjectPaths, data: list[Path] | None = None) -> list[Path]:
    """The data files of a release: ``data`` (files or folders) when given, else ``graph/``'s.

    Raises:
        GraphLoadError: there are none.
    """
    files = data_files(data) if data is not None else paths.graph
    if not files:
        raise GraphLoadError(paths.root / "graph", "no Turtle files to load")
    return files


def release_files(paths: ProjectPaths, data: list[Path] | None = None) -> list[Path]:
    """Every file a release is loaded from: the ontology, its vocabularies, then the data.

    Raises:
        GraphLoadError: there are no data files.
    """
    return [paths.ontology, *paths.vocab, *project_data(paths, data)]


def load_release_store(paths: ProjectPaths, *, data: list[Path] | None = None) -> ox.Store:
    """The release in an Oxigraph store, without rdflib: the ontology, its vocabularies and the
    data (``data`` for ``graph/``), with what the rules derive added.

    Raises:
        GraphLoadError: a file is bad, or there is no data.
        RulesError: the rules are malformed or do not converge.
    """
    from pdkg.national import national_layers
    from pdkg.rules import derive, load_rules

    indexed = load_store(release_files(paths, data))
    if data is None:
        for built in national_layers(paths, indexed, ox.DefaultGraph()).values():
            indexed.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in built)
    derive(indexed, load_rules(load_graph([paths.rules])))
    return indexed


def load_project(paths: ProjectPaths, *, data: list[Path] | None = None) -> Project:
    """Load a project's files; ``data`` (files or folders) replaces ``graph/*.ttl`` when given.

    Raises:
        GraphLoadError: any file is bad (the first one found).
    """
    return Project(
        ontology=load_graph([paths.ontology, *paths.vocab]),
        graph=load_graph(project_data(paths, data)),
        shapes=load_graph([paths.shapes]),
        rules=load_graph([paths.rules]),
    )
