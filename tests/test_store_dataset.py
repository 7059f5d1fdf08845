"""The query dataset: Oxigraph's union default graph only when it is exactly the listed graphs."""

from __future__ import annotations

import pyoxigraph as ox

from partnergraph.rdf.store import dataset

EX = "https://example.org/"
Q = "SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?s ?o"


def _store(*graphs: str) -> ox.Store:
    st = ox.Store()
    for i, g in enumerate(graphs):
        st.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(g),
                       ox.NamedNode(EX + g)))
    return st


def _rows(st: ox.Store, **kwargs) -> list[tuple[str, str]]:
    return [(r["s"].value, r["o"].value) for r in st.query(Q, **kwargs)]


def test_every_graph_of_the_store_is_the_union_default_graph_with_the_same_answers():
    st = _store("a", "b")
    graphs = [EX + "a", EX + "b"]
    kwargs = dataset(st, graphs, graphs)
    assert kwargs == {"use_default_graph_as_union": True}
    nodes = [ox.NamedNode(g) for g in graphs]
    listed = {"default_graph": nodes, "named_graphs": nodes}
    assert _rows(st, **kwargs) == _rows(st, **listed) == [(EX + "s0", "a"), (EX + "s1", "b")]


def test_a_graph_left_out_keeps_the_list_so_it_stays_out():
    st = _store("a", "b", "private-x")
    graphs = [EX + "a", EX + "b"]
    kwargs = dataset(st, graphs, graphs)
    assert "use_default_graph_as_union" not in kwargs
    assert [g.value for g in kwargs["default_graph"]] == graphs
    assert "private-x" not in {o for _, o in _rows(st, **kwargs)}


def test_triples_in_the_store_default_graph_or_different_named_graphs_keep_the_list():
    st = _store("a")
    st.add(ox.Quad(ox.NamedNode(EX + "d"), ox.NamedNode(EX + "p"), ox.Literal("default"), ox.DefaultGraph()))
    assert "use_default_graph_as_union" not in dataset(st, [EX + "a"], [EX + "a"])
    st = _store("a", "b")
    assert "use_default_graph_as_union" not in dataset(st, [EX + "a", EX + "b"], [EX + "a"])
    assert dataset(st, None, None) == {}
