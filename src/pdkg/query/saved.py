"""Saved SPARQL queries: parse the grlc-style ``#+`` header and find what binding needs.

A saved query knows its form (SELECT, ASK, CONSTRUCT, DESCRIBE), its parameters, the columns
that are ``GROUP_CONCAT`` lists (sorted by the result layer, as SPARQL leaves their order open),
and where its top-level ``WHERE`` group opens (where :func:`pdkg.query.binding.bind` puts
``VALUES``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pdkg.errors import QueryFormatError, QueryNotFoundError
from pdkg.query.params import Param, parse_params

HEADER_KEYS = {
    "summary",
    "description",
    "tags",
    "params",
    "defaults",
    "enumerate",
    "example",
    "endpoint",
    "method",
}
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# outside strings, comments and IRIs: a word, a brace, or a variable
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|[?$]\w+|[A-Za-z_]\w*|[{}]',
    re.DOTALL,
)
_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:\s*DISTINCT)?\s*[?$]\w+\s*(?:;\s*SEPARATOR\s*=\s*"
    r"(?P<sep>\"[^\"]*\"|'[^']*'))?\s*\)\s*AS\s+[?$](?P<column>\w+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SavedQuery:
    """One ``queries/<name>.rq`` file: its header and its SPARQL text."""

    name: str
    text: str
    summary: str
    description: str | None = None
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    example: Mapping[str, str] = field(default_factory=dict)
    form: str = "SELECT"
    lists: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None


def parse_query(name: str, text: str, *, path: Path | None = None) -> SavedQuery:
    """Parse a saved query's ``#+`` YAML header and find its form and list columns.

    >>> text = "#+ summary: Demo\\n#+ defaults:\\n#+   - n: 3\\n"
    >>> q = parse_query("demo", text + "SELECT ?n WHERE { BIND (?_n_integer AS ?n) }")
    >>> q.summary, q.params[0].name, q.params[0].required, q.form
    ('Demo', 'n', False, 'SELECT')
    """
    where = path or Path(f"{name}.rq")
    meta = _header(where, text)
    params = parse_params(where, text, meta)
    body = _body(text)
    for param in params:
        if re.search(rf"\bAS\s+[?$]{re.escape(param.var)}\b", body, re.IGNORECASE):
            raise QueryFormatError(
                where, f"parameter '{param.name}' is bound by the query itself (AS ?{param.var})"
            )
    form = query_form(text)
    if form is None:
        raise QueryFormatError(where, f"it is none of {', '.join(FORMS)}")
    if any(p.type != "endpoint" for p in params) and where_brace(text) is None:
        raise QueryFormatError(where, "a query with parameters needs a WHERE { ... } group")
    lists = {}
    for match in _CONCAT.finditer(body):
        if match["sep"] is None:
            raise QueryFormatError(where, f"GROUP_CONCAT for ?{match['column']} needs a SEPARATOR")
        lists[match["column"]] = match["sep"][1:-1]
    return SavedQuery(
        name=name,
        text=text,
        summary=meta["summary"].strip(),
        description=meta.get("description"),
        tags=tuple(meta.get("tags") or ()),
        params=params,
        example=_example(where, meta, params),
        form=form,
        lists=lists,
        path=path,
    )


def _example(where: Path, meta: Mapping[str, Any], params: tuple[Param, ...]) -> dict[str, str]:
    example = meta.get("example") or {}
    if not isinstance(example, dict) or set(example) - {p.name for p in params}:
        raise QueryFormatError(where, "'example' must map parameter names to values")
    return {str(k): str(v) for k, v in example.items()}


def _header(where: Path, text: str) -> dict[str, Any]:
    header = "\n".join(
        line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")
    )
    try:
        meta = yaml.safe_load(header) if header.strip() else {}
    except yaml.YAMLError as exc:
        raise QueryFormatError(
            where, f"its #+ header is not YAML ({exc.__class__.__name__})"
        ) from None
    if not isinstance(meta, dict):
        raise QueryFormatError(where, "its #+ header must be a YAML mapping")
    unknown = set(meta) - HEADER_KEYS
    if unknown:
        raise QueryFormatError(where, f"unknown header key(s) {sorted(unknown)}")
    if not isinstance(meta.get("summary"), str) or not meta["summary"].strip():
        raise QueryFormatError(where, "the header needs a 'summary'")
    return meta


def service_groups(text: str) -> list[tuple[int, int]]:
    """The ``{`` and ``}`` positions of each ``SERVICE ... { ... }`` group, outermost first.

    >>> text = "SELECT * WHERE { ?a ?b ?c SERVICE <http://x/> { ?c ?d ?e } }"
    >>> [text[a : b + 1] for a, b in service_groups(text)]
    ['{ ?c ?d ?e }']
    """
    groups: list[tuple[int, int]] = []
    waiting = False
    opened: list[tuple[int, int]] = []  # (position, depth) of the SERVICE groups still open
    for position, token, depth in _tokens(text):
        if token.upper() == "SERVICE":
            waiting = True
        elif token == "{" and waiting:
            opened.append((position, depth))
            waiting = False
        elif token == "}" and opened and opened[-1][1] == depth:
            groups.append((opened.pop()[0], position))
    return sorted(groups)


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _tokens(text: str) -> Iterator[tuple[int, str, int]]:
    """(position, token, brace depth) of each word, variable and brace outside strings,
    comments and IRIs."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] in "\"'<#":
            continue
        if token == "}":
            depth -= 1
        yield match.start(), token, depth
        if token == "{":
            depth += 1


