"""Matching the English place names of a crowd-sourced list to the divisions of the standard.

The standard gives Chinese names only, so a division is found by romanising its name: the name
without the ending that says its kind (广州市 → 广州), in Hanyu Pinyin without tones (pypinyin),
against the English name lower-cased without accents, apostrophes, hyphens and spaces (``Xi'an``
→ ``xian``). pypinyin's reading of the whole name is tried first (it knows the readings of many
place names); every reading of each character only where that finds nothing.

The list's qualifiers narrow it: ``Suzhou, Jiangsu`` (a province), ``Binhai (Tianjin)`` and
``Wuxi \N{EN DASH} Binhu`` (the unit above), ``Dayi County`` and ``Jilin City`` (a kind). Of the
candidates left, a single one is a match; else the one at the highest level, if it is alone there
(the list names cities, so ``Wuxi`` is the prefecture-level 无锡市, not 巫溪县), reported with the
others; else the name is ambiguous. Nothing else is inferred: a name no reading gives
(``Harbin``, ``Hohhot``) is unmatched.

>>> english_key("Xi'an"), english_key("Ürümqi")
('xian', 'urumqi')
>>> sorted(chinese_keys("朝阳区")), sorted(chinese_keys("朝阳区", every=True))
(['zhaoyang'], ['chaoyang', 'zhaoyang'])
>>> parse_host("Suzhou, Jiangsu")
Host(name='Suzhou', province='Jiangsu', above=None, kind=None)
>>> parse_host("Binhai (Tianjin)").above, parse_host("Wuxi \N{EN DASH} Binhu").name
('Tianjin', 'Binhu')
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pdkg.national.snapshots import KINDS, level

#: how many readings of one name are tried (the product of its characters' readings)
MAX_READINGS = 64
#: the English words of the list that say a kind, and the levels they allow
KIND_WORDS = {
    "county": ("county",),
    "city": ("prefectural", "county"),
    "district": ("county",),
    "prefecture": ("prefectural",),
    "province": ("provincial",),
    "region": ("provincial",),
}
#: endings of more than one word, and the kind word they stand for
LONG_KIND_WORDS = {"autonomous region": "province", "autonomous prefecture": "prefecture"}
RANK = {"provincial": 0, "prefectural": 1, "county": 2}


@dataclass(frozen=True)
class Host:
    """A name of the list with its qualifiers."""

    name: str
    province: str | None = None
    above: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Division:
    """A division of the latest snapshot, as the matcher sees it."""

    code: str
    name: str

    @property
    def level(self) -> str:
        return level(self.code)

    @property
    def province(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class Match:
    """What a name matched: ``status`` is ``matched``, ``matched-by-level``, ``ambiguous`` or
    ``unmatched``; ``division`` the one chosen; ``candidates`` every division that fits."""

    status: str
    division: Division | None
    candidates: tuple[Division, ...]
    evidence: str


def english_key(name: str) -> str:
    """The matching key of an English name."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z]", "", plain.lower())


def stem(code: str, name: str) -> str:
    """The name without the ending that says its kind (and without the 族 of an ethnic name)."""
    for ending, _ in KINDS[level(code)]:
        if name.endswith(ending) and len(name) > len(ending):
            name = name[: -len(ending)]
            break
    return name


def chinese_keys(name: str, code: str | None = None, *, every: bool = False) -> set[str]:
    """The romanised keys of a Chinese name, without the ending its code's level says is a kind
    (a county-level code when none is given) and also without the 族 of an ethnic name
    (大理白族自治州: ``dalibaizu`` and ``dalibai``): pypinyin's reading of the name, or with
    ``every``, every reading of its characters."""
    base = stem(code or "110101", name)
    keys = _readings(base, every)
    if "族" in base:
        keys |= _readings(base.replace("族", ""), every)
    return keys


