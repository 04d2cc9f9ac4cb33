"""What the graph can give back to Wikidata: the P190 statements Wikidata lacks, as files.

Two forms of the same statements. :func:`quickstatements` writes QuickStatements V1 commands (one
tab-separated line per statement: item, property, value, then qualifier pairs ``P580 <time>``
and source pairs ``S854 "<url>"``, ``S813 <time>``; a time is ``+YYYY-MM-DDT00:00:00Z/<precision>``
with 9 year, 10 month, 11 day and zeros for the unknown month or day; strings in double quotes).
:func:`wikidata_rdf` gives the same statements in Wikidata's RDF statement model: ``p:`` to a
``wikibase:Statement`` with ``ps:``, ``pq:`` (plus the ``pqv:`` time value node) and
``prov:wasDerivedFrom`` a ``wikibase:Reference`` with ``pr:``.

Nothing is sent anywhere: the functions return text and a graph; the caller writes the files and a
person decides what to submit. QuickStatements V1 has no comment lines (a ``/* ... */`` becomes the
edit summary), so none are written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV

from pdkg.vocab import PDR, PQ, PQV, PR, PS, WD, WIKIBASE, P

#: The property the statements add, its qualifier and the reference's two properties.
TWINNED_ADMINISTRATIVE_BODY = "P190"
START_TIME = "P580"
REFERENCE_URL = "P854"
RETRIEVED = "P813"

#: Wikibase time precisions.
YEAR, MONTH, DAY = 9, 10, 11
#: The proleptic Gregorian calendar, the calendar model of every time written here.
GREGORIAN = WD.Q1985727
#: Statement, reference and value nodes: IRIs built from the QIDs, as Wikidata's dumps use IRIs.
WRITEBACK = Namespace(f"{PDR}writeback/")

_QID = re.compile(r"Q[1-9][0-9]*")
_LEXICAL = {
    XSD.gYear: (re.compile(r"([0-9]{4})"), YEAR),
    XSD.gYearMonth: (re.compile(r"([0-9]{4})-([0-9]{2})"), MONTH),
    XSD.date: (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), DAY),
}
#: Characters a V1 parser would read as syntax inside a string: there is no escape for them.
_UNQUOTABLE = ('"', "\t", "\n", "\r", "|", "/*")


@dataclass(frozen=True)
class Addition:
    """One P190 ("twinned administrative body") statement Wikidata lacks."""

    city_qid: str
    partner_qid: str
    partner_label: str
    start: Literal | None
    reference_url: str
    retrieved: datetime.date | None

    def __post_init__(self) -> None:
        for qid in (self.city_qid, self.partner_qid):
            if not _QID.fullmatch(qid):
                raise ValueError(f"not an item QID: {qid!r}")
        url = urlsplit(self.reference_url)
        spaced = any(char.isspace() for char in self.reference_url)
        if url.scheme not in ("http", "https") or not url.netloc or spaced:
            raise ValueError(f"not an http(s) URL: {self.reference_url!r}")
        if self.start is not None:
            time_value(self.start)

    @property
    def key(self) -> str:
        """The statement's name in node IRIs: ``Q16572-P190-Q406``."""
        return f"{self.city_qid}-{TWINNED_ADMINISTRATIVE_BODY}-{self.partner_qid}"


def _parts(literal: Literal) -> tuple[int, int, int, int]:
    """(year, month, day, precision) of a gYear, gYearMonth or date literal; 0 for unknown."""
    if not isinstance(literal, Literal) or literal.datatype not in _LEXICAL:
        raise ValueError(f"not an xsd:gYear, xsd:gYearMonth or xsd:date literal: {literal!r}")
    pattern, precision = _LEXICAL[literal.datatype]
    match = pattern.fullmatch(str(literal))
    if match is None:
        raise ValueError(f"ill-formed {literal.datatype} literal: {str(literal)!r}")
    numbers = [int(group) for group in match.groups()] + [0, 0]
    year, month, day = numbers[0], numbers[1], numbers[2]
    datetime.date(year, month or 1, day or 1)  # a real day, month and year (ValueError if not)
    return year, month, day, precision


def time_value(literal: Literal) -> tuple[str, int]:
    """The Wikibase time and precision of a gYear, gYearMonth or date literal.

    gYear "1986" -> ("+1986-00-00T00:00:00Z", 9), gYearMonth "1986-05" -> month precision 10,
    date "1986-05-17" -> day precision 11. ValueError for another datatype or an ill-formed value.
    """
    year, month, day, precision = _parts(literal)
    return f"+{year:04d}-{month:02d}-{day:02d}T00:00:00Z", precision


