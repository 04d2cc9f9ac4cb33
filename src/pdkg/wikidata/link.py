"""``pdkg link``: reconcile a CSV of names (``label,kind,country``) with Wikidata items.

Two stages, each a batched saved query (``queries/wikidata/``):

1. *exact*: every label as a language-tagged literal against Wikidata's labels and aliases
   (``names.rq``); this stage finds an item wherever it is;
2. *pool*: for rows that give a country, the English labels of that country's items
   (``in-countries.rq``), compared in Python for case, accents, qualifiers and close spellings.

:func:`pdkg.wikidata.match.match_row` scores and decides; a unique confident candidate is a
match, several plausible ones are ambiguous (never picked), one weak one is uncertain.
A country may be given as a QID (``Q43``) or a name; a name is looked up among Wikidata's items of
class country (``wikidata/kinds.tsv``).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from pdkg.errors import InputFileError, WikidataError
from pdkg.query.table import ResultTable
from pdkg.vocab import WD
from pdkg.wikidata.client import Progress, Wikidata
from pdkg.wikidata.match import KINDS, Name, Outcome, Row, match_row, normalise

_QID = re.compile(r"Q[1-9][0-9]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
COLUMNS = ("label", "kind", "country")


@dataclass(frozen=True)
class Request:
    """One line of the names CSV as written (the country not yet resolved)."""

    label: str
    kind: str
    country: str
    line: int


def read_names(path: Path) -> list[Request]:
    """The rows of a ``label,kind,country`` CSV (``country`` may be empty or absent).

    Raises:
        InputFileError: the file is missing, not UTF-8 CSV, lacks a column, has an empty
            label or an unknown kind (naming the line).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # a BOM (Excel) is fine
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [c for c in COLUMNS[:2] if c not in header]
            if missing:
                raise InputFileError(path, 1, f"needs the columns {', '.join(COLUMNS)}")
            rows = []
            for number, raw in enumerate(reader, start=2):
                record = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
                label, kind = record.get("label", ""), record.get("kind", "").lower()
                if not label:
                    raise InputFileError(path, number, "the label is empty")
                if kind not in KINDS:
                    raise InputFileError(
                        path, number, f"unknown kind {kind!r}; choose from {', '.join(KINDS)}"
                    )
                rows.append(Request(label, kind, record.get("country", ""), number))
    except FileNotFoundError:
        raise InputFileError(path, None, "no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(path, None, f"not a UTF-8 CSV file ({exc})") from None
    if not rows:
        raise InputFileError(path, None, "has no rows under its header")
    return rows


def read_kinds(path: Path) -> dict[str, frozenset[str]]:
    """``wikidata/kinds.tsv``: for each kind, the Wikidata classes (P31) that mean it."""
    kinds: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            kinds[record["kind"]].add(record["qid"])
    return {kind: frozenset(classes) for kind, classes in kinds.items()}


def name_literal(text: str) -> Literal:
    """A name as Wikidata writes labels: Chinese text ``@zh``, anything else ``@en``."""
    return Literal(text, lang="zh" if _CJK.search(text) else "en")


def reconcile(
    requests: Sequence[Request],
    wikidata: Wikidata,
    source: Path,
    kind_classes: dict[str, frozenset[str]],
    progress: Callable[[int], None] | None = None,
    *,
    pool: bool = True,
) -> list[Outcome]:
    """Reconcile each request with Wikidata: one outcome per request, in input order.

    With ``pool=False`` only the exact stage runs (labels and aliases as written): what a large
    country on the live service needs, as its pool of labels can pass the server's time limit.

    Raises:
        InputFileError: a row's country names no single country item (``source``, its line).
        WikidataError: the endpoint cannot answer.
    """
    texts = {r.country for r in requests if r.country}
    countries = resolve_countries(
        texts, wikidata, kind_classes.get("country", frozenset()), progress
    )
    for request in requests:
        if request.country and countries.get(request.country) is None:
            raise InputFileError(
                source,
                request.line,
                f"the country {request.country!r} is no single Wikidata country {wikidata.where} "
                "knows; give its English label as Wikidata writes it, or its QID",
            )
    exact = exact_names([r.label for r in requests], wikidata, progress)
    wanted = sorted({q for q in countries.values() if q}) if pool else []
    labels = pool_names(wanted, wikidata, progress)
    outcomes = []
    for request in requests:
        qid = countries.get(request.country) if request.country else None
        row = Row(request.label, request.kind, qid, request.line)
        names = [*exact.get(request.label, ()), *(labels.get(qid, ()) if qid else ())]
        outcome = match_row(row, names, kind_classes)
        if outcome.status == "none" and not (pool and qid):
            # only the exact stage ran for this row: say so rather than "nothing close"
            why = "no country given" if not qid else "--exact"
            reason = (
                f"no item has the label or alias {request.label!r} as written ({why}: close "
                "spellings are searched only among the items of a row's country)"
            )
            outcome = Outcome(row, "none", (), reason)
        outcomes.append(outcome)
    return outcomes


def resolve_countries(
    texts: Iterable[str],
    wikidata: Wikidata,
    country_classes: frozenset[str],
    progress: Progress | None = None,
) -> dict[str, str | None]:
    """Each country as written -> its QID: a QID as it is, a name by the exact label (or alias)
    of an item of a country class (``wikidata/kinds.tsv``); None if none or several."""
    texts = sorted(set(texts))
    resolved: dict[str, str | None] = {t: t for t in texts if _QID.fullmatch(t)}
    names = [t for t in texts if t not in resolved]
    if not names:
        return resolved
    found = exact_names(names, wikidata, progress)
    for text in names:
        items = {n.qid for n in found.get(text, ()) if n.classes & country_classes}
        resolved[text] = items.pop() if len(items) == 1 else None
    return resolved


def exact_names(
    labels: Sequence[str], wikidata: Wikidata, progress: Progress | None = None
) -> dict[str, list[Name]]:
    """Label -> the names (labels and aliases) of items that carry exactly that text."""
    literals = {name_literal(label): label for label in labels}
    table = wikidata.select("names", "name", list(literals), progress)
    grouped = _grouped(table, lambda r: (str(r["name"]), _qid(r["item"]), str(r["via"])))
    names: dict[str, list[Name]] = defaultdict(list)
    for (text, qid, via), records in grouped.items():
        names[text].append(_name(qid, text, via, records))
    return names


def pool_names(
    countries: Sequence[str], wikidata: Wikidata, progress: Progress | None = None
) -> dict[str, list[Name]]:
    """Country QID -> the English labels of its items (the close-spelling pool)."""
    if not countries:
        return {}
    terms = [URIRef(WD[qid]) for qid in countries]
    table = wikidata.select("in-countries", "country", terms, progress)
    grouped = _grouped(table, lambda r: (_qid(r["country"]), _qid(r["item"]), str(r["itemLabel"])))
    pool: dict[str, list[Name]] = defaultdict(list)
    for (country, qid, text), records in grouped.items():
        classes = frozenset(_qid(r["class"]) for r in records if r.get("class") is not None)
        pool[country].append(Name(qid, text, "label", text, frozenset({country}), classes))
    return pool


def _name(qid: str, text: str, via: str, records: list[dict[str, object]]) -> Name:
    label = next((str(r["itemLabel"]) for r in records if r.get("itemLabel")), text)
    countries = frozenset(_qid(r["country"]) for r in records if r.get("country") is not None)
    classes = frozenset(_qid(r["class"]) for r in records if r.get("class") is not None)
    return Name(qid, text, via, label, countries, classes)


Record = dict[str, object]


def _grouped(
    table: ResultTable, key: Callable[[Record], tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[Record]]:
    """The rows of ``table`` (as column -> term) grouped by ``key``."""
    grouped: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for row in table.rows:
        record: Record = dict(zip(table.columns, row, strict=True))
        grouped[key(record)].append(record)
    return grouped


def _qid(term: object) -> str:
    text = str(term)
    if not text.startswith(str(WD)):
        raise WikidataError(f"answered {text!r} where a Wikidata item was expected")
    return text[len(str(WD)) :]


def counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many outcomes have each status (match, ambiguous, uncertain, none)."""
    tally = dict.fromkeys(("match", "ambiguous", "uncertain", "none"), 0)
    for outcome in outcomes:
        tally[outcome.status] += 1
    return tally


__all__ = ["Request", "counts", "normalise", "read_kinds", "read_names", "reconcile"]
