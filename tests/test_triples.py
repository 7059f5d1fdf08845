"""The importer's RDF equals a hand-written expected graph, graph by graph."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from partnergraph.ingest.datasets import discover
from partnergraph.ingest.validate import validate_datasets
from partnergraph.iri import Minter
from partnergraph.rdf.triples import dataset_graph

EXPECTED = Path(__file__).parent / "data" / "tiny" / "expected.trig"
BASE = "https://example.org/id/"


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    lines = [f"- {t}" for t in sorted(only_a)][:20] + [f"+ {t}" for t in sorted(only_b)][:20]
    return "\n".join(lines)


def test_tiny_build_matches_hand_written_graph(tiny_dir):
    expected = Dataset()
    expected.parse(EXPECTED, format="trig")
    records = validate_datasets(discover(tiny_dir))
    minter = Minter(BASE)
    for rec in records:
        got = dataset_graph(minter, rec)
        want = Graph()
        for t in expected.graph(URIRef(f"{BASE}graph/{rec.info.id}")):
            want.add(t)
        assert len(want) > 10
        assert isomorphic(got, want), _diff(got, want)


def test_same_sources_give_same_triples(tiny_dir):
    minter = Minter(BASE)
    a = [dataset_graph(minter, r) for r in validate_datasets(discover(tiny_dir))]
    b = [dataset_graph(minter, r) for r in validate_datasets(discover(tiny_dir))]
    for ga, gb in zip(a, b, strict=True):
        assert set(ga) == set(gb)


def test_iris_follow_the_base(tiny_dir):
    records = validate_datasets(discover(tiny_dir))
    g = dataset_graph(Minter("https://other.example/x/"), records[0])
    subjects = {str(s) for s in g.subjects()}
    assert "https://other.example/x/place/kunta-435" in subjects
    assert not any(s.startswith(BASE) for s in subjects)
