"""The one resolver of names to IRIs: an IRI, a slug or an English label must name a resource.

A value that names nothing is an error with a "did you mean" suggestion, never a query that
answers an empty table. Lookups are saved queries (``resource-exists``, ``resolve-label``,
``resource-index``), so the same checks run on the local graph and on any endpoint.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pdkg.errors import QueryFormatError, QueryParameterError, ResourceNotFoundError
from pdkg.query.binding import is_iri_or_slug, local_name
from pdkg.query.saved import SavedQuery
from pdkg.query.table import Answer, ResultTable
from pdkg.vocab import PDR, PDV

#: runs a saved query by name with parameters (already resolved)
Run = Callable[[str, Mapping[str, str]], Answer]
SLUG_NAMESPACES = (PDR, PDV)


@dataclass
class Resolver:
    """Resolves values on one target; the suggestion index is fetched once, when first needed."""

    run: Run
    _index: list[tuple[str, str]] | None = field(default=None, repr=False)

    def iri(self, value: str) -> str:
        """The IRI that ``value`` (an IRI, a slug such as ``guangzhou``, an English label) names.

        Raises:
            ResourceNotFoundError: it names no resource, or several (the message suggests).
        """
        if is_iri_or_slug(value) and ":" in value:
            if self._exists(value):
                return value
            raise ResourceNotFoundError(value, "is not in the graph" + self._suggest(value))
        if is_iri_or_slug(value):
            found = [str(ns[value]) for ns in SLUG_NAMESPACES if self._exists(str(ns[value]))]
        else:
            found = sorted({str(row[0]) for row in self._table("resolve-label", label=value).rows})
        if len(found) == 1:
            return found[0]
        if found:
            raise ResourceNotFoundError(value, "is ambiguous: it names " + ", ".join(found))
        kind = "slug" if is_iri_or_slug(value) else "English label"
        raise ResourceNotFoundError(value, f"is no {kind} in the graph" + self._suggest(value))

    def params(self, query: SavedQuery, params: Mapping[str, str]) -> dict[str, str]:
        """``params`` with every ``iri`` parameter (without an ``enum``) resolved to its IRI.

        Raises:
            QueryParameterError: a value names no resource, or several.
        """
        resolved = dict(params)
        for param in query.params:
            if param.type != "iri" or param.enum or param.name not in params:
                continue
            try:
                resolved[param.name] = self.iri(params[param.name])
            except ResourceNotFoundError as exc:
                reason = f"names nothing: {exc.value!r} {exc.reason}"
                raise QueryParameterError(query.name, param.name, exc.value, reason) from None
        return resolved

    def _exists(self, iri: str) -> bool:
        return self.run("resource-exists", {"resource": iri}) is True

    def _table(self, name: str, **params: str) -> ResultTable:
        answer = self.run(name, params)
        if not isinstance(answer, ResultTable):
            raise QueryFormatError(Path(f"{name}.rq"), "a lookup query must be a SELECT query")
        return answer

    def _suggest(self, value: str) -> str:
        if self._index is None:
            rows = self._table("resource-index").rows
            self._index = [(str(row[0]), str(row[1])) for row in rows]
        by_key: dict[str, str] = {}
        for iri, label in self._index:
            by_key.setdefault(local_name(iri), iri)
            by_key.setdefault(label, iri)
        close = difflib.get_close_matches(value, list(by_key), n=3, cutoff=0.6)
        if not close:
            return ""
        shown = dict.fromkeys(f"'{local_name(by_key[key])}'" for key in close)
        return f" — did you mean {' or '.join(shown)}?"
