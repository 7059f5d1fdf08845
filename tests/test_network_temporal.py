"""Year-over-year tie counts and the ties the tour created, by hand."""

from __future__ import annotations

import math

import networkx as nx

from partnergraph.network.temporal import (
    TourTie,
    network_summary,
    tie_changes,
    ties,
    tour_created_ties,
    tour_ties_per_node,
)


def _ties(*pairs: str) -> frozenset:
    return frozenset(tuple(sorted(p)) for p in pairs)


ALL = {2018: _ties("ab", "bc", "cd"), 2019: _ties("bc", "de"), 2020: _ties("ab", "de", "ef")}
# workshop-derived ties: cd (2018) came only from a plan that was not made at a workshop
WORKSHOP = {2018: _ties("ab", "bc"), 2019: _ties("de"), 2020: _ties("ef", "ab")}


def test_new_retained_lost_by_hand():
    ch = tie_changes(ALL)
    # 2018: first year, everything new
    assert ch[2018] == {"ties": 3, "new": 3, "retained": 0, "lost": 0, "firstSeen": 3}
    # 2019 vs 2018: new de; retained bc; lost ab, cd; first seen de
    assert ch[2019] == {"ties": 2, "new": 1, "retained": 1, "lost": 2, "firstSeen": 1}
    # 2020 vs 2019: new ab, ef; retained de; lost bc; first seen only ef (ab was there in 2018)
    assert ch[2020] == {"ties": 3, "new": 2, "retained": 1, "lost": 1, "firstSeen": 1}


def test_tour_created_ties_by_hand():
    created = tour_created_ties(ALL, WORKSHOP)
    # ab: first 2018, in a workshop; again in 2020 → persists
    # bc: first 2018, workshop; again 2019 → persists
    # cd: first 2018, only in a plan not from a workshop → not created by the tour
    # de: first 2019, workshop; again 2020 → persists
    # ef: first 2020, workshop; no later year → cannot tell (None)
    assert created == {("a", "b"): TourTie(2018, True), ("b", "c"): TourTie(2018, True),
                       ("d", "e"): TourTie(2019, True), ("e", "f"): TourTie(2020, None)}
    # ab in the 2020 workshop does not make it "created" again: its first year is 2018
    per_node = tour_ties_per_node(created)
    assert per_node["b"] == (2, 2) and per_node["e"] == (2, 1) and "c" in per_node
    assert per_node["c"] == (1, 1)


def test_ties_are_sorted_pairs():
    assert ties(nx.Graph([("z", "a")])) == _ties("az")


def test_network_summary_by_hand():
    # two triangles a-b-c and d-e-f joined by c–d, plus an isolate g; n = 7, m = 7
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")])
    G.add_node("g")
    nx.set_edge_attributes(G, 1.0, "weight")
    part = {**dict.fromkeys("abc", 1), **dict.fromkeys("def", 2), "g": 3}
    s = network_summary(G, part)
    # density = 2·7/(7·6) = 1/3; largest component 6
    # modularity: Q = Σ_c [L_c/m − (d_c/2m)²] = 2·[3/7 − (7/14)²] + [0 − 0] = 6/7 − 1/2 = 5/14
    assert s["density"] == 1 / 3 and s["largestComponent"] == 6 and s["communities"] == 3
    assert math.isclose(s["modularity"], 5 / 14)
    assert math.isnan(network_summary(nx.empty_graph(2), {0: 1, 1: 2})["modularity"])
