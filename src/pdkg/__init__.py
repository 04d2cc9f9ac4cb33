"""pdkg: the paradiplomacy knowledge graph, as a library.

Every command of the `pdkg` CLI is a call a notebook can make too.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pdkg")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from pdkg.errors import PdkgError
from pdkg.graph import Project, load_graph, load_project
from pdkg.paths import ProjectPaths, find_root
from pdkg.queries import ResultTable, SavedQuery, bind, load_queries, run_local
from pdkg.release import BuildResult, build_release
from pdkg.validate import ValidationReport, Violation, validate, validate_project

__all__ = [
    "BuildResult",
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
    "find_root",
    "load_graph",
    "load_project",
    "load_queries",
    "run_local",
    "validate",
    "validate_project",
]
