"""The command line end to end: build, validate, exit codes 0/1/2 and atomic releases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from pdkg import cli
from pdkg.release import RELEASE_FILES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "graph"
CYCLE = [str(DATA / "minimal.ttl"), str(DATA / "supervision-cycle.ttl")]


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.main, ["--root", str(ROOT), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_every_release_file(
    runner: CliRunner, tmp_path: Path, minimal_data: Path
) -> None:
    out = tmp_path / "dist"
    code, stdout, stderr = invoke(runner, "build", "--out", str(out), "--data", str(minimal_data))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(RELEASE_FILES)
    assert "conforms: yes" in stdout
    assert "supervision 2" in stdout
    release = Graph().parse(out / "pdkg.ttl")
    assert len(release) == len(Graph().parse(out / "pdkg.nt"))
    assert len(Graph().parse(out / "pdkg.jsonld", format="json-ld")) == len(release)
    assert (out / "validation.txt").read_text(encoding="utf-8").startswith("Conforms: yes")
    counts = (out / "queries" / "entity-counts.csv").read_text(encoding="utf-8").splitlines()
    assert counts[0] == "kind,class,classLabel,entities"
    assert "relation,https://w3id.org/pdkg/ontology#Supervision,supervision,2" in counts
    assert not (out / "queries" / "claims-about.csv").exists()  # needs a subject
    assert not (out / "queries" / "sister-cities-wikidata.csv").exists()  # would go online
    assert "Foreign Affairs Office" in (out / "docs" / "index.html").read_text(encoding="utf-8")
    figures = sorted(p.name for p in (out / "figures").iterdir() if not p.name.startswith("."))
    assert figures == sorted(  # no Guangzhou FAO in the test graph: no hierarchy figure
        f"{name}.{suffix}"
        for name in ("top-actors-control", "visits-by-year", "rank-intervals-control")
        for suffix in ("png", "svg")
    )


def test_build_void_counts_the_release(
    runner: CliRunner, tmp_path: Path, minimal_data: Path
) -> None:
    out = tmp_path / "dist"
    invoke(runner, "build", "--out", str(out), "--data", str(minimal_data))
    void = Graph().parse(out / "void.ttl")
    (row,) = void.query(
        """SELECT ?triples ?twinnings ?license WHERE {
            ?d a void:Dataset ; void:triples ?triples ; dcterms:license ?license ;
               void:subset ?data .
            ?data void:classPartition [
                   void:class pd:SisterCityPartnership ; void:entities ?twinnings ] .
        }""",
        initNs={
            "void": "http://rdfs.org/ns/void#",
            "dcterms": "http://purl.org/dc/terms/",
            "pd": "https://w3id.org/pdkg/ontology#",
        },
    )
    assert int(row.triples) == len(Graph().parse(out / "pdkg.nt"))
    assert int(row.twinnings) == 1
    assert str(row.license) == "https://creativecommons.org/licenses/by/4.0/"


def test_nonconforming_build_exits_1_and_keeps_previous_release(
    runner: CliRunner, tmp_path: Path, minimal_data: Path
) -> None:
    out = tmp_path / "dist"
    assert invoke(runner, "build", "--out", str(out), "--data", str(minimal_data))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, _, stderr = invoke(
        runner, "build", "--out", str(out), "--data", CYCLE[0], "--data", CYCLE[1]
    )
    assert code == 1
    assert "pdsh:SupervisionShape" in stderr
    assert "the release was not written" in stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


def test_validate_reports_by_shape_with_locator(runner: CliRunner) -> None:
    code, stdout, _ = invoke(runner, "validate", *CYCLE)
    assert code == 1
    assert "Conforms: no" in stdout
    assert "pdsh:SupervisionShape" in stdout
    assert "supervision cycle" in stdout
    assert "source:  §" in stdout


def test_validate_json_and_turtle_formats(runner: CliRunner, minimal_data: Path) -> None:
    code, stdout, _ = invoke(runner, "validate", "--format", "json", str(minimal_data))
    assert code == 0
    assert json.loads(stdout) == {"conforms": True, "violations": []}
    code, stdout, _ = invoke(runner, "validate", "--format", "turtle", str(minimal_data))
    assert code == 0
    assert "sh:conforms true" in stdout


def test_bad_turtle_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    code, stdout, stderr = invoke(runner, "validate", str(bad))
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1
    assert stderr.startswith(f"error: cannot load {bad} line 2 —")


def test_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    code, _, stderr = invoke(runner, "build", "--out", str(tmp_path / "d"), "--data", "nope.ttl")
    assert code == 2
    assert "nope.ttl — no such file" in stderr
    assert not (tmp_path / "d").exists()


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PDKG_ROOT"}
    return subprocess.run(
        [sys.executable, "-m", "pdkg", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_entry_point_exit_codes(tmp_path: Path, minimal_data: Path) -> None:
    ok = run_module("validate", str(minimal_data), cwd=ROOT)
    assert (ok.returncode, ok.stdout) == (0, "Conforms: yes (0 violations)\n")
    bad = run_module("validate", *CYCLE, cwd=ROOT)
    assert bad.returncode == 1
    usage = run_module("validate", "--format", "xml", cwd=ROOT)
    assert usage.returncode == 2
    assert "Invalid value for '--format'" in usage.stderr


def test_outside_a_project_exits_2(tmp_path: Path) -> None:
    result = run_module("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot find the pdkg project" in result.stderr
    assert "Traceback" not in result.stderr


BAD_FILES = {
    "unknown-prefix": (b"@prefix ex: <http://example.org/> .\nex:a foo:b ex:c .\n", "line 2"),
    "empty": (b"", "the file is empty"),
    "not-utf8": (b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n', "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["validate", "build"])
def test_bad_input_exits_2_naming_the_file(
    runner: CliRunner, tmp_path: Path, case: str, command: str
) -> None:
    content, detail = BAD_FILES[case]
    bad = tmp_path / f"{case}.ttl"
    bad.write_bytes(content)
    out = tmp_path / "dist"
    args = (
        ["--data", str(bad)] if command == "validate" else ["--out", str(out), "--data", str(bad)]
    )
    code, stdout, stderr = invoke(runner, command, *args)
    assert code == 2
    assert stdout == ""
    assert stderr.startswith(f"error: cannot load {bad}")
    assert detail in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()


def test_query_warns_about_undated_rows_and_empty_answers(runner: CliRunner) -> None:
    """#9: the test twinning began in 1999 and its source states no as-of date that would limit
    what it knows: it holds from 1999 on (no warning), and a date before 1999 answers nothing."""
    data = str(DATA / "minimal.ttl")
    args = ("query", "sister-cities", "-p", "city=test-city", "--data", data)
    code, stdout, stderr = invoke(runner, *args, "-p", "date=2005-01-01", "--format", "csv")
    assert code == 0
    assert stdout.splitlines()[1].endswith(",yes")
    assert stderr == ""
    code, stdout, stderr = invoke(runner, *args, "-p", "date=1998-12-31")
    assert code == 0
    assert "(0 rows)" in stdout
    assert "warning: the query answered no rows." in stderr
