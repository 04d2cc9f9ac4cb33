"""One test per defect fixed in #8 (hardening 2): no traceback, no silent empty answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from pdkg import cli
from pdkg.errors import QueryParameterError
from pdkg.query.binding import to_term
from pdkg.query.params import Param

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = str(ROOT / "tests" / "data" / "graph" / "minimal.ttl")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, ["--root", str(ROOT), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- item 5: CONSTRUCT, ASK and DESCRIBE are first-class -----------------------------------


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [(None, "turtle"), ("nt", "nt"), ("jsonld", "json-ld")]
)
def test_construct_query_prints_a_graph(fmt: str | None, rdf_format: str) -> None:
    """It used to end in `TypeError: expected a SELECT query`."""
    extra = ["--format", fmt] if fmt else []
    code, stdout, stderr = invoke("query", "construct-void", "--data", MINIMAL, *extra)
    assert code == 0, stderr
    void = Graph().parse(data=stdout, format=rdf_format)
    triples = [o for o in void.objects(None, None) if str(o).isdigit()]
    assert triples, "the VoID description counts triples"


def test_ask_query_prints_true_or_false() -> None:
    assert invoke("query", "resource-exists", "-p", "resource=test-city", "--data", MINIMAL)[
        :2
    ] == (0, "true\n")
    code, stdout, _ = invoke(
        "query",
        "resource-exists",
        "-p",
        "resource=urn:nothing",
        "--format",
        "json",
        "--data",
        MINIMAL,
    )
    assert code == 2  # an iri parameter must name a resource, even in an ASK
    code, stdout, _ = invoke(
        "query",
        "resource-exists",
        "-p",
        "resource=test-city",
        "--format",
        "json",
        "--data",
        MINIMAL,
    )
    assert (code, stdout.split()) == (0, ['{"head":', "{},", '"boolean":', "true}"])


def test_a_format_that_does_not_suit_the_form_is_a_usage_error() -> None:
    code, stdout, stderr = invoke("query", "construct-void", "--format", "csv", "--data", MINIMAL)
    assert (code, stdout) == (2, "")
    assert "'csv' is not a format for a CONSTRUCT answer" in one_line_error(stderr)


# --- item 4: the PdkgError family only, mapped to exit codes ---------------------------------


def test_unreachable_service_in_a_local_query_exits_3(unused_port: int) -> None:
    """It used to end in `OSError`/`ConnectionRefusedError`."""
    code, _, stderr = invoke(
        "query",
        "sister-cities-wikidata",
        "-p",
        f"wikidata=http://127.0.0.1:{unused_port}/sparql",
        "--data",
        MINIMAL,
    )
    assert code == 3
    assert "could not run" in one_line_error(stderr)


def test_malformed_query_file_exits_2(tmp_path: Path) -> None:
    """It used to end in pyoxigraph's `SyntaxError`."""
    bad = tmp_path / "broken.rq"
    bad.write_text("#+ summary: broken\nSELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    code, _, stderr = invoke("query", str(bad), "--data", MINIMAL)
    assert code == 2
    line = one_line_error(stderr)
    assert "broken.rq" in line
    assert "not valid SPARQL" in line


def test_export_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    """It used to end in `FileNotFoundError`."""
    out = tmp_path / "no-such-folder" / "control.graphml"
    code, _, stderr = invoke("export", "--format", "graphml", "--out", str(out), "--data", MINIMAL)
    assert code == 2
    assert "does not exist" in one_line_error(stderr)
    assert not out.parent.exists()


def test_newline_in_an_iri_parameter_exits_2() -> None:
    """`-p city=$'guangzhou\\n'` used to end in a traceback from rdflib."""
    code, _, stderr = invoke("query", "sister-cities", "-p", "city=test-city\n", "--data", MINIMAL)
    assert code == 2
    assert "parameter 'city'" in one_line_error(stderr)


# --- item 6: typos answer with an error, not an empty table ----------------------------------


def test_misspelt_slug_is_refused_with_a_suggestion() -> None:
    code, stdout, stderr = invoke(
        "query", "sister-cities", "-p", "city=test-cty", "--data", MINIMAL
    )
    assert (code, stdout) == (2, "")
    assert "did you mean 'test-city'" in one_line_error(stderr)


def test_misspelt_label_is_refused_with_a_suggestion() -> None:
    code, _, stderr = invoke("query", "sister-cities", "-p", "city=Test Cty", "--data", MINIMAL)
    assert code == 2
    assert "did you mean 'test-city'" in one_line_error(stderr)


def test_value_outside_an_enum_is_refused() -> None:
    code, _, stderr = invoke("query", "visits", "-p", "direction=inbound", "--data", MINIMAL)
    assert code == 2
    assert "must be one of outgoing, incoming" in one_line_error(stderr)
    assert "did you mean 'incoming'" in stderr


def test_a_concept_slug_names_the_vocabulary_concept() -> None:
    """`-p act=sister-city-tie` used to bind pdr:sister-city-tie, which is nothing: 0 rows."""
    by_slug = invoke(
        "query", "approval-requirements", "-p", "act=sister-city-tie", "--format", "csv"
    )
    by_iri = invoke(
        "query",
        "approval-requirements",
        "-p",
        "act=https://w3id.org/pdkg/vocab/sister-city-tie",
        "--format",
        "csv",
    )
    assert by_slug == by_iri
    assert by_slug[0] == 0
    assert len(by_slug[1].splitlines()) > 1


def test_approvals_for_a_misspelt_city_is_refused() -> None:
    code, stdout, stderr = invoke(
        "approvals", "sister-city-tie", "--city", "test-cty", "--data", MINIMAL
    )
    assert (code, stdout) == (2, "")
    assert "did you mean 'test-city'" in one_line_error(stderr)


# --- item 7: strict lexical forms --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("year", "2013\n"),
        ("year", "١٢٣٤"),
        ("year", "\uff12\uff10\uff11\uff13"),
        ("date", "2013-99-99"),
        ("date", "2013-02-30"),
        ("date", "2013-01-01\n"),
        ("integer", "12\n"),
        ("integer", "١٢"),
        ("boolean", "true\n"),
    ],
)
def test_lexical_forms_are_strict(kind: str, value: str) -> None:
    with pytest.raises(QueryParameterError):
        to_term("q", Param("v", kind, required=True), value)


