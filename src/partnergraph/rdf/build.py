"""The build: sources → validated records → RDF → SHACL → a new store version.

Nothing is written to the store until every row and every shape passes; the new version
then replaces the old one atomically (:mod:`partnergraph.rdf.store`).

:func:`build` (the fast path): records are written straight to an N-Quads file (the one
mapping of :mod:`partnergraph.rdf.triples`, no rdflib graph), bulk-loaded into the new
version, and checked there by the SHACL shapes compiled to SPARQL
(:mod:`partnergraph.rdf.shacl_sparql`) before the metrics are computed and the version is
published. :func:`build_graph` is the rdflib path (``validate --engine pyshacl``, tests).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from partnergraph import resources
from partnergraph.errors import ShapeViolationError
from partnergraph.ingest.datasets import DatasetInfo, discover
from partnergraph.ingest.validate import DatasetRecords, validate_datasets
from partnergraph.iri import Minter
from partnergraph.namespaces import PG, bind_prefixes
from partnergraph.rdf import shacl, shacl_sparql, store
from partnergraph.rdf.reader import PRIVATE_PREFIX
from partnergraph.rdf.sinks import NQuadsWriter
from partnergraph.rdf.triples import dataset_graphs, write_dataset
from partnergraph.settings import Config

Progress = Callable[[str], None]

#: Named graphs that are not datasets.
ONTOLOGY_GRAPH = "ontology"
SYSTEM_GRAPH = "system"
METRICS_GRAPH = "metrics"


def _quiet(_: str) -> None:
    pass


def data_version(infos: list[DatasetInfo]) -> str:
    """A hash of every source file, the ontology and the shapes: same sources, same version."""
    h = hashlib.sha256()
    files = [resources.ontology_file(), resources.shapes_file()]
    for info in infos:
        files += sorted(p for p in info.path.rglob("*") if p.is_file())
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@dataclass
class BuiltGraph:
    """Everything a build produces before it is written."""

    dataset: Dataset
    graphs: dict[str, URIRef]  # dataset id (or 'ontology', 'system') -> graph IRI
    data_version: str
    warnings: list[shacl.ShapeResult] = field(default_factory=list)
    records: list[DatasetRecords] = field(default_factory=list)

    def triple_counts(self) -> dict[str, int]:
        return {k: len(self.dataset.graph(v)) for k, v in self.graphs.items()}


def read_sources(config: Config, data_dir: Path | None = None) -> list[DatasetRecords]:
    """Discover and validate every dataset; raises SourceDataError listing all problems."""
    root = Path(data_dir or config.data_dir)
    infos = discover(root)
    return validate_datasets(infos, root=root.parent)


def build_graph(config: Config, records: list[DatasetRecords], progress: Progress = _quiet,
                validate: bool = True) -> BuiltGraph:
    """Turn validated records into named graphs and check them against the shapes."""
    minter = Minter(config.base_iri)
    ds = Dataset()
    bind_prefixes(ds)
    graphs: dict[str, URIRef] = {}
    union = Graph()
    for rec in records:
        progress(f"building graph {rec.info.id}")
        g, private = dataset_graphs(minter, rec)
        iri = minter.graph(rec.info.id)
        graphs[rec.info.id] = iri
        target = ds.graph(iri)
        for t in g:
            target.add(t)
            union.add(t)
        if len(private):
            key = f"{PRIVATE_PREFIX}-{rec.info.id}"
            graphs[key] = minter.graph(key)
            hidden = ds.graph(graphs[key])
            for t in private:
                hidden.add(t)
    warnings: list[shacl.ShapeResult] = []
    if validate:
        progress(f"validating {len(union)} triples against the SHACL shapes")
        report = shacl.validate_graph(union)
        if report.violations:
            raise ShapeViolationError(report.text(), len(report.violations))
        warnings = report.warnings
    onto_iri = minter.graph(ONTOLOGY_GRAPH)
    graphs[ONTOLOGY_GRAPH] = onto_iri
    onto = ds.graph(onto_iri)
    for t in shacl.ontology_graph():
        onto.add(t)
    version = data_version([r.info for r in records])
    return BuiltGraph(ds, graphs, version, warnings, records)


def _system_triples(minter: Minter, version: str, records: list[DatasetRecords]) -> list[tuple]:
    run = minter.mint("dataset", f"build-{version}")
    triples = [
        (run, RDF.type, PROV.Activity),
        (run, PG.dataVersion, Literal(version)),
        (run, PROV.endedAtTime,
         Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), datatype=XSD.dateTime)),
    ]
    return triples + [(run, PROV.used, minter.dataset(rec.info.id)) for rec in records]


def _system_graph(config: Config, built: BuiltGraph) -> None:
    minter = Minter(config.base_iri)
    iri = minter.graph(SYSTEM_GRAPH)
    built.graphs[SYSTEM_GRAPH] = iri
    g = built.dataset.graph(iri)
    for t in _system_triples(minter, built.data_version, built.records):
        g.add(t)


def write_store(
    config: Config,
    built: BuiltGraph,
    progress: Progress = _quiet,
    prepare: Callable[[ox.Store], None] | None = None,
) -> str:
    """Write ``built`` as a new store version and switch readers to it atomically.

    ``prepare`` runs on the new version before the switch (see :func:`store.publish`).
    """
    store_dir = config.store_dir
    with store.build_lock(store_dir):
        store.clean_stale(store_dir)
        _system_graph(config, built)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-quads-", suffix=".nq", dir=store_dir)
        os.close(fd)
        try:
            progress("writing the new store version")
            built.dataset.serialize(destination=tmp, format="nquads", encoding="utf-8")
            from partnergraph.rdf.remote import publisher  # store_backend: embedded or remote

            version = publisher(config)(store_dir, Path(tmp), keep_versions=config.keep_versions,
                                        prepare=prepare)
        finally:
            Path(tmp).unlink(missing_ok=True)
    progress(f"store version {version} is now current")
    return version


@dataclass(frozen=True)
class BuildResult:
    version: str
    data_version: str
    triple_counts: dict[str, int]
    warnings: list[shacl.ShapeResult]


def _metrics_step(config: Config, graph_iris: Iterable[str], version: str, progress: Progress,
                  counts: dict[str, int]) -> Callable[[ox.Store], None]:
    """The ``prepare`` hook that computes the network metrics on the new version before it is
    published, so a rebuild always recomputes them (``partnergraph.network.writeback``)."""
    from partnergraph.network.analysis import Parameters
    from partnergraph.network.bridge import data_graphs
    from partnergraph.network.writeback import write_metrics

    minter = Minter(config.base_iri)
    graphs = data_graphs((str(iri) for iri in graph_iris), minter)

    def prepare(st: ox.Store) -> None:
        progress("computing network metrics")
        counts[METRICS_GRAPH] = write_metrics(st, minter, Parameters.from_config(config), graphs,
                                              version, progress, config.metrics_processes)

    return prepare


def write_nquads(config: Config, records: list[DatasetRecords], version: str, path: Path) -> dict[str, str]:
    """Write every graph of a build to ``path`` as N-Quads; return graph key -> graph IRI.

    Public dataset graphs, private graphs (personal data; only when not empty), the ontology
    and the system graph, as :func:`build_graph` + :func:`write_store` would (the store keeps
    each quad once, so a triple written twice counts once, as in an rdflib graph).
    """
    minter = Minter(config.base_iri)
    graphs: dict[str, str] = {}
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        for rec in records:
            key = f"{PRIVATE_PREFIX}-{rec.info.id}"
            public = NQuadsWriter(fh, str(minter.graph(rec.info.id)))
            private = NQuadsWriter(fh, str(minter.graph(key)))
            write_dataset(minter, rec, public, private)
            graphs[rec.info.id] = str(minter.graph(rec.info.id))
            if private.count:
                graphs[key] = str(minter.graph(key))
        onto = ox.NamedNode(str(minter.graph(ONTOLOGY_GRAPH)))
        quads = (ox.Quad(t.subject, t.predicate, t.object, onto)
                 for t in ox.parse(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE))
        fh.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"))
        graphs[ONTOLOGY_GRAPH] = onto.value
        system = NQuadsWriter(fh, str(minter.graph(SYSTEM_GRAPH)))
        for t in _system_triples(minter, version, records):
            system.add(t)
        graphs[SYSTEM_GRAPH] = str(minter.graph(SYSTEM_GRAPH))
    return graphs


def _graph_counts(st: ox.Store, graphs: dict[str, str]) -> dict[str, int]:
    keys = {iri: key for key, iri in graphs.items()}
    rows = st.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    found = {keys[r["g"].value]: int(r["n"].value) for r in rows if r["g"].value in keys}
    return {key: found.get(key, 0) for key in graphs}


def _shapes_step(graphs: dict[str, str], progress: Progress, report: list[shacl.ShapeReport],
                 counts: dict[str, int]) -> Callable[[ox.Store], None]:
    """The ``prepare`` hook that checks the new version against the shapes (the public
    dataset graphs, with the ontology for RDFS) before anything else; a violation raises
    :class:`ShapeViolationError` and the version is never published."""
    checked = [iri for key, iri in graphs.items()
               if key not in (SYSTEM_GRAPH, METRICS_GRAPH) and not key.startswith(PRIVATE_PREFIX)]

    def prepare(st: ox.Store) -> None:
        counts.update(_graph_counts(st, graphs))
        data = sum(n for key, n in counts.items() if key not in (SYSTEM_GRAPH, ONTOLOGY_GRAPH)
                   and not key.startswith(PRIVATE_PREFIX))
        progress(f"validating {data} triples against the SHACL shapes")
        result = shacl_sparql.validate_store(st, checked)
        if result.violations:
            raise ShapeViolationError(result.text(), len(result.violations))
        report.append(result)

    return prepare


def check_shapes(config: Config, records: list[DatasetRecords]) -> tuple[shacl.ShapeReport, int]:
    """The build's SHACL check of ``records`` without writing a store version: the same
    N-Quads in an in-memory Oxigraph store, the same compiled shapes. Returns the report and
    the number of triples checked."""
    with tempfile.TemporaryDirectory(prefix="partnergraph-validate-") as tmp:
        path = Path(tmp) / "graphs.nq"
        graphs = write_nquads(config, records, data_version([r.info for r in records]), path)
        st = ox.Store()
        st.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    counts = _graph_counts(st, graphs)
    checked = {key: iri for key, iri in graphs.items()
               if key not in (SYSTEM_GRAPH, METRICS_GRAPH) and not key.startswith(PRIVATE_PREFIX)}
    triples = sum(n for key, n in counts.items() if key in checked and key != ONTOLOGY_GRAPH)
    return shacl_sparql.validate_store(st, checked.values()), triples


def build(config: Config, data_dir: Path | None = None, progress: Progress = _quiet, *,
          metrics: bool = True) -> BuildResult:
    """The whole import: read, validate, build, check shapes, compute metrics, write atomically.

    ``metrics=False`` leaves the metrics graph out (benchmarks time the two apart).
    """
    shacl_sparql.shipped_shapes()  # shapes this validator cannot run fail here, before any work
    progress("reading and validating source files")
    records = read_sources(config, data_dir)
    version_hash = data_version([r.info for r in records])
    store_dir = config.store_dir
    counts: dict[str, int] = {}
    metric_counts: dict[str, int] = {}
    report: list[shacl.ShapeReport] = []
    with store.build_lock(store_dir):
        store.clean_stale(store_dir)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-quads-", suffix=".nq", dir=store_dir)
        os.close(fd)
        try:
            progress("writing the graphs as N-Quads")
            graphs = write_nquads(config, records, version_hash, Path(tmp))
            shapes = _shapes_step(graphs, progress, report, counts)
            metrics_step = _metrics_step(config, graphs.values(), version_hash, progress,
                                         metric_counts)

            def prepare(st: ox.Store) -> None:
                shapes(st)
                if metrics:
                    metrics_step(st)

            progress("loading the new store version")
            from partnergraph.rdf.remote import publisher  # store_backend: embedded or remote

            version = publisher(config)(store_dir, Path(tmp), keep_versions=config.keep_versions,
                                        prepare=prepare)
        finally:
            Path(tmp).unlink(missing_ok=True)
    progress(f"store version {version} is now current")
    warnings = report[0].warnings if report else []
    return BuildResult(version, version_hash, {**counts, **metric_counts}, warnings)
