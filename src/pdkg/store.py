"""The built release a reading command opens (DESIGN.md §4), with the digest of its inputs.

``pdkg build`` leaves ``dist/store/``: ``release.nt``, the validated release with the rules'
output, and ``inputs.json``, the SHA-256 of every file it was built from. A reading command loads
it into an in-memory Oxigraph store with Oxigraph's own parser (0.07 s for the chapter's 14.6k
triples) instead of parsing ``graph/`` with rdflib, running the rules and validating (5 s and
more); when an input's digest differs, the release is rebuilt and the store replaced in one rename.

Why not an Oxigraph database on disk: opened read-only it starts in 0.02 s, but each saved query
then ran 7 to 10 times slower than in memory (``visits`` 5.6 s instead of 0.55 s), so a command
that asks more than one query, or a server, loses what the opening saved.

>>> import tempfile
>>> where = Path(tempfile.mkdtemp()) / "store"
>>> write_store(where, b"<urn:a> <urn:b> <urn:c> .\\n", {"graph/a.ttl": "00"})
>>> changed_inputs(where, {"graph/a.ttl": "00"})
[]
>>> changed_inputs(where, {"graph/a.ttl": "01", "graph/b.ttl": "02"})
['graph/a.ttl', 'graph/b.ttl']
>>> len(open_store(where))
1
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from pdkg.errors import BuildError, GraphLoadError, NotConformingError
from pdkg.files import atomic_directory
from pdkg.paths import ProjectPaths

log = logging.getLogger(__name__)

#: bump when what a store holds changes meaning (the rules engine, the graph layout)
FORMAT = 2
RELEASE = "release.nt"
MANIFEST = "inputs.json"


def open_release(paths: ProjectPaths, *, data: list[Path] | None = None) -> ox.Store:
    """The release to query: the one in ``dist/store/``, rebuilt first if an input changed.

    With ``data`` (files or folders) those files with the rules applied are indexed in memory
    instead, as they are: they are not validated, nor kept.

    Raises:
        GraphLoadError: an input file is bad.
        NotConformingError: the project's graph does not conform to its shapes, so there is no
            release to read (``pdkg validate`` shows why; ``--data`` reads files as they are).
        BuildError: the store cannot be written.
    """
    from pdkg.load import load_graph, load_release_store  # only to (re)build a release
    from pdkg.validation import validate_store

    if data is not None:
        return load_release_store(paths, data=data)
    inputs = project_inputs(paths)
    changed = changed_inputs(paths.release_store, inputs)
    if changed:
        log.info("indexing the release into %s: %s changed", paths.release_store, changed[0])
        indexed = load_release_store(paths)
        report = validate_store(indexed, load_graph([paths.shapes]))
        if not report.conforms:
            raise NotConformingError(paths.root / "graph", len(report.violations))
        write_store(paths.release_store, ntriples(indexed), inputs)
        return indexed
    return open_store(paths.release_store)


def project_inputs(paths: ProjectPaths, data: list[Path] | None = None) -> dict[str, str]:
    """The digests of the files a release of ``paths`` is built from (``data`` for ``graph/``).

    Raises:
        GraphLoadError: a file is missing or cannot be read.
    """
    from pdkg.load import data_files

    files = paths.release_inputs
    if data is not None:
        own = {*paths.graph, *paths.national_inputs}
        files = [path for path in files if path not in own] + data_files(data)
    return fingerprint(files, paths.root)


def fingerprint(files: Iterable[Path], root: Path) -> dict[str, str]:
    """The SHA-256 of each file, keyed by its path relative to ``root`` (absolute outside it).

    Raises:
        GraphLoadError: a file is missing or cannot be read.
    """
    digests: dict[str, str] = {}
    for path in files:
        resolved = path.resolve()
        key = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)
        try:
            digests[key] = hashlib.sha256(resolved.read_bytes()).hexdigest()
        except FileNotFoundError:
            raise GraphLoadError(path, "no such file") from None
        except OSError as exc:
            raise GraphLoadError(path, f"cannot read it ({exc.strerror})") from None
    return digests


def changed_inputs(directory: Path, inputs: Mapping[str, str]) -> list[str]:
    """The inputs whose digest differs from what the store at ``directory`` was built from
    (every input when there is no readable store); empty when the store is current."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        built: dict[str, str] = manifest["inputs"] if manifest.get("format") == FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError):
        built = {}
    if not (directory / RELEASE).is_file():
        built = {}
    names = set(inputs) | set(built)
    return sorted(name for name in names if inputs.get(name) != built.get(name))


def ntriples(indexed: ox.Store) -> bytes:
    """The default graph of ``indexed`` as N-Triples written by Oxigraph, one triple a line, the
    lines sorted: equal releases are equal files, and a changed claim is a small diff (1M
    triples: 1.3 s to dump, 0.8 s to sort)."""
    lines = indexed.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    ordered = lines.splitlines(keepends=True)
    ordered.sort()
    return b"".join(ordered)


def write_readable(release: bytes, target: Path, prefixes: Mapping[str, str]) -> None:
    """Write sorted N-Triples (:func:`ntriples`) as Turtle (``.ttl``) or JSON-LD (``.jsonld``)
    with Oxigraph's parser and serialisers, in the same order, so each subject's triples are
    grouped; JSON-LD expanded (no ``@context``: any JSON-LD processor compacts it with the one
    it wants). About 2 s (Turtle) and 3 s (JSON-LD) for 1.4M triples."""
    fmt = ox.RdfFormat.TURTLE if target.suffix == ".ttl" else ox.RdfFormat.JSON_LD
    triples = ox.parse(release, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, str(target), format=fmt, prefixes=dict(prefixes))


def open_store(directory: Path) -> ox.Store:
    """The release at ``directory`` in an in-memory store (its default graph), loaded once a
    process: a second call for the same, unchanged release returns the store the first loaded
    (2 s at 400,000 triples; reading commands do not write to it).

    Raises:
        BuildError: the directory holds no readable release.
    """
    release = directory / RELEASE
    try:
        stat = release.stat()
    except OSError as exc:
        raise BuildError(directory, f"the built release cannot be read ({exc})") from None
    key = (str(release.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _opened:
        return _opened[key]
    indexed = ox.Store()
    try:
        indexed.bulk_load(
            path=str(release), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
        )
    except (OSError, SyntaxError) as exc:
        raise BuildError(directory, f"the built release cannot be read ({exc})") from None
    _opened.clear()
    _opened[key] = indexed
    return indexed


#: the last release :func:`open_store` loaded: its file's (path, mtime, size) and its store
_opened: dict[tuple[str, int, int], ox.Store] = {}


def write_store(directory: Path, ntriples: bytes, inputs: Mapping[str, str]) -> None:
    """Write a new store holding ``ntriples`` at ``directory``, replacing any store there.

    The store is built beside ``directory`` and moved in with renames, so a reader sees the old
    store or the new one, never half of one.

    Raises:
        BuildError: the directory cannot be written.
    """
    with atomic_directory(directory) as staging:
        (staging / RELEASE).write_bytes(ntriples)
        triples = ntriples.count(b"\n")
        manifest = {"format": FORMAT, "triples": triples, "inputs": dict(sorted(inputs.items()))}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
