"""Saved SPARQL queries: parse the grlc-style ``#+`` header, bind parameters safely, run them.

Values reach a query only through :func:`bind`, which turns each into an RDF term of the declared
type and appends a ``VALUES`` clause written with ``term.n3()``: the final text is the same for
every engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
import yaml
from rdflib import XSD, Literal, URIRef

from pdkg import engine
from pdkg.errors import QueryFormatError, QueryNotFoundError, QueryParameterError
from pdkg.vocab import PDR

HEADER_KEYS = {"summary", "description", "tags", "params", "example", "endpoint", "method"}
PARAM_KEYS = {"type", "default", "required", "description"}
PARAM_TYPES = {
    "iri",
    "string",
    "label",
    "integer",
    "decimal",
    "date",
    "year",
    "boolean",
    "endpoint",
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LEXICAL = {
    "integer": (re.compile(r"^[+-]?\d{1,18}$"), XSD.integer),
    "decimal": (re.compile(r"^[+-]?\d{1,18}(\.\d{1,18})?$"), XSD.decimal),
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    "year": (re.compile(r"^\d{4}$"), XSD.gYear),
    "boolean": (re.compile(r"^(true|false)$"), XSD.boolean),
}
MAX_STRING = 1000


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    required: bool
    default: str | None = None
    description: str | None = None


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


@dataclass(frozen=True)
class ResultTable:
    """The rows of a SELECT: column names and rdflib terms (``None`` where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[engine.RdfTerm | None, ...], ...]

    def to_rows(self) -> list[tuple[Any, ...]]:
        """Rows as tuples of Python values (see :meth:`to_dicts`)."""
        return [tuple(None if v is None else _python(v) for v in row) for row in self.rows]

    def to_pandas(self) -> Any:
        """A pandas DataFrame of :meth:`to_dicts` (needs pandas installed)."""
        import pandas  # an optional dependency: imported only when asked for

        return pandas.DataFrame(self.to_dicts(), columns=list(self.columns))

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (numbers, strings, dates; IRIs as strings)."""
        return [
            {c: None if v is None else _python(v) for c, v in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]


def _python(term: engine.RdfTerm) -> Any:
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def parse_query(name: str, text: str, *, path: Path | None = None) -> SavedQuery:
    """Parse a saved query's ``#+`` YAML header.

    >>> text = "#+ summary: Demo\\n#+ params:\\n#+   n: {type: integer, default: '3'}\\n"
    >>> q = parse_query("demo", text + "SELECT ?n WHERE { ?s ?p ?n }")
    >>> q.summary, q.params[0].name, q.params[0].required
    ('Demo', 'n', False)
    """
    where = path or Path(f"{name}.rq")
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
    params = tuple(_param(where, key, spec) for key, spec in (meta.get("params") or {}).items())
    for param in params:
        if not re.search(rf"[?$]{re.escape(param.name)}\b", _body(text)):
            raise QueryFormatError(where, f"parameter '{param.name}' is not used in the query")
        if param.type == "endpoint" and not _service(param.name).search(_body(text)):
            raise QueryFormatError(
                where, f"endpoint parameter '{param.name}' must be used as SERVICE ?{param.name}"
            )
    return SavedQuery(
        name=name,
        text=text,
        summary=meta["summary"].strip(),
        description=meta.get("description"),
        tags=tuple(meta.get("tags") or ()),
        params=params,
        example={str(k): str(v) for k, v in (meta.get("example") or {}).items()},
    )


def _service(name: str) -> re.Pattern[str]:
    return re.compile(rf"\bSERVICE(\s+SILENT)?\s+\?{re.escape(name)}\b", re.IGNORECASE)


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _param(where: Path, name: str, spec: Any) -> Param:
    if not isinstance(spec, dict) or set(spec) - PARAM_KEYS or spec.get("type") not in PARAM_TYPES:
        raise QueryFormatError(
            where,
            f"parameter '{name}' needs {{type: one of {sorted(PARAM_TYPES)}}} and only "
            f"the keys {sorted(PARAM_KEYS)}",
        )
    default = spec.get("default")
    required = bool(spec.get("required", default is None))
    return Param(
        name=name,
        type=spec["type"],
        required=required,
        default=None if default is None else str(default),
        description=spec.get("description"),
    )


def load_queries(directory: Path) -> dict[str, SavedQuery]:
    """Load every ``*.rq`` directly in ``directory``, keyed by query name (the file stem)."""
    return {
        path.stem: parse_query(path.stem, path.read_text(encoding="utf-8"), path=path)
        for path in sorted(directory.glob("*.rq"))
    }


def get_query(directory: Path, name: str) -> SavedQuery:
    """Load one saved query by name, or from a ``.rq`` file path.

    Raises:
        QueryNotFoundError: no ``<name>.rq`` in ``directory``; the message suggests a close name.
    """
    path = Path(name) if name.endswith(".rq") else directory / f"{name}.rq"
    if not path.is_file():
        raise QueryNotFoundError(name, [p.stem for p in sorted(directory.glob("*.rq"))])
    return parse_query(name, path.read_text(encoding="utf-8"), path=path)


def bind(query: SavedQuery, params: Mapping[str, str]) -> str:
    """Return the query text with ``params`` bound as RDF terms in a trailing ``VALUES`` clause.

    >>> header = "#+ summary: s\\n#+ params:\\n#+   y: {type: year}\\n"
    >>> q = parse_query("q", header + "SELECT ?y WHERE { ?s ?p ?y }")
    >>> bind(q, {"y": "2013"}).splitlines()[-1]
    'VALUES (?y) { ("2013"^^<http://www.w3.org/2001/XMLSchema#gYear>) }'
    >>> bind(q, {"y": "2013 } ; DROP ALL #"})
    Traceback (most recent call last):
    ...
    pdkg.errors.QueryParameterError: parameter 'y' of query 'q' must be a year (four digits), ...
    """
    declared = {param.name: param for param in query.params}
    for name in params:
        if name not in declared:
            raise QueryParameterError(
                query.name,
                name,
                params[name],
                f"is unknown; the query takes {sorted(declared) or 'no parameters'}",
            )
    text = query.text
    values = [param for param in query.params if param.type != "endpoint"]
    for param in query.params:
        if param.type == "endpoint":
            # SPARQL cannot bind a SERVICE variable through VALUES in most engines (Oxigraph:
            # "the variable encoding the service name is unbound"): write the IRI term in place.
            url = params.get(param.name, param.default)
            if url is None:
                raise QueryParameterError(query.name, param.name, None, "is required")
            iri = to_term(query.name, param, url).n3()
            text = _service(param.name).sub(f"SERVICE\\1 {iri}", text)
    if not values:
        return text
    cells = []
    for param in values:
        value = params.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryParameterError(query.name, param.name, None, "is required")
            cells.append("UNDEF")
        else:
            cells.append(to_term(query.name, param, value).n3())
    names = " ".join(f"?{param.name}" for param in values)
    return f"{text.rstrip()}\nVALUES ({names}) {{ ({' '.join(cells)}) }}"


def to_term(query_name: str, param: Param, value: str) -> URIRef | Literal:
    """Turn a user-supplied value into an RDF term of the parameter's type, or refuse it."""

    def refuse(expected: str) -> QueryParameterError:
        if not _is_text(value):
            return QueryParameterError(query_name, param.name, None, "must be valid Unicode text")
        shown = value if len(value) <= 80 else value[:77] + "..."
        return QueryParameterError(
            query_name, param.name, value, f"must be {expected}, got {shown!r}"
        )

    if not _is_text(value):
        raise refuse("valid Unicode text")
    if param.type == "endpoint":
        parts = urlsplit(value) if _IRI.match(value) and len(value) <= MAX_STRING else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise refuse("an http(s) SPARQL endpoint URL")
        return URIRef(value)
    if param.type == "iri":
        if _SLUG.match(value) and len(value) <= MAX_STRING:
            return PDR[value]
        if len(value) > MAX_STRING or not _IRI.match(value):
            raise refuse("an IRI or a resource slug such as 'guangzhou'")
        return URIRef(value)
    if param.type in ("string", "label"):
        if len(value) > MAX_STRING or "\x00" in value:
            raise refuse(f"a string of at most {MAX_STRING} characters")
        # a label is matched with its language tag, as rdfs:label values are written
        return Literal(value, lang="en") if param.type == "label" else Literal(value)
    pattern, datatype = _LEXICAL[param.type]
    if not pattern.match(value):
        expected = {"year": "a year (four digits)", "date": "a date YYYY-MM-DD"}.get(
            param.type, f"an {param.type}" if param.type[0] in "aeiou" else f"a {param.type}"
        )
        raise refuse(expected)
    return Literal(value, datatype=datatype)


