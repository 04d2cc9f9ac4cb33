"""What every test server needs: a free loopback port, and its binary (skip locally, fail in CI)."""

from __future__ import annotations

import os
import socket

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
