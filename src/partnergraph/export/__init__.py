"""Exports: RDF, network formats for Gephi/Cytoscape/spreadsheets, and the Innokylä bundle.

:func:`export_file` is the one entry point the CLI and the web downloads share.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnergraph.errors import InvalidInput
from partnergraph.export.selection import Selection
from partnergraph.rdf.reader import GraphReader

RDF = ("turtle", "jsonld", "trig", "nquads")
NETWORK = ("graphml", "gexf", "nodelink", "cytoscape", "csv")
FORMATS = (*RDF, *NETWORK, "innokyla")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    media_type: str
    data: bytes


def export_file(
    reader: GraphReader,
    fmt: str,
    sel: Selection,
    *,
    mode: str = "organisations",
    name: str | None = None,
    author: str | None = None,
    live_url: str | None = None,
) -> ExportFile:
    """One export of ``sel`` in ``fmt`` (see :data:`FORMATS`)."""
    if fmt in RDF:
        from partnergraph.export import rdf

        _, media, suffix, _ = rdf.RDF_FORMATS[fmt]
        return ExportFile(
            f"partnergraph_{sel.slug}.{suffix}", media, rdf.serialize(rdf.selection_quads(reader, sel), fmt)
        )
    if fmt in NETWORK:
        from partnergraph.export import graphs

        if mode not in graphs.MODES:
            raise InvalidInput(f"mode {mode!r} is not one of {', '.join(graphs.MODES)}.")
        media, suffix = graphs.GRAPH_FORMATS[fmt]
        G = graphs.selection_network(reader, sel, mode)
        return ExportFile(f"partnergraph_{mode}_{sel.slug}.{suffix}", media, graphs.graph_bytes(G, fmt))
    if fmt == "innokyla":
        from partnergraph.export.innokyla import build_bundle

        filename, data = build_bundle(reader, sel, name=name, author=author, live_url=live_url)
        return ExportFile(filename, "application/zip", data)
    raise InvalidInput(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
