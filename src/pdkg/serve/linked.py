"""Linked Data in ``pdkg serve``: the graph's IRIs answer with their description, negotiated.

``https://w3id.org/pdkg/resource/{slug}`` is served at ``/resource/{slug}``: the resource's own
triples and every claim (``pd:Relation``) that mentions it, with the claim's further sources
(saved query ``describe-resource``). ``/vocab/{name}`` serves a vocabulary file of
``ontology/vocab/`` when ``name`` is its scheme (``/vocab/levels``), else the concept's
description; ``/ontology`` serves ``ontology/pdkg.ttl``. The format follows ``Accept`` (q-values
honoured) or a suffix (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.html``); browsers get an
HTML page of the same triples (the ontology: its documentation).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from pdkg.serve.evaluate import GRAPH_TYPES

BASE = "https://w3id.org/pdkg/"
HTML = "text/html"
#: the media types a description is served in (those of CONSTRUCT answers), Turtle first
MEDIA = {"text/turtle": GRAPH_TYPES["text/turtle"]} | GRAPH_TYPES
SUFFIXES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".html": HTML,
}
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RELATION = BASE + "ontology#Relation"
STATUS = BASE + "ontology#claimStatus"


@dataclass(frozen=True)
class Located:
    """What a path names: the IRI, the file that holds it whole (if any), the fixed type."""

    iri: str
    file: Path | None
    media: str | None


def locate(path: str, ontology: Path | None) -> Located | None:
    """The resource a request path names, or ``None`` when it names none of the graph's IRIs.

    >>> locate("/resource/guangzhou.ttl", None)
    Located(iri='https://w3id.org/pdkg/resource/guangzhou', file=None, media='text/turtle')
    >>> locate("/query", None) is None
    True
    """
    stem, media = path, None
    for suffix, kind in SUFFIXES.items():
        if path.endswith(suffix):
            stem, media = path.removesuffix(suffix), kind
            break
    parts = stem.strip("/").split("/")
    if parts == ["ontology"]:
        file = ontology / "pdkg.ttl" if ontology is not None else None
        return Located(BASE + "ontology", file if file and file.is_file() else None, media)
    if len(parts) != 2 or parts[0] not in ("resource", "vocab") or not _slug(parts[1]):
        return None
    file = None
    if parts[0] == "vocab" and ontology is not None:
        candidate = ontology / "vocab" / f"{parts[1]}.ttl"
        file = candidate if candidate.is_file() else None
    return Located(f"{BASE}{parts[0]}/{parts[1]}", file, media)


def _slug(text: str) -> bool:
    return bool(text) and all(c.isascii() and (c.isalnum() or c in "-_.") for c in text)


def negotiate(accept: str, fixed: str | None) -> str | None:
    """The media type to answer in: the suffix's, else the best of ``Accept`` we serve (HTML
    included), else Turtle for ``*/*`` or no header; ``None`` when we serve none (406).

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", None)
    'text/html'
    >>> negotiate("application/ld+json;q=0.9, text/turtle;q=0.5", None)
    'application/ld+json'
    >>> negotiate("image/png", None) is None
    True
    """
    if fixed is not None:
        return fixed
    if not accept.strip():
        return "text/turtle"
    best: tuple[float, int, str] | None = None
    served = [HTML, *MEDIA]
    for position, item in enumerate(accept.split(",")):
        kind, *params = (p.strip() for p in item.split(";"))
        q = next((_number(p[2:]) for p in params if p.startswith("q=")), 1.0)
        if q <= 0:
            continue
        if kind.lower() in ("*/*", "text/*", "application/*"):
            choice = "text/turtle"
        elif kind.lower() in served:
            choice = kind.lower()
        else:
            continue
        if best is None or (q, -position) > (best[0], best[1]):
            best = (q, -position, choice)
    return best[2] if best else None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


@lru_cache(maxsize=64)
def file_triples(file: Path, stamp: float) -> tuple[ox.Triple, ...]:
    """The triples of a Turtle file (``stamp``: its modification time, so an edit is read)."""
    return tuple(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))


def serialize(triples: Iterable[ox.Triple], media: str) -> bytes:
    """The triples in ``media`` (one of :data:`MEDIA`), prefixes for Turtle."""
    prefixes = {"pd": BASE + "ontology#", "pdr": BASE + "resource/", "pdv": BASE + "vocab/"}
    prefixes |= {
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "prov": "http://www.w3.org/ns/prov#",
    }
    fmt = MEDIA[media]
    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return ox.serialize(triples, format=fmt) or b""


def page(iri: str, triples: Iterable[ox.Triple]) -> bytes:
    """An HTML page of the triples: the resource's own first, then each claim about it."""
    rows = sorted(triples, key=lambda t: (_text(t.subject), _text(t.predicate), _text(t.object)))
    names = [t for t in rows if _text(t.predicate) == LABEL]
    # an English label names a link; another language only where there is none
    labels = {_text(t.subject): _text(t.object) for t in names if not _english(t.object)}
    labels |= {_text(t.subject): _text(t.object) for t in names if _english(t.object)}
    said = {_text(t.subject) for t in rows if _text(t.predicate) != LABEL}  # not a name only
    order = sorted(said | {iri}, key=lambda s: (s != iri, labels.get(s, s)))
    title = labels.get(iri, iri.rsplit("/", 1)[-1])
    formats = " ".join(
        f"<a href='{html.escape(_local(iri) + suffix)}'>{suffix[1:]}</a>"
        for suffix in SUFFIXES
        if suffix != ".html"
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)} — pdkg</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code> · {formats}",
        " · <a href='/'>query the graph</a></p>",
    ]
    kinds = _kinds(rows, labels)
    # the resource itself, then its claims kind by kind, then the claims' further sources
    blocks: list[tuple[str, str]] = [("about", iri)]
    blocks += [("other", s) for s in order if s != iri and s not in kinds and _is_iri(s)]
    for kind in sorted({k for s, k in kinds.items() if s != iri}):
        claims = [s for s in order if kinds.get(s) == kind and s != iri]
        blocks += [("kind", f"{kind} ({len(claims)})"), *(("claim", s) for s in claims)]
    blocks += [("source", s) for s in order if not _is_iri(s)]
    for block, subject in blocks:
        if block == "kind":
            parts.append(f"<h2 class='kind'>{html.escape(subject)}</h2>")
            continue
        status = _status(rows, subject)
        mark = f" <mark>{html.escape(status)}</mark>" if status not in ("", "asserted") else ""
        heading = {
            "about": "<h2>About it</h2>",
            "source": "<h3>A further source of a claim</h3>",
        }.get(block) or f"<h3>{_link(subject, labels)}{mark}</h3>"
        parts.append(heading + "<table>")
        for t in (t for t in rows if _text(t.subject) == subject):
            cells = f"<td>{_link(t.predicate.value, labels)}</td><td>{_cell(t.object, labels)}</td>"
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode()


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
    "td{border-top:1px solid #ddd;padding:.3em;vertical-align:top}"
    "td:first-child{width:14em;color:#555}"
)


def _kinds(rows: list[ox.Triple], labels: dict[str, str]) -> dict[str, str]:
    """Each claim's kind: the label of its pd: class other than pd:Relation (``supervision``)."""
    found: dict[str, str] = {}
    for t in rows:
        kind = _text(t.object)
        if _text(t.predicate) == TYPE and kind.startswith(BASE + "ontology#") and kind != RELATION:
            found.setdefault(_text(t.subject), labels.get(kind) or kind.rsplit("#", 1)[-1])
    relations = {_text(t.subject) for t in rows if _text(t.object) == RELATION}
    return {s: k for s, k in found.items() if s in relations}


def _status(rows: list[ox.Triple], subject: str) -> str:
    """A claim's status (``disputed``, ``superseded``) by its pd:claimStatus, if it has one."""
    for t in rows:
        if _text(t.subject) == subject and _text(t.predicate) == STATUS:
            return _text(t.object).rsplit("/", 1)[-1]
    return ""


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _english(term: object) -> bool:
    return isinstance(term, ox.Literal) and (term.language or "").lower().startswith("en")


def _text(term: object) -> str:
    return str(getattr(term, "value", term))


def _local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def _link(iri: str, labels: dict[str, str]) -> str:
    """A link to an IRI, named by its label (else its last segment); the graph's own IRIs are
    served here, so they link here."""
    name = labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"<a href='{html.escape(_local(iri))}'>{html.escape(name)}</a>"


def _cell(term: object, labels: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return _link(term.value, labels)
    if isinstance(term, ox.Literal):
        lang = f" <small>@{html.escape(term.language)}</small>" if term.language else ""
        return html.escape(term.value) + lang
    return "<i>(a node of its own)</i>"