def query_form(text: str) -> str | None:
    """The form of a query: its first top-level SELECT, ASK, CONSTRUCT or DESCRIBE keyword.

    >>> query_form("PREFIX s: <http://x/#> # SELECT\\nASK { ?s ?p ?o }")
    'ASK'
    """
    for _, token, depth in _tokens(text):
        if depth == 0 and token.upper() in FORMS:
            return token.upper()
    return None


def where_brace(text: str) -> int | None:
    """The position of the ``{`` that opens the query's top-level ``WHERE`` group.

    >>> text = "CONSTRUCT { ?s ?p 'WHERE {' } WHERE { ?s ?p ?o }"
    >>> text[where_brace(text):]
    '{ ?s ?p ?o }'
    """
    seen_where = False
    for position, token, depth in _tokens(text):
        if depth != 0:
            continue
        if token.upper() == "WHERE":
            seen_where = True
        elif token == "{" and (seen_where or query_form(text[:position]) in ("SELECT", "ASK")):
            return position
    return None


def load_queries(directory: Path) -> dict[str, SavedQuery]:
    """Load every ``*.rq`` directly in ``directory``, keyed by query name (the file stem)."""
    return {path.stem: _read(path, path.stem) for path in sorted(directory.glob("*.rq"))}


def get_query(directory: Path, name: str) -> SavedQuery:
    """Load one saved query by name, or from a ``.rq`` file path.

    Raises:
        QueryNotFoundError: no ``<name>.rq`` in ``directory``; the message suggests a close name.
        QueryFormatError: the file is not UTF-8 or its header is malformed.
    """
    path = Path(name) if name.endswith(".rq") else directory / f"{name}.rq"
    if not path.is_file():
        raise QueryNotFoundError(name, [p.stem for p in sorted(directory.glob("*.rq"))])
    return _read(path, name)


def _read(path: Path, name: str) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QueryFormatError(path, "it is not UTF-8") from None
    except OSError as exc:
        raise QueryFormatError(path, f"cannot read it ({exc.strerror})") from None
    return parse_query(name, text, path=path)


def close_matches(value: str, candidates: list[str]) -> str:
    """A " — did you mean ...?" hint, or nothing.

    >>> close_matches("inbound", ["incoming", "outgoing"])
    " — did you mean 'incoming'?"
    """
    found = difflib.get_close_matches(value, candidates, n=2, cutoff=0.5)
    return f" — did you mean {' or '.join(repr(f) for f in found)}?" if found else ""
