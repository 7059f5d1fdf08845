"""The build is atomic: a failed or interrupted build leaves the previous store as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from partnergraph.errors import ShapeViolationError, SourceDataError, StoreError
from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader


def _quads(cfg) -> set[str]:
    st, _ = store.open_read_only(cfg.store_dir)
    return {str(q) for q in st.quads_for_pattern(None, None, None, None)
            if "graph/system" not in str(q.graph_name)}


def test_build_writes_named_graphs(tiny_config):
    result = build(tiny_config)
    assert store.current_version(tiny_config.store_dir) == result.version
    reader = GraphReader.from_config(tiny_config)
    graphs = set(reader.public_graphs)
    assert {"https://example.org/id/graph/ref", "https://example.org/id/graph/tour",
            "https://example.org/id/graph/ontology", "https://example.org/id/graph/system"} <= graphs
    rows = reader.select("PREFIX pg: <https://w3id.org/partnergraph/def#> "
                         "SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Participation }")
    assert rows == [{"n": 2}]


def test_rebuild_gives_same_triples(tiny_config):
    build(tiny_config)
    first = _quads(tiny_config)
    build(tiny_config)
    assert _quads(tiny_config) == first
    assert len(store.versions(tiny_config.store_dir)) == 2


def test_bad_rows_leave_store_unchanged(tiny_config, tiny_dir):
    v1 = build(tiny_config).version
    before = _quads(tiny_config)
    (tiny_dir / "tour" / "osallistumiset.csv").write_text(
        "tapahtuma,organisaatio,kunta,rooli,lukumaara,lahde,varmuus\n"
        "paja,seura,,järjestö,-3,gen,synteettinen\n", encoding="utf-8")
    with pytest.raises(SourceDataError):
        build(tiny_config)
    assert store.current_version(tiny_config.store_dir) == v1
    assert _quads(tiny_config) == before
    assert store.versions(tiny_config.store_dir) == [v1]


def test_shape_violation_leaves_store_unchanged(tiny_config, tiny_dir):
    v1 = build(tiny_config).version
    before = _quads(tiny_config)
    # valid rows, but a graph file that breaks a shape: a plan with no municipality
    (tiny_dir / "tour" / "extra.ttl").write_text(
        "@prefix pg: <https://w3id.org/partnergraph/def#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix adms: <http://www.w3.org/ns/adms#> .\n"
        "<https://example.org/id/plan/x> a pg:CooperationPlan ; skos:prefLabel \"X\"@fi ;\n"
        "  adms:status pg:statusPlanned .\n", encoding="utf-8")
    with pytest.raises(ShapeViolationError) as info:
        build(tiny_config)
    assert "plan/x" in info.value.message
    assert store.current_version(tiny_config.store_dir) == v1
    assert _quads(tiny_config) == before


def test_failure_while_writing_leaves_store_unchanged(tiny_config, monkeypatch):
    v1 = build(tiny_config).version
    before = _quads(tiny_config)

    def boom(self, *a, **k):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(ox.Store, "bulk_load", boom)
    with pytest.raises(StoreError, match="disk full"):
        build(tiny_config)
    assert store.current_version(tiny_config.store_dir) == v1
    assert _quads(tiny_config) == before
    assert not list(tiny_config.store_dir.glob(".tmp-*"))


def test_killed_build_leaves_previous_version_serving(tiny_config, tmp_path):
    """A build process killed mid-write (SIGKILL) leaves `current` intact."""
    v1 = build(tiny_config).version
    before = _quads(tiny_config)
    script = (
        "import time, pyoxigraph as ox\n"
        "from partnergraph.settings import load_config\n"
        "from partnergraph.rdf.build import build\n"
        "orig = ox.Store.bulk_load\n"
        "def slow(self, *a, **k):\n"
        "    orig(self, *a, **k); open(r'{}', 'w').close(); time.sleep(60)\n"
        "ox.Store.bulk_load = slow\n"
        "build(load_config({{'store_path': r'{}', 'data_dir': r'{}', 'base_iri': '{}'}}, environ={{}}))\n"
    ).format(tmp_path / "loaded", tiny_config.store_dir, tiny_config.data_dir, tiny_config.base_iri)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while not (tmp_path / "loaded").exists() and time.time() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "loaded").exists(), "the child build never reached the write"
    proc.kill()
    proc.wait()
    assert store.current_version(tiny_config.store_dir) == v1
    assert _quads(tiny_config) == before
    # the next build cleans the half-written version away and succeeds
    v2 = build(tiny_config).version
    assert v2 != v1
    assert not list(tiny_config.store_dir.glob(".tmp-*"))


def test_second_build_is_refused_while_one_runs(tiny_config):
    import fcntl

    tiny_config.store_dir.mkdir(parents=True)
    fd = os.open(tiny_config.store_dir / store.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(StoreError, match="Another build"):
            build(tiny_config)
    finally:
        os.close(fd)


def test_readers_switch_to_the_new_version(tiny_config, tiny_dir):
    build(tiny_config)
    reader = GraphReader.from_config(tiny_config)
    q = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?l WHERE { <https://example.org/id/org/seura> skos:prefLabel ?l }")
    assert reader.select(q) == [{"l": "Luhangan Esimerkkiseura ry"}]
    path = tiny_dir / "tour" / "organisaatiot.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Esimerkkiseura", "Uusiseura"),
                    encoding="utf-8")
    build(tiny_config)
    assert reader.select(q) == [{"l": "Luhangan Uusiseura ry"}]


def test_old_versions_are_pruned(tiny_config):
    for _ in range(5):
        build(tiny_config)
    assert len(store.versions(tiny_config.store_dir)) == tiny_config.keep_versions


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="partnergraph build"):
        store.open_read_only(Path(tmp_path / "none"))
