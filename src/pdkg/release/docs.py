"""HTML documentation of the ontology and its SKOS concept schemes, written at build time.

One self-contained page (inline CSS, no scripts, nothing fetched) tells people browsing the served
graph what each class, property and concept means. Each term is anchored by its local name
(``index.html#ForeignAffairsOffice``); a concept whose local name is taken gets
``<scheme>-<local name>`` (``index.html#membership-roles-member``).

Example (``pdkg build`` does this)::

    write_ontology_docs(project.ontology, Path("dist/docs"))  # -> Path("dist/docs/index.html")
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from html import escape
from itertools import chain, count
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN
from rdflib.term import Node

log = logging.getLogger(__name__)

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:64rem;margin:0 auto;padding:1rem 2rem;color:#222}
h2{border-bottom:2px solid #ccc;margin-top:2.5rem}h3,h4{margin:.3rem 0}a{color:#15c}dd{margin:0}
.term,.scheme{border-left:4px solid #8ab;padding:.2rem 1rem;margin:1.2rem 0}dt{font-weight:600}
dl{display:grid;grid-template-columns:10rem 1fr;gap:.2rem 1rem;margin:.4rem 0}
[lang=zh]{color:#555}code{background:#f3f3f3;padding:0 .2rem}.scheme{border-color:#b98}
"""

# fmt: off
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
#: rdf:type values of a property, with the words the page shows for them (kind, characteristics).
_PROPERTY_KINDS = {
    OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property", RDF.Property: "property",
    OWL.FunctionalProperty: "functional", OWL.InverseFunctionalProperty: "inverse functional",
    OWL.SymmetricProperty: "symmetric", OWL.AsymmetricProperty: "asymmetric",
    OWL.TransitiveProperty: "transitive", OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
#: What the page shows about the ontology itself, in order.
_METADATA = [
    ("Version IRI", OWL.versionIRI), ("Version", OWL.versionInfo), ("Licence", DCTERMS.license),
    ("Creator", DCTERMS.creator), ("Created", DCTERMS.created), ("See also", RDFS.seeAlso),
    ("Preferred prefix", VANN.preferredNamespacePrefix), ("Namespace", VANN.preferredNamespaceUri),
]
_Rows = list[tuple[str, str]]
# fmt: on


def write_ontology_docs(ontology: Graph, out_dir: Path) -> Path:
    """Write HTML documentation of the ontology into out_dir; return the index.html path.

    Args:
        ontology: The OWL ontology (one ``owl:Ontology``) with its SKOS concept schemes.
        out_dir: Folder to write ``index.html`` into; created with its parents if missing.

    Returns:
        The path of the written ``index.html`` (UTF-8).

    Raises:
        ValueError: The graph declares no ``owl:Ontology`` with an IRI.
        OSError: out_dir cannot be created or written.
    """
    page = _Page(ontology)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(page.render(), encoding="utf-8")
    log.info(
        "wrote %s: %d classes, %d properties, %d concept schemes",
        index, len(page.classes), len(page.properties), len(page.schemes),
    )  # fmt: skip
    return index


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


def _span(literal: Literal) -> str:
    lang = f' lang="{escape(literal.language)}"' if literal.language else ""
    return f"<span{lang}>{escape(str(literal))}</span>"


def _dl(rows: _Rows) -> str:
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v) + "</dl>"


