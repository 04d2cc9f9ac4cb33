"""What the release's figures are drawn from, as one digest, without importing matplotlib.

``pdkg build`` copies the previous release's figures when this digest is unchanged: drawing takes
seconds and importing matplotlib alone about one, the digest milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
from pathlib import Path

from pdkg import analytics

#: the layers :func:`pdkg.analytics.figures.write_all` draws
DRAWN = ("control", "visits")
#: the other saved queries it reads: node labels and classes, source names (rank intervals)
ALSO = ("network-nodes", "network-sources")
#: what the national map reads besides its points (with ``national/``)
NATIONAL = ("twinnings-per-province",)
#: the modules, in this package, whose code decides what is drawn: the figures and their
#: layout, the networks and their slicing by year, the measures and their meanings, the rank
#: intervals and the names of the sources they drop
CODE = (
    "figures/__init__.py",
    "figures/style.py",
    "figures/hierarchy.py",
    "figures/visits.py",
    "figures/rankings.py",
    "figures/layout.py",
    "figures/placement.py",
    "figures/provinces.py",
    "layers.py",
    "validity.py",
    "__init__.py",
    "igraph_measures.py",
    "meaning.py",
    "robustness.py",
    "sources.py",
)


def inputs_digest(fetch: analytics.Fetch, points: Path | None = None) -> str:
    """The SHA-256 of what :func:`pdkg.analytics.figures.write_all` draws from: the answers of
    the saved queries it reads (those of the layers it draws and :data:`ALSO`), the code of the
    modules of :data:`CODE`, matplotlib's version and, for the national map, the ``points`` file
    and :data:`NATIONAL`'s answers. Equal digests draw equal figures."""
    digest = hashlib.sha256()
    for module in CODE:
        digest.update(importlib.resources.files(__package__).joinpath(module).read_bytes())
    digest.update(importlib.metadata.version("matplotlib").encode())
    queries = {query for layer in DRAWN for query in analytics.LAYERS[layer]}
    if points is not None:
        digest.update(points.read_bytes())
        queries |= set(NATIONAL)
    for name in sorted(queries.union(ALSO)):
        rows = sorted(
            " ".join(v.n3() if v is not None else "" for v in row) for row in fetch(name).rows
        )
        digest.update("\n".join([name, *rows]).encode())
    return digest.hexdigest()
