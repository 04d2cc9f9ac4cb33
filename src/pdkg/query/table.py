"""What a query answers: a result table (SELECT), a boolean (ASK), a graph (CONSTRUCT, DESCRIBE)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rdflib import Graph, Literal

from pdkg.terms import RdfTerm


@dataclass(frozen=True)
class ResultTable:
    """The rows of a SELECT: column names and rdflib terms (``None`` where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[RdfTerm | None, ...], ...]

    def to_csv(self) -> str:
        """The table in the W3C SPARQL 1.1 CSV results format (plain values; what the release's
        ``queries/*.csv`` hold), with ``\\n`` line ends.

        >>> from rdflib import XSD, URIRef
        >>> t = ResultTable(("city", "since"), ((URIRef("https://w3id.org/pdkg/resource/fukuoka"),
        ...     Literal("1979", datatype=XSD.gYear)),))
        >>> print(t.to_csv(), end="")
        city,since
        https://w3id.org/pdkg/resource/fukuoka,1979
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(["" if term is None else str(term) for term in row] for row in self.rows)
        return buffer.getvalue()

    def to_rows(self) -> list[tuple[Any, ...]]:
        """Rows as tuples of Python values (see :meth:`to_dicts`)."""
        return [tuple(None if v is None else _python(v) for v in row) for row in self.rows]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of :meth:`to_dicts` (needs pandas installed)."""
        import pandas  # an optional dependency: imported only when asked for

        return pandas.DataFrame(self.to_dicts(), columns=list(self.columns))

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (numbers, strings, dates; IRIs as strings)."""
        return [
            {c: None if v is None else _python(v) for c, v in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]

    def warnings(self) -> list[str]:
        """What a reader must know before trusting the table: that it is empty, or how many of
        its rows are ``undated`` in its ``holds`` column (their sources cannot tell).

        >>> table = ResultTable(("holds",), ((Literal("yes"),), (Literal("undated"),)))
        >>> table.warnings()[0].split(":")[0]
        '1 of 2 rows are undated at the date asked'
        >>> ResultTable(("x",), ()).warnings()
        ['the query answered no rows']
        """
        if not self.rows:
            return ["the query answered no rows"]
        if "holds" not in self.columns:
            return []
        at = self.columns.index("holds")
        undated = sum(1 for row in self.rows if row[at] is not None and str(row[at]) == "undated")
        if not undated:
            return []
        return [
            f"{undated} of {len(self.rows)} rows are undated at the date asked: their sources "
            "cannot tell whether they held then"
        ]

    def with_sorted_lists(self, lists: Mapping[str, str]) -> ResultTable:
        """The same table with each ``GROUP_CONCAT`` cell's parts sorted.

        SPARQL leaves the order inside ``GROUP_CONCAT`` open, so engines differ; sorting the
        parts (``lists`` maps a column to its separator) makes the answer one table everywhere.

        >>> t = ResultTable(("posts",), ((Literal("b | a"),),))
        >>> t.with_sorted_lists({"posts": " | "}).rows
        ((rdflib.term.Literal('a | b'),),)
        """
        where = {self.columns.index(c): sep for c, sep in lists.items() if c in self.columns}
        if not where:
            return self
        rows = tuple(
            tuple(
                _sorted_cell(cell, where[i]) if i in where and isinstance(cell, Literal) else cell
                for i, cell in enumerate(row)
            )
            for row in self.rows
        )
        return replace(self, rows=rows)


def _sorted_cell(cell: Literal, separator: str) -> Literal:
    parts = sorted(str(cell).split(separator)) if separator else sorted(str(cell))
    return Literal(separator.join(parts), lang=cell.language, datatype=cell.datatype)


def _python(term: RdfTerm) -> Any:
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


#: the answer of a saved query: SELECT, ASK, CONSTRUCT or DESCRIBE
Answer = ResultTable | bool | Graph
