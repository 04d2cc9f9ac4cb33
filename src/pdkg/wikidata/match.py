"""Scoring and deciding for ``pdkg link``: which Wikidata item, if any, an input name means.

Each label or alias the endpoint returned gets a *text score* from the first rule that applies
(exact label 1.0, exact alias 0.95, case- and accent-insensitive 0.9, qualified name 0.85,
partial name 0.8, close spelling 0.8 to 0.85). An item's score is its best name's score, times
0.95 when the row gives a country and the item has none. A score is a rank on this fixed scale,
not a probability: at or above ``CONFIDENT`` the text alone identifies the name; from
``PLAUSIBLE`` up it is a reading a person would consider; below that the item is not a candidate.
An item is linked only when it is the one plausible candidate and it is confident; several
plausible candidates are reported as ambiguous and never picked, whatever their scores.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The kinds of thing a row of names.csv may name.
KINDS: tuple[str, ...] = ("city", "province", "region", "country", "organisation", "person")
#: Lowest score at which an item is a plausible reading of the name (listed, never linked alone).
PLAUSIBLE = 0.8
#: Lowest score at which the text alone identifies the name (linked if it is the only plausible).
CONFIDENT = 0.85
#: The name is the input label, character for character.
EXACT_LABEL = 1.0
#: The name is one of the item's aliases, character for character.
EXACT_ALIAS = 0.95
#: Equal after ``normalise`` (case, accents, hyphens, apostrophes and dots ignored).
INSENSITIVE = 0.9
#: Equal once a trailing "(qualifier)" or ", qualifier" is removed from one side.
QUALIFIED = 0.85
#: One side is the other's first whole words ("Frankfurt" of "Frankfurt am Main").
PARTIAL = 0.8
#: Lowest ``difflib`` similarity ratio counted as a close spelling; the score is the ratio
#: itself, capped at ``CONFIDENT``: one wrong letter in a word of seven letters or more
#: (ratio >= 0.857) is confident; one in five or six (ratio 0.8, 0.833) is plausible only.
SPELLING_MIN = 0.8
#: Factor applied when the row gives a country and the item records none (unknown country).
UNKNOWN_COUNTRY = 0.95

# Letters NFKD leaves whole, and their plain Latin spelling.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th"})
_FOLD.update(str.maketrans({"ß": "ss", "\u0131": "i"}))  # sharp s, dotless i
# Hyphens, dashes, apostrophes, dots and underscores: read as spaces.
_SPACED = re.compile(r"[-\u2010-\u2015'\u2018\u2019\u02bc`.\u00b7_]")
# A trailing qualifier: "Frankfurt (Oder)" or "Victoria, Seychelles".
_QUALIFIER = re.compile(r"^(?P<base>.*?)\s*(?:\([^()]*\)|,[^,]*)\s*$", re.DOTALL)


@dataclass(frozen=True)
class Row:
    """One input line of names.csv: ``label``, ``kind`` (one of KINDS), ``country`` QID or None."""

    label: str
    kind: str
    country: str | None
    line: int


@dataclass(frozen=True)
class Name:
    """One label (``via="label"``) or alias (``via="alias"``) of item ``qid``, with its P17/P31."""

    qid: str
    text: str
    via: str
    item_label: str
    countries: frozenset[str]
    classes: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    """An item that survived the filters: its score (0..1, 3 decimals) and the rule behind it."""

    qid: str
    label: str
    score: float
    how: str


@dataclass(frozen=True)
class Outcome:
    """The decision for one row: ``match``, ``ambiguous``, ``uncertain`` or ``none``, and why."""

    row: Row
    status: str
    candidates: tuple[Candidate, ...]
    reason: str


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_SPACED.sub(" ", kept.casefold().translate(_FOLD)).split())


def normalise(text: str) -> str:
    """Fold ``text`` to the form names are compared in.

    NFKD, combining marks dropped, casefolded, ł ø đ ð ß æ œ þ and dotless i spelt in plain Latin,
    hyphens/apostrophes/dots/underscores read as spaces, whitespace collapsed and stripped.
    Repeated until stable, so that ``normalise(normalise(x)) == normalise(x)``.

    >>> normalise("Łódź") == normalise("lodz") == "lodz"
    True
    >>> normalise("  Saint-Étienne ")
    'saint etienne'
    """
    for _ in range(8):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def _base(text: str) -> str | None:
    """``text`` without its trailing qualifier, or None if it has none."""
    found = _QUALIFIER.match(text)
    base = found["base"].strip() if found else ""
    return base or None


def _word_prefix(short: str, long: str) -> bool:
    """Whether ``short`` is the first whole word(s) of ``long``."""
    return len(long) > len(short) and long.startswith(short) and not long[len(short)].isalnum()


def score_name(query: str, name: str, via: str) -> tuple[float, str] | None:
    """The text score of one name for the input label, with the rule that gave it.

    Args:
        query: The input label.
        name: A label or alias of a Wikidata item.
        via: ``"label"`` or ``"alias"``: only changes the exact-match score.

    Returns:
        ``(score, how)`` from the first rule that applies, or None if none does.

    Raises:
        ValueError: If ``via`` is neither ``"label"`` nor ``"alias"``.

    >>> score_name("Frankfurt", "Frankfurt (Oder)", "label")
    (0.85, 'qualified name')
    >>> score_name("Istambul", "Istanbul", "label")
    (0.85, 'close spelling (similarity 0.875)')
    """
    if via not in ("label", "alias"):
        raise ValueError(f"a name comes via 'label' or 'alias', not {via!r}")
    if name == query:
        return (EXACT_LABEL, "exact label") if via == "label" else (EXACT_ALIAS, "exact alias")
    q, n = normalise(query), normalise(name)
    if not q or not n:
        return None
    if q == n:
        return INSENSITIVE, "case- and accent-insensitive"
    q_base, n_base = _base(query), _base(name)
    qb = normalise(q_base) if q_base else None
    nb = normalise(n_base) if n_base else None
    if q == nb or n == qb:
        return QUALIFIED, "qualified name"
    pairs = [(q, n)]
    if qb is None and nb:
        pairs.append((q, nb))
    if nb is None and qb:
        pairs.append((qb, n))
    if any(_word_prefix(a, b) or _word_prefix(b, a) for a, b in pairs):
        return PARTIAL, "partial name"
    ratio = difflib.SequenceMatcher(None, q, n).ratio()
    if ratio >= SPELLING_MIN:
        return min(round(ratio, 3), CONFIDENT), f"close spelling (similarity {ratio:.3f})"
    return None


#: the rules that read the name as written, up to case and accents
SAME_TEXT = ("exact label", "exact alias", "case- and accent-insensitive")


def _qid_order(qid: str) -> tuple[int, str]:
    """Sort key: Q-numbers numerically, anything else after them."""
    digits = qid[1:]
    return (int(digits) if digits.isdigit() else sys.maxsize, qid)


def _rank(candidate: Candidate) -> tuple[float, int, str]:
    return (-candidate.score, *_qid_order(candidate.qid))


def match_row(
    row: Row, names: Iterable[Name], kind_classes: Mapping[str, frozenset[str]]
) -> Outcome:
    """Score every item among ``names`` for ``row``, filter by country and kind, and decide.

    Args:
        row: The input line.
        names: Labels and aliases of the items the endpoint returned, in any order.
        kind_classes: For each kind, the P31 classes that mean that kind. An item with a class
            of another kind and none of the row's kind is dropped; others are kept.

    Returns:
        The outcome, its plausible candidates best first (ties in Q-number order).

    Raises:
        ValueError: If ``row.kind`` is not one of KINDS.
    """
    if row.kind not in KINDS:
        raise ValueError(
            f"line {row.line}: unknown kind {row.kind!r}; expected one of {', '.join(KINDS)}"
        )
    own = kind_classes.get(row.kind, frozenset())
    others = frozenset().union(*(v for k, v in kind_classes.items() if k != row.kind))
    items: dict[str, list[Name]] = {}
    for name in names:
        items.setdefault(name.qid, []).append(name)
    kept: list[Candidate] = []
    dropped: list[tuple[str, str]] = []
    for qid, group in items.items():
        scored = [(s, name) for name in group if (s := score_name(row.label, name.text, name.via))]
        if not scored:
            continue
        (score, how), best = min(scored, key=lambda x: (-x[0][0], x[1].via != "label", x[1].text))
        countries = frozenset().union(*(name.countries for name in group))
        classes = frozenset().union(*(name.classes for name in group))
        if row.country and countries and row.country not in countries:
            dropped.append((qid, f"{qid} is in {', '.join(sorted(countries, key=_qid_order))}"))
            continue
        if classes & others and not classes & own:
            kinds = " or ".join(sorted(k for k, v in kind_classes.items() if classes & v))
            dropped.append((qid, f"{qid} is a {kinds}, not a {row.kind}"))
            continue
        if row.country and not countries:
            score, how = score * UNKNOWN_COUNTRY, f"{how}, unknown country"
        kept.append(Candidate(qid, best.item_label, round(score, 3), how))
    kept.sort(key=_rank)
    plausible = tuple(c for c in kept if c.score >= PLAUSIBLE)
    notes = [f"{c.qid} scored only {c.score} ({c.how})" for c in kept if c.score < PLAUSIBLE]
    if plausible and plausible[0].how.startswith(SAME_TEXT):
        # the name as written (up to case and accents) outweighs partial names and close
        # spellings: only another item of the same text, or a qualified one, makes it ambiguous
        weaker = [c for c in plausible[1:] if not c.how.startswith((*SAME_TEXT, "qualified"))]
        plausible = tuple(c for c in plausible if c not in weaker)
        notes += [f"{c.qid} ({c.label}) is only a {c.how}" for c in weaker]
    notes += [note for _, note in sorted(dropped, key=lambda d: _qid_order(d[0]))]
    where = f" in {row.country}" if row.country else ""
    tail = f"; left out: {'; '.join(notes)}" if notes else ""
    if not plausible:
        status, tail = "none", tail.replace(";", " except those", 1)
        reason = f"no item has a label or alias close to {row.label!r}{where}{tail}"
    elif len(plausible) > 1:
        status = "ambiguous"
        listed = ", ".join(f"{c.qid} ({c.label}, {c.score})" for c in plausible)
        reason = (
            f"{len(plausible)} items{where} are plausible readings of {row.label!r}: {listed}; "
            f"none is picked{tail}"
        )
    else:
        only = plausible[0]
        status = "match" if only.score >= CONFIDENT else "uncertain"
        verdict = "linked" if status == "match" else f"below {CONFIDENT}, so not linked"
        reason = (
            f"only {only.qid} ({only.label}){where} is close to {row.label!r}: {only.how}, "
            f"score {only.score}, {verdict}{tail}"
        )
    return Outcome(row, status, plausible, reason)
