"""The release as Linked Data (#14 item 4): its parts as files and as named graphs, a JSON-LD
context, a VoID description whose counts come from the files, all served by ``pdkg serve``."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Dataset, Graph, Literal, Namespace, URIRef

from loopback import serving
from parity import canonical
from pdkg.paths import ProjectPaths
from pdkg.release import build_release
from pdkg.release.parts import PARTS

ROOT = Path(__file__).resolve().parents[1]
VOID = Namespace("http://rdfs.org/ns/void#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PD = "https://w3id.org/pdkg/ontology#"
DATASET = "https://w3id.org/pdkg/resource/dataset"
DATA = ("asserted", "national", "wikipedia", "derived")  # the parts of the data subset
EPOCH = 1_700_000_000  # SOURCE_DATE_EPOCH for the build


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory, sample_project: ProjectPaths) -> Path:
    """The real release of the project with its national sample (conftest), built once for the
    module, dated by SOURCE_DATE_EPOCH."""
    out = tmp_path_factory.mktemp("linked") / "dist"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        assert build_release(sample_project, out=out).conforms
    return out


def parsed(*files: Path) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path)
    return graph


def test_each_part_is_the_files_it_comes_from(dist: Path) -> None:
    paths = ProjectPaths(ROOT)
    assert canonical(parsed(dist / "ontology.ttl")) == canonical(parsed(paths.ontology))
    assert canonical(parsed(dist / "vocabularies.ttl")) == canonical(parsed(*paths.vocab))
    assert canonical(parsed(dist / "asserted.ttl")) == canonical(parsed(*paths.graph))
    merged, derived = parsed(dist / "pdkg.nt"), parsed(dist / "derived.ttl")
    built = parsed(*(dist / f"{part}.ttl" for part in ("asserted", "national", "wikipedia")))
    assert len(derived) > 0
    assert all(triple in merged and triple not in built for triple in derived)


def test_the_national_parts_keep_their_sources_apart(dist: Path) -> None:
    """#15: the GB/T 2260 divisions and the CC BY-SA Wikipedia rows are parts of their own."""
    national, wikipedia = parsed(dist / "national.ttl"), parsed(dist / "wikipedia.ttl")
    listing, twinning = URIRef(PD + "DivisionListing"), URIRef(PD + "SisterCityPartnership")
    assert set(national.subjects(RDF.type, listing))
    assert not set(wikipedia.subjects(RDF.type, listing))
    assert set(wikipedia.subjects(RDF.type, twinning))
    assert not set(national.subjects(RDF.type, twinning))


