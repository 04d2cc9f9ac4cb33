"""Where the project's files are: the only module that knows the default layout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pdkg.errors import ProjectLayoutError

ROOT_ENV = "PDKG_ROOT"


@dataclass(frozen=True)
class ProjectPaths:
    """The files of one pdkg project, by role."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "pdkg.ttl"

    @property
    def vocab(self) -> list[Path]:
        return sorted((self.root / "ontology" / "vocab").glob("*.ttl"))

    @property
    def shapes(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def rules(self) -> Path:
        return self.root / "ontology" / "rules.ttl"

    @property
    def graph(self) -> list[Path]:
        """The data: ``graph/*.ttl``, and ``graph/*.nt`` (N-Triples parse faster at scale)."""
        folder = self.root / "graph"
        return sorted([*folder.glob("*.ttl"), *folder.glob("*.nt")])

    @property
    def national(self) -> Path:
        """The national datasets the national layer is built from (``national/README.md``)."""
        return self.root / "national"

    @property
    def national_points(self) -> Path:
        """A point per division (a copy of the PyPI package cpca's table), for the maps only."""
        return self.national / "cpca" / "adcodes.csv"

    @property
    def national_inputs(self) -> list[Path]:
        """The files of ``national/`` a release reads."""
        folder = self.national
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*") if p.suffix in (".tsv", ".csv") and p.is_file())

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def release_store(self) -> Path:
        """The indexed release (an Oxigraph store) that ``pdkg build`` leaves in ``dist/``."""
        return self.dist / "store"

    @property
    def release_inputs(self) -> list[Path]:
        """Every file the release is built from: its digest decides whether to rebuild."""
        return [
            self.ontology,
            *self.vocab,
            self.shapes,
            self.rules,
            *self.graph,
            *self.national_inputs,
        ]

    @property
    def wikidata_snapshot(self) -> Path:
        """The verified offline excerpt of Wikidata the links come from."""
        return self.root / "wikidata" / "snapshot.ttl"

    @property
    def wikidata_enrichment(self) -> Path:
        """What ``pdkg link --enrich`` fetched for the linked items, kept apart from the claims."""
        return self.root / "wikidata" / "enrichment.ttl"


def find_root(explicit: Path | None = None, *, start: Path | None = None) -> ProjectPaths:
    """Find the project root: ``explicit`` > ``$PDKG_ROOT`` > search up from ``start`` (cwd).

    Raises:
        ProjectLayoutError: no directory holding ``ontology/pdkg.ttl`` was found.
    """
    if explicit is None and os.environ.get(ROOT_ENV):
        explicit = Path(os.environ[ROOT_ENV])
    if explicit is not None:
        if not (explicit / "ontology" / "pdkg.ttl").is_file():
            raise ProjectLayoutError(explicit)
        return ProjectPaths(explicit.resolve())
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "ontology" / "pdkg.ttl").is_file():
            return ProjectPaths(candidate)
    raise ProjectLayoutError(here)
