"""Where two sources disagree: one table from the saved ``disagreement-*`` queries.

Each saved query finds one kind of disagreement (a date, a kind, a membership in a complete
list, a count, a value) and answers in the same columns, its explanation written in SPARQL, so
the same query on any store gives the same words. This module only gathers them into one table,
in a stable order, and keeps the rows about one subject.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pdkg.errors import PdkgError
from pdkg.query.table import Answer, ResultTable

PREFIX = "disagreement-"
COLUMNS = (
    "kind",
    "subject",
    "subjectLabel",
    "aspect",
    "valueA",
    "sourceA",
    "locatorA",
    "valueB",
    "sourceB",
    "locatorB",
    "explanation",
)


def find_disagreements(
    ask: Callable[[str], Answer], query_names: list[str], *, subject: str | None = None
) -> ResultTable:
    """Every disagreement the ``disagreement-*`` queries among ``query_names`` find (``ask`` runs
    a saved query by name, locally or on an endpoint), one row each, sorted by kind, subject and
    values; only those about ``subject`` (an IRI) when given.

    The subject of a row is what is disagreed about: the partner of a tie (the place other
    than the Chinese city or the list's place), the entity counted, the place whose partner is
    named.

    Raises:
        PdkgError: a ``disagreement-*`` query does not answer in the shared columns.
    """
    rows: list[tuple[Any, ...]] = []
    for name in sorted(n for n in query_names if n.startswith(PREFIX)):
        answer = ask(name)
        if not isinstance(answer, ResultTable) or tuple(answer.columns) != COLUMNS:
            raise PdkgError(f"saved query '{name}' does not answer in the columns {COLUMNS}")
        rows.extend(answer.rows)
    if subject is not None:
        rows = [row for row in rows if str(row[1]) == subject]
    rows.sort(key=lambda row: tuple(str(cell) for cell in (row[0], row[2], row[3], row[4], row[7])))
    return ResultTable(COLUMNS, tuple(rows))


def count_by_kind(table: ResultTable) -> dict[str, int]:
    """How many disagreements of each kind ``table`` holds (kinds in alphabetical order).

    >>> from rdflib import Literal
    >>> t = ResultTable(COLUMNS, ((Literal("date"),) + (Literal(""),) * 10,) * 2)
    >>> count_by_kind(t)
    {'date': 2}
    """
    counts: dict[str, int] = {}
    for row in table.rows:
        counts[str(row[0])] = counts.get(str(row[0]), 0) + 1
    return dict(sorted(counts.items()))
