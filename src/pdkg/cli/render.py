"""Pure functions that turn result tables, reports and build results into text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from pdkg.cli.columns import pad, shown_width
from pdkg.errors import ChoiceError
from pdkg.terms import to_json
from pdkg.vocab import PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from pdkg.query.saved import SavedQuery
    from pdkg.query.table import Answer, ResultTable
    from pdkg.release import BuildResult
    from pdkg.validation import ValidationReport

TABLE_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
ANSWER_FORMATS = (*TABLE_FORMATS, *GRAPH_FORMATS)
FORMATS_BY_FORM = {
    "SELECT": TABLE_FORMATS,
    "ASK": ("table", "json"),
    "CONSTRUCT": GRAPH_FORMATS,
    "DESCRIBE": GRAPH_FORMATS,
}
REPORT_FORMATS = ("text", "turtle", "json")


def compact(iri: str) -> str:
    """Shorten an IRI with the project's prefixes.

    >>> compact("https://w3id.org/pdkg/resource/guangzhou")
    'pdr:guangzhou'
    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    return str(term)


def render_table(table: ResultTable, fmt: str = "table") -> str:
    """Render a result table as an aligned text table, or as W3C SPARQL 1.1 CSV, TSV or JSON.

    >>> from rdflib import Literal, XSD
    >>> from pdkg.query.table import ResultTable
    >>> t = ResultTable(("city", "since"), ((URIRef("https://w3id.org/pdkg/resource/fukuoka"),
    ...     Literal("1979", datatype=XSD.gYear)),))
    >>> print(render_table(t, "csv"), end="")
    city,since
    https://w3id.org/pdkg/resource/fukuoka,1979
    >>> print(render_table(t, "tsv").replace(chr(9), " | "), end="")
    ?city | ?since
    <https://w3id.org/pdkg/resource/fukuoka> | "1979"^^<http://www.w3.org/2001/XMLSchema#gYear>
    """
    if fmt == "csv":
        return table.to_csv()
    if fmt == "tsv":
        lines = ["\t".join(f"?{c}" for c in table.columns)]
        lines += ["\t".join("" if t is None else t.n3() for t in row) for row in table.rows]
        return "\n".join(lines) + "\n"
    if fmt == "json":
        return json.dumps(sparql_json(table), ensure_ascii=False, indent=2) + "\n"
    if fmt != "table":
        raise ChoiceError("table format", fmt, TABLE_FORMATS)
    cells = [list(table.columns)] + [[_cell(t) for t in row] for row in table.rows]
    widths = [max(shown_width(row[i]) for row in cells) for i in range(len(table.columns))]
    lines = [
        "  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def sparql_json(table: ResultTable) -> dict[str, Any]:
    """The W3C SPARQL 1.1 Query Results JSON object of a result table."""
    bindings = [
        {name: to_json(term) for name, term in zip(table.columns, row, strict=True) if term}
        for row in table.rows
    ]
    return {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}


def check_format(form: str, fmt: str | None) -> None:
    """Refuse a format that cannot show an answer of this query form.

    >>> check_format("CONSTRUCT", "csv")
    Traceback (most recent call last):
    ...
    pdkg.errors.ChoiceError: 'csv' is not a format for a CONSTRUCT answer — choose from turtle, ...

    Raises:
        ChoiceError: it cannot.
    """
    allowed = FORMATS_BY_FORM.get(form, TABLE_FORMATS)
    if fmt is not None and fmt not in allowed:
        raise ChoiceError(f"format for a {form} answer", fmt, allowed)


def render_answer(answer: Answer, fmt: str | None = None) -> str:
    """Render any answer: a table (see :func:`render_table`), ASK's ``true``/``false`` (or its
    SPARQL JSON), or a graph as Turtle, N-Triples or JSON-LD. ``None`` picks the form's default.

    >>> render_answer(True), render_answer(False, "json").split()
    ('true\\n', ['{"head":', '{},', '"boolean":', 'false}'])

    Raises:
        ChoiceError: the format does not suit the answer (a table as Turtle, a graph as CSV).
    """
    if isinstance(answer, bool):
        if fmt not in (None, "table", "json"):
            raise ChoiceError("format for an ASK answer", fmt, ("table", "json"))
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer}) + "\n"
        return f"{str(answer).lower()}\n"
    if isinstance(answer, Graph):
        if fmt not in (None, *GRAPH_FORMATS):
            raise ChoiceError("format for a graph", fmt, GRAPH_FORMATS)
        bind_prefixes(answer)
        name = {"nt": "nt", "jsonld": "json-ld"}.get(fmt or "turtle", "turtle")
        return answer.serialize(format=name, encoding="utf-8").decode("utf-8")
    if fmt not in (None, *TABLE_FORMATS):
        raise ChoiceError("format for a result table", fmt, TABLE_FORMATS)
    return render_table(answer, fmt or "table")


