"""The build: sources → validated records → RDF → SHACL → a new store version.

Nothing is written to the store until every row and every shape passes; the new version
then replaces the old one atomically (:mod:`partnergraph.rdf.store`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
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
from partnergraph.rdf import shacl, store
from partnergraph.rdf.reader import PRIVATE_PREFIX
from partnergraph.rdf.triples import dataset_graphs
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


def _system_graph(config: Config, built: BuiltGraph) -> None:
    minter = Minter(config.base_iri)
    iri = minter.graph(SYSTEM_GRAPH)
    built.graphs[SYSTEM_GRAPH] = iri
    g = built.dataset.graph(iri)
    run = minter.mint("dataset", f"build-{built.data_version}")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, PG.dataVersion, Literal(built.data_version)))
    g.add((run, PROV.endedAtTime,
           Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), datatype=XSD.dateTime)))
    for rec in built.records:
        g.add((run, PROV.used, minter.dataset(rec.info.id)))


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


def _metrics_step(config: Config, built: BuiltGraph, progress: Progress,
                  counts: dict[str, int]) -> Callable[[ox.Store], None]:
    """The ``prepare`` hook that computes the network metrics on the new version before it is
    published, so a rebuild always recomputes them (``partnergraph.network.writeback``)."""
    from partnergraph.network.analysis import Parameters
    from partnergraph.network.bridge import data_graphs
    from partnergraph.network.writeback import write_metrics

    minter = Minter(config.base_iri)
    graphs = data_graphs((str(iri) for iri in built.graphs.values()), minter)

    def prepare(st: ox.Store) -> None:
        progress("computing network metrics")
        counts[METRICS_GRAPH] = write_metrics(st, minter, Parameters.from_config(config), graphs,
                                              built.data_version, progress)

    return prepare


def build(config: Config, data_dir: Path | None = None, progress: Progress = _quiet) -> BuildResult:
    """The whole import: read, validate, build, check shapes, compute metrics, write atomically."""
    progress("reading and validating source files")
    records = read_sources(config, data_dir)
    built = build_graph(config, records, progress)
    metrics: dict[str, int] = {}
    version = write_store(config, built, progress, prepare=_metrics_step(config, built, progress, metrics))
    return BuildResult(version, built.data_version, {**built.triple_counts(), **metrics}, built.warnings)
