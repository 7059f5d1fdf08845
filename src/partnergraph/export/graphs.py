"""Network exports for Gephi, Cytoscape and spreadsheets: GraphML, GEXF, node-link JSON,
Cytoscape JSON and nodes/edges CSV.

The network is the explorer's (same selection, same weights; see
:mod:`partnergraph.network.projections`), with each node's stored measures attached.
GraphML/GEXF/GML cannot hold lists or None (pitfalls §7), so attributes are flattened: lists
become ``"; "``-joined text and missing values are left out.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import networkx as nx

from partnergraph.explorer import ExplorerQuery, build_graph, select
from partnergraph.export.selection import Selection
from partnergraph.export.spreadsheet import csv_bytes
from partnergraph.namespaces import PGM, sparql_prologue
from partnergraph.network import bridge
from partnergraph.rdf.reader import GraphReader

GRAPH_FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "nodelink": ("application/json", "json"),
    "cytoscape": ("application/json", "cyjs"),
    "csv": ("application/zip", "zip"),
}
MODES = ("organisations", "two-mode", "municipalities")


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def flatten(G: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all scalars (bool, int, float, str); None left out."""
    H = nx.Graph()
    for n, a in G.nodes(data=True):
        H.add_node(n, **{k: _flat(v) for k, v in a.items() if v is not None and k != "bipartite"})
    for u, v, a in G.edges(data=True):
        H.add_edge(u, v, **{k: _flat(x) for k, x in a.items() if x is not None})
    return H


def themes_of(reader: GraphReader) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in reader.select(
        sparql_prologue() + "SELECT ?x ?t WHERE { ?x dct:subject/skos:notation ?t . "
        "{ ?x a pg:Workshop } UNION { ?x a pg:CooperationPlan } }"
    ):
        out.setdefault(row["x"], set()).add(row["t"])
    return {k: frozenset(v) for k, v in out.items()}


def selection_network(reader: GraphReader, sel: Selection, mode: str = "organisations") -> nx.Graph:
    """The selection's network with flat attributes and stored measures on the nodes."""
    data = bridge.read_network_data(reader.store, bridge.data_graphs(reader.public_graphs, reader.minter))
    q = ExplorerQuery(years=sel.years, area=sel.area, municipality=sel.municipality, mode=mode)
    G = build_graph(select(data, q, themes_of(reader)), mode)
    rows = reader.select(
        sparql_prologue() + f'SELECT ?n ?m ?v WHERE {{ ?n ?m ?v . FILTER(STRSTARTS(STR(?m), "{PGM}")) }}'
    )
    for r in rows:
        if r["n"] in G:
            G.nodes[r["n"]][r["m"][len(str(PGM)) :]] = r["v"]
    for n in G:
        G.nodes[n]["iri"] = n
    G.graph.clear()
    return flatten(G)


def graph_bytes(G: nx.Graph, fmt: str) -> bytes:
    """``G`` in one of :data:`GRAPH_FORMATS`."""
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(G, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(G, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "nodelink":
        return json.dumps(nx.node_link_data(G, edges="edges"), ensure_ascii=False, indent=1).encode()
    if fmt == "cytoscape":
        return json.dumps(nx.cytoscape_data(G), ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        return csv_zip(G)
    raise ValueError(fmt)


def node_edge_tables(G: nx.Graph) -> tuple[tuple[list[str], list[list]], tuple[list[str], list[list]]]:
    node_cols = sorted({k for _, a in G.nodes(data=True) for k in a} - {"iri", "label"})
    edge_cols = sorted({k for *_, a in G.edges(data=True) for k in a})
    nodes = (
        ["id", "label", *node_cols],
        [[n, a.get("label", ""), *[a.get(c) for c in node_cols]] for n, a in sorted(G.nodes(data=True))],
    )
    edges = (
        ["source", "target", *edge_cols],
        [[u, v, *[a.get(c) for c in edge_cols]] for u, v, a in sorted(G.edges(data=True))],
    )
    return nodes, edges


def csv_zip(G: nx.Graph) -> bytes:
    (nh, nr), (eh, er) = node_edge_tables(G)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", csv_bytes(nh, nr))
        z.writestr("edges.csv", csv_bytes(eh, er))
    return buf.getvalue()
