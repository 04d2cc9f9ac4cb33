"""``EXISTS`` blocks of a shape's own query, evaluated once instead of once per row.

Oxigraph plans an ``EXISTS { … }`` pattern without knowing which of its variables the row binds:
pdsh:LocalBodyShape's ``FILTER NOT EXISTS { $this (pd:supervisedBy|pd:branchOf)+ ?centre … }``
took 20 ms a focus node on 100k triples (its own join order, once per node), while the same
pattern on its own, for every node at once, took 5 ms. So a block at the top of the query whose
pattern is a plain triples block (no group, filter or other keyword inside: every variable is
then bound in each of its solutions) becomes a left join with its solutions, computed once::

    FILTER NOT EXISTS { P }   →   FILTER (!BOUND(?_e1))   …   OPTIONAL { <a sub-select of the
                                    distinct solutions of P, on its variables used elsewhere,
                                    with (true AS ?_e1)> }

which is the same test: a row has a compatible solution of P exactly when the left join binds
``?_e1`` (the join is on the shared variables, which P always binds; one the row leaves unbound
matches any, as in ``EXISTS``). Any other block is left as it is, and so is the whole query when
the rewritten text does not parse (:func:`decorrelated` then returns the original). A block
whose every variable the row binds (``FILTER NOT EXISTS { ?s ?p ?o }``) stays too: it is one
index lookup a row, and its left join would hold the whole graph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import pyoxigraph as ox

from pdkg.validation.fast import text

EXISTS = re.compile(r"\b(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
NOT_PLAIN = re.compile(
    r"\b(FILTER|OPTIONAL|BIND|VALUES|MINUS|SERVICE|GRAPH|UNION|EXISTS|SELECT)\b", re.IGNORECASE
)
VARIABLE = re.compile(r"[?$]([A-Za-z0-9_]\w*)")
STAR = re.compile("SELECT" + r"\s+((DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
_counter = itertools.count(1)
_EMPTY = ox.Store()  # parses a rewritten query (running it there costs nothing)


def decorrelated(query: str, prefixes: Mapping[str, str]) -> str:
    """:func:`rewrite` then :func:`distribute` of ``query``; ``query`` itself where the result
    does not parse."""
    rewritten = distribute(rewrite(query))
    if rewritten != query:
        try:
            _EMPTY.query(rewritten, prefixes=dict(prefixes))
        except (SyntaxError, ValueError):
            return query
    return rewritten


def rewrite(query: str) -> str:
    """``query`` with its plain top-level ``EXISTS`` blocks turned into left joins."""
    code = text.masked(query)
    start = code.find("{")
    if start < 0 or STAR.search(code[:start]):
        return query
    end = text.closing(code, start)
    edits: list[tuple[int, int, str]] = []
    joins: list[str] = []
    for found in EXISTS.finditer(code, start, end):
        if code[start : found.start()].count("{") - code[start : found.start()].count("}") != 1:
            continue  # not in the outer group
        body_start = found.end() - 1
        body_end = text.closing(code, body_start)
        body = code[body_start + 1 : body_end]
        if "{" in body or NOT_PLAIN.search(body):
            continue
        outside = code[: found.start()] + code[body_end + 1 :]
        used = {m[1] for m in VARIABLE.finditer(outside)}
        names = list(dict.fromkeys(m[1] for m in VARIABLE.finditer(body)))
        shared = [name for name in names if name in used]
        if len(shared) == len(names):
            continue  # the row binds every variable: a lookup, no join order to get wrong
        flag = f"?_e{next(_counter)}"
        negated = "!" if found.group(1) else ""
        edits.append((found.start(), body_end + 1, f"({negated}BOUND({flag}))"))
        projection = " ".join(f"?{name}" for name in shared) + f" (true AS {flag})"
        solutions = text.subselect(
            projection.strip(),
            "{ " + query[body_start + 1 : body_end] + " }",
            distinct=bool(shared),
            tail="" if shared else "LIMIT 1",
        )
        joins.append("OPTIONAL " + solutions)
    if not edits:
        return query
    rewritten = query[:end] + " " + " ".join(joins) + " " + query[end:]
    for begin, finish, replacement in sorted(edits, reverse=True):
        rewritten = rewritten[:begin] + replacement + rewritten[finish:]
    return rewritten


def distribute(query: str) -> str:
    """``query`` with the first union of its outer group joined into each branch:
    ``{ P {A} UNION {B} Q }`` becomes ``{ { P {A} Q } UNION { P {B} Q } }``, the same solutions
    (a join, a left join and a filter each distribute over a union). Oxigraph joined a union to
    the pattern after it slowly: pdsh:ProvenanceShape's target took 13 s on 1M triples, each
    branch with the rest 0.4 s."""
    code = text.masked(query)
    start = code.find("{")
    if start < 0 or re.search(r"\b(GRAPH|SERVICE|MINUS|VALUES)\b", code, re.IGNORECASE):
        return query
    end = text.closing(code, start)
    at, depth = start + 1, 0
    chain: list[tuple[int, int]] = []
    while at < end:
        char = code[at]
        if char == "{" and depth == 0:
            before = code[start:at].rstrip()
            stop = text.closing(code, at)
            joined = chain and re.search(r"\bUNION\s*$", code[chain[-1][1] + 1 : at], re.I)
            if joined:
                chain.append((at, stop))
            elif len(chain) > 1:
                break
            else:
                chain = [(at, stop)] if before[-1] in "{.})" else []
            at = stop + 1
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        at += 1
    if len(chain) < 2:
        return query
    head, tail = query[start + 1 : chain[0][0]], query[chain[-1][1] + 1 : end]
    branches = ["{ " + head + query[a : b + 1] + tail + " }" for a, b in chain]
    return query[: start + 1] + " " + " UNION ".join(branches) + " " + query[end:]
