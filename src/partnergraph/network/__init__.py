"""Network analytics: collaboration networks and cross-municipal centrality.

One module, one step; data flows one way::

    store ──bridge──▶ NetworkData records ──bridge──▶ two-mode graphs
          ──projections──▶ organisation and municipality graphs
          ──measures, temporal──▶ values ──analysis──▶ Analysis ──writeback──▶ metrics graph

* :mod:`~partnergraph.network.bridge` — the only place that reads RDF into networkx.
* :mod:`~partnergraph.network.projections` — one-mode projections and their weights.
* :mod:`~partnergraph.network.measures` — measures as plain functions, graph in, dict out.
* :mod:`~partnergraph.network.temporal` — ties gained, kept and lost between years.
* :mod:`~partnergraph.network.catalogue` — every measure's name, labels and definition.
* :mod:`~partnergraph.network.analysis` — runs every measure on every graph, with the settings.
* :mod:`~partnergraph.network.writeback` — the results as RDF in the metrics named graph.

The definitions, with formulas and caveats for staff, are in ``docs/metrics.md``.
"""
