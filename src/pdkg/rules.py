"""Materialise the shortcut edges from relation nodes with the SHACL-AF rules of ontology/rules.ttl.

Each ``sh:SPARQLRule`` is run once over the whole graph with ``$this`` unbound, which yields the
same triples as a SHACL-AF engine running it per focus node, at a fraction of the cost. Rules run
in strata by ``sh:order`` (SHACL-AF's execution order): each stratum until nothing new appears,
before the next starts, so a rule that tests for the absence of a triple (``FILTER NOT EXISTS``)
sees everything a lower order derives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from pdkg.errors import QueryFormatError, RulesError
from pdkg.query import engine
from pdkg.terms import from_oxigraph

MAX_ROUNDS = 10


@dataclass(frozen=True)
class Rule:
    """One SPARQL CONSTRUCT rule and the prefixes its ``sh:prefixes`` declare."""

    name: str
    query: str
    prefixes: dict[str, str] = field(default_factory=dict)
    order: float = 0.0


def load_rules(rules: Graph) -> list[Rule]:
    """Read the ``sh:SPARQLRule`` nodes of a rules graph, ordered by ``sh:order`` then name.

    Raises:
        RulesError: a rule is not a ``sh:SPARQLRule`` with one ``sh:construct`` (pdkg runs no
            other kind, and skipping one would silently drop its edges).
    """
    found: list[tuple[float, str, Rule]] = []
    for shape, rule in rules.subject_objects(SH.rule):
        name = shape.n3(rules.namespace_manager)
        texts = list(rules.objects(rule, SH.construct))
        if (rule, RDF.type, SH.SPARQLRule) not in rules or len(texts) != 1:
            raise RulesError(name, "its sh:rule is not a sh:SPARQLRule with one sh:construct")
        text = texts[0]
        prefixes = {
            str(rules.value(decl, SH.prefix)): str(rules.value(decl, SH.namespace))
            for source in rules.objects(rule, SH.prefixes)
            for decl in rules.objects(source, SH.declare)
        }
        order = rules.value(rule, SH.order)
        rank = float(str(order)) if order is not None else 0.0
        found.append((rank, name, Rule(name, str(text), prefixes, rank)))
    return [rule for _, _, rule in sorted(found, key=lambda item: (item[0], item[1]))]


def apply_rules(graph: Graph, rules: list[Rule], *, max_rounds: int = MAX_ROUNDS) -> Graph:
    """Run the rules over ``graph`` until nothing new appears; return only the new triples.

    The graph is indexed in Oxigraph once; each derived triple is added to that store as it is
    found, so a round costs the rules' queries, not a copy of the graph.

    Raises:
        RulesError: a rule does not parse, or the rules still derive new triples after
            ``max_rounds`` rounds (they do not converge: a rule mints new terms each round).
    """
    inferred = Graph()
    for triple in derive(engine.to_store(graph), rules, max_rounds=max_rounds):
        inferred.add(_rdflib(triple))
    return inferred


def derive(store: ox.Store, rules: list[Rule], *, max_rounds: int = MAX_ROUNDS) -> list[ox.Triple]:
    """Run the rules over ``store`` until nothing new appears, adding what they derive to it;
    return the new triples.

    Raises:
        RulesError: as :func:`apply_rules`.
    """
    found: list[ox.Triple] = []
    for order in sorted({rule.order for rule in rules}):
        stratum = [rule for rule in rules if rule.order == order]
        found += _fixpoint(store, stratum, max_rounds)
    return found


def _fixpoint(store: ox.Store, rules: list[Rule], max_rounds: int) -> list[ox.Triple]:
    """Run one stratum of rules over ``store`` until nothing new appears; return the new triples
    (``store`` holds them too)."""
    found: list[ox.Triple] = []
    for _ in range(max_rounds):
        new: dict[ox.Triple, None] = {}
        for rule in rules:
            try:
                for triple in engine.construct_triples(store, rule.query, prefixes=rule.prefixes):
                    if _quad(triple) not in store:
                        new[triple] = None
            except QueryFormatError as exc:
                raise RulesError(rule.name, exc.reason) from None
        if not new:
            return found
        store.extend(_quad(triple) for triple in new)
        found.extend(new)
    raise RulesError(
        ", ".join(rule.name for rule in rules),
        f"they still derive new triples after {max_rounds} rounds, so they do not converge",
    )


def _quad(triple: ox.Triple) -> ox.Quad:
    return ox.Quad(*triple)  # in the default graph; twice as fast as naming each term


def _rdflib(triple: ox.Triple) -> tuple[Node, Node, Node]:
    return (
        from_oxigraph(triple.subject),
        from_oxigraph(triple.predicate),
        from_oxigraph(triple.object),
    )
