"""pdkg: the paradiplomacy knowledge graph, as a library.

Every command of the `pdkg` CLI is a call a notebook can make too. The names below are exported
lazily: ``import pdkg`` costs almost nothing, and a name loads its module on first use.
(``pdkg.validate`` is the module; its ``validate`` function is ``pdkg.validate.validate``.)
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
    from pdkg.validate import ValidationReport, Violation, validate_project

#: each exported name and the module that defines it
_WHERE = {
    "disagreements": "pdkg.api",
    "run_query": "pdkg.api",
    "bind": "pdkg.binding",
    "run_local": "pdkg.engine",
    "PdkgError": "pdkg.errors",
    "Project": "pdkg.graph",
    "load_graph": "pdkg.graph",
    "load_project": "pdkg.graph",
    "Endpoint": "pdkg.http_client",
    "ProjectPaths": "pdkg.paths",
    "find_root": "pdkg.paths",
    "SavedQuery": "pdkg.queries",
    "load_queries": "pdkg.queries",
    "BuildResult": "pdkg.release",
    "build_release": "pdkg.release",
    "run_remote": "pdkg.remote",
    "Answer": "pdkg.table",
    "ResultTable": "pdkg.table",
    "ValidationReport": "pdkg.validate",
    "Violation": "pdkg.validate",
    "validate_project": "pdkg.validate",
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
    "validate_project",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value  # the next lookup is a plain attribute
        return value
    raise AttributeError(f"module 'pdkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
