"""The ontology's HTML documentation: self-contained, anchored, and says what each term means."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pdkg.load import load_graph
from pdkg.release.docs import write_ontology_docs

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILES = [
    ROOT / "ontology" / "pdkg.ttl",
    *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
]
PD = Namespace("https://w3id.org/pdkg/ontology#")
PDV = Namespace("https://w3id.org/pdkg/vocab/")
EX = Namespace("https://example.org/onto#")


class _Tags(HTMLParser):
    """Collects the ids, in-page links and fetched URLs (script src, link href) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and values.get("href", "").startswith("#"):
            self.fragments.append(values["href"][1:])
        if tag in {"script", "img", "iframe"} and "src" in values:
            self.fetched.append(values["src"])
        if tag == "link" and "href" in values:
            self.fetched.append(values["href"])


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph(ONTOLOGY_FILES)


@pytest.fixture
def index(ontology: Graph, tmp_path: Path) -> Path:
    return write_ontology_docs(ontology, tmp_path / "dist" / "docs")


@pytest.fixture
def html(index: Path) -> str:
    return index.read_bytes().decode("utf-8")  # strict: fails on invalid UTF-8


def _section(html: str, anchor: str) -> str:
    """The HTML of the term section anchored at ``anchor`` (term sections do not nest)."""
    found = re.search(rf'<section class="term" id="{re.escape(anchor)}">(.*?)</section>', html)
    assert found, f"no term section #{anchor}"
    return found.group(1)


def test_index_is_written_into_a_new_folder(index: Path, tmp_path: Path) -> None:
    assert index == tmp_path / "dist" / "docs" / "index.html"
    assert index.is_file()
    assert index.stat().st_size > 50_000  # 48 classes, ~70 properties, 13 schemes
    text = index.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert text.rstrip().endswith("</html>")


def test_page_opens_with_the_ontology_metadata(html: str) -> None:
    title = "pdkg: the paradiplomacy knowledge graph ontology"
    assert f"<title>{title}</title>" in html
    assert f"<h1>{title}</h1>" in html
    metadata = html.split('<section id="section-classes">')[0]
    assert "https://w3id.org/pdkg/ontology/0.1.0" in metadata  # owl:versionIRI
    assert "https://creativecommons.org/licenses/by/4.0/" in metadata  # dcterms:license
    assert "<dt>Preferred prefix</dt><dd><span>pd</span></dd>" in metadata
    assert "paradiplomacy" in metadata  # dcterms:description


def test_class_has_its_labels_definition_and_superclasses(html: str, ontology: Graph) -> None:
    definition = ontology.value(PD.ForeignAffairsOffice, SKOS.definition)
    assert definition is not None
    section = _section(html, "ForeignAffairsOffice")
    assert "Foreign Affairs Office" in section
    assert "外事办公室" in section
    assert escape(str(definition)) in section
    assert "international cooperation (waiban)" in section
    assert '<a href="#Department"><code>pd:Department</code></a>' in section


def test_class_lists_the_properties_of_its_domain(html: str) -> None:
    # pd:supervisedBy has rdfs:domain pd:Actor
    assert '<a href="#supervisedBy">' in _section(html, "Actor")


def test_property_has_its_label_definition_domain_range_and_characteristics(html: str) -> None:
    section = _section(html, "supervisedBy")
    assert "supervised by" in section
    assert "Shortcut of a pd:Supervision node" in section
    assert '<dt>Domain</dt><dd><a href="#Actor">' in section
    assert '<dt>Range</dt><dd><a href="#Actor">' in section
    assert "object property, functional" in _section(html, "supervisor")
    assert "symmetric" in _section(html, "twinnedWith")


def test_concepts_are_listed_under_their_scheme_with_chinese_labels(html: str) -> None:
    scheme = html.split('<section class="scheme" id="designation-roles">')[1]
    section = _section(scheme, "bridgehead")
    assert '<span lang="zh">桥头堡</span>' in section
    assert '<span lang="en">bridgehead</span>' in section
    assert "<dt>Notation</dt><dd><span>bridgehead</span></dd>" in section
    assert "opens China to its neighbours" in section


def test_every_term_is_anchored_by_its_local_name(html: str, ontology: Graph) -> None:
    tags = _Tags()
    tags.feed(html)
    ids = set(tags.ids)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(str(PD)):
                assert str(term).removeprefix(str(PD)) in ids, term
    assert "bridgehead" in ids
    assert "designation-roles" in ids


def test_page_is_self_contained_and_its_links_resolve(html: str) -> None:
    tags = _Tags()
    tags.feed(html)
    assert not [url for url in tags.fetched if re.match(r"(?i)\s*(https?:)?//", url)]
    assert not re.search(r"(?i)<script[^>]*\bsrc=|<link[^>]*\bhref=[\"']?https?://", html)
    assert "@import" not in html
    assert "url(" not in html
    assert len(tags.ids) == len(set(tags.ids)), "duplicate ids"
    assert tags.fragments
    assert set(tags.fragments) <= set(tags.ids)


def test_a_concept_never_takes_the_anchor_of_an_ontology_term(tmp_path: Path) -> None:
    graph = Graph()
    graph.add((EX[""], RDF.type, OWL.Ontology))
    graph.add((EX.member, RDF.type, OWL.ObjectProperty))
    graph.add((EX.member, RDFS.label, Literal("member", lang="en")))
    graph.add((PDV.roles, RDF.type, SKOS.ConceptScheme))
    graph.add((PDV.member, SKOS.inScheme, PDV.roles))
    graph.add((PDV.member, SKOS.prefLabel, Literal("成员", lang="zh")))
    text = write_ontology_docs(graph, tmp_path).read_text(encoding="utf-8")
    assert '<span lang="en">member</span>' in _section(text, "member")
    assert '<span lang="zh">成员</span>' in _section(text, "roles-member")


def test_writing_leaves_the_graph_alone_and_is_reproducible(
    ontology: Graph, tmp_path: Path
) -> None:
    before = set(ontology)
    first = write_ontology_docs(ontology, tmp_path / "a").read_bytes()
    second = write_ontology_docs(ontology, tmp_path / "b").read_bytes()
    assert set(ontology) == before
    assert first == second


def test_a_graph_without_an_ontology_is_refused(tmp_path: Path) -> None:
    graph = Graph()
    graph.add((PDV.roles, RDF.type, SKOS.ConceptScheme))
    with pytest.raises(ValueError, match="no owl:Ontology"):
        write_ontology_docs(graph, tmp_path / "docs")
    assert not (tmp_path / "docs").exists()
