"""The one exception family of pdkg; each subclass carries its CLI exit code.

Messages follow the house style: ``<what failed>: <which thing, with where> — <why>. <next step>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: Exit codes shared by the library's errors and the CLI (DESIGN.md §5).
EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_BAD_INPUT = 2
EXIT_CANNOT_RUN = 3


def _stop(text: str) -> str:
    return "" if text.endswith(("?", ".")) else "."


class PdkgError(Exception):
    """Base of every expected failure; ``exit_code`` tells the CLI how to exit."""

    exit_code = EXIT_BAD_INPUT


class GraphLoadError(PdkgError):
    """An RDF file is missing, empty, not UTF-8 or not valid Turtle."""

    def __init__(self, path: Path, reason: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path} line {line}" if line is not None else str(path)
        super().__init__(f"cannot load {where} — {reason}. Fix the file and rerun 'pdkg validate'.")


class ProjectLayoutError(PdkgError):
    """The project root (ontology/, graph/, queries/) cannot be found."""

    def __init__(self, start: Path) -> None:
        self.start = start
        super().__init__(
            f"cannot find the pdkg project: no ontology/pdkg.ttl in {start} or above — "
            "run inside a clone, or pass --root or set PDKG_ROOT."
        )


class QueryNotFoundError(PdkgError):
    """No saved query has the requested name."""

    def __init__(self, name: str, available: Sequence[str]) -> None:
        self.name = name
        self.available = list(available)
        import difflib

        close = difflib.get_close_matches(name, self.available, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        super().__init__(f"unknown query '{name}'{hint} See 'pdkg queries'.")


class QueryFormatError(PdkgError):
    """A saved query's header or text is malformed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"bad saved query {path} — {reason}. Fix the file header or text.")


class QueryParameterError(PdkgError):
    """A parameter value is unknown, missing or not of the declared type."""

    def __init__(self, query: str, param: str, value: str | None, reason: str) -> None:
        self.query = query
        self.param = param
        self.value = value
        self.reason = reason
        super().__init__(f"parameter '{param}' of query '{query}' {reason}{_stop(reason)}")


class EndpointError(PdkgError):
    """A remote SPARQL endpoint is down, refuses, times out, answers garbage or truncates."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        self.url = url
        self.status = status
        self.reason = reason
        super().__init__(f"endpoint {url} failed — {reason}.")


class BuildError(PdkgError):
    """The release could not be written."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write the release into {path} — {reason}.")


class NotConformingError(PdkgError):
    """The project's graph does not conform to its shapes, so no release can be read."""

    exit_code = EXIT_NONCONFORMING

    def __init__(self, path: Path, violations: int) -> None:
        self.path = path
        self.violations = violations
        super().__init__(
            f"{path} does not conform to the shapes ({violations} violations), so there is no "
            "release to read — 'pdkg validate' shows them; --data reads files as they are."
        )


class TermError(PdkgError):
    """A term that pdkg cannot represent (an RDF-star triple, a malformed SPARQL JSON term)."""

    exit_code = EXIT_CANNOT_RUN


class RulesError(PdkgError):
    """The inference rules are malformed or do not reach a fixpoint."""

    def __init__(self, rule: str, reason: str) -> None:
        self.rule = rule
        self.reason = reason
        super().__init__(f"cannot apply the rules: {rule} — {reason}. Fix ontology/rules.ttl.")


class OutputError(PdkgError):
    """A file or directory the user named cannot be written."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path} — {reason}.")


class ChoiceError(PdkgError):
    """A value outside a closed set (a layer, a measure, a format)."""

    def __init__(self, what: str, value: str, choices: Sequence[str]) -> None:
        self.what = what
        self.value = value
        self.choices = list(choices)
        super().__init__(f"{value!r} is not a {what} — choose from {', '.join(self.choices)}.")


class ResourceNotFoundError(PdkgError):
    """A name (IRI, slug or English label) that names no resource in the graph, or several."""

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} {reason}{_stop(reason)}")


class EmptySliceError(PdkgError):
    """A year (or another slice) for which no claim holds: an error, not an empty answer."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"no claim {what} — {reason}")


class InputFileError(PdkgError):
    """A line of a file the user gave (a names CSV) that pdkg cannot read."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}{_stop(reason)}")


class WikidataError(PdkgError):
    """Wikidata (or the snapshot standing in for it) cannot answer what a command needs."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"Wikidata: {reason}{_stop(reason)}")


class EndpointURLError(PdkgError):
    """An endpoint given by the user that is not an http(s) URL (a file: URL is never read)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"{url!r} is not an http(s) SPARQL endpoint URL.")
