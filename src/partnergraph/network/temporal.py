"""Change over time: ties gained, kept and lost between years, and the ties the tour created.

A *tie* is an unordered pair of organisations that share at least one collaboration in the
period (an edge of the organisation–organisation projection), written as a sorted tuple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx

Tie = tuple[Hashable, Hashable]


def ties(G: nx.Graph) -> frozenset[Tie]:
    """The edges of ``G`` as sorted pairs.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(ties(nx.Graph([("b", "a"), ("b", "c")])))
    [('a', 'b'), ('b', 'c')]
    """
    return frozenset(tuple(sorted((u, v))) for u, v in G.edges())  # type: ignore[misc]


def tie_changes(ties_by_year: Mapping[int, frozenset[Tie]]) -> dict[int, dict[str, int]]:
    """New, retained and lost ties of each year against the previous year of the mapping.

    For consecutive years y₀ < y: ``new`` = ties of y not in y₀, ``retained`` = ties in both,
    ``lost`` = ties of y₀ not in y; ``firstSeen`` = ties of y in no earlier year at all. The
    first year has no previous year: all its ties are new, none retained or lost.

    Examples
    --------
    2018 {ab, bc}, 2019 {bc, cd}: 2019 has new 1 (cd), retained 1 (bc), lost 1 (ab).

    >>> ch = tie_changes({2018: frozenset({("a", "b"), ("b", "c")}),
    ...                   2019: frozenset({("b", "c"), ("c", "d")})})
    >>> ch[2019]
    {'ties': 2, 'new': 1, 'retained': 1, 'lost': 1, 'firstSeen': 1}
    """
    out: dict[int, dict[str, int]] = {}
    previous: frozenset[Tie] = frozenset()
    seen: set[Tie] = set()
    for y in sorted(ties_by_year):
        now = ties_by_year[y]
        out[y] = {"ties": len(now), "new": len(now - previous), "retained": len(now & previous),
                  "lost": len(previous - now), "firstSeen": len(now - seen)}
        previous = now
        seen |= now
    return out


@dataclass(frozen=True)
class TourTie:
    """A tie the tour created: the year it first appeared and whether it appeared again later."""

    first_year: int
    persists: bool | None  # None: no later year in the data to tell


def tour_created_ties(ties_by_year: Mapping[int, frozenset[Tie]],
                      workshop_ties_by_year: Mapping[int, frozenset[Tie]]) -> dict[Tie, TourTie]:
    """Ties that first appear in a workshop-derived collaboration, and whether they persist.

    A tie's *first year* is the earliest year it appears in ``ties_by_year`` (all
    collaborations: workshops and plans). The tour created it when, in its first year, it is
    also in ``workshop_ties_by_year`` (the projection of workshops and of the plans that came
    out of a workshop). It *persists* when it appears in ``ties_by_year`` in any later year;
    ties first seen in the last year cannot be told (``persists`` is None).

    Examples
    --------
    ab first in a 2018 workshop and again in 2019: created, persists. cd first in a 2019 plan
    not from a workshop: not created by the tour. bc first in a 2019 workshop, never later.

    >>> all_ = {2018: frozenset({("a", "b")}), 2019: frozenset({("a", "b"), ("c", "d"), ("b", "c")}),
    ...         2020: frozenset()}
    >>> ws = {2018: frozenset({("a", "b")}), 2019: frozenset({("b", "c")}), 2020: frozenset()}
    >>> created = tour_created_ties(all_, ws)
    >>> created[("a", "b")], created[("b", "c")], ("c", "d") in created
    (TourTie(first_year=2018, persists=True), TourTie(first_year=2019, persists=False), False)
    """
    years = sorted(ties_by_year)
    first: dict[Tie, int] = {}
    for y in years:
        for t in sorted(ties_by_year[y], key=repr):
            first.setdefault(t, y)
    out: dict[Tie, TourTie] = {}
    for t, y in sorted(first.items(), key=lambda kv: repr(kv[0])):
        if t not in workshop_ties_by_year.get(y, frozenset()):
            continue
        later = [y2 for y2 in years if y2 > y]
        out[t] = TourTie(y, any(t in ties_by_year[y2] for y2 in later) if later else None)
    return out


def tour_ties_per_node(created: Mapping[Tie, TourTie]) -> dict[Hashable, tuple[int, int]]:
    """For every node in a created tie: (ties the tour created, of which persisted).

    Examples
    --------
    >>> tour_ties_per_node({("a", "b"): TourTie(2018, True), ("b", "c"): TourTie(2019, False)})["b"]
    (2, 1)
    """
    out: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for (u, v), t in created.items():
        for n in (u, v):
            out[n][0] += 1
            out[n][1] += bool(t.persists)
    return {n: (c[0], c[1]) for n, c in out.items()}


def network_summary(G: nx.Graph, partition: Mapping[Hashable, int],
                    weight: str | None = "weight") -> dict[str, float]:
    """Size and shape of one network: nodes, ties, density, largest component, modularity.

    ``density`` = 2m / (n(n−1)); ``largestComponent`` = nodes in the largest connected
    component; ``modularity`` = Newman's Q of ``partition`` (weighted by ``weight``; NaN
    without ties); ``communities`` = number of parts.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (3, 4)]); G.add_node(5)
    >>> s = network_summary(G, {1: 1, 2: 1, 3: 2, 4: 2, 5: 3})
    >>> s["density"], s["largestComponent"], s["modularity"]
    (0.2, 2, 0.5)
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    parts: dict[int, set[Hashable]] = defaultdict(set)
    for node in G:
        parts[partition[node]].add(node)
    q = (nx.community.modularity(G, [parts[k] for k in sorted(parts)], weight=weight) if m
         else float("nan"))
    return {
        "organisations": n,
        "ties": m,
        "density": nx.density(G) if n > 1 else 0.0,
        "largestComponent": max((len(c) for c in nx.connected_components(G)), default=0),
        "communities": len(parts),
        "modularity": q,
    }
