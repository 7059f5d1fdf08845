"""Projection weights on hand-drawn two-mode graphs, computed by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from partnergraph.network.bridge import TwoMode
from partnergraph.network.projections import collaboration_projection, municipality_projection


def _two_mode(memberships: dict[str, list[str]], kinds: dict[str, str]) -> TwoMode:
    B = nx.Graph()
    tops = sorted({o for members in memberships.values() for o in members} | {"idle"})
    B.add_nodes_from(tops, kind="organisation")
    for c, members in memberships.items():
        B.add_node(c, kind=kinds[c])
        B.add_edges_from((o, c) for o in members)
    return TwoMode(B, tuple(tops), tuple(sorted(memberships)))


# workshop W with a, b, c, d (d = 4: 1/3 per pair); plan P1 with a, b (1); plan P2 with b, c, e (1/2);
# plan P3 with a alone (no pair); "idle" is an organisation with no collaboration.
B = _two_mode({"W": ["a", "b", "c", "d"], "P1": ["a", "b"], "P2": ["b", "c", "e"], "P3": ["a"]},
              {"W": "event", "P1": "plan", "P2": "plan", "P3": "plan"})


def test_newman_weights_by_hand():
    G = collaboration_projection(B)
    # ab = 1/3 (W) + 1 (P1) = 4/3;  bc = 1/3 (W) + 1/2 (P2) = 5/6;  be = ce = 1/2 (P2)
    # ac = ad = bd = cd = 1/3 (W only)
    expected = {("a", "b"): 4 / 3, ("b", "c"): 5 / 6, ("b", "e"): 0.5, ("c", "e"): 0.5,
                ("a", "c"): 1 / 3, ("a", "d"): 1 / 3, ("b", "d"): 1 / 3, ("c", "d"): 1 / 3}
    assert {tuple(sorted(e)): d["weight"] for *e, d in G.edges(data=True)} == pytest.approx(expected)
    assert G["a"]["b"]["distance"] == pytest.approx(3 / 4)
    assert (G["a"]["b"]["events"], G["a"]["b"]["plans"]) == (1, 1)
    assert (G["b"]["c"]["events"], G["b"]["c"]["plans"]) == (1, 1)
    # strength = number of collaborations with at least two organisations:
    # b is in W, P1, P2 → 4/3 + 5/6 + 1/2 + 1/3 = 3; a is in W, P1 (P3 alone) → 4/3 + 1/3 + 1/3 = 2
    assert G.degree("b", weight="weight") == pytest.approx(3.0)
    assert G.degree("a", weight="weight") == pytest.approx(2.0)
    assert "idle" in G and G.degree("idle") == 0
    assert list(G) == sorted(G)


def test_newman_weights_equal_networkx():
    ours = collaboration_projection(B)
    theirs = nx.bipartite.collaboration_weighted_projected_graph(B.graph, B.top)
    assert set(ours.nodes) == set(theirs.nodes)
    assert {frozenset(e) for e in ours.edges} == {frozenset(e) for e in theirs.edges}
    for u, v, d in theirs.edges(data=True):
        assert ours[u][v]["weight"] == pytest.approx(d["weight"])


def test_municipality_weights_by_hand():
    # organisations: o1 worked in M and N; o2 in M, N and K; o3 in K only
    om_g = nx.Graph([("o1", "M"), ("o1", "N"), ("o2", "M"), ("o2", "N"), ("o2", "K"), ("o3", "K")])
    om = TwoMode(om_g, ("o1", "o2", "o3"), ("K", "M", "N"))
    # collaborations: plan p involves M and N; workshop e involves M, N and K; plan q only K
    mc_g = nx.Graph([("M", "p"), ("N", "p"), ("M", "e"), ("N", "e"), ("K", "e"), ("K", "q")])
    mc_g.add_node("L")  # a municipality with nothing shared
    nx.set_node_attributes(mc_g, {"p": "plan", "q": "plan", "e": "event"}, "kind")
    mc = TwoMode(mc_g, ("K", "L", "M", "N"), ("e", "p", "q"))
    G = municipality_projection(om, mc)
    # MN: organisations o1, o2 (2) + plans p (1) + events e (1) = 4
    # KM and KN: organisations o2 (1) + events e (1) = 2
    assert dict(G["M"]["N"]) == {"weight": 4, "distance": 0.25, "organisations": 2, "plans": 1, "events": 1}
    assert G["K"]["M"]["weight"] == G["K"]["N"]["weight"] == 2
    assert (G["K"]["M"]["organisations"], G["K"]["M"]["plans"], G["K"]["M"]["events"]) == (1, 0, 1)
    assert G.degree("L") == 0 and G.number_of_edges() == 3
