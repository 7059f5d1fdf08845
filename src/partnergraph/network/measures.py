"""Network measures that networkx does not provide as needed: graph in, dict out.

Degree and eigenvector centrality are networkx's own (called with ``weight`` given explicitly by
:mod:`partnergraph.network.analysis`). This module adds what networkx lacks or gets subtly
wrong, or too slowly, for us:

* :func:`participation_coefficient`, :func:`within_module_degree` and
  :func:`guimera_amaral_role` (Guimerà & Amaral 2005);
* :func:`brokerage`, the cross-municipal brokerage score (betweenness restricted to pairs of
  organisations from different municipalities);
* :func:`betweenness`, networkx's values on integer path lengths (see below), computed with
  brokerage in one pass by :func:`path_centralities`;
* :func:`pagerank`, a pure-Python power iteration (``networkx.pagerank`` needs SciPy);
* :func:`communities`, seeded Louvain with stable community numbers;
* :func:`constraint` and :func:`effective_size`, Burt's measures with networkx's values but
  precomputed tie shares (networkx's weighted versions re-sum strengths in the inner loop);
* :func:`pivots`, the exact-or-sampled rule.

Weights and distances: ``weight`` is a collaboration strength (larger = closer); shortest paths
use ``distance = 1 / weight``. networkx warns that float path lengths may miss equal shortest
paths, so :func:`betweenness` and :func:`brokerage` round distances to ``resolution`` (1e-6)
and add them as integers: equal paths then compare equal exactly.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from collections.abc import Hashable, Mapping
from heapq import heappop, heappush
from itertools import count

import networkx as nx

#: Guimerà–Amaral role thresholds as usually cited (Guimerà & Amaral, Nature 433:895, 2005).
HUB_Z = 2.5
NON_HUB_P = ((0.05, "R1"), (0.62, "R2"), (0.80, "R3"))  # above the last: R4
HUB_P = ((0.30, "R5"), (0.75, "R6"))  # above the last: R7
ROLE_NAMES = {
    "R1": "ultra-peripheral", "R2": "peripheral", "R3": "non-hub connector", "R4": "non-hub kinless",
    "R5": "provincial hub", "R6": "connector hub", "R7": "kinless hub",
}


def pivots(n: int, sample_above: int, sample_size: int) -> int | None:
    """How many source nodes to use for path-based measures: None (= all, exact) or a sample size.

    Exact when the graph has at most ``sample_above`` nodes; otherwise ``sample_size`` seeded
    pivots (Brandes & Pich 2007), never more than ``n``.

    Examples
    --------
    >>> pivots(250, 2000, 200) is None, pivots(5000, 2000, 200)
    (True, 200)
    """
    return None if n <= sample_above else min(sample_size, n)


def participation_coefficient(G: nx.Graph, module: Mapping[Hashable, Hashable],
                              weight: str | None = None) -> dict[Hashable, float]:
    """Guimerà–Amaral participation coefficient of every node.

    .. math:: P_i = 1 - \\sum_s \\left(\\frac{k_{is}}{k_i}\\right)^2

    where :math:`k_{is}` is the number (or total ``weight``) of node *i*'s ties to nodes of
    module *s* and :math:`k_i` its degree (or strength). P = 0 when all ties stay in one module
    and approaches 1 − 1/N_M when they spread evenly over N_M modules. Isolated nodes get 0.

    Parameters
    ----------
    G : networkx.Graph
    module : mapping
        The module of every node (e.g. its home municipality). Every neighbour must have one.
    weight : str or None
        Edge attribute to sum; None counts ties.

    Examples
    --------
    A star whose centre has two leaves in module "x" and one in "y":
    1 − ((2/3)² + (1/3)²) = 1 − 5/9 = 4/9.

    >>> import networkx as nx
    >>> G = nx.star_graph(3)
    >>> P = participation_coefficient(G, {0: "x", 1: "x", 2: "x", 3: "y"})
    >>> round(P[0], 4), P[1]
    (0.4444, 0.0)

    References
    ----------
    .. [1] R. Guimerà and L. A. N. Amaral, "Functional cartography of complex metabolic
       networks", Nature 433, 895–900 (2005).
    """
    out: dict[Hashable, float] = {}
    for i in G:
        per: dict[Hashable, float] = defaultdict(float)
        for j, d in G[i].items():
            per[module[j]] += d.get(weight, 1) if weight else 1
        k = sum(per.values())
        out[i] = 1.0 - sum((v / k) ** 2 for v in per.values()) if k else 0.0
    return out


def within_module_degree(G: nx.Graph, module: Mapping[Hashable, Hashable],
                         weight: str | None = None) -> dict[Hashable, float]:
    """Within-module degree z-score of every node (Guimerà–Amaral).

    .. math:: z_i = \\frac{\\kappa_i - \\bar\\kappa_{s_i}}{\\sigma_{\\kappa_{s_i}}}

    :math:`\\kappa_i` is the number (or ``weight``) of *i*'s ties inside its own module
    :math:`s_i`; mean and (population) standard deviation are over the nodes of that module.
    A module whose nodes all have the same :math:`\\kappa` gives z = 0.

    Examples
    --------
    Path a–b–c in one module: κ = (1, 2, 1), mean 4/3, σ = √(2/9) ≈ 0.4714, so
    z_b = (2 − 4/3)/0.4714 ≈ 1.4142 and z_a = (1 − 4/3)/0.4714 ≈ −0.7071.

    >>> import networkx as nx
    >>> z = within_module_degree(nx.path_graph("abc"), dict.fromkeys("abc", 1))
    >>> round(z["b"], 4), round(z["a"], 4)
    (1.4142, -0.7071)

    References
    ----------
    .. [1] R. Guimerà and L. A. N. Amaral, Nature 433, 895–900 (2005).
    """
    kappa = {i: sum((d.get(weight, 1) if weight else 1) for j, d in G[i].items() if module[j] == module[i])
             for i in G}
    members: dict[Hashable, list[Hashable]] = defaultdict(list)
    for i in G:
        members[module[i]].append(i)
    out: dict[Hashable, float] = {}
    for nodes in members.values():
        values = [kappa[i] for i in nodes]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        for i in nodes:
            out[i] = (kappa[i] - mean) / sd if sd > 0 else 0.0
    return out


def guimera_amaral_role(z: float, p: float, hub_z: float = HUB_Z) -> str:
    """The Guimerà–Amaral role ``"R1"``…``"R7"`` from within-module z and participation P.

    Hubs have z ≥ ``hub_z`` (2.5). Non-hubs: R1 ultra-peripheral P ≤ 0.05, R2 peripheral
    P ≤ 0.62, R3 non-hub connector P ≤ 0.80, R4 non-hub kinless P > 0.80. Hubs: R5 provincial
    P ≤ 0.30, R6 connector hub P ≤ 0.75, R7 kinless hub P > 0.75. These are the thresholds as
    usually cited; they were tuned on metabolic networks, not on collaboration networks.

    Examples
    --------
    >>> guimera_amaral_role(0.3, 0.7), guimera_amaral_role(3.0, 0.2)
    ('R3', 'R5')

    References
    ----------
    .. [1] R. Guimerà and L. A. N. Amaral, Nature 433, 895–900 (2005).
    """
    for limit, role in HUB_P if z >= hub_z else NON_HUB_P:
        if p <= limit:
            return role
    return "R7" if z >= hub_z else "R4"


def _integer_lengths(G: nx.Graph, weight: str | None, resolution: float) -> nx.Graph:
    """A copy of G whose edges carry ``_length``: the distance in units of ``resolution``."""
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        length = 1 if weight is None else max(1, round(d[weight] / resolution))
        H.add_edge(u, v, _length=length)
    return H


def betweenness(G: nx.Graph, weight: str | None = "distance", k: int | None = None,
                seed: int | None = None, resolution: float = 1e-6) -> dict[Hashable, float]:
    """Normalised betweenness centrality along shortest ``weight``-distance paths.

    Brandes' algorithm on distances rounded to ``resolution`` (so equal shortest paths are
    recognised exactly); the values of ``networkx.betweenness_centrality(G, k, normalized=True,
    weight=..., seed=...)``, including its sampling estimator: with ``k``, ``k`` pivots drawn
    with ``random.Random(seed)`` (the same pivots as networkx) estimate it (Brandes & Pich 2007).

    .. math:: c_B(v) = \\frac{2}{(n-1)(n-2)} \\sum_{s<t,\\; s,t \\ne v} \\frac{\\sigma_{st}(v)}{\\sigma_{st}}

    :func:`path_centralities` gives this and :func:`brokerage` from one pass.

    Examples
    --------
    On the path a–b–c, every a–c path goes through b: c_B(b) = 1.

    >>> import networkx as nx
    >>> G = nx.path_graph("abc"); nx.set_edge_attributes(G, 1.0, "distance")
    >>> betweenness(G)["b"]
    1.0

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25
       (2001).
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J.
       Bifurcation and Chaos 17 (2007).
    """
    return path_centralities(G, {}, weight, k, seed, resolution)[0]


def brokerage(G: nx.Graph, group: Mapping[Hashable, Hashable | None], weight: str | None = "distance",
              k: int | None = None, seed: int | None = None,
              resolution: float = 1e-6) -> dict[Hashable, float]:
    """Cross-group brokerage: the share of shortest paths between nodes of *different* groups
    that pass through a node.

    For organisations grouped by home municipality: of all pairs of organisations from two
    different municipalities, on average how large a share of their shortest (``weight``-
    distance) paths runs through *v*:

    .. math:: b(v) = \\frac{1}{|X_v|} \\sum_{\\{s,t\\} \\in X_v} \\frac{\\sigma_{st}(v)}{\\sigma_{st}}

    where :math:`X_v` is the set of unordered pairs {s, t} with s, t ≠ v whose groups are both
    known and differ, :math:`\\sigma_{st}` the number of shortest s–t paths and
    :math:`\\sigma_{st}(v)` those through v. Pairs that are not connected count in
    :math:`|X_v|` with a share of 0 (as in normalised betweenness). Nodes whose group is None
    (e.g. no home municipality) are never an endpoint but can be brokers. b lies in [0, 1];
    when every node has its own group, b equals normalised betweenness.

    With ``k``, the sum runs over ``k`` sources drawn with ``seed`` and is scaled up as
    networkx scales sampled betweenness.

    Examples
    --------
    Path a–b–c–d with groups x, x, y, y. Cross pairs: {a,c}, {a,d}, {b,c}, {b,d}. For b, the
    pairs without b are {a,c}, {a,d}; both paths go through b: b(b) = 2/2 = 1. For a: pairs
    {b,c}, {b,d}, none through a: 0.

    >>> import networkx as nx
    >>> G = nx.path_graph("abcd"); nx.set_edge_attributes(G, 1.0, "distance")
    >>> b = brokerage(G, {"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> b["a"], b["b"], b["c"]
    (0.0, 1.0, 1.0)

    References
    ----------
    .. [1] U. Brandes, "On variants of shortest-path betweenness centrality and their generic
       computation", Social Networks 30, 136–145 (2008) (the sum over a subset of pairs).
    """
    return path_centralities(G, group, weight, k, seed, resolution)[1]


def _shortest_path_dag(G: nx.Graph, s: Hashable) -> tuple[list, dict, dict]:
    """Brandes' single-source step on integer ``_length``: visit order, predecessors, path counts."""
    order: list[Hashable] = []
    preds: dict[Hashable, list[Hashable]] = {s: []}
    sigma: dict[Hashable, float] = {s: 1.0}
    done: set[Hashable] = set()
    seen = {s: 0}
    tie = count()
    queue = [(0, next(tie), s)]
    while queue:
        dist, _, v = heappop(queue)
        if v in done:
            continue
        done.add(v)
        order.append(v)
        for w, d in G[v].items():
            vw = dist + d["_length"]
            if w not in done and (w not in seen or vw < seen[w]):
                seen[w] = vw
                heappush(queue, (vw, next(tie), w))
                sigma[w] = sigma[v]
                preds[w] = [v]
            elif w not in done and vw == seen[w]:
                sigma[w] += sigma[v]
                preds[w].append(v)
    return order, preds, sigma


def path_centralities(G: nx.Graph, group: Mapping[Hashable, Hashable | None],
                      weight: str | None = "distance", k: int | None = None, seed: int | None = None,
                      resolution: float = 1e-6) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """:func:`betweenness` and :func:`brokerage` from one pass of Brandes' algorithm.

    The shortest-path search from each source is the expensive part; both measures accumulate
    their dependencies on the same search, so computing them together costs about half.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph("abcd"); nx.set_edge_attributes(G, 1.0, "distance")
    >>> btw, brk = path_centralities(G, {"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> round(btw["b"], 4), brk["b"]
    (0.6667, 1.0)
    """
    H = _integer_lengths(G, weight, resolution)
    nodes = list(H)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    every: dict[Hashable, float] = dict.fromkeys(nodes, 0.0)
    cross: dict[Hashable, float] = dict.fromkeys(nodes, 0.0)
    for s in sources:
        gs = group.get(s)
        order, preds, sigma = _shortest_path_dag(H, s)
        d_all = dict.fromkeys(order, 0.0)
        d_cross = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            gw = group.get(w)
            target = 1.0 if gs is not None and gw is not None and gw != gs else 0.0
            c_all = (1.0 + d_all[w]) / sigma[w]
            c_cross = (target + d_cross[w]) / sigma[w]
            for v in preds[w]:
                d_all[v] += sigma[v] * c_all
                d_cross[v] += sigma[v] * c_cross
            if w != s:
                every[w] += d_all[w]
                cross[w] += d_cross[w]
    # Estimated sum over all sources s ≠ v: (n − 1)/k' × the sampled sum, where k' is the number
    # of sampled sources other than v (networkx's estimator); exact when k is None.
    sampled = set(sources) if k is not None else set()

    def full(v: Hashable, raw: float) -> float:
        if k is None:
            return raw
        usable = k - 1 if v in sampled else k
        return raw * (n - 1) / usable if usable > 0 else math.nan

    sizes: dict[Hashable, int] = defaultdict(int)
    for v in nodes:
        if group.get(v) is not None:
            sizes[group[v]] += 1
    known = sum(sizes.values())
    cross_pairs = (known * known - sum(c * c for c in sizes.values())) // 2
    btw: dict[Hashable, float] = {}
    brk: dict[Hashable, float] = {}
    for v in nodes:
        # ordered sums count each unordered pair twice
        btw[v] = full(v, every[v]) / ((n - 1) * (n - 2)) if n > 2 else 0.0
        gv = group.get(v)
        pairs = cross_pairs - (known - sizes[gv] if gv is not None else 0)
        brk[v] = full(v, cross[v]) / 2 / pairs if pairs > 0 else 0.0
    return btw, brk


def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85,
             tol: float = 1.0e-6, max_iter: int = 1000) -> dict[Hashable, float]:
    """PageRank by power iteration, weighting each tie by ``weight`` (given explicitly).

    .. math:: x_i = \\frac{1-\\alpha}{n} + \\alpha \\Big(\\sum_j \\frac{w_{ji}}{s_j} x_j
              + \\frac{1}{n}\\sum_{j:\\,s_j=0} x_j\\Big)

    (:math:`s_j` the strength of j; isolated nodes spread their rank evenly). The same iteration
    and stopping rule as networkx's pure-Python PageRank (sum of changes < n · ``tol``), so it
    needs no SciPy. Raises :class:`networkx.PowerIterationFailedConvergence` after ``max_iter``.

    Examples
    --------
    Path a–b–c, α = 0.85: x_a = 0.05 + 0.85·x_b/2 and x_b = 0.05 + 0.85·2·x_a give
    x_a = 0.07125/0.2775 ≈ 0.2568 and x_b ≈ 0.4865.

    >>> import networkx as nx
    >>> pr = pagerank(nx.path_graph("abc"), weight=None, tol=1e-12)
    >>> round(pr["a"], 4), round(pr["b"], 4)
    (0.2568, 0.4865)

    References
    ----------
    .. [1] S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine",
       Computer Networks and ISDN Systems 30 (1998).
    """
    n = len(G)
    if n == 0:
        return {}
    out_w = {u: sum((d.get(weight, 1) if weight else 1) for d in G[u].values()) for u in G}
    dangling = [u for u in G if out_w[u] == 0]
    x = dict.fromkeys(G, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = dict.fromkeys(last, 0.0)
        dangle = alpha * sum(last[u] for u in dangling) / n
        for u in G:
            if out_w[u] == 0:
                continue
            share = alpha * last[u] / out_w[u]
            for v, d in G[u].items():
                x[v] += share * (d.get(weight, 1) if weight else 1)
        for u in x:
            x[u] += dangle + (1.0 - alpha) / n
        if sum(abs(x[u] - last[u]) for u in x) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def communities(G: nx.Graph, weight: str | None = "weight", seed: int | None = None,
                resolution: float = 1.0) -> dict[Hashable, int]:
    """Louvain communities, numbered 1, 2, … by size (largest first; ties by smallest node).

    networkx's ``louvain_communities`` with ``seed`` (the result depends on the node order and
    the seed; given both it is reproducible).

    Examples
    --------
    Two triangles joined by one edge form two communities:

    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> c = communities(G, seed=42)
    >>> c[1] == c[2] == c[3] != c[4] == c[5] == c[6]
    True

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008 (2008).
    """
    if len(G) == 0:
        return {}
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return {n: i for i, part in enumerate(ordered, 1) for n in part}



def _shares(G: nx.Graph, weight: str | None) -> tuple[dict, dict]:
    """Burt's proportional tie strengths p_ij = w_ij / s_i and m_ij = w_ij / max_k w_ik."""
    p: dict[Hashable, dict[Hashable, float]] = {}
    m: dict[Hashable, dict[Hashable, float]] = {}
    for i in G:
        w = {j: (d.get(weight, 1) if weight else 1) for j, d in G[i].items() if j != i}
        total, top = sum(w.values()), max(w.values(), default=0)
        p[i] = {j: x / total for j, x in w.items()} if total else {}
        m[i] = {j: x / top for j, x in w.items()} if top else {}
    return p, m


def _common(a: Mapping[Hashable, float], b: Mapping[Hashable, float]) -> list[Hashable]:
    """Keys in both, found by scanning the smaller (hubs have thousands of neighbours)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return [q for q in small if q in large]


def constraint(G: nx.Graph, weight: str | None = "weight") -> dict[Hashable, float]:
    """Burt's constraint of every node (NaN for isolated nodes).

    .. math:: c_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\ne i, j} p_{iq}\\, p_{qj}\\Big)^2,
              \\qquad p_{ij} = \\frac{w_{ij}}{\\sum_k w_{ik}}

    The same values as ``networkx.constraint`` on undirected graphs, with each tie share
    computed once and the common neighbours of a pair found from the smaller side (networkx's
    weighted version re-sums strengths in its inner loop and takes about half a minute on the
    176-organisation demo network; this takes milliseconds).

    Examples
    --------
    Triangle with equal weights: p = 1/2, each of the two terms is (1/2 + 1/2·1/2)² = 9/16,
    so c = 9/8. Star centre with three leaves: c = 3·(1/3)² = 1/3.

    >>> import networkx as nx
    >>> constraint(nx.complete_graph(3))[0], round(constraint(nx.star_graph(3))[0], 4)
    (1.125, 0.3333)

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
       University Press (1992).
    """
    p, _ = _shares(G, weight)
    out: dict[Hashable, float] = {}
    for i in G:
        if not p[i]:
            out[i] = float("nan")
            continue
        total = 0.0
        for j, pij in p[i].items():
            indirect = sum(p[i][q] * p[q][j] for q in _common(p[i], p[j]))
            total += (pij + indirect) ** 2
        out[i] = total
    return out


def effective_size(G: nx.Graph, weight: str | None = "weight") -> dict[Hashable, float]:
    """Burt's effective size of every node (NaN for isolated nodes).

    .. math:: e_i = \\sum_{j \\in N(i)} \\Big(1 - \\sum_{q \\ne i, j} p_{iq}\\, m_{jq}\\Big),
              \\qquad m_{jq} = \\frac{w_{jq}}{\\max_k w_{jk}}

    The number of partners less their redundancy; equals ``networkx.effective_size``.

    Examples
    --------
    Triangle: each of the two partners is redundant by 1/2 · 1, so e = 2·(1 − 1/2) = 1.
    Star centre with three leaves: no redundancy, e = 3.

    >>> import networkx as nx
    >>> effective_size(nx.complete_graph(3))[0], effective_size(nx.star_graph(3))[0]
    (1.0, 3.0)

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes*, Harvard University Press (1992).
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures",
       Connections 20(1), 35–38 (1997).
    """
    p, m = _shares(G, weight)
    out: dict[Hashable, float] = {}
    for i in G:
        if not p[i]:
            out[i] = float("nan")
            continue
        out[i] = sum(1.0 - sum(p[i][q] * m[j][q] for q in _common(p[i], p[j])) for j in p[i])
    return out