def _day(date: datetime.date) -> Literal:
    return Literal(date.isoformat(), datatype=XSD.date)


def _rdf_time(literal: Literal) -> Literal:
    """The simple (``pq:``/``pr:``) form: an xsd:dateTime with unknown month and day set to 01.

    rdflib writes the "Z" of ``1986-01-01T00:00:00Z`` as ``+00:00``: the same xsd:dateTime value.
    """
    year, month, day, _ = _parts(literal)
    return Literal(f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z", datatype=XSD.dateTime)


def _qs_time(literal: Literal) -> str:
    time, precision = time_value(literal)
    return f"{time}/{precision}"


def _qs_string(text: str) -> str:
    """A QuickStatements string: in double quotes, refused if it holds what V1 reads as syntax."""
    for char in _UNQUOTABLE:
        if char in text:
            raise ValueError(f"QuickStatements V1 has no escape for {char!r} in {text!r}")
    return f'"{text}"'


def _sorted(additions: Sequence[Addition]) -> list[Addition]:
    """By partner QID (numerically), then city; one statement per city and partner."""
    seen: set[str] = set()
    for addition in additions:
        if addition.key in seen:
            raise ValueError(f"two additions for {addition.key}")
        seen.add(addition.key)
    return sorted(additions, key=lambda a: (int(a.partner_qid[1:]), int(a.city_qid[1:])))


def quickstatements(additions: Sequence[Addition]) -> str:
    """QuickStatements V1 commands, one line per addition, sorted by partner QID."""
    lines = []
    for a in _sorted(additions):
        cells = [a.city_qid, TWINNED_ADMINISTRATIVE_BODY, a.partner_qid]
        if a.start is not None:
            cells += [START_TIME, _qs_time(a.start)]
        cells += [f"S{REFERENCE_URL[1:]}", _qs_string(a.reference_url)]
        if a.retrieved is not None:
            cells += [f"S{RETRIEVED[1:]}", _qs_time(_day(a.retrieved))]
        lines.append("\t".join(cells) + "\n")
    return "".join(lines)


def wikidata_rdf(additions: Sequence[Addition]) -> Graph:
    """The same statements in Wikidata's RDF statement model (deterministic node IRIs)."""
    graph = Graph()
    prefixes: dict[str, Namespace] = {"wd": WD, "p": P, "ps": PS, "pq": PQ, "pqv": PQV, "pr": PR}
    prefixes |= {"wikibase": WIKIBASE, "prov": Namespace(PROV._NS), "pdwb": WRITEBACK}
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for a in _sorted(additions):
        statement = WRITEBACK[f"statement/{a.key}"]
        reference = WRITEBACK[f"reference/{a.key}"]
        graph.add((WD[a.city_qid], P[TWINNED_ADMINISTRATIVE_BODY], statement))
        graph.add((statement, RDF.type, WIKIBASE.Statement))
        graph.add((statement, PS[TWINNED_ADMINISTRATIVE_BODY], WD[a.partner_qid]))
        graph.add((statement, WIKIBASE.rank, WIKIBASE.NormalRank))
        if a.start is not None:
            _, precision = time_value(a.start)
            value = WRITEBACK[f"value/{a.key}-{START_TIME}"]
            graph.add((statement, PQ[START_TIME], _rdf_time(a.start)))
            graph.add((statement, PQV[START_TIME], value))
            graph.add((value, RDF.type, WIKIBASE.TimeValue))
            graph.add((value, WIKIBASE.timeValue, _rdf_time(a.start)))
            graph.add((value, WIKIBASE.timePrecision, Literal(precision)))
            graph.add((value, WIKIBASE.timeTimezone, Literal(0)))
            graph.add((value, WIKIBASE.timeCalendarModel, GREGORIAN))
        graph.add((statement, PROV.wasDerivedFrom, reference))
        graph.add((reference, RDF.type, WIKIBASE.Reference))
        graph.add((reference, PR[REFERENCE_URL], URIRef(a.reference_url)))
        if a.retrieved is not None:
            graph.add((reference, PR[RETRIEVED], _rdf_time(_day(a.retrieved))))
    return graph
