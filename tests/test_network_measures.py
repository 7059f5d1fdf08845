"""Measures on small hand-drawn graphs, against values computed by hand (and networkx)."""

from __future__ import annotations

import doctest
import math
import random

import networkx as nx
import pytest

from partnergraph.network import analysis, bridge, catalogue, measures, projections, temporal


@pytest.mark.parametrize("module", [measures, projections, temporal, catalogue, bridge, analysis])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.failed == 0


def _weighted(edges: list[tuple[str, str, float]]) -> nx.Graph:
    G = nx.Graph()
    for u, v, w in edges:
        G.add_edge(u, v, weight=w, distance=1 / w)
    return G


# -- participation coefficient and roles ----------------------------------------------------

def test_participation_coefficient_by_hand():
    #   b(X) ─2─ a ─1─ c(X)      a's ties: X weight 2 + 1 = 3, Y weight 1; strength 4
    #            └─1─ d(Y)
    # weighted:   P_a = 1 − ((3/4)² + (1/4)²) = 1 − 10/16 = 0.375
    # unweighted: P_a = 1 − ((2/3)² + (1/3)²) = 1 − 5/9 = 4/9
    # b, c, d each have one tie, to a (module X): P = 1 − 1² = 0
    G = _weighted([("a", "b", 2), ("a", "c", 1), ("a", "d", 1)])
    module = {"a": "X", "b": "X", "c": "X", "d": "Y"}
    weighted = measures.participation_coefficient(G, module, weight="weight")
    assert weighted["a"] == pytest.approx(0.375)
    assert measures.participation_coefficient(G, module)["a"] == pytest.approx(4 / 9)
    assert weighted["b"] == weighted["d"] == 0.0
    # evenly over N modules: the maximum 1 − 1/N
    star = nx.star_graph(4)
    assert measures.participation_coefficient(star, {0: 0, 1: 1, 2: 2, 3: 3, 4: 4})[0] == pytest.approx(0.75)
    G.add_node("lonely")
    module["lonely"] = "Z"
    assert measures.participation_coefficient(G, module)["lonely"] == 0.0


def test_within_module_degree_by_hand():
    # module X: a─b (w 3), a─c (w 1), b─c absent; module Y: d, tied to a (w 5, not counted in κ)
    # κ (weighted, inside X): a = 3 + 1 = 4, b = 3, c = 1; mean 8/3;
    # σ = sqrt(((4−8/3)² + (3−8/3)² + (1−8/3)²)/3) = sqrt((16 + 1 + 25)/27) = sqrt(42/27)
    # z_a = (4/3)/sqrt(42/27) ≈ 1.0690; z_c = (−5/3)/sqrt(42/27) ≈ −1.3363; d alone in Y: z = 0
    G = _weighted([("a", "b", 3), ("a", "c", 1), ("a", "d", 5)])
    z = measures.within_module_degree(G, {"a": "X", "b": "X", "c": "X", "d": "Y"}, weight="weight")
    sd = math.sqrt(42 / 27)
    assert z["a"] == pytest.approx((4 / 3) / sd)
    assert z["c"] == pytest.approx((-5 / 3) / sd)
    assert z["d"] == 0.0


@pytest.mark.parametrize(("z", "p", "role"), [
    (0.0, 0.0, "R1"), (2.49, 0.05, "R1"), (0.0, 0.051, "R2"), (0.0, 0.62, "R2"), (0.0, 0.63, "R3"),
    (0.0, 0.80, "R3"), (0.0, 0.81, "R4"), (2.5, 0.30, "R5"), (2.5, 0.31, "R6"), (3.0, 0.75, "R6"),
    (3.0, 0.76, "R7"),
])
def test_guimera_amaral_roles_at_the_thresholds(z, p, role):
    assert measures.guimera_amaral_role(z, p) == role


# -- betweenness and brokerage ---------------------------------------------------------------

