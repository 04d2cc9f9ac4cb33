"""The pages of ``pdkg serve`` beyond the SPARQL protocol: the front page, the saved queries'
answers and the dereferenced IRIs. Each function answers one request through its handler."""

from __future__ import annotations

from functools import lru_cache
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import pyoxigraph as ox

from pdkg.errors import PdkgError
from pdkg.query.binding import bind
from pdkg.query.saved import SavedQuery, load_queries
from pdkg.serve import linked, pages
from pdkg.serve.evaluate import Answer

if TYPE_CHECKING:
    from pdkg.serve.server import Handler

HTML = "text/html; charset=utf-8"


@lru_cache(maxsize=4)
def _saved(folder: Path, stamp: float) -> dict[str, SavedQuery]:
    return load_queries(folder)


def saved_queries(handler: Handler) -> dict[str, SavedQuery]:
    """The site's saved queries (read again when their folder changes), or none."""
    folder = handler.site.queries
    if folder is None or not folder.is_dir():
        return {}
    return _saved(folder, max((p.stat().st_mtime for p in folder.glob("*.rq")), default=0.0))


def front(handler: Handler) -> None:
    """``/``: the saved queries with their forms (the SPARQL page when there are none)."""
    saved = saved_queries(handler)
    if not saved:
        page = resources.files("pdkg").joinpath("static/query.html").read_bytes()
        handler.reply(HTTPStatus.OK, HTML, page)
        return
    handler.reply(HTTPStatus.OK, HTML, pages.front(saved))


def saved_query(handler: Handler, name: str, query_string: str) -> None:
    """``/queries/{name}?param=value&format=csv|json``: one saved query, its values bound."""
    query = saved_queries(handler).get(name)
    if query is None:
        handler.fail(HTTPStatus.NOT_FOUND, f"no saved query {name!r}; / lists them")
        return
    values = dict(parse_qsl(query_string, keep_blank_values=False))
    fmt = values.pop("format", "html")
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    downloads = pages.GRAPH_DOWNLOADS if graph else pages.DOWNLOADS
    if fmt != "html" and fmt not in downloads:
        handler.fail(HTTPStatus.BAD_REQUEST, f"format {fmt!r}: choose html, {', '.join(downloads)}")
        return
    try:
        text = bind(query, values)
    except PdkgError as exc:
        handler.fail(HTTPStatus.BAD_REQUEST, str(exc))
        return
    accept = downloads.get(fmt) or ("text/turtle" if graph else "application/sparql-results+json")
    result = _run(handler, text, accept)
    if result.status != HTTPStatus.OK or fmt != "html":
        handler.reply(result.status, result.content_type, result.body)
        return
    handler.reply(HTTPStatus.OK, HTML, pages.answer(query, values, result.body, graph))


def describe(handler: Handler, found: linked.Located) -> None:
    """A dereferenced IRI: its triples in the negotiated format, or its HTML page."""
    media = linked.negotiate(handler.headers.get("Accept") or "", found.media)
    if media is None:
        served = ", ".join([linked.HTML, *linked.MEDIA])
        handler.fail(HTTPStatus.NOT_ACCEPTABLE, f"no format asked for is served: {served}")
        return
    if found.iri == linked.BASE + "ontology" and media == linked.HTML:
        handler.send_response(HTTPStatus.SEE_OTHER)
        handler.send_header("Location", "/docs/index.html")
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    if found.file is not None:
        triples = linked.file_triples(found.file, found.file.stat().st_mtime)
    else:
        answer = _described(handler, found.iri)
        if answer.status != HTTPStatus.OK:
            handler.reply(answer.status, answer.content_type, answer.body)
            return
        triples = tuple(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    if not triples:
        handler.fail(HTTPStatus.NOT_FOUND, f"the graph says nothing of {found.iri}")
    elif media == linked.HTML:
        handler.reply(HTTPStatus.OK, HTML, linked.page(found.iri, triples))
    else:
        handler.reply(HTTPStatus.OK, media, linked.serialize(triples, media))


def _described(handler: Handler, iri: str) -> Answer:
    query = saved_queries(handler).get("describe-resource")
    if query is None:
        return Answer.error(HTTPStatus.NOT_FOUND, "this server has no saved queries")
    return _run(handler, bind(query, {"resource": iri}), "application/n-triples")


def _run(handler: Handler, text: str, accept: str) -> Answer:
    site = handler.site
    return handler.pool.run(text, accept=accept, timeout=site.timeout, queue_wait=site.queue_wait)
