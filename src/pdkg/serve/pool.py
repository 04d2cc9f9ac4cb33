"""Worker processes that evaluate served queries, so a query past its time limit can be stopped.

A Python thread cannot be stopped and pyoxigraph has no query timeout, so every query runs in a
worker process with its own copy of the store, and the request thread waits for the answer with
a deadline. Past it the worker is killed (``SIGKILL``: its CPU and memory come back at once) and
a fresh one is started in its place. Workers are started with ``spawn``, never forked from the
threaded server.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass
from http import HTTPStatus
from multiprocessing.connection import Connection
from pathlib import Path

from pdkg.errors import GraphLoadError
from pdkg.serve.evaluate import Answer, evaluate, load_store

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker process is started with."""

    release: Path
    max_rows: int
    allow_service: bool


class Pool:
    """A fixed number of query workers; at most that many queries run at once, the others wait."""

    def __init__(self, config: WorkerConfig, *, size: int) -> None:
        """Start ``size`` workers and wait until each has loaded the release.

        Raises:
            GraphLoadError: a worker cannot load the release.
            OSError: a worker process cannot be started.
        """
        self._config = config
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        try:
            started = [self._spawn() for _ in range(size)]
            for worker in started:
                worker.wait_ready()
        except (GraphLoadError, OSError):
            self.close()
            raise
        for worker in started:
            self._idle.put(worker)

    @property
    def pids(self) -> list[int]:
        """The process ids of the current workers (for monitoring)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def run(self, query: str, *, accept: str, timeout: float, queue_wait: float) -> Answer:
        """Evaluate ``query`` on a free worker within ``timeout`` seconds.

        Args:
            query: the SPARQL query text.
            accept: the request's ``Accept`` header.
            timeout: seconds the evaluation may take, from the moment a worker has the query.
            queue_wait: seconds to wait for a free worker.

        Returns:
            The worker's answer, or 503 (no worker free in time), 504 (stopped at the time limit)
            or 500 (the worker died).
        """
        try:
            worker = self._idle.get(timeout=queue_wait)
        except queue.Empty:
            return Answer.error(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"server busy: no query worker became free within {queue_wait:g} s. Retry later.",
            )
        try:
            worker.wait_ready()
            answer = worker.ask(query, accept, timeout)
        except (EOFError, OSError, GraphLoadError) as exc:
            log.error("query worker %s failed: %s", worker.process.pid, exc)
            self._replace(worker)
            return Answer.error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "query failed: the query worker stopped unexpectedly. Retry; see the server log.",
            )
        if answer is None:
            log.warning("query stopped after %g s: %.200r", timeout, query)
            self._replace(worker)
            return Answer.error(
                HTTPStatus.GATEWAY_TIMEOUT,
                f"query stopped: it ran longer than the {timeout:g} s limit (the server's "
                "--timeout). Add a LIMIT, or narrow the query.",
            )
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Stop every worker, busy or not; later queries fail with 500 (or wait, then 503)."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, set()
        for worker in workers:
            worker.stop()

    def _spawn(self) -> _Worker:
        with self._lock:
            worker = _Worker(self._config)
            self._workers.add(worker)
            return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and queue a fresh one; it loads the release before its first query."""
        worker.stop()
        with self._lock:
            self._workers.discard(worker)
            if self._closed:
                return
            try:
                fresh = _Worker(self._config)
            except OSError as exc:
                log.error("cannot start a query worker, serving with one fewer: %s", exc)
                return
            self._workers.add(fresh)
        self._idle.put(fresh)


class _Worker:
    """The parent's handle on one worker process: its process and its end of the pipe."""

    def __init__(self, config: WorkerConfig) -> None:
        self.release = config.release
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=_work, args=(child, config), name="pdkg-serve-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        """Block until the worker has loaded the release (a no-op once it has)."""
        if self.ready:
            return
        try:
            failure: str | None = self.conn.recv()
        except EOFError:
            self.process.join(timeout=5)
            failure = f"the worker process exited (code {self.process.exitcode}) while loading it"
        if failure is not None:
            raise GraphLoadError(self.release, failure)
        self.ready = True

    def ask(self, query: str, accept: str, timeout: float) -> Answer | None:
        """The answer to ``query``, or ``None`` when it is not ready within ``timeout`` seconds.

        Raises:
            EOFError, OSError: the worker died.
        """
        self.conn.send((query, accept))
        if not self.conn.poll(timeout):
            return None
        answer: Answer = self.conn.recv()
        return answer

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()


def _work(conn: Connection, config: WorkerConfig) -> None:
    """A worker process: load the release, then answer queries until the pipe closes."""
    # Ctrl-C reaches the whole process group; the parent stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            store = load_store(config.release)
        except (OSError, SyntaxError, ValueError) as exc:
            conn.send(str(exc))
            return
        conn.send(None)
        while True:
            query, accept = conn.recv()
            conn.send(
                evaluate(
                    store,
                    query,
                    accept=accept,
                    max_rows=config.max_rows,
                    allow_service=config.allow_service,
                )
            )
    except (EOFError, OSError):
        return  # the parent closed the pipe or went away
