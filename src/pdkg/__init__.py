"""pdkg: the paradiplomacy knowledge graph, as a library.

Every command of the `pdkg` CLI is a call a notebook can make too.
"""

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
from pdkg.validate import ValidationReport, Violation, validate, validate_project
from pdkg.version import __version__

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
