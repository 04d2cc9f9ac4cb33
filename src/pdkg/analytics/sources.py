"""The sources behind a network: their names, their parts, and ``--source`` as the user types it.

A source is a ``pd:Source``: the chapter, one of its sections or tables, or a web record. A
section is ``dcterms:isPartOf`` its chapter, so ``--source chapter`` keeps every claim derived
from any part of the chapter, and ``--source "Table 3.1"`` the claims of that table only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from pdkg.analytics.layers import Fetch, local_name
from pdkg.errors import ResourceNotFoundError


@dataclass(frozen=True)
class Sources:
    """Every ``pd:Source`` of the graph: its name and the sources it is part of."""

    names: dict[str, str]
    parents: dict[str, frozenset[str]]

    @classmethod
    def of(cls, fetch: Fetch) -> Sources:
        """Read the sources with the saved query ``network-sources``."""
        names: dict[str, str] = {}
        parents: dict[str, set[str]] = {}
        for row in fetch("network-sources").to_dicts():
            source = row["source"]
            names[source] = row.get("section") or row.get("label") or local_name(source)
            parents.setdefault(source, set())
            if row.get("parent"):
                parents[source].add(row["parent"])
        return cls(names, {s: frozenset(p) for s, p in parents.items()})

    def name(self, source: str) -> str:
        """A short name: the section or table ("Table 3.1"), else the label, else the slug."""
        return self.names.get(source) or local_name(source)

    def expand(self, given: Iterable[str]) -> frozenset[str]:
        """The given sources with every source that is (transitively) part of one of them."""
        wanted = set(given)
        return frozenset(s for s in self.names if wanted & self._ancestry(s))

    def _ancestry(self, source: str) -> set[str]:
        seen, todo = {source}, [source]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def resolve(self, value: str) -> str:
        """The source IRI a user means by ``value``: an IRI, a ``pdr:`` name, a slug, a section
        ("Table 3.1", "§3.2.1") or an English label (case does not matter for the last two).

        Raises:
            ResourceNotFoundError: no source, or several, answer to ``value``.
        """
        if value in self.names:
            return value
        slug = value.removeprefix("pdr:")
        hits = [s for s in self.names if local_name(s) == slug]
        if not hits:
            folded = value.casefold()
            hits = [s for s, name in self.names.items() if name.casefold() == folded]
        if len(hits) == 1:
            return hits[0]
        if hits:
            many = ", ".join(sorted(local_name(s) for s in hits))
            raise ResourceNotFoundError(value, f"names several sources ({many}); give the slug")
        choices = [*map(local_name, self.names), *self.names.values()]
        close = difflib.get_close_matches(value, choices, n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ResourceNotFoundError(
            value, f"is no source of the graph{hint} (the query network-sources lists them)"
        )