class _Page:
    """One page: picks the terms to document, gives each an anchor, renders the HTML."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        ontologies = self._terms((OWL.Ontology,), "")
        if not ontologies:
            raise ValueError(
                "cannot document the ontology: the graph declares no owl:Ontology with an IRI — "
                "load ontology/pdkg.ttl with the vocabularies."
            )
        self.onto = ontologies[0]
        namespace = str(graph.value(self.onto, VANN.preferredNamespaceUri) or self.onto)
        self.classes = self._terms((OWL.Class, RDFS.Class), namespace)
        self.properties = self._terms(_PROPERTY_TYPES, namespace)
        self.schemes = self._terms((SKOS.ConceptScheme,), "")
        self.anchors: dict[URIRef, str] = {}
        for term in (*self.classes, *self.properties, *self.schemes):
            self._anchor(term, "")
        self.concepts = {scheme: self._members(scheme) for scheme in self.schemes}
        for scheme, concepts in self.concepts.items():
            for concept in concepts:
                self._anchor(concept, _local(scheme))

    def _terms(self, types: Iterable[URIRef], namespace: str) -> list[URIRef]:
        found = {
            s
            for kind in types
            for s in self.g.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(namespace)
        }
        return sorted(found, key=lambda term: (_local(term).lower(), str(term)))

    def _members(self, scheme: URIRef) -> list[URIRef]:
        found = {
            *self.g.subjects(SKOS.inScheme, scheme),
            *self.g.objects(scheme, SKOS.hasTopConcept),
        }
        return sorted((c for c in found if isinstance(c, URIRef)), key=_local)

    def _anchor(self, term: URIRef, qualifier: str) -> None:
        """Anchor term by its local name, else by ``<qualifier>-<local name>[-<n>]``."""
        taken, name = set(self.anchors.values()), _local(term) or "term"
        fallback = (f"{qualifier}-{name}" + (f"-{n}" if n > 1 else "") for n in count(1))
        self.anchors[term] = next(a for a in chain([name], fallback) if a not in taken)

    def _texts(self, subject: Node, *predicates: URIRef) -> str:
        """Every literal of the first predicate that has any, English first."""
        for predicate in predicates:
            found = [o for o in self.g.objects(subject, predicate) if isinstance(o, Literal)]
            found.sort(key=lambda o: (o.language != "en", o.language or "", str(o)))
            if found:
                return " · ".join(_span(literal) for literal in found)
        return ""

    def _ref(self, node: Node) -> str:
        if isinstance(node, URIRef):
            try:
                name = self.g.namespace_manager.curie(node, generate=False)
            except (KeyError, ValueError):
                name = str(node)
            href = f"#{self.anchors[node]}" if node in self.anchors else str(node)
            return f'<a href="{escape(href)}"><code>{escape(name)}</code></a>'
        if isinstance(node, Literal):
            return _span(node)
        for operator, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
            if (members := self.g.value(node, operator)) is not None:
                return "(" + word.join(self._ref(m) for m in self.g.items(members)) + ")"
        return "<em>an anonymous class</em>"

    def _refs(self, nodes: Iterable[Node]) -> str:
        return ", ".join(self._ref(node) for node in sorted(set(nodes), key=str))

    def _section(self, term: URIRef, level: int, rows: _Rows, inner: str = "") -> str:
        title = self._texts(term, RDFS.label, SKOS.prefLabel) or escape(_local(term))
        kind = "scheme" if inner else "term"
        iri = ("IRI", f"<code>{escape(str(term))}</code>")
        return (
            f'<section class="{kind}" id="{escape(self.anchors[term])}">'
            f"<h{level}>{title}</h{level}>{_dl([iri, *rows])}{inner}</section>"
        )

    def _class(self, c: URIRef) -> str:
        g, ours = self.g, set(self.properties)
        return self._section(c, 3, [
            ("Definition", self._texts(c, SKOS.definition, RDFS.comment)),
            ("Also called", self._texts(c, SKOS.altLabel)),
            ("Subclass of", self._refs(g.objects(c, RDFS.subClassOf))),
            ("Superclass of", self._refs(g.subjects(RDFS.subClassOf, c))),
            ("Properties", self._refs(p for p in g.subjects(RDFS.domain, c) if p in ours)),
            ("Range of", self._refs(p for p in g.subjects(RDFS.range, c) if p in ours)),
        ])  # fmt: skip

    def _property(self, p: URIRef) -> str:
        g = self.g
        kinds = ", ".join(w for t, w in _PROPERTY_KINDS.items() if (p, RDF.type, t) in g)
        inverse = [*g.objects(p, OWL.inverseOf), *g.subjects(OWL.inverseOf, p)]
        return self._section(p, 3, [
            ("Kind", kinds),
            ("Definition", self._texts(p, SKOS.definition, RDFS.comment)),
            ("Also called", self._texts(p, SKOS.altLabel)),
            ("Domain", self._refs(g.objects(p, RDFS.domain))),
            ("Range", self._refs(g.objects(p, RDFS.range))),
            ("Subproperty of", self._refs(g.objects(p, RDFS.subPropertyOf))),
            ("Inverse of", self._refs(inverse)),
        ])  # fmt: skip

    def _scheme(self, scheme: URIRef) -> str:
        g = self.g
        concepts = "".join(
            self._section(c, 4, [
                ("Notation", self._texts(c, SKOS.notation)),
                ("Definition", self._texts(c, SKOS.definition)),
                ("Also called", self._texts(c, SKOS.altLabel)),
                ("Scope note", self._texts(c, SKOS.scopeNote)),
                ("Broader", self._refs(g.objects(c, SKOS.broader))),
                ("Exact match", self._refs(g.objects(c, SKOS.exactMatch))),
            ])
            for c in self.concepts[scheme]
        )  # fmt: skip
        rows = [("Definition", self._texts(scheme, SKOS.definition))]
        return self._section(scheme, 3, rows, inner=concepts or "<p>No concepts.</p>")

    def render(self) -> str:
        """The whole page as one HTML string."""
        o, g = self.onto, self.g
        title = escape(str(g.value(o, DCTERMS.title) or g.value(o, RDFS.label) or _local(o)))
        rows = [(key, self._refs(g.objects(o, predicate))) for key, predicate in _METADATA]
        metadata = _dl([("IRI", f"<code>{escape(str(o))}</code>"), *rows])
        parts = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>",
            f'<section id="section-metadata"><p>{self._texts(o, DCTERMS.description)}</p>'
            f"{metadata}</section>",
        ]
        groups = [
            ("classes", "Classes", self.classes, self._class),
            ("properties", "Properties", self.properties, self._property),
            ("schemes", "Concept schemes", self.schemes, self._scheme),
        ]
        for key, heading, terms, render in groups:
            index = ", ".join(self._ref(term) for term in terms)
            body = "\n".join(render(term) for term in terms)
            parts.append(
                f'<section id="section-{key}"><h2>{heading}</h2><p>{index}</p>\n{body}</section>'
            )
        return "\n".join(parts) + "\n</body>\n</html>\n"
