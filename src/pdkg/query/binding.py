"""Binding parameter values into a saved query: each value becomes one RDF term, never text.

:func:`bind` checks each value against its declared type (strict lexical forms, ASCII digits, real
dates) and its ``enum``, and puts a ``VALUES`` block written with ``term.n3()`` as the first
element of the top-level ``WHERE`` group — standard SPARQL that every engine evaluates the same
way (a trailing ``VALUES`` fails on Virtuoso 7.2 for a grouped, unprojected variable).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import XSD, Literal, URIRef

from pdkg.errors import QueryFormatError, QueryParameterError
from pdkg.query.params import Param, service_pattern
from pdkg.query.saved import SavedQuery, close_matches, service_groups, where_brace
from pdkg.vocab import PDR

Term = URIRef | Literal

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x20]+", re.ASCII)
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)
_LEXICAL = {
    "integer": (re.compile(r"[+-]?[0-9]{1,18}", re.ASCII), XSD.integer),
    "decimal": (re.compile(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?", re.ASCII), XSD.decimal),
    "date": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII), XSD.date),
    "year": (re.compile(r"[0-9]{4}", re.ASCII), XSD.gYear),
    "boolean": (re.compile(r"true|false", re.ASCII), XSD.boolean),
}
EXPECTED = {"year": "a year (four digits)", "date": "a date YYYY-MM-DD", "integer": "an integer"}
MAX_STRING = 1000


def bind(
    query: SavedQuery,
    params: Mapping[str, str],
    *,
    many: Mapping[str, Sequence[Term]] | None = None,
) -> str:
    """Return the query text with ``params`` bound as RDF terms in a ``VALUES`` block.

    >>> from pdkg.query.saved import parse_query
    >>> q = parse_query("q", "#+ summary: s\\nASK WHERE { ?s ?p ?_y_xsd_gYear }")
    >>> print(bind(q, {"y": "2013"}).replace("http://www.w3.org/2001/XMLSchema#", "xsd:"))
    #+ summary: s
    ASK WHERE { VALUES (?_y_xsd_gYear) { ("2013"^^<xsd:gYear>) }
     ?s ?p ?_y_xsd_gYear }
    >>> bind(q, {"y": "2013 } ; DROP ALL #"})
    Traceback (most recent call last):
    ...
    pdkg.errors.QueryParameterError: parameter 'y' of query 'q' must be a year (four digits), ...

    Raises:
        QueryParameterError: an unknown name, a missing required value, or a bad value.
    """
    declared = {param.name: param for param in query.params}
    for name in params:
        if name not in declared:
            raise QueryParameterError(
                query.name,
                name,
                params[name],
                f"is unknown; the query takes {sorted(declared) or 'no parameters'}"
                + close_matches(name, sorted(declared)),
            )
    text = query.text
    for param in query.params:
        if param.type == "endpoint":
            # SPARQL cannot bind a SERVICE variable through VALUES in most engines (Oxigraph:
            # "the variable encoding the service name is unbound"): write the IRI term in place.
            url = params.get(param.name, param.default)
            if url is None:
                raise QueryParameterError(query.name, param.name, None, "is required")
            iri = to_term(query.name, param, url).n3()
            text = service_pattern(param.var).sub(f"SERVICE\\1 {iri}", text)
    values = [p for p in query.params if p.type != "endpoint" and not p.multiple]
    for param in query.params:
        if param.multiple and param.required and param.name not in (many or {}):
            raise QueryParameterError(query.name, param.name, None, "is required")
    terms: dict[str, Term] = {}
    for param in values:
        value = params.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryParameterError(query.name, param.name, None, "is required")
        else:
            terms[param.name] = to_term(query.name, param, value)
    Rows = list[tuple[Term | None, ...]]
    blocks: list[tuple[tuple[str, ...], Rows]] = []
    # a parameter without a value is left unbound, as grlc leaves it (not UNDEF: Virtuoso 7.2
    # takes a variable BIND copies from an UNDEF for a bound one)
    given = [p for p in values if p.name in terms]
    if given:
        blocks.append((tuple(p.var for p in given), [tuple(terms[p.name] for p in given)]))
    variables = {p.name: p.var for p in query.params}
    blocks += [
        ((variables[n],), [(term,) for term in column]) for n, column in (many or {}).items()
    ]
    if not blocks:
        return text
    brace = where_brace(text)
    if brace is None:  # parse_query refuses this already; a SavedQuery built by hand may not
        raise QueryFormatError(query.path or Path(query.name), "it has no WHERE { ... } group")
    # A variable used inside a SERVICE group is bound inside it too: engines (Oxigraph) send the
    # group's text as it is, so without this the remote endpoint answers for every value.
    inserts = [(brace, blocks)]
    for start, end in service_groups(text):
        inside = set(re.findall(r"[?$](\w+)", text[start:end]))
        scoped = [_columns(names, rows, inside) for names, rows in blocks]
        scoped = [(n, rows) for n, rows in scoped if n and _bound(rows)]
        if scoped:
            inserts.append((start, scoped))
    for position, chosen in sorted(inserts, reverse=True):
        block = "".join(_values(names, rows) for names, rows in chosen)
        text = text[: position + 1] + block + text[position + 1 :]
    return text


def bind_many(
    query: SavedQuery,
    many: Mapping[str, Sequence[Term]],
    params: Mapping[str, str] | None = None,
) -> str:
    """:func:`bind`, and for each ``multiple`` parameter a ``VALUES`` block of many terms.

    The terms are RDF terms the caller built (``Literal("Istanbul", lang="en")``), written with
    ``n3()``, never text.

    >>> from pdkg.query.saved import parse_query
    >>> q = parse_query("q", "#+ summary: s\\n#+ params:\\n#+   l: {multiple: true}\\n"
    ...     "ASK WHERE { ?i ?p ?_l }")
    >>> terms = [Literal("A", lang="en"), Literal("B", lang="zh")]
    >>> print(bind_many(q, {"l": terms}).splitlines()[-2])
    ASK WHERE { VALUES (?_l) { ("A"@en) ("B"@zh) }

    Raises:
        QueryParameterError: a name that is not a ``multiple`` parameter, or a term that is not
            an IRI or a literal.
    """
    declared = {p.name: p for p in query.params if p.multiple}
    for name, column in many.items():
        if name not in declared:
            raise QueryParameterError(
                query.name, name, None, f"is not a multiple parameter of {sorted(declared)}"
            )
        if not all(isinstance(term, URIRef | Literal) for term in column):
            raise QueryParameterError(query.name, name, None, "takes IRIs and literals only")
    return bind(query, params or {}, many=many)


def _columns(
    names: tuple[str, ...], rows: list[tuple[Term | None, ...]], keep: set[str]
) -> tuple[tuple[str, ...], list[tuple[Term | None, ...]]]:
    """The columns of a VALUES block whose variables are in ``keep``."""
    chosen = [i for i, name in enumerate(names) if name in keep]
    return tuple(names[i] for i in chosen), [tuple(row[i] for i in chosen) for row in rows]


def _bound(rows: Sequence[Sequence[Term | None]]) -> bool:
    return all(term is not None for row in rows for term in row)


def _values(names: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    cells = " ".join(
        "(" + " ".join("UNDEF" if t is None else t.n3() for t in row) + ")" for row in rows
    )
    return f" VALUES ({' '.join('?' + n for n in names)}) {{ {cells} }}\n"


def to_term(query_name: str, param: Param, value: str) -> URIRef | Literal:
    """Turn a user-supplied value into an RDF term of the parameter's type, or refuse it.

    Raises:
        QueryParameterError: the value is not of the declared type or not in its ``enum``.
    """

    def refuse(expected: str) -> QueryParameterError:
        if not _is_text(value):
            return QueryParameterError(query_name, param.name, None, "must be valid Unicode text")
        shown = value if len(value) <= 80 else value[:77] + "..."
        return QueryParameterError(
            query_name, param.name, value, f"must be {expected}, got {shown!r}"
        )

    if not _is_text(value) or len(value) > MAX_STRING:
        raise refuse(f"valid text of at most {MAX_STRING} characters")
    if param.enum:
        return _enum_term(query_name, param, value)
    if param.type == "endpoint":
        parts = _IRI.fullmatch(value) and re.match(r"https?://[^/?#\s]+", value)
        if not parts:
            raise refuse("an http(s) SPARQL endpoint URL")
        return URIRef(value)
    if param.type == "iri":
        if _SLUG.fullmatch(value):
            return PDR[value]
        if not _IRI.fullmatch(value):
            raise refuse("an IRI, a resource slug such as 'guangzhou', or an English label")
        return URIRef(value)
    if param.type in ("string", "label"):
        if "\x00" in value:
            raise refuse("text without NUL characters")
        # a label is matched with its language tag, as rdfs:label values are written
        return Literal(value, lang=param.lang or "en") if param.type == "label" else Literal(value)
    pattern, datatype = _LEXICAL[param.type]
    if not pattern.fullmatch(value) or (param.type == "date" and not _real_date(value)):
        raise refuse(EXPECTED.get(param.type, f"a {param.type}"))
    return Literal(value, datatype=datatype)


def _enum_term(query_name: str, param: Param, value: str) -> URIRef | Literal:
    """A value of a closed set; an IRI value may be given by its local name (its slug)."""
    for allowed in param.enum:
        if value == allowed or (param.type == "iri" and value == local_name(allowed)):
            return URIRef(allowed) if param.type == "iri" else Literal(allowed)
    names = [local_name(v) if param.type == "iri" else v for v in param.enum]
    raise QueryParameterError(
        query_name,
        param.name,
        value,
        f"must be one of {', '.join(names)}, got {value!r}" + close_matches(value, names),
    )


def local_name(iri: str) -> str:
    """The last segment of an IRI (its slug).

    >>> local_name("https://w3id.org/pdkg/vocab/sister-city-tie")
    'sister-city-tie'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def is_iri_or_slug(value: str) -> bool:
    """Whether an ``iri`` parameter value can be bound as it is (else it is a label to resolve).

    >>> is_iri_or_slug("guangzhou"), is_iri_or_slug("Los Angeles"), is_iri_or_slug("x\\n")
    (True, False, False)
    """
    return bool(_SLUG.fullmatch(value) or _IRI.fullmatch(value))


def _real_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as a non-UTF-8 command line decodes to
        return False
    return True
