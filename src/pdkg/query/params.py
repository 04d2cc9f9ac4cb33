"""Query parameters the way grlc reads them: BASIL variables, ``#+ defaults:``, ``#+ enumerate:``.

A parameter is a variable named ``?_name`` (required) or ``?__name`` (optional), with a suffix for
its type: ``?_city_iri`` an IRI, ``?__date_xsd_date`` an ``xsd:date``, ``?__year_xsd_gYear`` a
year, ``?_n_integer`` an integer, ``?_label_en`` a literal tagged ``@en``, ``?_word`` a plain
literal. An IRI parameter written ``SERVICE ?_x_iri`` is the endpoint of a federated query.
``#+ defaults:`` gives a required parameter the value it takes when none is given (grlc offers it
in its form), ``#+ enumerate:`` the closed set of values a parameter takes, and the optional
``#+ params:`` what grlc has no place for: a ``description`` and ``multiple: true`` (bound to many
values at once by :func:`pdkg.query.binding.bind_many`).

The variable pattern is grlc's own, applied to the whole text as grlc applies it, so that grlc
and pdkg see the same parameters; :func:`parse_params` refuses what grlc would read differently
(one name with two suffixes, a suffix pdkg cannot check, ``?_city_iris``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdkg.errors import QueryFormatError

# grlc 1.3.11, gquery.get_parameters: the same groups in the same order
BASIL = re.compile(
    r"\?(?P<required>[_]{1,2})(?P<name>[a-zA-Z0-9]+)"
    r"([_](?P<type>(iri)|(number)|(literal)|(integer)))?"
    r"([_](?P<prefix>[a-zA-Z0-9]+)[_](?P<userdefined>[a-zA-Z0-9]+))?"
    r"([_](?P<lang>[a-zA-Z0-9]+))?"
)
_SUFFIX_TYPES = {None: "string", "literal": "string", "iri": "iri", "integer": "integer"}
_XSD_TYPES = {
    "date": "date",
    "gYear": "year",
    "integer": "integer",
    "decimal": "decimal",
    "boolean": "boolean",
    "string": "string",
}
PARAM_KEYS = {"description", "multiple"}


@dataclass(frozen=True)
class Param:
    """A query parameter: its name (``city``), its type, and the variable it binds.

    ``required`` means a value must be given (a required parameter with a default is not);
    ``enum`` is its closed set of values, if it has one; ``lang`` the tag of a ``label``.
    """

    name: str
    type: str
    required: bool
    default: str | None = None
    description: str | None = None
    enum: tuple[str, ...] = ()
    multiple: bool = False
    variable: str = ""  # without the "?": "_city_iri"
    lang: str | None = None

    @property
    def var(self) -> str:
        """The variable the value binds (``_city_iri``); the name itself for a hand-built one."""
        return self.variable or self.name


def service_pattern(variable: str) -> re.Pattern[str]:
    """``SERVICE ?variable`` (optionally ``SILENT``), where an endpoint parameter is written."""
    return re.compile(rf"\bSERVICE(\s+SILENT)?\s+\?{re.escape(variable)}\b", re.IGNORECASE)


def parse_params(where: Path, text: str, meta: Mapping[str, Any]) -> tuple[Param, ...]:
    """The parameters of a query's text and header, in the order they first appear.

    >>> text = "SELECT * WHERE { ?_city_iri ?p ?__y_xsd_gYear }"
    >>> meta = {"defaults": [{"city": "http://x/c"}]}
    >>> [(p.name, p.type, p.required, p.default) for p in parse_params(Path("q"), text, meta)]
    [('city', 'iri', False, 'http://x/c'), ('y', 'year', False, None)]

    Raises:
        QueryFormatError: a variable grlc would read differently, or a header entry that names
            no parameter or is not of grlc's shape.
    """
    found: dict[str, tuple[str, str, str | None, bool]] = {}
    for match in BASIL.finditer(text):
        variable = match.group()[1:]
        end = match.end()
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            whole = re.match(r"\w*", text[end:])
            tail = whole.group() if whole else ""
            raise QueryFormatError(
                where, f"?{variable}{tail} starts like a parameter but grlc reads it as ?{variable}"
            )
        name = match["name"]
        kind, lang = _kind(where, match)
        seen = found.get(name)
        if seen and seen[0] != variable:
            raise QueryFormatError(
                where, f"parameter '{name}' is written both ?{seen[0]} and ?{variable}"
            )
        found[name] = (variable, kind, lang, len(match["required"]) == 1)
    defaults = _entries(where, meta, "defaults", found)
    enums = _entries(where, meta, "enumerate", found)
    extra = meta.get("params") or {}
    if not isinstance(extra, dict):
        raise QueryFormatError(
            where, "'params' must map parameter names to {description, multiple}"
        )
    if any(isinstance(spec, dict) and "type" in spec for spec in extra.values()):
        raise QueryFormatError(
            where,
            "a parameter is a BASIL variable (?_city_iri, ?__date_xsd_date), as grlc reads it; "
            "'params' keeps only a description and multiple",
        )
    params = []
    for name, (variable, kind, lang, basil_required) in found.items():
        spec = extra.get(name, {})
        if not isinstance(spec, dict) or set(spec) - PARAM_KEYS:
            raise QueryFormatError(
                where,
                f"'params' of '{name}' takes only {sorted(PARAM_KEYS)}; its type is in the "
                f"variable's name (?{variable})",
            )
        if kind == "iri" and service_pattern(variable).search(text):
            kind = "endpoint"
        default = defaults.get(name)
        if default is not None and not basil_required:
            raise QueryFormatError(
                where, f"optional ?{variable} has a default; a parameter with a default is ?_{name}"
            )
        enum = enums.get(name, ())
        if isinstance(enum, str) or not all(isinstance(v, str) for v in enum):
            raise QueryFormatError(where, f"'enumerate' of '{name}' must be a list of strings")
        params.append(
            Param(
                name=name,
                type=kind,
                required=basil_required and default is None,
                default=None if default is None else str(default),
                description=spec.get("description"),
                enum=tuple(enum),
                multiple=bool(spec.get("multiple", False)),
                variable=variable,
                lang=lang,
            )
        )
    unknown = set(extra) - set(found)
    if unknown:
        raise QueryFormatError(
            where, f"'params' names {sorted(unknown)}, which the query never uses"
        )
    return tuple(params)


def _kind(where: Path, match: re.Match[str]) -> tuple[str, str | None]:
    """pdkg's type for a BASIL suffix, and the language tag of a ``label``."""
    variable = match.group()[1:]
    suffix, prefix, datatype, lang = (
        match["type"],
        match["prefix"],
        match["userdefined"],
        match["lang"],
    )
    if suffix == "number":
        raise QueryFormatError(
            where, f"?{variable}: grlc pastes a number as text; write _integer or _xsd_decimal"
        )
    if lang is not None and (suffix or prefix):
        raise QueryFormatError(where, f"?{variable} has both a type and a language")
    if lang is not None:
        return "label", lang
    if prefix is None:
        return _SUFFIX_TYPES[suffix], None
    if prefix != "xsd" or datatype not in _XSD_TYPES or suffix:
        raise QueryFormatError(
            where,
            f"?{variable}: pdkg checks values of xsd:{', xsd:'.join(sorted(_XSD_TYPES))} only",
        )
    return _XSD_TYPES[datatype], None


def _entries(
    where: Path, meta: Mapping[str, Any], key: str, found: Mapping[str, object]
) -> dict[str, Any]:
    """``#+ defaults:`` or ``#+ enumerate:`` — grlc's list of one-key mappings — as a dict."""
    listed = meta.get(key) or []
    shape = f"'{key}' must be a list of '- name: value' entries (grlc's form)"
    if not isinstance(listed, list):
        raise QueryFormatError(where, shape)
    entries: dict[str, Any] = {}
    for entry in listed:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise QueryFormatError(where, shape + ", each with the values it lists")
        ((name, value),) = entry.items()
        if name not in found:
            raise QueryFormatError(where, f"'{key}' names '{name}', which is no parameter")
        entries[str(name)] = value
    return entries