def test_the_trig_holds_the_parts_as_named_graphs(dist: Path) -> None:
    dataset = Dataset()
    dataset.parse(dist / "pdkg.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {f"https://w3id.org/pdkg/graph/{part}" for part in PARTS}
    union = Graph()
    for part in PARTS:
        graph = dataset.graph(URIRef(f"https://w3id.org/pdkg/graph/{part}"))
        assert canonical(graph) == canonical(parsed(dist / f"{part}.ttl"))
        for triple in graph:
            union.add(triple)
    assert len(union) == len(parsed(dist / "pdkg.nt"))


def test_the_jsonld_is_compacted_with_the_context_of_the_vocabulary(dist: Path) -> None:
    document = json.loads((dist / "pdkg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    terms = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ontology = parsed(ROOT / "ontology" / "pdkg.ttl")

    def named(kind: URIRef) -> set[str]:
        return {
            str(t)[len(PD) :] for t in ontology.subjects(RDF.type, kind) if str(t).startswith(PD)
        }

    for name in named(OWL.ObjectProperty):
        assert terms[name] == {"@id": f"pd:{name}", "@type": "@id"}
    for name in named(OWL.Class) | named(OWL.DatatypeProperty):
        assert terms[name] == f"pd:{name}"
    assert terms["pd"] == PD
    office = next(
        n for n in document["@graph"] if n["@id"] == "pdr:guangzhou-foreign-affairs-office"
    )
    assert "pdr:guangzhou-peoples-government" in office["supervisedBy"]
    # read back by a JSON-LD processor that fetches the context next to the file
    back = Graph().parse(dist / "pdkg.jsonld", format="json-ld")
    assert canonical(back) == canonical(parsed(dist / "pdkg.nt"))


@pytest.fixture(scope="module")
def void(dist: Path) -> Graph:
    return parsed(dist / "void.ttl")


def count(void: Graph, subject: str, predicate: URIRef) -> int:
    (value,) = list(void.objects(URIRef(subject), predicate))
    return int(value)


def test_void_counts_the_files(void: Graph, dist: Path) -> None:
    assert count(void, DATASET, VOID.triples) == len(parsed(dist / "pdkg.nt"))
    for part in PARTS:
        assert count(void, f"{DATASET}/{part}", VOID.triples) == len(parsed(dist / f"{part}.ttl"))
        dumps = set(void.objects(URIRef(f"{DATASET}/{part}"), VOID.dataDump))
        assert dumps == {URIRef(f"https://w3id.org/pdkg/dist/{part}.ttl")}
    data = parsed(*(dist / f"{part}.ttl" for part in DATA))
    assert count(void, f"{DATASET}/data", VOID.triples) == len(data)
    entities = {s for s in data.subjects() if str(s).startswith("https://w3id.org/pdkg/resource/")}
    assert count(void, f"{DATASET}/data", VOID.entities) == len(entities)


def test_void_data_counts_leave_the_ontology_terms_out(void: Graph, dist: Path) -> None:
    data = parsed(*(dist / f"{part}.ttl" for part in DATA))
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(URIRef(f"{DATASET}/data"), VOID.classPartition)
    }
    twinnings = set(data.subjects(RDF.type, URIRef(PD + "SisterCityPartnership")))
    assert partitions[URIRef(PD + "SisterCityPartnership")] == len(twinnings) > 0
    assert OWL.Class not in partitions  # the ontology declares its classes; the data does not
    assert OWL.ObjectProperty not in partitions
    assert not list(void.objects(URIRef(DATASET), VOID.classPartition))


def test_void_names_the_endpoint_the_dumps_the_linkset_and_who_publishes(
    void: Graph, dist: Path
) -> None:
    dataset = URIRef(DATASET)
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("https://w3id.org/pdkg/query")
    assert void.value(dataset, VOID.uriSpace) == Literal("https://w3id.org/pdkg/resource/")
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == {"pdkg.nt", "pdkg.trig"}
    assert all((dist / name).is_file() for name in dumps)
    day = datetime.datetime.fromtimestamp(EPOCH, datetime.UTC).date()
    assert void.value(dataset, DCTERMS.modified).toPython() == day
    publisher = void.value(dataset, DCTERMS.publisher)
    assert publisher == void.value(dataset, DCTERMS.creator)
    ontology = parsed(ROOT / "ontology" / "pdkg.ttl")
    assert ontology.value(publisher, FOAF.name) == Literal("pdkg contributors")
    links = URIRef(f"{DATASET}/wikidata-links")
    assert void.value(links, RDF.type) == VOID.Linkset
    assert void.value(links, VOID.linkPredicate) == SKOS.exactMatch
    merged = parsed(dist / "pdkg.nt")
    wikidata = [o for o in merged.objects(None, SKOS.exactMatch) if "wikidata.org/entity/" in o]
    assert count(void, str(links), VOID.triples) == len(wikidata) > 0


@pytest.fixture(scope="module")
def served(dist: Path) -> Iterator[str]:
    from pdkg.serve import Site

    with serving(Site(dist / "pdkg.nt", None, workers=1)) as url:
        yield url


@pytest.mark.parametrize(
    ("name", "kind"),
    [("pdkg.trig", "application/trig"), ("asserted.ttl", "text/turtle; charset=utf-8")],
)
def test_serve_answers_the_dumps(served: str, dist: Path, name: str, kind: str) -> None:
    with urllib.request.urlopen(f"{served}/dist/{name}", timeout=30) as response:
        assert response.headers["Content-Type"] == kind
        assert response.read() == (dist / name).read_bytes()


@pytest.mark.parametrize("name", ["nope.ttl", "..%2Fpdkg.nt", "store/pdkg.nt", "validation.txt"])
def test_serve_answers_no_other_file(served: str, name: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{served}/dist/{name}", timeout=30)
    assert caught.value.code == 404


def test_served_jsonld_reads_its_context_over_http(served: str, dist: Path) -> None:
    back = Graph().parse(f"{served}/dist/pdkg.jsonld", format="json-ld")
    assert canonical(back) == canonical(parsed(dist / "pdkg.nt"))
