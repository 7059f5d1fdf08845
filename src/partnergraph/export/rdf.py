"""RDF exports of the whole graph or a selection: Turtle, JSON-LD (triples), TriG and N-Quads
(named graphs kept). Private graphs are never exported; nor is the build's system graph."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from partnergraph.export.selection import Selection, selected_entities
from partnergraph.namespaces import PREFIXES
from partnergraph.rdf.build import METRICS_GRAPH, ONTOLOGY_GRAPH, SYSTEM_GRAPH
from partnergraph.rdf.reader import GraphReader

#: format name -> (pyoxigraph format, media type, file suffix, keeps named graphs)
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, str, str, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl", False),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld", False),
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig", True),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq", True),
}


def export_graphs(reader: GraphReader) -> list[str]:
    """Graphs an export may contain: the datasets and the metrics, not ontology or system."""
    skip = {reader.graph_iri(k) for k in (ONTOLOGY_GRAPH, SYSTEM_GRAPH)}
    return [g for g in reader.public_graphs if g not in skip]


def selection_quads(reader: GraphReader, sel: Selection) -> list[ox.Quad]:
    """The quads of the selection: every triple whose subject is a selected entity (or a
    measurement of one), in the graph it is in. The whole graph when nothing is selected."""
    st = reader.store
    graphs = export_graphs(reader)
    if sel.is_everything:
        out: list[ox.Quad] = []
        for g in graphs:
            out.extend(st.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        return sorted(out, key=str)
    entities = selected_entities(reader, sel)
    metrics = reader.graph_iri(METRICS_GRAPH)
    subjects = set(entities)
    if metrics in graphs:
        for q in st.quads_for_pattern(
            None, ox.NamedNode(PREFIXES["pg"] + "measuredNode"), None, ox.NamedNode(metrics)
        ):
            if isinstance(q.object, ox.NamedNode) and q.object.value in entities:
                subjects.add(q.subject.value)
    out = []
    for g in graphs:
        gn = ox.NamedNode(g)
        for s in sorted(subjects):
            out.extend(st.quads_for_pattern(ox.NamedNode(s), None, None, gn))
    return sorted(out, key=str)


def serialize(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Bytes of ``quads`` in ``fmt`` (a key of :data:`RDF_FORMATS`)."""
    rdf_format, _, _, keeps_graphs = RDF_FORMATS[fmt]
    if keeps_graphs:
        items: list = list(quads)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    kwargs = {"prefixes": PREFIXES} if fmt in ("turtle", "trig") else {}
    return ox.serialize(items, format=rdf_format, **kwargs) or b""
