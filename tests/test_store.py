"""The built release a reading command opens (#12): built once, rebuilt when an input changes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdkg import cli, store
from pdkg.errors import GraphLoadError, NotConformingError, ResourceNotFoundError
from pdkg.paths import ProjectPaths
from pdkg.query.table import ResultTable
from pdkg.query.target import connect

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "graph" / "minimal.ttl"
#: a triple minimal.ttl does not hold, about a resource it does not name
EXTRA = (
    "<https://w3id.org/pdkg/resource/test-extra> "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Extra"@en .\n'
)
#: a city without the country, label and source its shape requires
BROKEN = "<https://w3id.org/pdkg/resource/test-bad> a <https://w3id.org/pdkg/ontology#City> .\n"


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A project of its own: the real ontology and queries, tests/data's minimal graph."""
    for shared in ("ontology", "queries", "wikidata"):
        (tmp_path / shared).symlink_to(ROOT / shared)
    (tmp_path / "graph").mkdir()
    shutil.copy(MINIMAL, tmp_path / "graph" / "minimal.ttl")
    return ProjectPaths(tmp_path)


def mentions(paths: ProjectPaths, iri: str, **kwargs: list[Path]) -> bool:
    """Whether the release read for ``paths`` names ``iri`` (what ``iri`` parameters check)."""
    try:
        connect(paths, **kwargs).resolve(iri)
    except ResourceNotFoundError:
        return False
    return True


def manifest(paths: ProjectPaths) -> dict[str, str]:
    inputs: dict[str, str] = json.loads((paths.release_store / store.MANIFEST).read_text())[
        "inputs"
    ]
    return inputs


def test_the_first_read_builds_the_store_with_the_digest_of_every_input(
    project: ProjectPaths,
) -> None:
    assert mentions(project, "https://w3id.org/pdkg/resource/test-city")
    digests = manifest(project)
    expected = hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert digests["graph/minimal.ttl"] == expected
    assert len(digests) == len(project.release_inputs)
    # the ontology is in the release as well as the data
    assert (project.release_store / store.RELEASE).read_bytes().count(b"\n") > 1000


def test_a_current_store_is_read_without_loading_rules_or_shapes(
    project: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect(project)
    import pdkg.load
    import pdkg.validation

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the release was rebuilt although no input changed")

    monkeypatch.setattr(pdkg.load, "load_release_store", must_not_run)
    monkeypatch.setattr(pdkg.validation, "validate_store", must_not_run)
    assert mentions(project, "https://w3id.org/pdkg/resource/test-partner")


def test_a_changed_input_rebuilds_the_store_and_the_answer_follows(project: ProjectPaths) -> None:
    extra = "https://w3id.org/pdkg/resource/test-extra"
    assert not mentions(project, extra)
    with (project.root / "graph" / "minimal.ttl").open("a", encoding="utf-8") as graph:
        graph.write(EXTRA)
    assert mentions(project, extra)
    assert (
        manifest(project)["graph/minimal.ttl"]
        == hashlib.sha256((project.root / "graph" / "minimal.ttl").read_bytes()).hexdigest()
    )
    # a new file is an input too
    (project.root / "graph" / "more.ttl").write_text(EXTRA.replace("extra", "more"))
    assert mentions(project, "https://w3id.org/pdkg/resource/test-more")
    assert "graph/more.ttl" in manifest(project)


def test_a_graph_that_does_not_conform_is_not_read_and_the_old_store_stays(
    project: ProjectPaths,
) -> None:
    connect(project)
    before = (project.release_store / store.RELEASE).read_bytes()
    (project.root / "graph" / "bad.ttl").write_text(BROKEN)
    with pytest.raises(NotConformingError) as caught:
        connect(project)
    assert caught.value.exit_code == 1
    assert (project.release_store / store.RELEASE).read_bytes() == before
    # the command says so in one line, with what to do
    result = CliRunner().invoke(
        cli.main,
        ["--root", str(project.root), "query", "resource-exists", "-p", "resource=urn:x"],
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "does not conform" in result.stderr
    assert "pdkg validate" in result.stderr


def test_data_reads_files_and_folders_as_they_are(project: ProjectPaths, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(MINIMAL, folder / "a.ttl")
    (folder / "b.nt").write_text(EXTRA)
    (folder / "notes.txt").write_text("not RDF")
    extra = "https://w3id.org/pdkg/resource/test-extra"
    assert mentions(project, extra, data=[folder])
    assert not mentions(project, extra, data=[folder / "a.ttl"])
    assert not project.release_store.exists()  # --data never builds the project's store
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphLoadError, match=r"holds no \.ttl or \.nt file"):
        connect(project, data=[tmp_path / "empty"])


def test_the_build_leaves_a_current_store_that_answers_what_the_release_holds(
    project: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(cli.main, ["--root", str(project.root), "build"])
    assert result.exit_code == 0, result.output
    release_nt = (project.dist / "pdkg.nt").read_bytes()
    assert (project.release_store / store.RELEASE).read_bytes() == release_nt
    assert store.changed_inputs(project.release_store, store.project_inputs(project)) == []
    import pdkg.validation

    monkeypatch.setattr(pdkg.validation, "validate", lambda *a: 1 / 0)
    counts = connect(project).query("entity-counts")
    assert isinstance(counts, ResultTable)
    assert counts.rows


def test_an_unreadable_manifest_means_a_rebuild_not_a_crash(project: ProjectPaths) -> None:
    connect(project)
    (project.release_store / store.MANIFEST).write_text("{not json")
    assert store.changed_inputs(project.release_store, store.project_inputs(project))
    assert mentions(project, "https://w3id.org/pdkg/resource/test-city")
    assert store.changed_inputs(project.release_store, store.project_inputs(project)) == []
