"""Network projections for other tools: GraphML and GEXF (Gephi), CSV tables (pandas, igraph)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

EXPORT_FORMATS = ("graphml", "gexf", "csv")


def flat(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose list-valued attributes are joined with " | " (GraphML and GEXF need scalars)."""
    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        data.update({k: _scalar(v) for k, v in data.items()})
    for _, _, data in copy.edges(data=True):
        data.update({k: _scalar(v) for k, v in data.items()})
    copy.graph = {k: _scalar(v) for k, v in graph.graph.items() if v is not None}
    return copy


def _scalar(value: object) -> object:
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return value


def write_export(graph: nx.DiGraph, out: Path, fmt: str) -> list[Path]:
    """Write ``graph`` as ``fmt``: one file for GraphML/GEXF; ``nodes.csv`` + ``edges.csv`` in
    the directory ``out`` for CSV. Returns the paths written.

    Raises:
        ValueError: unknown format.
    """
    if fmt == "graphml":
        nx.write_graphml(flat(graph), out)
        return [out]
    if fmt == "gexf":
        nx.write_gexf(flat(graph), out)
        return [out]
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    node_columns = ["id", "label", "classes", "level", "qid"]
    with (out / "nodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(node_columns)
        for node, data in sorted(graph.nodes(data=True)):
            writer.writerow([node, *(data.get(c, "") for c in node_columns[1:])])
    edge_columns = ["source", "target", "kinds", "weight", "years", "locators"]
    with (out / "edges.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(edge_columns)
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
            writer.writerow([source, target, *(_scalar(data.get(c, "")) for c in edge_columns[2:])])
    return [out / "nodes.csv", out / "edges.csv"]
