"""bench/generate.py: synthetic graphs that conform to the shapes, or report exactly the
violations the generator seeded, with the domain's shape, the same for the same seed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, XSD

from pdkg.load import load_project, parse_turtle
from pdkg.paths import ProjectPaths
from pdkg.validation import ValidationReport, release_graph, validate
from pdkg.vocab import bind_prefixes

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "generate.py"
PD = Namespace("https://w3id.org/pdkg/ontology#")
PDV = Namespace("https://w3id.org/pdkg/vocab/")
GEN = "https://w3id.org/pdkg/resource/gen-"
CLAIM_CLASSES = (
    "Supervision",
    "Mirroring",
    "ApprovalRequirement",
    "SisterCityPartnership",
    "FriendlyCooperationPartnership",
    "Membership",
    "Visit",
)


def _load_generator() -> ModuleType:
    """bench/generate.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def _validate(path: Path) -> ValidationReport:
    """Validate ``path`` as the whole data graph, the way a release is validated."""
    project = load_project(ProjectPaths(ROOT), data=[path])
    release, _ = release_graph(project)
    return validate(release, project.shapes)


def _written(tmp: Path, triples: int, seed: int, share: float) -> tuple[Any, Path]:
    generated = generator.generate(triples, seed, share)
    path = tmp / f"generated-{triples}-{seed}-{share}.nt"
    generated.write(path)
    return generated, path


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    return _written(tmp_path_factory.mktemp("clean"), 2000, 11, 0.0)


def test_a_clean_graph_conforms(clean: tuple[Any, Path]) -> None:
    generated, path = clean
    assert generated.expected == []
    report = _validate(path)
    assert report.violations == ()
    assert report.conforms


@pytest.mark.parametrize(
    ("triples", "seed", "share"),
    [(2000, 12, 0.05), (1000, 1, 1.0)],  # 1.0: every claim broken at once, every kind used
    ids=["five-percent", "every-claim"],
)
def test_the_report_holds_exactly_the_seeded_violations(
    tmp_path: Path, triples: int, seed: int, share: float
) -> None:
    generated, path = _written(tmp_path, triples, seed, share)
    names = bind_prefixes(Graph()).namespace_manager

    def shown(iri: str | None) -> str | None:  # as pdkg's Violation shows a focus or a path
        return URIRef(iri).n3(names) if iri is not None else None

    expected = sorted(
        (shape, shown(focus), shown(path)) for shape, focus, path in generated.expected
    )
    assert len(expected) == round(share * generated.counts["claims"]) > 0
    if share == 1.0:
        assert set(generated.kinds) == set(generator.KINDS)
    report = _validate(path)
    assert not report.conforms
    assert sorted((v.shape, v.focus, v.path) for v in report.violations) == expected
    assert {v.severity for v in report.violations} == {"Violation"}
    assert generated.by_shape() == dict(sorted(Counter(v.shape for v in report.violations).items()))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_graph() -> None:
    first = generator.generate(5000, 3, 0.1).ntriples()
    assert generator.generate(5000, 3, 0.1).ntriples() == first
    assert generator.generate(5000, 4, 0.1).ntriples() != first
    assert generator.generate(5000, 3, 0.0).ntriples() != first


@pytest.mark.parametrize("triples", [1000, 2000, 10_000, 50_000, 150_000])
def test_the_requested_size_is_met(triples: int) -> None:
    generated = generator.generate(triples, 7, 0.0)
    assert abs(generated.triples - triples) <= 0.1 * triples
    assert generated.ntriples().count("\n") == generated.triples


def test_the_fan_out_is_the_domains() -> None:
    assert generator.fan_out(1_000_000) == (31, 10, 10)
    provinces, prefectures, counties = generator.fan_out(3000)
    assert provinces >= 1
    assert min(prefectures, counties) >= 2


@pytest.fixture(scope="module")
def domain() -> tuple[Any, Graph]:
    generated = generator.generate(20_000, 21, 0.0)
    return generated, Graph().parse(data=generated.ntriples(), format="nt")


