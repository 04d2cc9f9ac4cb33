"""Docs stay true: every command is in the README with help; no SPARQL hides in Python."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from rdflib.plugins.sparql import prepareQuery

from pdkg import cli
from pdkg.query.saved import load_queries

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.COMMANDS)  # the lazy group registers none in cli.main.commands


def test_every_command_is_checked() -> None:
    assert len(COMMANDS) >= 16
    assert {"centrality", "coverage", "communities", "multilayer"} <= set(COMMANDS)


def test_readme_opens_with_the_two_commands() -> None:
    first_section = README.split("\n## ")[1]
    assert "make run" in first_section
    assert "make test" in first_section


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_readme(name: str) -> None:
    command = cli.main.get_command(click.Context(cli.main), name)
    assert isinstance(command, click.Command)
    assert (command.help or "").strip()
    assert f"pdkg {name}" in README


@pytest.mark.parametrize("path", sorted((ROOT / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_saved_query_parses_as_sparql(path: Path) -> None:
    assert path.stem in load_queries(ROOT / "queries")
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted((ROOT / "src").rglob("*.py")), ids=lambda p: p.name)
def test_no_inline_sparql_in_python(path: Path) -> None:
    code = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith((">>>", "..."))  # doctest examples document, not run
    ]
    text = "\n".join(code)
    assert not re.search(
        r"\bSELECT\s+(\?|\*|DISTINCT|REDUCED)|\bCONSTRUCT\s*\{|\bPREFIX\s+\w*:", text
    ), path


def test_readme_query_catalogue_is_generated_from_the_headers() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(
        cli.main, ["--root", str(ROOT), "queries", "--format", "markdown"], catch_exceptions=False
    )
    catalogue = README.split("<!-- queries:start -->\n")[1].split("<!-- queries:end -->")[0]
    assert catalogue == result.stdout, "regenerate with 'pdkg queries --format markdown'"
