"""Shared fixtures: the project's paths, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pdkg.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_paths() -> ProjectPaths:
    """The real project: its ontology, shapes, rules and queries (tests give their own data)."""
    return ProjectPaths(ROOT)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal_data() -> Path:
    """A small graph that conforms (written for the shape tests)."""
    return ROOT / "tests" / "data" / "graph" / "minimal.ttl"
