"""Run every measure on every network, for all years together and for each year.

The one place that decides *which* graph each measure runs on and with which weight and
parameters (the measures themselves are plain functions in :mod:`.measures`). The result,
:class:`Analysis`, is plain data: ``values[level][period][node][measure]``, where ``period`` is
``None`` for all years together or a year.

Determinism: graphs are built in sorted order and relabelled to integers before any measure
runs, so no set of strings (whose iteration order changes between processes) can influence a
result; every randomised algorithm gets the ``random_seed`` setting.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx

from partnergraph.network import bridge, measures, projections, temporal
from partnergraph.network.bridge import NetworkData
from partnergraph.network.catalogue import MUNICIPALITY, NETWORK, ORGANISATION
from partnergraph.settings import Config

Progress = Callable[[str], None]
Period = int | None
Values = dict[str, dict[Period, dict[str, dict[str, Any]]]]

#: Algorithm constants (not settings); written into the metrics run with the settings.
PAGERANK_ALPHA = 0.85
LOUVAIN_RESOLUTION = 1.0
DISTANCE_RESOLUTION = 1e-6
#: Organisations above which the periods run in worker processes: below it, starting them
#: (about a second each) costs more than it saves.
PARALLEL_ABOVE = 5000

_STATUS_MEASURE = {"statusPlanned": "plansPlanned", "statusInProgress": "plansInProgress",
                   "statusDone": "plansDone", "statusDropped": "plansDropped"}
_ROLE_MEASURE = {"roleOfficial": "participantsOfficial", "roleElected": "participantsElected",
                 "roleAssociation": "participantsAssociation", "roleResident": "participantsResident",
                 "roleOther": "participantsOther"}


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class Parameters:
    """The settings that change results, plus the fixed algorithm constants."""

    random_seed: int = 42
    sampled_betweenness_above: int = 2000
    betweenness_sample: int = 200

    @classmethod
    def from_config(cls, config: Config) -> Parameters:
        return cls(config.random_seed, config.sampled_betweenness_above, config.betweenness_sample)

    def as_dict(self) -> dict[str, Any]:
        return {
            "random_seed": self.random_seed,
            "sampled_betweenness_above": self.sampled_betweenness_above,
            "betweenness_sample": self.betweenness_sample,
            "organisation_projection": "Newman collaboration weighting, w = sum over shared "
                                       "workshops and plans of 1/(d-1)",
            "municipality_projection": "w = shared organisations + shared plans + shared workshops",
            "distance": "1/weight, rounded to distance_resolution",
            "distance_resolution": DISTANCE_RESOLUTION,
            "pagerank_alpha": PAGERANK_ALPHA,
            "eigenvector": "principal eigenvector of the weight matrix (igraph, ARPACK), unit "
                           "Euclidean length",
            "betweenness_brokerage": "Brandes on integer distances (igraph), networkx's pivot "
                                     "sampling and estimator above sampled_betweenness_above nodes",
            "louvain_resolution": LOUVAIN_RESOLUTION,
            "constraint_effective_size": "Burt, on weight (the values of networkx constraint and "
                                         "effective_size)",
            "role_thresholds": "usual Guimera-Amaral: hub z >= 2.5; P limits R1 0.05, R2 0.62, "
                               "R3 0.80, R5 0.30, R6 0.75",
        }


@dataclass
class Analysis:
    """Every value computed, with what is needed to label and reproduce it."""

    data: NetworkData
    parameters: dict[str, Any]
    values: Values
    sampling: dict[str, int | None] = field(default_factory=dict)  # "organisation 2019" -> pivots
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, ...]:
        return self.data.years


def _relabelled(G: nx.Graph) -> tuple[nx.Graph, list[str]]:
    """G with nodes 0..n−1 in G's (sorted) order, and the IRI of each integer."""
    labels = list(G)
    return nx.convert_node_labels_to_integers(G, ordering="default"), labels


