"""pdkg: the paradiplomacy knowledge graph, as a library.

Every command of the `pdkg` CLI is a call a notebook can make too. The names below are imported
on first use, so ``import pdkg`` (and the command line's start) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pdkg.version import __version__

if TYPE_CHECKING:
    from pdkg.errors import PdkgError
    from pdkg.load import Project, load_graph, load_project
    from pdkg.paths import ProjectPaths, find_root
    from pdkg.query.binding import bind
    from pdkg.query.engine import run_local
    from pdkg.query.http import Endpoint
    from pdkg.query.remote import run_remote
    from pdkg.query.saved import SavedQuery, load_queries
    from pdkg.query.table import Answer, ResultTable
    from pdkg.query.target import disagreements, run_query
    from pdkg.release import BuildResult, build_release
    from pdkg.validation import ValidationReport, Violation, validate, validate_project

#: each exported name -> the module that defines it
EXPORTS = {
    "Answer": "pdkg.query.table",
    "BuildResult": "pdkg.release",
    "Endpoint": "pdkg.query.http",
    "PdkgError": "pdkg.errors",
    "Project": "pdkg.load",
    "ProjectPaths": "pdkg.paths",
    "ResultTable": "pdkg.query.table",
    "SavedQuery": "pdkg.query.saved",
    "ValidationReport": "pdkg.validation",
    "Violation": "pdkg.validation",
    "bind": "pdkg.query.binding",
    "build_release": "pdkg.release",
    "disagreements": "pdkg.query.target",
    "find_root": "pdkg.paths",
    "load_graph": "pdkg.load",
    "load_project": "pdkg.load",
    "load_queries": "pdkg.query.saved",
    "run_local": "pdkg.query.engine",
    "run_query": "pdkg.query.target",
    "run_remote": "pdkg.query.remote",
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
