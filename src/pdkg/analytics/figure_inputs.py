"""What the release's figures are drawn from, as one digest, without importing matplotlib.

``pdkg build`` copies the previous release's figures when this digest is unchanged: drawing takes
seconds and importing matplotlib alone about one, the digest milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources

from pdkg import analytics

#: the layers :func:`pdkg.analytics.figures.write_all` draws
DRAWN = ("control", "visits")
CODE = "figures.py"  # the module that draws them, in this package


def inputs_digest(fetch: analytics.Fetch) -> str:
    """The SHA-256 of what :func:`pdkg.analytics.figures.write_all` draws from: the answers of
    the saved queries of the layers it reads, the figures module's code and matplotlib's version.
    Equal digests draw equal figures."""
    digest = hashlib.sha256(importlib.resources.files(__package__).joinpath(CODE).read_bytes())
    digest.update(importlib.metadata.version("matplotlib").encode())
    for name in sorted({query for layer in DRAWN for query in analytics.LAYERS[layer]}):
        rows = sorted(
            " ".join(v.n3() if v is not None else "" for v in row) for row in fetch(name).rows
        )
        digest.update("\n".join([name, *rows]).encode())
    return digest.hexdigest()