def test_the_four_levels_are_there(domain: tuple[Any, Graph]) -> None:
    generated, graph = domain
    china = URIRef(GEN + "china")
    assert (china, RDF.type, PD.Country) in graph
    provinces = set(graph.subjects(RDF.type, PD.Province))
    prefectures = set(graph.subjects(RDF.type, PD.City)) - set(
        graph.subjects(RDF.type, PD.ForeignCity)
    )
    counties = set(graph.subjects(RDF.type, PD.District))
    counts = generated.counts
    assert (len(provinces), len(prefectures), len(counties)) == (
        counts["Province"],
        counts["Prefecture"],
        counts["County"],
    )
    assert 1 < len(provinces) <= 31 < len(prefectures) < len(counties)
    for unit, upper, level in [
        *((p, None, "provincial") for p in provinces),
        *((p, provinces, "prefectural") for p in prefectures),
        *((c, prefectures, "county") for c in counties),
    ]:
        assert graph.value(unit, PD.country) == china
        assert graph.value(unit, PD.adminLevel) == PDV[level]
        assert upper is None or graph.value(unit, PD.partOf) in upper


def test_every_local_government_has_its_fao(domain: tuple[Any, Graph]) -> None:
    generated, graph = domain
    governments = set(graph.subjects(RDF.type, PD.Government)) & set(
        graph.subjects(RDF.type, PD.LocalBody)
    )
    assert len(governments) == generated.counts["LocalGovernment"] > 0
    offices = {
        graph.value(fao, PD.parentBody) for fao in graph.subjects(RDF.type, PD.ForeignAffairsOffice)
    }
    assert offices == governments
    supervised = {
        graph.value(claim, PD.supervised) for claim in graph.subjects(RDF.type, PD.Supervision)
    }
    assert governments <= supervised


def test_claims_carry_their_time_and_provenance(domain: tuple[Any, Graph]) -> None:
    generated, graph = domain
    sources = set(graph.subjects(RDF.type, PD.Source))
    for cls in CLAIM_CLASSES:
        claims = set(graph.subjects(RDF.type, PD[cls]))
        assert len(claims) == generated.counts[cls] > 0, cls
        for claim in claims:
            assert graph.value(claim, PROV.wasDerivedFrom) in sources
            assert isinstance(graph.value(claim, PD.locator), Literal)
    for visit in graph.subjects(RDF.type, PD.Visit):
        years = list(graph.objects(visit, PD.year))
        assert len(years) == 1
        assert isinstance(years[0], Literal)
        assert years[0].datatype == XSD.gYear
        assert graph.value(visit, PD.direction) in {PDV.outgoing, PDV.incoming}
    for partnership in graph.subjects(RDF.type, PD.SisterCityPartnership):
        partners = set(graph.objects(partnership, PD.partner))
        assert len(partners) == 2
        assert any((p, RDF.type, PD.ForeignCity) in graph for p in partners)


def test_turtle_output_loads_with_pdkgs_loader(tmp_path: Path) -> None:
    generated = generator.generate(1000, 2, 0.0)
    generated.write(tmp_path / "generated.ttl")
    assert len(parse_turtle(tmp_path / "generated.ttl")) == generated.triples


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("share", [None, "0.1"])
def test_the_cli_writes_the_graph_and_prints_a_summary(tmp_path: Path, share: str | None) -> None:
    out = tmp_path / "graph.nt"
    seeded = ["--violations", share] if share else []
    done = _run("--triples", "2000", "--seed", "1", *seeded, "--out", str(out))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    expected = generator.generate(2000, 1, float(share or 0))
    assert summary == {
        "triples": expected.triples,
        "seed": 1,
        "violations": len(expected.expected),
        "by_shape": expected.by_shape(),
        "out": str(out),
    }
    assert out.read_text(encoding="utf-8") == expected.ntriples()
    assert abs(summary["triples"] - 2000) <= 200


@pytest.mark.parametrize(
    "bad",
    [["--violations", "2"], ["--violations", "many"], ["--triples", "10"], ["--triples", "x"]],
)
def test_a_bad_argument_exits_2_with_one_line(tmp_path: Path, bad: list[str]) -> None:
    args = {"--triples": "2000", "--seed": "1", "--out": str(tmp_path / "g.nt")}
    args[bad[0]] = bad[1]
    done = _run(*(item for pair in args.items() for item in pair))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "g.nt").exists()
