"""pdkg: the paradiplomacy knowledge graph, as a library.

Every command of the `pdkg` CLI is a call a notebook can make too. The names below are imported
on first use, so ``import pdkg`` (and the command line's start) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pdkg.version import __version__

if TYPE_CHECKING:
    from pdkg.api import disagreements, run_query
    from pdkg.binding import bind
    from pdkg.engine import run_local
    from pdkg.errors import PdkgError
    from pdkg.graph import Project, load_graph, load_project
    from pdkg.http_client import Endpoint
    from pdkg.paths import ProjectPaths, find_root
    from pdkg.queries import SavedQuery, load_queries
    from pdkg.release import BuildResult, build_release
    from pdkg.remote import run_remote
    from pdkg.table import Answer, ResultTable
    from pdkg.validation import ValidationReport, Violation, validate, validate_project

#: each exported name -> the module that defines it
EXPORTS = {
    "Answer": "pdkg.table",
    "BuildResult": "pdkg.release",
    "Endpoint": "pdkg.http_client",
    "PdkgError": "pdkg.errors",
    "Project": "pdkg.graph",
    "ProjectPaths": "pdkg.paths",
    "ResultTable": "pdkg.table",
    "SavedQuery": "pdkg.queries",
    "ValidationReport": "pdkg.validation",
    "Violation": "pdkg.validation",
    "bind": "pdkg.binding",
    "build_release": "pdkg.release",
    "disagreements": "pdkg.api",
    "find_root": "pdkg.paths",
    "load_graph": "pdkg.graph",
    "load_project": "pdkg.graph",
    "load_queries": "pdkg.queries",
    "run_local": "pdkg.engine",
    "run_query": "pdkg.api",
    "run_remote": "pdkg.remote",
    "validate": "pdkg.validation",
    "validate_project": "pdkg.validation",
}

__all__ = [
    "Answer",
    "BuildResult",
    "Endpoint",
    "PdkgError",
    "Project",
    "ProjectPaths",
    "ResultTable",
    "SavedQuery",
    "ValidationReport",
    "Violation",
    "__version__",
    "bind",
    "build_release",
    "disagreements",
    "find_root",
    "load_graph",
    "load_project",
    "load_queries",
    "run_local",
    "run_query",
    "run_remote",
    "validate",
    "validate_project",
]


def __getattr__(name: str) -> Any:
    if name not in EXPORTS:
        raise AttributeError(f"module 'pdkg' has no attribute {name!r}")
    value = getattr(importlib.import_module(EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
