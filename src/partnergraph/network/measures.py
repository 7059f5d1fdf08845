"""Network measures that networkx does not provide as needed: graph in, dict out.

Degree is networkx's own (called with ``weight`` given explicitly by
:mod:`partnergraph.network.analysis`). This module adds what networkx lacks or gets subtly
wrong, or too slowly, for us:

* :func:`participation_coefficient`, :func:`within_module_degree` and
  :func:`guimera_amaral_role` (Guimerà & Amaral 2005);
* :func:`brokerage`, the cross-municipal brokerage score (betweenness restricted to pairs of
  organisations from different municipalities);
* :func:`betweenness`, networkx's values on integer path lengths (see below); it and brokerage
  are computed by :func:`path_centralities` with igraph's C implementation of Brandes'
  algorithm (python-igraph: pure-Python path searches took minutes per network at scale M);
* :func:`pagerank`, igraph's PRPACK (``networkx.pagerank`` needs SciPy);
* :func:`communities`, seeded Louvain (igraph's) with stable community numbers;
* :func:`constraint` and :func:`effective_size`, Burt's measures with networkx's values,
  computed together by :func:`structural_holes` with numpy (networkx's weighted versions
  re-sum strengths in the inner loop);
* :func:`eigenvector`, igraph's eigenvector centrality scaled as networkx scales it;
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
import warnings
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np

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


def _igraph(G: nx.Graph, weight: str | None = None,
            length: float | None = None) -> tuple[ig.Graph, list[Hashable], list[float]]:
    """G as an igraph graph over ``list(G)`` (vertex i = the i-th node) and one number per edge:
    its ``weight`` (1 without), or with ``length`` its distance in units of ``length``, an integer."""
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges, values = [], []
    for u, v, d in G.edges(data=True):
        edges.append((index[u], index[v]))
        x = d.get(weight, 1) if weight else 1
        values.append(x if length is None else max(1, round(x / length)))
    return ig.Graph(n=len(nodes), edges=edges), nodes, values


@contextmanager
def _igraph_random(seed: int | None) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` for the duration, then its default
    (the ``random`` module) again."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def path_centralities(G: nx.Graph, group: Mapping[Hashable, Hashable | None],
                      weight: str | None = "distance", k: int | None = None, seed: int | None = None,
                      resolution: float = 1e-6) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """:func:`betweenness` and :func:`brokerage` of every node, exact or from ``k`` pivots.

    Brandes' algorithm in igraph's C implementation (pure-Python Brandes took about two
    minutes per yearly network at scale M; this takes seconds). igraph's subset betweenness
    sums over pairs (s, t) with s among given sources and t among given targets, so the
    cross-group sum is the sum over all pairs of known-group nodes less, for each group, the
    sum over its own pairs. Pivots are drawn as networkx draws them
    (``random.Random(seed).sample(list(G), k)``), so the sampled values equal
    ``networkx.betweenness_centrality(G, k, seed=seed)``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph("abcd"); nx.set_edge_attributes(G, 1.0, "distance")
    >>> btw, brk = path_centralities(G, {"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> round(btw["b"], 4), brk["b"]
    (0.6667, 1.0)
    """
    H, nodes, lengths = _igraph(G, weight, length=resolution)
    n = len(nodes)
    if n == 0:
        return {}, {}
    if k is not None and k >= n:
        k = None
    index = {v: i for i, v in enumerate(nodes)}
    sources = list(range(n)) if k is None else sorted(index[v] for v in random.Random(seed).sample(nodes, k))
    members: dict[Hashable, list[int]] = defaultdict(list)
    for v in nodes:
        if group.get(v) is not None:
            members[group[v]].append(index[v])
    known = sorted(i for m in members.values() for i in m)

    def between(src: list[int], targets: list[int] | None) -> list[float]:
        # igraph halves the sums on undirected graphs; ×2 gives the ordered sums used below
        if not src or (targets is not None and not targets):
            return [0.0] * n
        values = H.betweenness(directed=False, weights=lengths, sources=src, targets=targets)
        return [2.0 * x for x in values]

    every = between(sources, None)
    source_set = set(sources)
    known_set = set(known)
    known_sources = [i for i in sources if i in known_set]
    unknown = [i for i in range(n) if i not in known_set]
    # Σ over sources s in S∩K and targets t in K: directly (|S∩K| searches), or, when few nodes
    # lack a group, as every − (sources in S∖K) − (targets in U), the last by symmetry of
    # undirected paths from U to S∩K (|S∖K| + |U| searches).
    unknown_sources = [i for i in sources if i not in known_set]
    if len(unknown_sources) + len(unknown) < len(known_sources):
        cross = [e - a - b for e, a, b in zip(every, between(unknown_sources, None),
                                              between(unknown, known_sources), strict=True)]
    else:
        cross = between(known_sources, known)
    for m in members.values():  # less the pairs inside each group
        if len(m) < 2:  # a group of one has no pairs of its own
            continue
        own = between([i for i in m if i in source_set], m)
        cross = [c - w for c, w in zip(cross, own, strict=True)]
    # Estimated sum over all sources s ≠ v: (n − 1)/k' × the sampled sum, where k' is the number
    # of sampled sources other than v (networkx's estimator); exact when k is None.

    def full(i: int, raw: float) -> float:
        if k is None:
            return raw
        usable = k - 1 if i in source_set else k
        return raw * (n - 1) / usable if usable > 0 else math.nan

    sizes = {g: len(m) for g, m in members.items()}
    cross_pairs = (len(known) ** 2 - sum(c * c for c in sizes.values())) // 2
    btw: dict[Hashable, float] = {}
    brk: dict[Hashable, float] = {}
    for i, v in enumerate(nodes):
        # ordered sums count each unordered pair twice; the subtraction may leave −1e-12
        btw[v] = full(i, every[i]) / ((n - 1) * (n - 2)) if n > 2 else 0.0
        gv = group.get(v)
        pairs = cross_pairs - (len(known) - sizes[gv] if gv is not None else 0)
        brk[v] = max(0.0, full(i, cross[i]) / 2 / pairs) if pairs > 0 else 0.0
    return btw, brk


def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85) -> dict[Hashable, float]:
    """PageRank, weighting each tie by ``weight`` (given explicitly).

    .. math:: x_i = \\frac{1-\\alpha}{n} + \\alpha \\Big(\\sum_j \\frac{w_{ji}}{s_j} x_j
              + \\frac{1}{n}\\sum_{j:\\,s_j=0} x_j\\Big)

    (:math:`s_j` the strength of j; isolated nodes spread their rank evenly), solved exactly by
    igraph's PRPACK rather than by power iteration: the values of ``networkx.pagerank`` (which
    needs SciPy; its pure-Python iteration took 13 s on the all-years network at scale L).

    Examples
    --------
    Path a–b–c, α = 0.85: x_a = 0.05 + 0.85·x_b/2 and x_b = 0.05 + 0.85·2·x_a give
    x_a = 0.07125/0.2775 ≈ 0.2568 and x_b ≈ 0.4865.

    >>> import networkx as nx
    >>> pr = pagerank(nx.path_graph("abc"), weight=None)
    >>> round(pr["a"], 4), round(pr["b"], 4)
    (0.2568, 0.4865)

    References
    ----------
    .. [1] S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine",
       Computer Networks and ISDN Systems 30 (1998).
    """
    if len(G) == 0:
        return {}
    H, nodes, weights = _igraph(G, weight)
    x = H.pagerank(directed=False, damping=alpha, weights=weights if G.number_of_edges() else None)
    return dict(zip(nodes, x, strict=True))


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> dict[Hashable, float]:
    """Weighted eigenvector centrality, scaled to unit Euclidean length as networkx scales it.

    The principal eigenvector of the weighted adjacency matrix (igraph's ARPACK solver: the
    power iteration of ``networkx.eigenvector_centrality`` needed over a minute on the
    all-years network at scale M). On a connected graph the values equal networkx's. On a
    disconnected graph only the component with the largest eigenvalue has values above 1e-12 —
    where networkx's iteration leaves small remainders that depend on its stopping rule.

    .. math:: \\lambda x_i = \\sum_j w_{ij} x_j, \\qquad \\lVert x \\rVert_2 = 1

    Examples
    --------
    Star with three leaves: λ = √3, x_centre = 1/√2 and each leaf 1/√6.

    >>> import networkx as nx
    >>> x = eigenvector(nx.star_graph(3), weight=None)
    >>> round(x[0], 4), round(x[1], 4)
    (0.7071, 0.4082)

    References
    ----------
    .. [1] P. Bonacich, "Power and centrality: a family of measures", American Journal of
       Sociology 92 (1987).
    """
    if G.number_of_edges() == 0:
        return dict.fromkeys(G, 0.0)
    H, nodes, weights = _igraph(G, weight)
    # ARPACK starts from a random vector: seeded, so that the last digits repeat too
    with warnings.catch_warnings(), _igraph_random(0):
        warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns on disconnected graphs
        x = [abs(v) for v in H.eigenvector_centrality(weights=weights)]
    norm = math.sqrt(math.fsum(v * v for v in x))
    return {v: x[i] / norm for i, v in enumerate(nodes)}


def communities(G: nx.Graph, weight: str | None = "weight", seed: int | None = None,
                resolution: float = 1.0) -> dict[Hashable, int]:
    """Louvain communities, numbered 1, 2, … by size (largest first; ties by smallest node).

    igraph's multilevel (Louvain) algorithm in C, its random choices drawn from
    ``random.Random(seed)``, so given the node order and the seed it is reproducible (networkx's
    pure-Python Louvain took close to a minute on the all-years network at scale L).

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
    H, nodes, weights = _igraph(G, weight)
    with _igraph_random(seed):
        membership = H.community_multilevel(weights=weights if G.number_of_edges() else None,
                                            resolution=resolution).membership
    parts: dict[int, list[Hashable]] = defaultdict(list)
    for v, c in zip(nodes, membership, strict=True):
        parts[c].append(v)
    ordered = sorted((sorted(p) for p in parts.values()), key=lambda p: (-len(p), p[0]))
    return {n: i for i, part in enumerate(ordered, 1) for n in part}


def structural_holes(G: nx.Graph, weight: str | None) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Burt's constraint and effective size of every node, from one pass over 2-step
    neighbourhoods (see :func:`constraint` and :func:`effective_size` for the formulas).

    The tie shares are held in CSR arrays (numpy); for node i the rows of all its partners j
    are gathered at once, so the sums over q run in C rather than in Python loops (pure-Python
    loops took minutes on the all-years network at scale M). For an entry (j, q) of row j:
    p_iq is read from i's shares spread over a dense vector (zero off i's partners, so only
    q in N(i) ∩ N(j) count), m_jq = w_jq / max_k w_jk and p_qj = w_jq / s_q.

    Examples
    --------
    >>> import networkx as nx
    >>> con, eff = structural_holes(nx.star_graph(3), weight=None)
    >>> round(con[0], 4), eff[0]
    (0.3333, 3.0)
    """
    nodes = list(G)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    rows, cols, ws = [], [], []
    for u, v, d in G.edges(data=True):
        if u != v:  # Burt's sums run over q ≠ i
            w = d.get(weight, 1) if weight else 1
            rows += (index[u], index[v])
            cols += (index[v], index[u])
            ws += (w, w)
    order = np.lexsort((np.asarray(cols, dtype=np.int64), np.asarray(rows, dtype=np.int64)))
    row = np.asarray(rows, dtype=np.int64)[order]
    col = np.asarray(cols, dtype=np.int64)[order]
    w = np.asarray(ws, dtype=np.float64)[order]
    degree = np.bincount(row, minlength=n)
    indptr = np.concatenate(([0], np.cumsum(degree)))
    strength = np.bincount(row, weights=w, minlength=n)
    top = np.zeros(n)
    np.maximum.at(top, row, w)
    p = w / strength[row] if len(w) else w  # p_ij = w_ij / s_i
    m = w / top[row] if len(w) else w  # m_jq = w_jq / max_k w_jk
    p_in = w / strength[col] if len(w) else w  # p_qj for the entry (j, q)
    shares = np.zeros(n)
    con: dict[Hashable, float] = {}
    eff: dict[Hashable, float] = {}
    for i, v in enumerate(nodes):
        a, b = indptr[i], indptr[i + 1]
        if a == b:
            con[v] = eff[v] = math.nan
            continue
        partners = col[a:b]
        shares[partners] = p[a:b]
        starts, lengths = indptr[partners], degree[partners]
        ends = np.cumsum(lengths)
        pos = np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1])
        p_iq = shares[col[pos]]
        indirect = np.bincount(np.repeat(np.arange(b - a), lengths), weights=p_iq * p_in[pos],
                               minlength=b - a)
        con[v] = float(np.sum((p[a:b] + indirect) ** 2))
        eff[v] = float((b - a) - np.dot(p_iq, m[pos]))
        shares[partners] = 0.0
    return con, eff


def constraint(G: nx.Graph, weight: str | None = "weight") -> dict[Hashable, float]:
    """Burt's constraint of every node (NaN for isolated nodes).

    .. math:: c_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\ne i, j} p_{iq}\\, p_{qj}\\Big)^2,
              \\qquad p_{ij} = \\frac{w_{ij}}{\\sum_k w_{ik}}

    The same values as ``networkx.constraint`` on undirected graphs, computed in one numpy pass
    with :func:`effective_size` by :func:`structural_holes` (networkx's weighted version
    re-sums strengths in its inner loop: half a minute on the 176-organisation demo network).

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
    return structural_holes(G, weight)[0]


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
    return structural_holes(G, weight)[1]
