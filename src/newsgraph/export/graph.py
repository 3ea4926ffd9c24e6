"""The actor network as a networkx graph, written as GEXF or GraphML (Gephi, Cytoscape, yEd)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from newsgraph.query.models import Network


def to_networkx(net: Network) -> nx.DiGraph:
    graph = nx.DiGraph(count=net.count, since=net.since or "", until=net.until or "",
                       min_confidence="" if net.min_confidence is None else net.min_confidence)
    for node in net.nodes:
        attrs = {k: v for k, v in node.model_dump().items() if v is not None and k != "id"}
        attrs["label"] = node.name
        graph.add_node(node.id, **attrs)
    for edge in net.edges:
        attrs = {
            k: v for k, v in edge.model_dump().items() if v is not None and k not in ("source", "target")
        }
        attrs["weight"] = edge.total
        graph.add_edge(edge.source, edge.target, **attrs)
    return graph


def write_graph(net: Network, path: Path, fmt: str) -> None:
    graph = to_networkx(net)
    if fmt == "gexf":
        nx.write_gexf(graph, path)
    elif fmt == "graphml":
        nx.write_graphml(graph, path)
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