def render_report(report: ValidationReport, fmt: str = "text") -> str:
    """Render a validation report: readable text grouped by shape, SHACL Turtle, or JSON."""
    if fmt == "turtle":
        return report.results.serialize(format="turtle")
    if fmt == "json":
        return (
            json.dumps(
                {
                    "conforms": report.conforms,
                    "violations": [vars(v) for v in report.violations],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt != "text":
        raise ChoiceError("report format", fmt, REPORT_FORMATS)
    return report.to_text()


def render_summary(result: BuildResult) -> str:
    """A short text summary of a build: triples, entities per class, conformance, timings."""
    lines = [
        f"triples: {result.triples} ({result.inferred} inferred by the rules)",
        f"conforms: {'yes' if result.conforms else 'no'}"
        f" ({len(result.report.violations)} violations)",
    ]
    for kind in ("actor", "relation"):
        rows = [r for r in result.counts.to_dicts() if r["kind"] == kind]
        total = ", ".join(f"{r['classLabel'] or compact(r['class'])} {r['entities']}" for r in rows)
        lines.append(f"{kind}s per class: {total or 'none'}")
    if result.disagreements:
        kinds = ", ".join(f"{kind} {n}" for kind, n in result.disagreements.items())
        lines.append(
            f"disagreements between sources: {sum(result.disagreements.values())} ({kinds});"
            " see disagreements.csv"
        )
    if result.wikidata is not None:
        w = result.wikidata
        groups = ", ".join(f"{status} {n}" for status, n in w.diff.items())
        lines.append(
            f"wikidata: {w.links} links (mappings.sssom.tsv), {w.unlinked} actors and places "
            f"unlinked (pdkg link --missing); Guangzhou against the snapshot's P190: {groups} "
            f"(wikidata-diff.csv); {w.additions} statements to give back (quickstatements.txt); "
            f"map: {w.mapped} places drawn, {w.unmapped} without coordinates"
        )
    lines.append("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items()))
    if result.out is not None:
        lines.append(f"release: {result.out}")
    return "\n".join(lines) + "\n"


def render_query_catalogue(saved: list[SavedQuery]) -> str:
    """A Markdown table of the saved queries (the README's catalogue is this text)."""
    lines = ["| query | summary | parameters |", "|---|---|---|"]
    for query in saved:
        params = ", ".join(
            f"`{p.name}` {_param_note(p.type, p.required, p.default)}" for p in query.params
        )
        lines.append(f"| `{query.name}` | {query.summary} | {params or '—'} |")
    return "\n".join(lines) + "\n"


def _param_note(kind: str, required: bool, default: str | None) -> str:
    if default is not None:
        return f"{kind} = `{compact(default)}`"
    return f"{kind}, {'required' if required else 'optional'}"


def render_query_list(saved: list[SavedQuery]) -> str:
    """One block per saved query: name, summary, then its parameters with type and default."""
    lines = []
    for query in saved:
        lines.append(f"{query.name}: {query.summary}")
        for param in query.params:
            need = "required" if param.required else f"default {param.default or '(none)'}"
            lines.append(f"    -p {param.name}=<{param.type}>  ({need})")
    return "\n".join(lines) + "\n"