@pytest.mark.parametrize(("kind", "value"), [("year", "2013"), ("date", "2016-02-29")])
def test_real_values_still_bind(kind: str, value: str) -> None:
    assert str(to_term("q", Param("v", kind, required=True), value)) == value


# --- item 10: one line for usage errors, and -v logs what query does -------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["query"],
        ["centrality", "--layer", "gossip"],
        ["query", "visits", "-p", "no-equals-sign"],
        ["no-such-command"],
    ],
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    code, stdout, stderr = invoke(*args)
    assert (code, stdout) == (2, "")
    assert "--help" in one_line_error(stderr)


def test_verbose_logs_what_query_does() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pdkg",
            "--root",
            str(ROOT),
            "-v",
            "query",
            "visits",
            "-p",
            "direction=incoming",
            "--data",
            MINIMAL,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "query visits on the local graph" in result.stderr
    assert "answered 0 rows" in result.stderr


HEAVY = ("matplotlib", "pyshacl", "igraph", "networkx", "rdflib", "pyoxigraph")


def loaded_after(code: str) -> list[str]:
    """The heavy libraries a fresh interpreter holds after running ``code``."""
    probe = f"import sys\n{code}\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.splitlines()[-1].split()[1:]


def test_the_command_line_loads_no_heavy_library_until_a_command_needs_it() -> None:
    """#12: `pdkg --help` paid for matplotlib, pySHACL and igraph (1.1 s), then for rdflib and
    networkx through the package's eager exports. It loads click and nothing of the library; a
    query loads what it needs to answer, not what draws, validates or ranks."""
    assert loaded_after("import pdkg, pdkg.cli") == []
    listing = "from pdkg.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit: pass"
    assert loaded_after(listing) == []
    query = "import pdkg.cli.query"
    assert set(loaded_after(query)) == {"rdflib", "pyoxigraph"}


def test_the_help_listing_says_what_each_command_says_of_itself(runner: CliRunner) -> None:
    """#12: `pdkg --help` lists the commands from a table, without importing them; each line
    must be the first paragraph of that command's own help, and every command must be there."""
    import importlib
    import inspect

    listed = cli.COMMANDS
    for name, (module, function, line) in listed.items():
        command = getattr(importlib.import_module(f"pdkg.cli.{module}"), function)
        assert command.name == name
        first = inspect.cleandoc(command.help).split("\n\n")[0].replace("\n", " ")
        assert first == line, name
    result = runner.invoke(cli.main, ["--help"])
    shown = [row.split()[0] for row in result.stdout.split("Commands:")[1].splitlines() if row]
    assert shown == sorted(listed)
    assert runner.invoke(cli.main, ["quer"]).exit_code == 2


def test_the_package_exports_its_functions_not_modules_of_the_same_name() -> None:
    """#12: exported lazily, ``pdkg.validate`` and ``pdkg.disagreements`` must stay the
    functions (an import of a submodule of that name would rebind the attribute)."""
    import pdkg

    for name in pdkg.__all__:
        assert getattr(pdkg, name) is not None
    assert callable(pdkg.validate)
    assert callable(pdkg.disagreements)
    assert sorted(pdkg.__all__) == sorted(["__version__", *pdkg.EXPORTS])
    with pytest.raises(AttributeError):
        _ = pdkg.no_such_name
