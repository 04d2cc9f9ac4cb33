"""The SERVICE guard: a served query may not make the server fetch a URL the client names.

Oxigraph evaluates ``SERVICE <url> { ... }`` (and ``SERVICE ?var``) by opening an HTTP connection
from the server, so an endpoint that runs any query is a request forger for whoever can reach it.
The guard reads the query the way a SPARQL parser does, not with a pattern:

1. A query in which the letters ``service`` appear nowhere (in any case, also after decoding
   ``\\u``/``\\U`` codepoint escapes) cannot contain the keyword and runs without further checks.
2. Otherwise it is parsed with rdflib's SPARQL 1.1 grammar, and refused if the parse tree holds
   a ``ServiceGraphPattern`` anywhere: nested groups, ``OPTIONAL``, ``UNION``, ``MINUS``,
   ``FILTER EXISTS``, subqueries; ``SILENT`` or not; an IRI or a variable. The word in a comment,
   a string literal, an IRI or a variable name (``?service``) is not the keyword, so such
   queries run.
3. It fails closed. A query that mentions ``service`` and that rdflib cannot parse (bad syntax,
   or syntax beyond SPARQL 1.1 that Oxigraph would accept) is refused, and so is one that
   mentions it and uses codepoint escapes, which rdflib decodes everywhere but Oxigraph only in
   strings and IRIs, so the two parsers could read different queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_KEYWORD = "service"
_SERVICE = "ServiceGraphPattern"


def service_refusal(query: str) -> str | None:
    """Why ``query`` is refused for calling SERVICE, or ``None`` if it may run.

    >>> print(service_refusal('ASK { ?service ?p "SERVICE" } # SERVICE <http://x/> {}'))
    None
    >>> print(service_refusal("ASK { OPTIONAL { service silent ?url { ?s ?p ?o } } }")[:31])
    query refused: it calls SERVICE

    Args:
        query: the SPARQL query text, exactly as the store would receive it.

    Returns:
        A one-line message for the client, or ``None``.
    """
    if not _mentions_service(query):
        return None
    if _ESCAPE.search(query):
        return (
            "query refused: it mentions SERVICE and uses \\u escapes — the SERVICE check cannot "
            "read those safely. Write the characters out."
        )
    try:
        tree = parseQuery(query)
    except (ParseBaseException, RecursionError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return (
            f"query refused: it mentions SERVICE and the SERVICE check cannot parse it — "
            f"{reason}. Fix the syntax, or write it as plain SPARQL 1.1."
        )
    if any(node.name == _SERVICE for node in _nodes(tree)):
        return (
            "query refused: it calls SERVICE — this endpoint does not contact other endpoints. "
            "Remove the SERVICE clause, or ask the operator to start 'pdkg serve --allow-service'."
        )
    return None


def _mentions_service(query: str) -> bool:
    """Whether the letters of SERVICE appear, also once codepoint escapes are decoded."""
    text = query
    while _KEYWORD not in text.casefold():
        decoded = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16) % 0x110000), text)
        if decoded == text:
            return False
        text = decoded  # each round is shorter, so this ends
    return True


def _nodes(tree: ParseResults) -> Iterator[CompValue]:
    """Every grammar rule match in an rdflib parse tree, depth first, without recursion."""
    stack: list[object] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(dict.values(item))
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
