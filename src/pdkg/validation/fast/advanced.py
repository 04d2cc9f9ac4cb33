"""SHACL-AF's SPARQL targets and SPARQL-based constraints, run on Oxigraph as pySHACL runs them.

pySHACL runs a constraint's ``sh:select`` once per focus node, ``$this`` pre-bound. Here it runs
once: the focus group (``?this`` and its targets) is put first in the query's outer group, so that
every pattern and filter after it, ``FILTER NOT EXISTS`` included, sees ``$this`` bound, as it
would pre-bound. A query with a nested ``SELECT`` (where that is not the same) runs once per focus
node instead, with Oxigraph's SEP-0007 substitution. Prefixes come from ``sh:prefixes`` and
``sh:declare`` as pySHACL collects them, and reach Oxigraph as a mapping, not as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from pdkg.validation.fast.compiler import Check
from pdkg.validation.fast.exists import decorrelated
from pdkg.validation.fast.text import Unsupported, group, masked

NESTED_SELECT = re.compile(r"\{[^{}]*?\bselect\b", re.IGNORECASE)
#: what pySHACL refuses in a SPARQL constraint, and what this module cannot pre-bind
REFUSED = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\$(shapesGraph|currentShape|PATH)\b", re.I)


def prefixes(shapes: Graph, node: Node) -> dict[str, str]:
    """The prefixes of a SPARQL target or constraint, collected as pySHACL collects them.

    Raises:
        Unsupported: a declaration pySHACL would refuse.
    """
    found: dict[str, str] = {}
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    everywhere = {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for named in shapes.objects(node, SH.prefixes):
        own = set(shapes.objects(named, SH.declare))
        declares = own if own and named in ontologies else everywhere | own
        for declare in declares:
            prefix, namespace = (
                shapes.value(declare, SH.prefix),
                shapes.value(declare, SH.namespace),
            )
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal):
                raise Unsupported(f"a sh:declare without sh:prefix and sh:namespace: {declare!r}")
            found[str(prefix)] = str(namespace)
    return found


def select_text(shapes: Graph, node: Node) -> str:
    """The ``sh:select`` of a SPARQL target or constraint.

    Raises:
        Unsupported: none, an ``sh:ask``, or a form pySHACL refuses or this module cannot bind.
    """
    query = shapes.value(node, SH.select)
    if not isinstance(query, Literal) or shapes.value(node, SH.ask) is not None:
        raise Unsupported(f"a SPARQL node without one sh:select: {node!r}")
    if REFUSED.search(str(query)):
        raise Unsupported(f"a SPARQL query with MINUS, VALUES, SERVICE or $PATH: {node!r}")
    return str(query)


def target_group(shapes: Graph, target: Node) -> tuple[str, dict[str, str]]:
    """The group binding ``?this`` to the focus nodes of an ``sh:SPARQLTarget``.

    Raises:
        Unsupported: a target of another kind (a SPARQLTargetType, a JavaScript target).
    """
    kinds = set(shapes.objects(target, RDF.type))
    if kinds - {SH.SPARQLTarget} or shapes.value(target, SH.select) is None:
        raise Unsupported(f"a target that is not an sh:SPARQLTarget: {target!r}")
    declared = prefixes(shapes, target)
    return group(decorrelated(select_text(shapes, target), declared)), declared


def constraint_check(
    shapes: Graph, shape: Node, constraint: Node, focus: str, known: dict[str, str]
) -> Check:
    """The check of one ``sh:sparql`` constraint of node shape ``shape``.

    Raises:
        Unsupported: a property shape's constraint, or a query this module cannot bind.
    """
    if shapes.value(shape, SH.path) is not None:
        raise Unsupported(f"a SPARQL constraint on a property shape: {shape!r}")
    declared = {**known, **prefixes(shapes, constraint)}
    own = select_text(shapes, constraint)
    per_focus = NESTED_SELECT.search(own) is not None
    query = decorrelated(own if per_focus else inject(own, focus), declared)
    return Check(
        source=shape,
        component=SH.SPARQLConstraintComponent,
        query=query,
        prefixes=declared,
        constraint=constraint,
        focus=focus if per_focus else "",
    )


def inject(query: str, pattern: str) -> str:
    """``query`` with ``pattern`` first in its outer group (the first ``{`` outside a string or a
    comment: an IRI cannot hold one).

    >>> inject('SELECT $this WHERE { FILTER (?x = "{") }', "{ ?this a ?c }")
    'SELECT $this WHERE { { ?this a ?c } FILTER (?x = "{") }'

    Raises:
        Unsupported: the query has no group.
    """
    start = masked(query).find("{")
    if start >= 0:
        return query[: start + 1] + " " + pattern + query[start + 1 :]
    raise Unsupported("a SPARQL query without a group")


def message_text(template: str, bindings: Mapping[str, Node]) -> str:
    """An ``sh:message`` with ``{?var}``/``{$var}`` filled in, exactly as pySHACL fills it."""
    for name, value in bindings.items():
        template = re.sub(f"{{[?$]{name}}}", str(value), template)
    return template


def is_iri(node: Node) -> bool:
    return isinstance(node, URIRef)