def test_brokerage_by_hand_on_a_path():
    # a─b─c─d─e, groups a, b: x; c, d: y; e: z.
    # Cross pairs (different groups): ac ad ae bc bd be ce de = 8 (= (5² − 2² − 2² − 1²)/2).
    # c: cross pairs without c: ad ae bd be de (5); through c: ad ae bd be → 4/5 = 0.8
    # b: cross pairs without b: ac ad ae ce de (5); through b: ac ad ae → 3/5 = 0.6
    # e: cross pairs without e: ac ad bc bd (4); none passes through an end → 0
    G = nx.path_graph("abcde")
    nx.set_edge_attributes(G, 1.0, "distance")
    b = measures.brokerage(G, {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"})
    assert b["c"] == pytest.approx(0.8)
    assert b["b"] == pytest.approx(0.6)
    assert b["e"] == 0.0


def test_brokerage_counts_equal_shortest_paths_by_share():
    # square s─u─t, s─v─t with distances 1: two shortest s–t paths, u and v carry half each.
    # Groups: s in x, t in y, u and v unknown (None): the only cross pair is {s, t}.
    G = nx.cycle_graph(["s", "u", "t", "v"])
    nx.set_edge_attributes(G, 1.0, "distance")
    b = measures.brokerage(G, {"s": "x", "t": "y", "u": None, "v": None})
    assert b == {"s": 0.0, "u": 0.5, "t": 0.0, "v": 0.5}
    # unequal distances: the path through u is shorter (0.5 + 0.5 < 1 + 1)
    G["s"]["u"]["distance"] = G["u"]["t"]["distance"] = 0.5
    assert measures.brokerage(G, {"s": "x", "t": "y", "u": None, "v": None})["u"] == 1.0


def test_float_distances_that_are_equal_are_treated_as_equal():
    # 0.1 + 0.2 != 0.3 in floating point; rounded to 1e-6 they are equal, so both s–t paths count
    G = nx.Graph()
    G.add_edge("s", "u", distance=0.1)
    G.add_edge("u", "t", distance=0.2)
    G.add_edge("s", "v", distance=0.15)
    G.add_edge("v", "t", distance=0.15)
    b = measures.brokerage(G, {"s": "x", "t": "y", "u": None, "v": None})
    assert b["u"] == pytest.approx(0.5) and b["v"] == pytest.approx(0.5)
    assert measures.betweenness(G)["u"] == pytest.approx(measures.betweenness(G)["v"])


def _random_weighted(seed: int, n: int = 25, m: int = 60) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.gnm_random_graph(n, m, seed=seed)
    for u, v in G.edges:
        w = rng.choice([0.25, 0.5, 1.0, 2.0])
        G[u][v].update(weight=w, distance=1 / w)
    return G


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brokerage_with_one_group_per_node_is_betweenness(seed):
    G = _random_weighted(seed)
    b = measures.brokerage(G, {n: n for n in G})
    expected = nx.betweenness_centrality(G, weight="distance", normalized=True)
    assert b == pytest.approx(expected)
    assert measures.betweenness(G) == pytest.approx(expected)


def test_sampled_betweenness_is_networkx_estimator_with_the_same_pivots():
    G = _random_weighted(8, n=30, m=70)
    for k in (5, 29):
        assert measures.betweenness(G, k=k, seed=3) == pytest.approx(
            nx.betweenness_centrality(G, k=k, weight="distance", seed=3))


def test_sampled_brokerage_with_all_pivots_is_exact_and_seeded_sample_repeats():
    G = _random_weighted(4)
    group = {n: n % 3 for n in G}
    assert measures.brokerage(G, group, k=len(G), seed=1) == pytest.approx(measures.brokerage(G, group))
    assert measures.brokerage(G, group, k=10, seed=7) == measures.brokerage(G, group, k=10, seed=7)
    assert measures.betweenness(G, k=10, seed=7) == measures.betweenness(G, k=10, seed=7)


def test_pivots_rule():
    assert measures.pivots(2000, 2000, 200) is None
    assert measures.pivots(2001, 2000, 200) == 200
    assert measures.pivots(150, 100, 200) == 150


# -- eigenvector-like and structural holes ----------------------------------------------------

def test_pagerank_by_hand_and_against_networkx():
    # star centre c with leaves a, b, d; n = 4, α = 0.85, (1 − α)/n = 0.0375:
    #   x_c = 0.0375 + 0.85·3·x_leaf        (each leaf sends all its rank to c)
    #   x_leaf = 0.0375 + 0.85·x_c/3        (c splits its rank over three leaves)
    # → x_leaf = 0.0375 + (0.85/3)(0.0375 + 2.55 x_leaf) = 0.048125 + 0.7225 x_leaf
    # → x_leaf = 0.048125/0.2775 ≈ 0.173423, x_c = 1 − 3 x_leaf ≈ 0.479730
    pr = measures.pagerank(nx.star_graph(["c", "a", "b", "d"]), weight=None)
    assert pr["a"] == pytest.approx(0.048125 / 0.2775, abs=1e-9)
    assert pr["c"] == pytest.approx(1 - 3 * 0.048125 / 0.2775, abs=1e-9)
    G = _random_weighted(5)
    G.add_node("isolate")
    ours = measures.pagerank(G, weight="weight")
    reference = getattr(nx.algorithms.link_analysis.pagerank_alg, "_pagerank_python", None)
    if reference is not None:  # networkx's own pure-Python version (nx.pagerank needs SciPy)
        assert ours == pytest.approx(reference(G, weight="weight", tol=1e-12), abs=1e-9)
    assert sum(ours.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [6, 7])
def test_constraint_and_effective_size_match_networkx(seed):
    G = _random_weighted(seed, n=15, m=35)
    G.add_node("isolate")
    con, eff = measures.constraint(G), measures.effective_size(G)
    # nodes=...: networkx's per-node path. With SciPy installed and no nodes given, networkx 3.6
    # takes a sparse-matrix path whose weighted effective sizes differ from its own per-node
    # path and from Burt's formula (checked by hand in the next test); we follow the formula.
    everyone = list(G)
    nx_con = nx.constraint(G, nodes=everyone, weight="weight")
    nx_eff = nx.effective_size(G, nodes=everyone, weight="weight")
    for n in G:
        if G.degree(n):
            assert con[n] == pytest.approx(nx_con[n])
            assert eff[n] == pytest.approx(nx_eff[n])
        else:
            assert math.isnan(con[n]) and math.isnan(eff[n])


def test_constraint_and_effective_size_by_hand():
    # a─b (w 2), a─c (w 1), b─c (w 1).  For a: p_ab = 2/3, p_ac = 1/3; p_bc = 1/3, p_cb = 1/2.
    # c_a = (p_ab + p_ac p_cb)² + (p_ac + p_ab p_bc)² = (2/3 + 1/6)² + (1/3 + 2/9)² = 25/36 + 25/81
    # m_bc = w_bc / max_b = 1/2, m_cb = 1/1 = 1:
    # e_a = (1 − p_ac m_bc) + (1 − p_ab m_cb) = (1 − 1/6) + (1 − 2/3) = 7/6
    G = _weighted([("a", "b", 2), ("a", "c", 1), ("b", "c", 1)])
    assert measures.constraint(G)["a"] == pytest.approx(25 / 36 + 25 / 81)
    assert measures.effective_size(G)["a"] == pytest.approx(7 / 6)


def test_louvain_communities_are_seeded_and_numbered_by_size():
    # a 4-clique and a triangle joined by one edge: communities 1 (the clique), 2 (the triangle)
    G = nx.complete_graph(["a", "b", "c", "d"])
    G.add_edges_from([("e", "f"), ("f", "g"), ("e", "g"), ("d", "e")])
    nx.set_edge_attributes(G, 1.0, "weight")
    c = measures.communities(G, seed=42)
    assert {n: c[n] for n in "abcdefg"} == {**dict.fromkeys("abcd", 1), **dict.fromkeys("efg", 2)}
    assert measures.communities(G, seed=42) == c


def _brandes_reference(G: nx.Graph, group: dict, sources: list) -> tuple[dict, dict]:
    """Plain Brandes (2001/2008) written out: the ordered sums of dependencies from ``sources``
    over all targets, and over targets of a known group other than the source's."""
    every, cross = dict.fromkeys(G, 0.0), dict.fromkeys(G, 0.0)
    for s in sources:
        dist, sigma, preds, order = {s: 0}, {s: 1.0}, {s: []}, []
        queue = [(0, s)]
        done: set = set()
        while queue:
            d, v = min(queue)
            queue.remove((d, v))
            if v in done:
                continue
            done.add(v)
            order.append(v)
            for w in G[v]:
                nd = d + round(G[v][w]["distance"] / 1e-6)
                if w in done:
                    continue
                if w not in dist or nd < dist[w]:
                    dist[w], sigma[w], preds[w] = nd, sigma[v], [v]
                    queue.append((nd, w))
                elif nd == dist[w]:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        d_all, d_cross = dict.fromkeys(order, 0.0), dict.fromkeys(order, 0.0)
        for w in reversed(order):
            target = 1.0 if None not in (group.get(s), group.get(w)) and group[s] != group[w] else 0.0
            for v in preds[w]:
                d_all[v] += sigma[v] / sigma[w] * (1.0 + d_all[w])
                d_cross[v] += sigma[v] / sigma[w] * (target + d_cross[w])
            if w != s:
                every[w] += d_all[w]
                cross[w] += d_cross[w]
    return every, cross


@pytest.mark.parametrize(("seed", "k", "known"), [(11, None, 0.8), (12, None, 0.3), (13, 9, 0.8),
                                                  (14, 17, 0.8), (15, 17, 0.3)])
def test_path_centralities_match_plain_brandes_with_groups_and_unknown_groups(seed, k, known):
    # known = share of nodes with a group: 0.8 takes the path via the few unknown nodes, 0.3 the
    # direct sum over known sources
    G = _random_weighted(seed, n=40, m=90)
    rng = random.Random(seed)
    group = {v: rng.choice("xyzw") if rng.random() < known else None for v in G}
    btw, brk = measures.path_centralities(G, group, k=k, seed=seed)
    nodes = list(G)
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    every, cross = _brandes_reference(G, group, sources)
    n = len(nodes)
    known = [v for v in G if group[v] is not None]
    for v in G:
        scale = 1.0 if k is None else (n - 1) / (k - 1 if v in sources else k)
        assert btw[v] == pytest.approx(every[v] * scale / ((n - 1) * (n - 2)), abs=1e-12)
        pairs = sum(1 for a in known for b in known if a < b and group[a] != group[b] and v not in (a, b))
        assert brk[v] == pytest.approx(cross[v] * scale / 2 / pairs, abs=1e-12)


def test_eigenvector_matches_networkx_on_a_connected_graph_and_is_zero_off_the_main_component():
    G = _random_weighted(21, n=30, m=80)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    ours = measures.eigenvector(G)
    assert ours == pytest.approx(nx.eigenvector_centrality(G, weight="weight", tol=1e-12, max_iter=10_000),
                                 abs=1e-9)
    assert math.fsum(v * v for v in ours.values()) == pytest.approx(1.0)
    G.add_edge("p", "q", weight=1.0)  # a separate pair: its eigenvalue 1 is below the main one
    ours = measures.eigenvector(G)
    assert ours["p"] == pytest.approx(0.0, abs=1e-12) and ours["q"] == pytest.approx(0.0, abs=1e-12)
    assert measures.eigenvector(nx.empty_graph(3)) == {0: 0.0, 1: 0.0, 2: 0.0}
