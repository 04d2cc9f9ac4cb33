"""A real OWL 2 DL reasoner for the tests: HermiT (the jar owlready2 ships), run on a graph.

`consistency(graph, directory)` writes the graph as N-Triples, loads it into a fresh owlready2
world and runs HermiT on it (a Java 17 subprocess); it answers "consistent", "inconsistent", or
HermiT's own complaint (e.g. an unsupported datatype) — never a guess.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from loopback import require_binary


def consistency(graph: Graph, directory: Path) -> str:
    """What HermiT says of ``graph``: ``"consistent"``, ``"inconsistent"`` or its error text."""
    require_binary(shutil.which("java"), "HermiT needs Java (apt-get install default-jre-headless)")
    import owlready2  # imported here: it sets up a quadstore and Java paths on import

    path = directory / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return "inconsistent"
    except owlready2.OwlReadyJavaError as error:
        return str(error)
    finally:
        world.close()
    return "consistent"
