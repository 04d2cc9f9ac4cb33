"""How pdkg asks Wikidata: the saved queries of ``queries/wikidata/``, batched, cached, paced.

A :class:`Wikidata` answers from a WDQS-compatible endpoint (the live service by default, or
``--endpoint`` / ``$PDKG_WIKIDATA``), through :mod:`pdkg.query.http` — pdkg's User-Agent, a
client-side timeout and the same limit sent to the server, back-off on 429/503 honouring
``Retry-After``, at most :data:`PER_MINUTE` requests a minute — with an on-disk cache of raw
answers keyed by endpoint and query text. Or it answers from the verified snapshot
(``wikidata/snapshot.ttl``) in-process, which is what ``pdkg build`` uses offline.
Values reach the queries only as bound RDF terms (:func:`pdkg.query.binding.bind_many`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph

from pdkg.errors import EndpointError, EndpointURLError, WikidataError
from pdkg.paths import ProjectPaths
from pdkg.query import engine
from pdkg.query.binding import Term, bind_many
from pdkg.query.http import Endpoint, Response
from pdkg.query.remote import fetch, read_answer
from pdkg.query.saved import SavedQuery, load_queries
from pdkg.query.table import Answer, ResultTable

log = logging.getLogger(__name__)

LIVE = "https://query.wikidata.org/sparql"
ENV = "PDKG_WIKIDATA"
CACHE_ENV = "PDKG_CACHE"
#: values per request: one VALUES block of this many names or items
BATCH = 50
#: the Wikidata Query Service gives each client (User-Agent and IP) "60 seconds of query time per
#: minute" and asks for one request at a time, 429 answers carrying Retry-After
#: (https://www.mail-archive.com/wikidata@lists.wikimedia.org/msg04731.html; the WDQS team on
#: wikidata-tech, 2019-11: https://lists.wikimedia.org/hyperkitty/list/wikidata-tech@lists.
#: wikimedia.org/message/GCR2EGQ4HFM4SWNMMTLRBYLWUJUEXZWA/): 30 short requests a minute, one at
#: a time, stay inside that
PER_MINUTE = 30.0
#: seconds the client waits for an answer (and sends as the server-side limit); a little more
#: than the query time a minute above
TIMEOUT = 65.0
WHERE_SNAPSHOT = "the verified snapshot, wikidata/snapshot.ttl"

Progress = Callable[[int], None]


@dataclass
class Wikidata:
    """Wikidata, or the snapshot standing in for it, answering the saved Wikidata queries."""

    queries: Mapping[str, SavedQuery]
    where: str  # what answers, for messages and provenance
    endpoint: Endpoint | None = None
    store: ox.Store | None = None
    cache: Path | None = None

    def ask(
        self,
        name: str,
        many: Mapping[str, Sequence[Term]] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Answer:
        """Run one saved Wikidata query with its values bound.

        Raises:
            WikidataError: the endpoint cannot answer (unreachable, refusing, too slow, garbage).
        """
        query = self.queries[name]
        text = bind_many(query, many or {}, params)
        if self.store is not None:
            return engine.run(self.store, text, where=f"queries/wikidata/{name}.rq")
        assert self.endpoint is not None
        try:
            response = self._cached(text, query.form)
            answer = read_answer(response, self.endpoint, form=query.form)
        except EndpointError as exc:
            raise WikidataError(f"{self.where} cannot answer {name} ({exc})") from None
        return answer

    def select(
        self,
        name: str,
        variable: str,
        terms: Sequence[Term],
        progress: Progress | None = None,
    ) -> ResultTable:
        """A SELECT query asked in batches of :data:`BATCH` values of ``variable``; rows joined."""
        columns: tuple[str, ...] = ()
        rows: list[tuple[object, ...]] = []
        for batch in _batches(sorted(set(terms), key=str)):
            answer = self.ask(name, {variable: batch})
            assert isinstance(answer, ResultTable)
            columns = answer.columns
            rows.extend(answer.rows)
            if progress:
                progress(len(batch))
        return ResultTable(columns, tuple(rows))  # type: ignore[arg-type]

    def construct(self, name: str, variable: str, terms: Sequence[Term]) -> Graph:
        """A CONSTRUCT query asked in batches of :data:`BATCH` values; the graphs merged."""
        graph = Graph()
        for batch in _batches(sorted(set(terms), key=str)):
            answer = self.ask(name, {variable: batch})
            assert isinstance(answer, Graph)
            graph += answer
        return graph

    def _cached(self, text: str, form: str) -> Response:
        assert self.endpoint is not None
        path = None
        if self.cache is not None:
            key = hashlib.sha256(f"{self.endpoint.url}\n{form}\n{text}".encode()).hexdigest()
            path = self.cache / f"{key}.json"
            try:
                kept = json.loads(path.read_text(encoding="utf-8"))
                log.info("cache hit %s", path.name)
                return Response(200, kept["headers"], kept["body"].encode("utf-8"))
            except FileNotFoundError:
                pass
            except (OSError, ValueError, KeyError, TypeError) as exc:  # unreadable: ask again
                log.warning("ignoring the cache entry %s (%s)", path, exc)
        response = fetch(text, self.endpoint, form=form)
        if path is not None:
            kept = {"headers": dict(response.headers), "body": response.body.decode("utf-8")}
            partial = path.with_suffix(".part")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial.write_text(json.dumps(kept), encoding="utf-8")
                partial.replace(path)  # a cache entry is whole or absent
            except OSError as exc:
                log.warning("cannot keep the answer in the cache %s (%s)", self.cache, exc)
        return response


def _batches(terms: Sequence[Term]) -> list[list[Term]]:
    return [list(terms[i : i + BATCH]) for i in range(0, len(terms), BATCH)]


def wikidata_queries(paths: ProjectPaths) -> dict[str, SavedQuery]:
    """The saved queries pdkg sends to Wikidata."""
    return load_queries(paths.queries / "wikidata")


def remote(
    paths: ProjectPaths,
    url: str | None = None,
    *,
    cache: Path | None = None,
    timeout: float = TIMEOUT,
    per_minute: float = PER_MINUTE,
) -> Wikidata:
    """Wikidata at ``url``, else ``$PDKG_WIKIDATA``, else the live service.

    Raises:
        EndpointURLError: the URL is not http(s).
    """
    chosen = url or os.environ.get(ENV) or LIVE
    parts = urlsplit(chosen)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointURLError(chosen)
    endpoint = Endpoint(chosen, timeout=timeout, per_minute=per_minute)
    return Wikidata(wikidata_queries(paths), endpoint.shown, endpoint=endpoint, cache=cache)


def snapshot(paths: ProjectPaths) -> Wikidata:
    """The verified snapshot, in-process: Wikidata as the project checked it, offline."""
    store = ox.Store()
    try:
        store.load(path=str(paths.wikidata_snapshot), format=ox.RdfFormat.TURTLE)
    except (OSError, SyntaxError) as exc:
        raise WikidataError(f"cannot read {paths.wikidata_snapshot} ({exc})") from None
    return Wikidata(wikidata_queries(paths), WHERE_SNAPSHOT, store=store)


def default_cache() -> Path:
    """``$PDKG_CACHE/wikidata``, else ``$XDG_CACHE_HOME/pdkg/wikidata``, else ``~/.cache/...``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]) / "wikidata"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pdkg" / "wikidata"
