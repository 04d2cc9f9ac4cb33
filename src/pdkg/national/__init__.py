"""The national layer: every division of the GB/T 2260 snapshots with its history, its people's
government and the subordination §3.2's general rule gives them (part ``national``), and the
crowd-sourced twinnings of English Wikipedia matched to them (part ``wikipedia``, CC BY-SA 4.0),
built from ``national/`` (the committed copies of the public datasets, each with its source) when
a release of the project's own graph is loaded. ``--data`` releases have none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

    from pdkg.national.report import NationalReport
    from pdkg.national.twinnings import Row
    from pdkg.paths import ProjectPaths

#: the release's parts (and named graphs) the layer is kept in, in the order they are built
PARTS = ("national", "wikipedia")
TWINNINGS = "wikipedia/twinning_china.csv"
#: the partners Wikipedia names otherwise than the graph, joined to its places with evidence
PARTNER_PLACES = "wikipedia/partner-places.tsv"


def national_layers(
    paths: ProjectPaths, asserted: ox.Store, graph: ox.NamedNode | ox.DefaultGraph
) -> dict[str, list[ox.Triple]]:
    """The layer's triples by part, or none for a project without ``national/``; ``asserted``
    (its ``graph``) holds the project's asserted data, whose foreign places the partners join.

    Raises:
        GraphLoadError: a file of ``national/`` is missing or malformed.
    """
    from pdkg.national.divisions import layer
    from pdkg.national.wikipedia import add_partner_places, known_places, triples

    if not paths.national.is_dir():
        return {}
    divisions = layer(paths.national)
    rows = twinning_rows(paths, divisions.latest)
    places = known_places(asserted, graph)
    add_partner_places(places, paths.national / PARTNER_PLACES)
    return {"national": divisions.triples, "wikipedia": triples(rows, places, divisions.unit)}


def twinning_rows(paths: ProjectPaths, latest: object = None) -> list[Row]:
    """The rows of the twinning list, each matched to the divisions of the latest snapshot."""
    from pdkg.national.names import Division, Matcher
    from pdkg.national.snapshots import Snapshot, read_snapshots
    from pdkg.national.twinnings import read_twinnings

    snapshot = (
        latest if isinstance(latest, Snapshot) else read_snapshots(paths.national / "gb2260")[-1]
    )
    matcher = Matcher(Division(code, name) for code, name in snapshot.rows)
    return read_twinnings(paths.national / TWINNINGS, matcher)


def national_report(paths: ProjectPaths) -> NationalReport:
    """The report on the layer ``national/`` gives (``pdkg report national``).

    Raises:
        GraphLoadError: a file of ``national/`` is missing or malformed.
    """
    from pdkg.national.report import NationalReport
    from pdkg.national.snapshots import read_snapshots

    latest = read_snapshots(paths.national / "gb2260")[-1]
    return NationalReport(latest, twinning_rows(paths, latest))
