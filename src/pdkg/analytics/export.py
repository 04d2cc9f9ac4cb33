"""Network projections for other tools: GraphML and GEXF (Gephi), CSV tables (pandas, igraph)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from pdkg.errors import ChoiceError, OutputError

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
        ChoiceError: unknown format.
        OutputError: the file or directory cannot be written (e.g. its folder does not exist).
    """
    if fmt not in EXPORT_FORMATS:
        raise ChoiceError("export format", fmt, EXPORT_FORMATS)
    if not out.parent.is_dir():
        raise OutputError(out, f"the folder {out.parent} does not exist")
    try:
        return _write(graph, out, fmt)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None


def _write(graph: nx.DiGraph, out: Path, fmt: str) -> list[Path]:
    if fmt == "graphml":
        nx.write_graphml(flat(graph), out)
        return [out]
    if fmt == "gexf":
        nx.write_gexf(flat(graph), out)
        return [out]
    out.mkdir(exist_ok=True)
    node_columns = ["id", "label", "classes", "level", "qid"]
    with (out / "nodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(node_columns)
        for node, data in sorted(graph.nodes(data=True)):
            writer.writerow([node, *(data.get(c, "") for c in node_columns[1:])])
    edge_columns = ["source", "target", "kinds", "relations", "weight", "years"]
    edge_columns += ["claims", "sources", "locators"]
    with (out / "edges.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(edge_columns)
        for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
            writer.writerow([source, target, *(_scalar(data.get(c, "")) for c in edge_columns[2:])])
    return [out / "nodes.csv", out / "edges.csv"]
