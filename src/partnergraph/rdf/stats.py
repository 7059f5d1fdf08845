"""Counts per named graph and per class, for ``partnergraph stats`` and the dashboard."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from partnergraph.rdf.reader import GraphReader
from partnergraph.settings import Config
from partnergraph.sparql.results import shorten


def store_stats(config: Config, reader: GraphReader | None = None) -> dict[str, Any]:
    """``{"version", "graphs": {graph: triples}, "classes": {class: instances}}``."""
    reader = reader or GraphReader.from_config(config)
    st = reader.store
    graphs: dict[str, int] = {}
    for g in reader.public_graphs:
        res = st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                       default_graph=[ox.NamedNode(g)])
        graphs[g] = int(next(iter(res))["n"].value)
    onto = ox.NamedNode(reader.graph_iri("ontology"))  # minted by us: safe to inline
    rows = reader.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
        f"FILTER(?g != {onto}) }} GROUP BY ?c ORDER BY DESC(?n) ?c"
    )
    classes = {shorten(r["c"]): r["n"] for r in rows}
    return {"version": reader.version, "graphs": graphs, "classes": classes}
