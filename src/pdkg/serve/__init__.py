"""`pdkg serve`: a read-only SPARQL 1.1 endpoint over the release, with a query page and the docs.

``/query`` follows the SPARQL 1.1 Protocol (GET ``?query=``, POST form or
``application/sparql-query``), with results in JSON, XML, CSV or TSV and graphs in Turtle,
N-Triples or RDF/XML. ``/update``, ``application/sparql-update``, form ``update=`` and PUT,
DELETE, PATCH are refused with 403. ``/`` is a query page and ``/docs/`` the HTML docs. Every
error is one line of ``text/plain``.

Requests are read by the standard library's threading HTTP server; queries are evaluated in
``Site.workers`` worker processes, each holding its own in-memory Oxigraph store of the release
(:mod:`pdkg.serve.pool`). What the limits guarantee:

- **Time** (``Site.timeout``): once a worker has a query, the request thread waits for its
  answer (evaluation and serialization) at most ``timeout`` seconds. Past it the worker process
  is killed, whatever the query was doing, the client gets 504 naming the limit, and a fresh
  worker takes its place (it loads the release before its first query; until then there is one
  worker fewer). The time spent waiting for a free worker is bounded separately by
  ``Site.queue_wait`` (then 503 with ``Retry-After``), so a request is answered within about
  ``queue_wait + timeout`` seconds. A replacement worker reads the release file as it is then.
- **Size** (``Site.max_rows``): an answer with more solutions (SELECT) or triples (CONSTRUCT,
  DESCRIBE) is an error (422), never a truncated result; serialization stops at the limit, so
  the oversized result is never held in full. Queries over 1 MB are refused (413).
- **Concurrency and memory**: at most ``workers`` queries are evaluated at once; a burst
  queues. Memory is the server plus ``workers`` copies of the store, and what one query
  builds during evaluation (a sort or a grouping of a huge join) is bounded only by the time
  limit, not by a memory limit.
- **SERVICE** is refused (403) unless ``Site.allow_service``: see :mod:`pdkg.serve.guard`.

Workers are started with ``spawn`` (never forked from a threaded server), so a script that calls
:func:`make_server` must do it under ``if __name__ == "__main__":``, as multiprocessing requires.
"""

from pdkg.serve.evaluate import Answer, load_store
from pdkg.serve.server import Server, Site, is_loopback, make_server

__all__ = ["Answer", "Server", "Site", "is_loopback", "load_store", "make_server"]
