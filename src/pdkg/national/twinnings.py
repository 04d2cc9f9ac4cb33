"""The crowd-sourced twinnings (``national/wikipedia/twinning_china.csv``, English Wikipedia's
lists of twin towns and sister cities, CC BY-SA 4.0) as claims of a low-trust source of their own.

Each row names a Chinese host and a foreign partner. The host is matched to a division of the
latest snapshot (:mod:`pdkg.national.names`); the partner to a foreign place the graph has (the
same English label in the same country), else it becomes a place of its own, with the country as
the row prints it (``Wales, United Kingdom`` is in the United Kingdom; ``England`` is where another
row writes ``England, United Kingdom``). A pair listed from both sides is one claim with two
locators. A row whose host is ambiguous or unmatched, or whose partner has no country, gives no
claim: it is reported (:class:`Row`), never guessed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pdkg.errors import GraphLoadError
from pdkg.national.names import Match, Matcher

COLUMNS = ["city1", "country1", "city2", "country2"]
CHINA = "China"
#: words that make a partner a region rather than a city (pd:ForeignRegion)
REGION_WORDS = ("province", "prefecture", "state", "region", "county", "oblast", "governorate")


@dataclass(frozen=True)
class Row:
    """One row of the list, read: its number (data rows from 1), host, partner and their match."""

    number: int
    host: str
    partner: str
    country: str
    region: str | None
    match: Match
    #: how the printed country was read ("" where it is as printed)
    country_note: str = ""

    @property
    def usable(self) -> bool:
        return self.match.division is not None and bool(self.country)


def read_rows(path: Path) -> list[tuple[int, str, str, str]]:
    """``(row, host, partner, country as printed)`` for each row with one Chinese side.

    Raises:
        GraphLoadError: the file is missing, has other columns, or a row has no Chinese side.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != COLUMNS:
                raise GraphLoadError(
                    path, f"has columns {reader.fieldnames}, not {COLUMNS}", line=1
                )
            rows = list(reader)
    except FileNotFoundError:
        raise GraphLoadError(path, "no such file") from None
    read = []
    for number, row in enumerate(rows, start=1):
        if row["country1"] == CHINA and row["country2"] != CHINA:
            read.append((number, row["city1"], row["city2"], row["country2"]))
        elif row["country2"] == CHINA and row["country1"] != CHINA:
            read.append((number, row["city2"], row["city1"], row["country1"]))
        else:
            why = "has no side in China" if CHINA not in row.values() else "is in China twice"
            raise GraphLoadError(path, f"row {number} {why}", line=number + 1)
    return read


def countries(printed: Iterable[str]) -> dict[str, tuple[str, str | None, str]]:
    """How each printed country is read: ``(country, region or None, note)``."""
    printed = set(printed)
    regions: dict[str, tuple[str, str]] = {}
    for text in printed:
        if "," in text:
            region, country = (part.strip() for part in text.rsplit(",", 1))
            regions.setdefault(region, (country, text))
    read: dict[str, tuple[str, str | None, str]] = {}
    for text in printed:
        if "," in text:
            region, country = (part.strip() for part in text.rsplit(",", 1))
            read[text] = (country, region, "")
        elif text.endswith(" (country)"):
            read[text] = (text[: -len(" (country)")], None, "")
        elif text in regions:
            country, example = regions[text]
            note = f"'{text}' is read as a part of {country}, as the list writes '{example}'"
            read[text] = (country, text, note)
        else:
            read[text] = (text, None, "")
    return read


def read_twinnings(path: Path, matcher: Matcher) -> list[Row]:
    """Every row of the list, matched."""
    rows = read_rows(path)
    read = countries(country for _, _, _, country in rows)
    found: dict[str, Match] = {}
    result = []
    for number, host, partner, printed in rows:
        match = found.setdefault(host, matcher.match(host))
        country, region, note = read[printed]
        result.append(Row(number, host, partner, country, region, match, note))
    return result


def slug(text: str) -> str:
    """A readable IRI segment: ``Łódź`` → ``lodz``, ``Xi'an`` → ``xian``."""
    plain = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-") or "x"


def is_region(name: str) -> bool:
    return any(word in name.lower().split() for word in REGION_WORDS)
