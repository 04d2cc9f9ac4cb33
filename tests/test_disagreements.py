"""`pdkg disagreements`: each kind on a small fixture (tests/data/disagreements/kinds.ttl, whose
comments say which pairs disagree and which only look alike), the command, and the real report
against its reviewed snapshot (tests/golden/disagreements.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pdkg import cli, disagreements
from pdkg.cli.render import render_table
from pdkg.errors import ResourceNotFoundError
from pdkg.paths import ProjectPaths
from pdkg.query.disagreements import COLUMNS, count_by_kind, find_disagreements
from pdkg.query.saved import load_queries
from pdkg.query.table import ResultTable
from pdkg.query.target import connect

HERE = Path(__file__).parent
KINDS = HERE / "data" / "disagreements" / "kinds.ttl"
GOLDEN = HERE / "golden" / "disagreements.csv"
EX = "http://example.org/"


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli.main, ["--root", str(HERE.parent), *map(str, args)], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def fixture_report(project_paths: ProjectPaths) -> ResultTable:
    target = connect(project_paths, None, data=[KINDS])
    return find_disagreements(target.query, list(load_queries(project_paths.queries)))


def _rows(table: ResultTable, kind: str) -> list[dict[str, Any]]:
    return [r for r in table.to_dicts() if r["kind"] == kind]


def test_a_date_disagrees_only_where_the_precisions_cannot_agree(
    fixture_report: ResultTable,
) -> None:
    rows = _rows(fixture_report, "date")
    # 1999 against 1990-05-01 and against 1990; 1990 and 1990-05-01 agree at the year
    assert sorted(tuple(sorted((r["valueA"], r["valueB"]))) for r in rows) == [
        ("1990", "1999"),
        ("1990-05-01", "1999"),
    ]
    assert {r["subject"] for r in rows} == {f"{EX}a"}
    assert all(r["explanation"].endswith(".") and "dates" in r["explanation"] for r in rows)


def test_a_tie_missing_from_a_complete_list_of_its_time_is_disputed(
    fixture_report: ResultTable,
) -> None:
    rows = _rows(fixture_report, "complete list")
    assert [r["subject"] for r in rows] == [f"{EX}c"]  # not Epsilon: it ended before the list
    (row,) = rows
    assert row["valueB"] == "not on the complete list of 2020-01-01"
    assert row["sourceB"] == f"{EX}list"
    assert row["locatorA"] == "paragraph 2"
    assert "as of 2015" in row["explanation"]
    assert "may have ended by then" in row["explanation"]


def test_overlapping_tiers_disagree_and_an_upgrade_does_not(fixture_report: ResultTable) -> None:
    rows = _rows(fixture_report, "kind")
    assert [r["subject"] for r in rows] == [f"{EX}b"]  # not Delta, upgraded on the day
    assert rows[0]["valueA"] == "sister city from 2010-01-01"
    assert rows[0]["valueB"] == "friendly cooperation from 2009"


def test_counts_disagree_only_where_the_numbers_exclude_each_other(
    fixture_report: ResultTable,
) -> None:
    rows = _rows(fixture_report, "count")
    pairs = sorted(tuple(sorted((r["valueA"], r["valueB"]))) for r in rows)
    assert pairs == [("40", "55"), ("40", "more than 50")]  # 55 is more than 50; 66 is 2019
    assert all("the same source" in r["explanation"] for r in rows)


def test_two_sources_naming_different_single_partners_disagree(
    fixture_report: ResultTable,
) -> None:
    rows = [r for r in _rows(fixture_report, "value") if r["aspect"] == "sister-city partner"]
    assert [r["subject"] for r in rows] == [f"{EX}other-home"]
    assert sorted((rows[0]["valueA"], rows[0]["valueB"])) == ["Alpha (1980)", "Beta (1980-06)"]


def test_a_second_value_of_a_functional_property_disagrees_unless_it_agrees_at_its_precision(
    fixture_report: ResultTable,
) -> None:
    rows = [r for r in _rows(fixture_report, "value") if r["aspect"] == "founding date"]
    assert [(r["subject"], r["valueA"], r["valueB"]) for r in rows] == [
        (f"{EX}office", "1950", "1951-02-03")  # not 1950-06, which agrees with 1950
    ]
    assert rows[0]["locatorA"] == "page 6"
    assert rows[0]["locatorB"] == "paragraph 8"


def test_every_row_has_both_sides_and_the_shared_columns(fixture_report: ResultTable) -> None:
    assert fixture_report.columns == COLUMNS
    assert count_by_kind(fixture_report) == {
        "complete list": 1,
        "count": 2,
        "date": 2,
        "kind": 1,
        "value": 2,
    }
    for row in fixture_report.to_dicts():
        assert all(row[c] for c in COLUMNS), row


def test_the_command_filters_by_subject_and_refuses_an_unknown_one() -> None:
    code, out, err = invoke(
        "disagreements", "--subject", f"{EX}b", "--format", "csv", "--data", KINDS
    )
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(COLUMNS)
    assert len(out.splitlines()) == 2
    assert f"{EX}b" in out
    code, out, err = invoke("disagreements", "--subject", "Zeta", "--data", KINDS)
    assert code == 2
    assert "Zeta" in err
    assert "Traceback" not in err
    code, out, err = invoke("disagreements", "--subject", f"{EX}e", "--data", KINDS)
    assert code == 0
    assert "warning: no disagreement" in err


def test_the_real_report_is_its_reviewed_snapshot(project_paths: ProjectPaths) -> None:
    """A change in the report is a reviewed change: regenerate the snapshot with
    `pdkg disagreements --format csv > tests/golden/disagreements.csv` and read the diff."""
    target = connect(project_paths, None, data=project_paths.graph)
    report = find_disagreements(target.query, list(load_queries(project_paths.queries)))
    assert render_table(report, "csv") == GOLDEN.read_text(encoding="utf-8")


def test_the_library_call_is_the_command(project_paths: ProjectPaths) -> None:
    """`pdkg.disagreements` (for notebooks) answers what the command does, a label for a subject."""
    table = disagreements(paths=project_paths, data=[KINDS], subject="Gamma")
    assert [r["kind"] for r in table.to_dicts()] == ["complete list"]
    with pytest.raises(ResourceNotFoundError):
        disagreements(paths=project_paths, data=[KINDS], subject="Zeta")