def _readings(text: str, every: bool) -> set[str]:
    from pypinyin import Style, lazy_pinyin, pinyin  # dictionaries load in 0.2 s: only to match

    if not every:
        return {"".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))}
    readings = pinyin(text, style=Style.NORMAL, heteronym=True, errors="ignore")
    combinations = itertools.islice(itertools.product(*readings), MAX_READINGS)
    return {"".join(combination) for combination in combinations}


def parse_host(text: str) -> Host:
    """The name and qualifiers of one entry of the list."""
    text = text.strip()
    if match := re.fullmatch(r"(.+?)\s*\((.+)\)", text):
        return Host(match.group(1), above=match.group(2))
    if match := re.fullmatch(r"(.+?)\s+[\N{EN DASH}-]\s+(.+)", text):
        return Host(match.group(2), above=match.group(1))
    if match := re.fullmatch(r"(.+?),\s*(.+)", text):
        return Host(match.group(1), province=match.group(2))
    for ending, kind in LONG_KIND_WORDS.items():
        if text.lower().endswith(" " + ending):
            return Host(text[: -len(ending) - 1], kind=kind)
    words = text.rsplit(" ", 1)
    if len(words) == 2 and words[1].lower() in KIND_WORDS:
        return Host(words[0], kind=words[1].lower())
    return Host(text)


class Matcher:
    """The divisions of one snapshot indexed by their romanised keys."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        self.read: dict[str, list[Division]] = defaultdict(list)
        self.every: dict[str, list[Division]] = defaultdict(list)
        self.by_code: dict[str, Division] = {}
        for division in divisions:
            self.by_code[division.code] = division
            for key in chinese_keys(division.name, division.code):
                self.read[key].append(division)
            for key in chinese_keys(division.name, division.code, every=True):
                self.every[key].append(division)

    def find(self, name: str, *, every: bool = False) -> list[Division]:
        """The divisions whose name reads ``name`` (pypinyin's reading, or with ``every`` any)."""
        index = self.every if every else self.read
        return sorted(index.get(english_key(name), []), key=lambda d: d.code)

    def candidates(self, host: Host, *, every: bool = False) -> list[Division]:
        """The divisions that read as the host's name and fit its qualifiers."""
        found = self.find(host.name, every=every)
        if host.province is not None:
            provinces = {d.code for d in self.find(host.province) if d.level == "provincial"}
            found = [d for d in found if d.province in provinces]
        if host.above is not None:
            above = {d.code for d in self.find(host.above) if d.level != "county"}
            found = [d for d in found if _under(d, above)]
        if host.kind is not None:
            found = [d for d in found if d.level in KIND_WORDS[host.kind]]
        return found

    def match(self, text: str) -> Match:
        """Match one entry of the list (see the module's description)."""
        host = parse_host(text)
        found = self.candidates(host) or self.candidates(host, every=True)
        said = [
            f"province '{host.province}'" if host.province else "",
            f"under '{host.above}'" if host.above else "",
            f"'{host.kind}'" if host.kind else "",
        ]
        qualifiers = f" ({', '.join(s for s in said if s)})" if any(said) else ""
        if not found:
            return Match(
                "unmatched", None, (), f"no division's name reads '{host.name}'{qualifiers}"
            )
        if len(found) == 1:
            return Match("matched", found[0], tuple(found), _read(found[0], qualifiers))
        top = min(RANK[d.level] for d in found)
        highest = [d for d in found if RANK[d.level] == top]
        listed = ", ".join(f"{d.code} {d.name}" for d in found)
        if len(highest) == 1:
            chosen = highest[0]
            why = f"{_read(chosen, qualifiers)}; the only one at {chosen.level} level of {listed}"
            return Match("matched-by-level", chosen, tuple(found), why)
        return Match("ambiguous", None, tuple(found), f"'{host.name}'{qualifiers} reads {listed}")


def _under(division: Division, above: set[str]) -> bool:
    return division.code[:4] + "00" in above or division.province in above


def _read(division: Division, qualifiers: str) -> str:
    return f"{division.code} {division.name}{qualifiers}"