def is_iri_or_slug(value: str) -> bool:
    """Whether an ``iri`` parameter value can be bound as it is (else it is a label to resolve).

    >>> is_iri_or_slug("guangzhou"), is_iri_or_slug("Los Angeles")
    (True, False)
    """
    return bool(_SLUG.match(value) or _IRI.match(value))


def resolve_labels(
    query: SavedQuery,
    params: Mapping[str, str],
    lookup: Callable[[str], list[str]],
) -> dict[str, str]:
    """Replace each ``iri`` parameter given as a label ("Los Angeles") by the one IRI it names.

    ``lookup`` returns the IRIs whose English label is the text (``resolve-label`` query).

    Raises:
        QueryParameterError: the label names no resource, or several.
    """
    resolved = dict(params)
    kinds = {param.name: param.type for param in query.params}
    for name, value in params.items():
        if kinds.get(name) != "iri" or is_iri_or_slug(value) or len(value) > MAX_STRING:
            continue
        found = sorted(set(lookup(value)))
        if len(found) != 1:
            reason = (
                f"names no resource: {value!r} is no IRI, slug or English label"
                if not found
                else f"is ambiguous: {value!r} labels {', '.join(found)}"
            )
            raise QueryParameterError(query.name, name, value, reason)
        resolved[name] = found[0]
    return resolved


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as a non-UTF-8 command line decodes to
        return False
    return True


def run_local(
    query: SavedQuery, store: ox.Store, params: Mapping[str, str] | None = None
) -> ResultTable:
    """Bind ``params`` and run a SELECT saved query on an in-process Oxigraph store."""
    columns, rows = engine.select(store, bind(query, params or {}))
    return ResultTable(tuple(columns), tuple(tuple(row) for row in rows))
