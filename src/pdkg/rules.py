"""Materialise the shortcut edges from relation nodes with the SHACL-AF rules of ontology/rules.ttl.

Each ``sh:SPARQLRule`` is run once over the whole graph with ``$this`` unbound, which yields the
same triples as a SHACL-AF engine running it per focus node, at a fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from pdkg import engine

MAX_ROUNDS = 10


@dataclass(frozen=True)
class Rule:
    """One SPARQL CONSTRUCT rule and the prefixes its ``sh:prefixes`` declare."""

    name: str
    query: str
    prefixes: dict[str, str] = field(default_factory=dict)


def load_rules(rules: Graph) -> list[Rule]:
    """Read the ``sh:SPARQLRule`` nodes of a rules graph, ordered by ``sh:order`` then name."""
    found: list[tuple[float, str, Rule]] = []
    for shape, rule in rules.subject_objects(SH.rule):
        text = rules.value(rule, SH.construct)
        if text is None:
            continue
        prefixes = {
            str(rules.value(decl, SH.prefix)): str(rules.value(decl, SH.namespace))
            for source in rules.objects(rule, SH.prefixes)
            for decl in rules.objects(source, SH.declare)
        }
        order = rules.value(rule, SH.order)
        name = shape.n3(rules.namespace_manager)
        rank = float(str(order)) if order is not None else 0.0
        found.append((rank, name, Rule(name, str(text), prefixes)))
    return [rule for _, _, rule in sorted(found, key=lambda item: (item[0], item[1]))]


def apply_rules(graph: Graph, rules: list[Rule]) -> Graph:
    """Run the rules over ``graph`` until nothing new appears; return only the new triples."""
    inferred = Graph()
    working = graph + Graph()
    for _ in range(MAX_ROUNDS):
        store = engine.to_store(working)
        new: set[tuple[Node, Node, Node]] = set()
        for rule in rules:
            new.update(
                t
                for t in engine.construct(store, rule.query, prefixes=rule.prefixes)
                if t not in working
            )
        if not new:
            break
        for triple in new:
            working.add(triple)
            inferred.add(triple)
    return inferred
