"""The saved queries as pages of ``pdkg serve``: a front page with a form for each, and answers.

``/`` lists every saved query with its summary, its description and a form of its declared
parameters (defaults filled in); the form asks ``/queries/{name}``, which binds the values as
RDF terms (:func:`pdkg.query.binding.bind`, the same binder as ``pdkg query``) and answers an
HTML table, or the table itself with ``format=csv`` or ``format=json`` (links on the page).
Server-rendered, no script and nothing fetched from elsewhere.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from urllib.parse import urlencode

from pdkg.query.saved import SavedQuery

#: ``format=`` value -> the media type asked of the endpoint
DOWNLOADS = {"csv": "text/csv", "json": "application/sparql-results+json"}
GRAPH_DOWNLOADS = {"turtle": "text/turtle", "jsonld": "application/ld+json"}
_STYLE = (
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
    "form{margin:.4em 0 1.6em}label{margin-right:1em}input{margin-left:.3em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25em .5em;"
    "text-align:left;vertical-align:top}th{background:#f4f4f4}h2{margin-bottom:.2em}"
)


def _head(title: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
    )


def front(saved: Mapping[str, SavedQuery]) -> bytes:
    """The front page: what the site is, then every saved query with its form."""
    parts = [
        _head("pdkg — the paradiplomacy knowledge graph"),
        "<h1>pdkg — the paradiplomacy knowledge graph</h1>",
        "<p>The saved queries below run on this server's release; every answer can be downloaded "
        "as CSV or SPARQL JSON. Write your own at <a href='/sparql'>/sparql</a> (the SPARQL "
        "endpoint is <code>/query</code>); the ontology is documented at "
        "<a href='/docs/'>/docs/</a>; every resource has a page, e.g. "
        "<a href='/resource/guangzhou'>/resource/guangzhou</a>.</p>",
    ]
    for name in sorted(saved):
        query = saved[name]
        parts.append(f"<h2 id='{html.escape(name)}'>{html.escape(name)}</h2>")
        parts.append(f"<p>{html.escape(query.summary)}</p>")
        if query.description:
            parts.append(f"<p><small>{html.escape(query.description)}</small></p>")
        parts.append(f"<form method='get' action='/queries/{html.escape(name)}'>")
        for param in query.params:
            value = param.default or query.example.get(param.name, "")
            need = " required" if param.required and not value else ""
            need += " size='60'" if param.type == "iri" else ""
            parts.append(
                f"<label>{html.escape(param.name)} <small>({html.escape(param.type)})</small>"
                f"<input name='{html.escape(param.name)}' value='{html.escape(value)}'{need}>"
                "</label>"
            )
        parts.append("<button type='submit'>Run</button></form>")
    parts.append("</body></html>")
    return "".join(parts).encode()


def answer(query: SavedQuery, values: Mapping[str, str], body: bytes, graph: bool) -> bytes:
    """An answer page: the query, its values, the table (or the graph as Turtle), downloads."""
    kinds = GRAPH_DOWNLOADS if graph else DOWNLOADS
    links = " ".join(
        f"<a href='/queries/{html.escape(query.name)}?"
        f"{html.escape(urlencode({**values, 'format': kind}))}'>{kind}</a>"
        for kind in kinds
    )
    given = ", ".join(f"{k} = {v}" for k, v in values.items()) or "no parameters"
    parts = [
        _head(f"{query.name} — pdkg"),
        f"<p><a href='/'>all saved queries</a></p><h1>{html.escape(query.name)}</h1>",
        f"<p>{html.escape(query.summary)} ({html.escape(given)}) · download: {links}</p>",
    ]
    if graph:
        parts.append(f"<pre>{html.escape(body.decode('utf-8', 'replace'))}</pre>")
    else:
        parts.append(_table(json.loads(body)))
    parts.append("</body></html>")
    return "".join(parts).encode()


def _table(results: dict[str, object]) -> str:
    """SPARQL JSON results as an HTML table (an ASK answer as its word)."""
    if "boolean" in results:
        return f"<p><b>{'true' if results['boolean'] else 'false'}</b></p>"
    head = results.get("head")
    names = list(head.get("vars", [])) if isinstance(head, dict) else []
    found = results.get("results")
    rows = found.get("bindings", []) if isinstance(found, dict) else []
    cells = ["<table><tr>", *(f"<th>{html.escape(n)}</th>" for n in names), "</tr>"]
    for row in rows:
        cells.append("<tr>")
        for name in names:
            term = row.get(name) or {}
            cells.append(f"<td>{_cell(term)}</td>")
        cells.append("</tr>")
    cells.append(f"</table><p>{len(rows)} row{'s' * (len(rows) != 1)}</p>")
    return "".join(cells)


def _cell(term: Mapping[str, str]) -> str:
    value = term.get("value", "")
    if term.get("type") == "uri":
        href = "/" + value.removeprefix("https://w3id.org/pdkg/")
        local = value.startswith("https://w3id.org/pdkg/")
        name = value.rsplit("/", 1)[-1] if local else value
        return f"<a href='{html.escape(href if local else value)}'>{html.escape(name)}</a>"
    return html.escape(value)