def _finite(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


class _Runner:
    def __init__(self, data: NetworkData, params: Parameters, progress: Progress) -> None:
        self.data, self.p, self.progress = data, params, progress
        self.sampling: dict[str, int | None] = {}
        self.timings: dict[str, float] = {}

    def _pivots(self, name: str, n: int) -> int | None:
        k = measures.pivots(n, self.p.sampled_betweenness_above, self.p.betweenness_sample)
        self.sampling[name] = k
        return k

    # -- organisations -------------------------------------------------------------------
    def organisations(self, period: Period) -> tuple[dict[str, dict[str, Any]], frozenset, dict[str, Any]]:
        """Every organisation measure of one period; also its ties and its network summary."""
        data, seed = self.data, self.p.random_seed
        name = f"organisation {period or 'all years'}"
        G = projections.collaboration_projection(bridge.organisation_collaboration(data, period))
        H, iris = _relabelled(G)
        ties = temporal.ties(G) if period is not None else frozenset()  # year-on-year change only
        del G  # the integer copy H is what the measures read (1.6 million ties at scale L)
        n = len(H)
        k = self._pivots(name, n)
        how = "exact" if k is None else f"sampled, {k} pivots"
        self.progress(f"{name}: {n} organisations, {H.number_of_edges()} ties; "
                      f"betweenness and brokerage {how}")
        home = {i: data.organisations[iri].home for i, iri in enumerate(iris)}
        by_mun = {i: home[i] or f"self:{iris[i]}" for i in H}
        by_area = {i: "|".join(data.area_of(home[i])) or f"self:{iris[i]}" for i in H}
        comm = measures.communities(H, weight="weight", seed=seed, resolution=LOUVAIN_RESOLUTION)
        p_mun = measures.participation_coefficient(H, by_mun, weight="weight")
        p_area = measures.participation_coefficient(H, by_area, weight="weight")
        p_comm = measures.participation_coefficient(H, comm, weight="weight")
        z = measures.within_module_degree(H, comm, weight="weight")
        btw, brk = measures.path_centralities(H, home, weight="distance", k=k, seed=seed,
                                              resolution=DISTANCE_RESOLUTION)
        self.progress(f"{name}: eigenvector, PageRank, constraint and effective size")
        eig = measures.eigenvector(H, weight="weight")
        pr = measures.pagerank(H, weight="weight", alpha=PAGERANK_ALPHA)
        con, eff = measures.structural_holes(H, weight="weight")
        om = bridge.organisation_municipality(data, period)
        oa = bridge.organisation_area(data, period)
        out: dict[str, dict[str, Any]] = {}
        for i, iri in enumerate(iris):
            deg = H.degree(i)
            row: dict[str, Any] = {
                "degree": deg,
                "strength": math.fsum(d["weight"] for d in H[i].values()),
                "municipalities": om.graph.degree(iri),
                "areas": oa.graph.degree(iri),
                "participationMunicipality": p_mun[i],
                "participationArea": p_area[i],
                "participationCommunity": p_comm[i],
                "withinModuleZ": z[i],
                "betweenness": btw[i],
                "brokerage": brk[i],
                "eigenvector": eig.get(i),
                "pagerank": pr[i],
                "constraint": _finite(con.get(i)),
                "effectiveSize": _finite(eff.get(i)),
                "community": comm[i],
                "role": measures.guimera_amaral_role(z[i], p_comm[i]) if deg else None,
            }
            out[iri] = row
        # on the integer graph: modularity sums floats over sets of nodes
        return out, ties, temporal.network_summary(H, comm)

    # -- municipalities ------------------------------------------------------------------
    def municipalities(self, period: Period) -> dict[str, dict[str, Any]]:
        data = self.data
        name = f"municipality {period or 'all years'}"
        om = bridge.organisation_municipality(data, period)
        M = projections.municipality_projection(om, bridge.municipality_collaboration(data, period))
        H, iris = _relabelled(M)
        k = self._pivots(name, len(H))
        self.progress(f"{name}: {len(H)} municipalities, {H.number_of_edges()} ties")
        btw = measures.betweenness(H, weight="distance", k=k, seed=self.p.random_seed,
                                   resolution=DISTANCE_RESOLUTION)
        out: dict[str, dict[str, Any]] = {}
        for i, m in enumerate(iris):
            out[m] = {"degree": H.degree(i), "strength": H.degree(i, weight="weight"),
                      "betweenness": btw[i], "partnerOrganisations": 0, "outsideOrganisations": 0,
                      "plans": 0, **dict.fromkeys(_STATUS_MEASURE.values(), 0),
                      "participants": 0, **dict.fromkeys(_ROLE_MEASURE.values(), 0)}
        partners: dict[str, set[str]] = defaultdict(set)
        for p in data.plans.values():
            if (period is not None and p.year != period) or p.municipality not in out:
                continue
            row = out[p.municipality]
            row["plans"] += 1
            if p.status in _STATUS_MEASURE:
                row[_STATUS_MEASURE[p.status]] += 1
            for o in p.parties:
                org = data.organisations[o]
                if not (org.municipality_body and org.home == p.municipality):
                    partners[p.municipality].add(o)
        for m, orgs in partners.items():
            out[m]["partnerOrganisations"] = len(orgs)
        for m in iris:
            out[m]["outsideOrganisations"] = sum(
                1 for o in om.graph[m] if data.organisations[o].home not in (None, m))
        for a in data.attendances:
            if period is not None and data.events[a.event].year != period:
                continue
            m = data.municipality_of(a)
            if m in out:
                out[m]["participants"] += a.count
                out[m][_ROLE_MEASURE.get(a.role, "participantsOther")] += a.count
        return out

    # -- one period, and the whole run ----------------------------------------------------
    def period(self, period: Period) -> _PeriodResult:
        """Every measure of one period (independent of the other periods)."""
        t0 = time.perf_counter()
        before = set(self.sampling)
        orgs, all_ties, summary = self.organisations(period)
        ties = workshop = None
        if period is not None:
            ties = all_ties
            W = projections.collaboration_projection(
                bridge.organisation_collaboration(self.data, period, workshop_derived=True))
            workshop = temporal.ties(W)
        muns = self.municipalities(period)
        sampling = {k: v for k, v in self.sampling.items() if k not in before}
        return _PeriodResult(period, orgs, summary, ties, workshop, muns, sampling,
                             time.perf_counter() - t0)

    def run(self, processes: int = 1) -> Values:
        periods: list[Period] = [None, *self.data.years]
        if processes > 1 and len(periods) > 1:
            results = self._in_processes(periods, processes)
        else:
            results = [self.period(p) for p in periods]
        values: Values = {ORGANISATION: {}, MUNICIPALITY: {}, NETWORK: {}}
        ties_by_year: dict[int, frozenset] = {}
        workshop_ties: dict[int, frozenset] = {}
        self.sampling = {}
        for r in sorted(results, key=lambda r: (r.period is not None, r.period or 0)):
            values[ORGANISATION][r.period] = r.organisations
            values[NETWORK][r.period] = {"network": r.summary}
            values[MUNICIPALITY][r.period] = r.municipalities
            if r.period is not None:
                ties_by_year[r.period], workshop_ties[r.period] = r.ties, r.workshop_ties
            self.sampling.update(r.sampling)
            self.timings[f"{r.period or 'all years'}"] = r.seconds
        self._change(values, ties_by_year, workshop_ties)
        return values

    def _in_processes(self, periods: list[Period], processes: int) -> list[_PeriodResult]:
        """The periods in worker processes (``spawn``: no state shared with a server or an
        engine), the all-years network, the largest, first. Their progress messages are
        passed on as each period finishes."""
        ctx = multiprocessing.get_context("spawn")
        results = []
        with ProcessPoolExecutor(max_workers=min(processes, len(periods)), mp_context=ctx,
                                 initializer=_start_worker, initargs=(self.data, self.p)) as pool:
            futures = [pool.submit(_worker_period, p) for p in periods]
            self.progress(f"computing {len(periods)} periods in {min(processes, len(periods))} processes")
            for future in as_completed(futures):
                result, messages = future.result()
                for message in messages:
                    self.progress(message)
                results.append(result)
        return results

    def _change(self, values: Values, ties_by_year: dict[int, frozenset],
                workshop_ties: dict[int, frozenset]) -> None:
        years = self.data.years
        for y, ch in temporal.tie_changes(ties_by_year).items():
            values[NETWORK][y]["network"].update(
                {"newTies": ch["new"], "retainedTies": ch["retained"], "lostTies": ch["lost"],
                 "firstSeenTies": ch["firstSeen"]})
        created = temporal.tour_created_ties(ties_by_year, workshop_ties)
        for period in [None, *years]:
            subset = {t: c for t, c in created.items() if period is None or c.first_year == period}
            values[NETWORK][period]["network"].update(
                {"tourTies": len(subset),
                 "tourTiesPersisting": sum(bool(c.persists) for c in subset.values())})
            per_node = temporal.tour_ties_per_node(subset)
            for iri, row in values[ORGANISATION][period].items():
                row["tourTies"], row["tourTiesPersisting"] = per_node.get(iri, (0, 0))
        for prev, y in pairwise(years):
            for m, row in values[MUNICIPALITY][y].items():
                before = values[MUNICIPALITY][prev][m]
                row["degreeChange"] = row["degree"] - before["degree"]
                row["strengthChange"] = row["strength"] - before["strength"]


@dataclass
class _PeriodResult:
    period: Period
    organisations: dict[str, dict[str, Any]]
    summary: dict[str, Any]
    ties: frozenset | None
    workshop_ties: frozenset | None
    municipalities: dict[str, dict[str, Any]]
    sampling: dict[str, int | None]
    seconds: float


_worker: _Runner | None = None


def _start_worker(data: NetworkData, params: Parameters) -> None:
    global _worker
    _worker = _Runner(data, params, _quiet)


def _worker_period(period: Period) -> tuple[_PeriodResult, list[str]]:
    assert _worker is not None, "the worker was not started"
    messages: list[str] = []
    _worker.progress = messages.append
    return _worker.period(period), messages


def analyse(data: NetworkData, params: Parameters, progress: Progress = _quiet,
            processes: int = 1, parallel_above: int = PARALLEL_ABOVE) -> Analysis:
    """Compute every measure of every level for all years and for each year of ``data``.

    Parameters
    ----------
    data : NetworkData
        From :func:`partnergraph.network.bridge.read_network_data`.
    params : Parameters
        Seed and sampling rule (settings ``random_seed``, ``sampled_betweenness_above``,
        ``betweenness_sample``).
    progress : callable, optional
        Called with a short message before each long step.
    processes : int, optional
        Worker processes for the periods (setting ``metrics_processes``), used when the data
        has more than ``parallel_above`` organisations; the values do not depend on it.

    Returns
    -------
    Analysis
        ``values[level][period][node][measure]``; the network level has one node, ``"network"``.
    """
    runner = _Runner(data, params, progress)
    start = time.perf_counter()
    values = runner.run(processes if len(data.organisations) > parallel_above else 1)
    runner.timings["total"] = time.perf_counter() - start
    parameters = params.as_dict()
    parameters["betweenness_pivots"] = {k: ("exact" if v is None else v) for k, v in runner.sampling.items()}
    return Analysis(data, parameters, values, runner.sampling, runner.timings)


def analyse_store(store, graphs: list[str], params: Parameters, progress: Progress = _quiet,
                  processes: int = 1) -> Analysis:
    """Read ``graphs`` of ``store`` through the bridge and analyse them."""
    progress("reading organisations, workshops and plans")
    return analyse(bridge.read_network_data(store, graphs), params, progress, processes)


# -- tables for people ---------------------------------------------------------------------

DEFAULT_SORT = {ORGANISATION: "brokerage", MUNICIPALITY: "strength", NETWORK: None}


def _label_columns(data: NetworkData, level: str, node: str) -> dict[str, Any]:
    if level == ORGANISATION:
        o = data.organisations[node]
        home = data.municipalities.get(o.home or "")
        return {"iri": node, "label": o.label, "municipality": home.label if home else None,
                "type": o.org_type, "synthetic": o.synthetic}
    m = data.municipalities[node]
    return {"iri": node, "label": m.label,
            "areas": ", ".join(data.areas[a].label for a in m.areas if a in data.areas)}


def rows(analysis: Analysis, level: str, year: int | None = None, sort: str | None = None,
         top: int | None = None) -> list[dict[str, Any]]:
    """One level's values as rows for printing: label columns first, then the measures.

    Organisation and municipality rows are sorted by ``sort`` (default: brokerage, strength),
    largest first, missing values last, ties by label; the network level has one row per
    period (``year`` "all" first). ``top`` keeps the first rows.
    """
    if level == NETWORK:
        periods = [None, *analysis.years] if year is None else [year]
        out = [{"year": "all" if p is None else p, **analysis.values[NETWORK][p]["network"]} for p in periods]
        return out[:top] if top else out
    table = analysis.values[level][year]
    result = [{**_label_columns(analysis.data, level, n), **v} for n, v in table.items()]
    key = sort or DEFAULT_SORT[level]

    def order(r: dict[str, Any]) -> tuple:
        v = r.get(key)
        missing = v is None or (isinstance(v, float) and math.isnan(v))
        num = 0.0 if missing or isinstance(v, str) else -float(v)
        return (missing, num, str(v) if isinstance(v, str) else "", r["label"], r["iri"])

    result.sort(key=order)
    return result[:top] if top else result

