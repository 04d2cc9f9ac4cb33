"""Hostile parameter values are refused or bound inertly, never executed as SPARQL."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from pdkg.errors import QueryParameterError
from pdkg.query.binding import bind
from pdkg.query.engine import run_local
from pdkg.query.saved import SavedQuery, parse_query

# each type as a BASIL variable, the way grlc reads it
SUFFIX = {
    "string": "",
    "label": "_en",
    "iri": "_iri",
    "year": "_xsd_gYear",
    "integer": "_xsd_integer",
    "date": "_xsd_date",
}
# OPTIONAL makes the query answer one row on an empty store: the bound value itself.
ECHO = (
    "#+ summary: echo\nSELECT ?value WHERE { BIND (?_value%s AS ?value) OPTIONAL { ?s ?p ?value } }"
)
HOSTILE = [
    '"',
    "'",
    '"""',
    "}",
    "{",
    "} ;",
    "#",
    "\n",
    "\r\n",
    "> <",
    "DROP ALL",
    '" } ; DROP ALL ; #',
    'x" . } INSERT DATA { <a> <b> <c> } #',
    "\\",
    "\\u0022",
    "a" * 10_000,
    "\ud800",
    "\x00",
]


SERVICE_QUERY = parse_query(
    "svc",
    "#+ summary: s\nSELECT * WHERE { SERVICE ?_value_iri { ?s ?p ?o } }",
)


def echo(kind: str) -> SavedQuery:
    return parse_query("echo", ECHO % SUFFIX[kind])


def store_after(text: str) -> ox.Store:
    store = ox.Store()
    store.query(text)
    return store


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("kind", ["string", "label", "iri", "year", "integer", "date", "endpoint"])
def test_hostile_values_are_refused_or_inert(kind: str, value: str) -> None:
    query = echo(kind) if kind != "endpoint" else SERVICE_QUERY
    free_text = kind in ("string", "label")
    if not (free_text and len(value) <= 1000 and "\x00" not in value and _is_utf8(value)):
        with pytest.raises(QueryParameterError, match=r"^parameter 'value' of query '\w+' [^\n]+$"):
            bind(query, {"value": value})
        return
    table = run_local(query, ox.Store(), {"value": value})
    assert table.rows == ((Literal(value, lang="en") if kind == "label" else Literal(value),),)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_any_text_binds_as_one_literal(value: str) -> None:
    query = echo("string")
    try:
        table = run_local(query, ox.Store(), {"value": value})
    except QueryParameterError:
        assert len(value) > 1000 or "\x00" in value or not _is_utf8(value)
        return
    assert table.rows == ((Literal(value),),)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_any_text_as_iri_is_refused_or_the_same_iri(value: str) -> None:
    query = echo("iri")
    try:
        table = run_local(query, ox.Store(), {"value": value})
    except QueryParameterError:
        return
    (term,) = table.rows[0]
    assert term in (URIRef(value), URIRef("https://w3id.org/pdkg/resource/" + value))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text())
@example("2013\n")  # #8: '$' let a trailing newline through
@example("١٢٣٤")  # #8: Arabic-Indic digits matched '\\d'
@example("\uff12\uff10\uff11\uff13")  # fullwidth digits
def test_any_text_as_year_is_refused_unless_four_digits(value: str) -> None:
    try:
        text = bind(echo("year"), {"value": value})
    except QueryParameterError:
        assert not (len(value) == 4 and value.isascii() and value.isdigit())
        return
    assert value.isascii()
    assert value.isdigit()
    assert len(value) == 4
    assert f'VALUES (?value) {{ ("{value}"^^<http://www.w3.org/2001/XMLSchema#gYear>) }}' in text


def test_updates_in_values_never_run() -> None:
    store = ox.Store()
    value = '" } } ; INSERT DATA { <urn:a> <urn:b> <urn:c> } ; #'
    run_local(echo("string"), store, {"value": value})
    assert len(store) == 0


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
