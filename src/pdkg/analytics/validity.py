"""When a claim holds: the one place that reads a claim's time for a year.

A claim holds in a year when its own time says so: its year (a visit, an observation), or its start
and end. A claim with no time of its own holds at its source's ``pd:asOf`` (the chapter describes
2016) and is *undated* for every other year: not counted, and not silently counted everywhere
either — callers report how many claims a year left out. ``pd:endBefore`` (a "former" post) makes a
claim invalid from that time on and undated before it. No claim holds before both its actors
exist (``founded``: the later of their founding dates, where a source gives one).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


class Validity(Enum):
    """Whether a claim holds in a year: it does, it does not, or its sources cannot tell."""

    VALID = "valid"
    INVALID = "invalid"
    UNDATED = "undated"


def year_of(value: Any) -> int:
    """The year of an xsd:gYear, gYearMonth or date value (or its text).

    >>> year_of("2005-09"), year_of(2016)
    (2005, 2016)
    """
    return int(str(value)[:4])


def validity(row: Mapping[str, Any], year: int) -> Validity:
    """Whether the claim of a network row (``year``, ``start``, ``end``, ``endBefore``, ``asOf``,
    ``founded`` columns, any of them empty) holds in ``year``.

    >>> validity({"year": "2013"}, 2013).value, validity({"asOf": "2016"}, 2016).value
    ('valid', 'valid')
    >>> validity({"asOf": "2016"}, 1990).value, validity({"endBefore": "2016"}, 2016).value
    ('undated', 'invalid')
    >>> validity({"start": "1979", "asOf": "2016"}, 1990).value
    'valid'
    >>> validity({"start": "1979", "asOf": "2016"}, 2020).value
    'undated'
    >>> validity({"asOf": "2016", "founded": "2017-05"}, 2016).value  # its body did not exist yet
    'invalid'
    """
    if row.get("founded") is not None and year < year_of(row["founded"]):
        return Validity.INVALID
    if row.get("year") is not None:
        return Validity.VALID if year_of(row["year"]) == year else Validity.INVALID
    start, end, before, as_of = (
        None if row.get(key) is None else year_of(row[key])
        for key in ("start", "end", "endBefore", "asOf")
    )
    if (before is not None and year >= before) or (end is not None and year > end):
        return Validity.INVALID
    if start is not None and year < start:
        return Validity.INVALID
    if start is None:
        # no start: known only at the source's time, and only if nothing says it had ended
        if end is None and before is None and as_of == year:
            return Validity.VALID
        return Validity.UNDATED
    if end is None and as_of is not None and year > as_of:
        return Validity.UNDATED  # open since its start, as far as its source (of that time) knows
    return Validity.VALID
