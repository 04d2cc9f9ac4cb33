"""What every test server needs: a free loopback port, and its binary (skip locally, fail in CI)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_binary(found: str | None, message: str) -> str:
    """``found`` (a binary's path), or skip the test locally and fail it in CI with ``message``."""
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextlib.contextmanager
def serving(site: Any) -> Iterator[str]:
    """``pdkg serve``'s server for ``site`` on 127.0.0.1 in a thread: its base URL."""
    from pdkg.serve import make_server

    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def wait_until_up(
    process: subprocess.Popen[bytes], ready: Callable[[], object], log: Callable[[], str]
) -> None:
    """Wait (30 s at most) until ``ready()`` stops raising ``OSError``; fail with ``log()``
    when the process ends first or the time runs out."""
    deadline = time.monotonic() + 30
    while True:
        try:
            ready()
            return
        except OSError as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {log()}") from exc
            time.sleep(0.1)
