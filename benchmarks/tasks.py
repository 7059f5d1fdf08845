"""Benchmark tasks that run in their own process (so each one's peak memory is its own).

``python -m benchmarks.tasks TASK JSON`` runs one task and prints ``RESULT {json}`` as its
last line. The parent (:mod:`benchmarks.run`) starts them with a time limit.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants now (MB), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(d.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 1024


class TreeMemory:
    """Samples the memory of this process and its workers (the metrics run in worker
    processes, whose memory VmHWM of this process does not include) every half second."""

    def __init__(self) -> None:
        import os
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._root = os.getpid()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, _tree_rss_mb(self._root))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(max(self.peak, peak_rss_mb()), 1)


# ---------------------------------------------------------------------------------------
# partnergraph build
# ---------------------------------------------------------------------------------------

#: progress message prefix -> phase name (see partnergraph.rdf.build.build)
PHASES = [
    ("reading and validating source files", "read"),
    ("writing the graphs as N-Quads", "nquads"),
    ("loading the new store version", "load"),
    ("validating ", "validate"),
    ("computing network metrics", "metrics"),
    ("store version ", "done"),
]


def task_build(args: dict) -> dict:
    from partnergraph.rdf.build import build
    from partnergraph.settings import load_config

    cfg = load_config({"data_dir": args["data_dir"], "store_path": args["store_dir"]}, environ={})
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()

    def progress(msg: str) -> None:
        for prefix, phase in PHASES:
            if msg.startswith(prefix) and phase not in (m for m, _ in marks):
                marks.append((phase, time.perf_counter() - start))

    memory = TreeMemory()
    result = build(cfg, progress=progress, metrics=args.get("metrics", True))
    total = time.perf_counter() - start
    tree_peak = memory.stop()
    phases: dict[str, float] = {}
    for (name, t), (_, t_next) in zip(marks, [*marks[1:], ("end", total)], strict=True):
        phases[name] = round(t_next - t, 3)
    # "load" runs until the shapes check starts; the check until metrics (or the switch)
    return {
        "total_s": round(total, 3),
        "phases_s": phases,
        "triple_counts": result.triple_counts,
        "warnings": len(result.warnings),
        "version": result.version,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_rss_with_workers_mb": tree_peak,
    }


# ---------------------------------------------------------------------------------------
# baselines: a plain rdflib script, raw pyoxigraph
# ---------------------------------------------------------------------------------------


def task_rdflib_build(args: dict) -> dict:
    """Parse the build's N-Quads into an rdflib Dataset and check the shapes with pySHACL
    (RDFS inference over the ontology), as a plain rdflib script would."""
    from rdflib import Dataset, Graph, URIRef

    from partnergraph.rdf import shacl

    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(args["nquads"], format="nquads")
    t1 = time.perf_counter()
    union = Graph()
    for g in args["data_graphs"]:
        for t in ds.graph(URIRef(g)):
            union.add(t)
    t2 = time.perf_counter()
    out: dict[str, Any] = {"parse_s": round(t1 - t0, 3), "union_s": round(t2 - t1, 3),
                           "triples": len(union)}
    if args.get("validate", True):
        report = shacl.validate_graph(union)
        out["validate_s"] = round(time.perf_counter() - t2, 3)
        out["violations"], out["warnings"] = len(report.violations), len(report.warnings)
    out["total_s"] = round(time.perf_counter() - t0, 3)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def task_oxigraph_load(args: dict) -> dict:
    """Raw pyoxigraph: bulk-load the same N-Quads into a new on-disk store."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    st = ox.Store(args["store_dir"])
    st.bulk_load(path=args["nquads"], format=ox.RdfFormat.N_QUADS)
    st.flush()
    return {"total_s": round(time.perf_counter() - t0, 3), "peak_rss_mb": round(peak_rss_mb(), 1)}


def _rdflib_term(kind: str, value: str):
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    if kind == "uri":
        return URIRef(value)
    if kind == "literal":
        return Literal(value)
    return Literal(value, datatype=XSD[kind])


def task_rdflib_queries(args: dict) -> dict:
    """The canned queries on an rdflib in-memory Dataset holding the same quads."""
    from rdflib import Dataset
    from rdflib.plugins.sparql import prepareQuery

    from partnergraph.namespaces import PREFIXES

    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(args["nquads"], format="nquads")
    load_s = time.perf_counter() - t0
    out: dict[str, Any] = {"load_s": round(load_s, 3), "quads": len(ds), "queries": {}}
    limit = int(args.get("timeout_s", 120))

    def too_long(signum, frame):  # rdflib evaluates in Python: an alarm stops it
        raise TimeoutError

    signal.signal(signal.SIGALRM, too_long)
    for q in args["queries"]:
        prepared = prepareQuery(q["text"], initNs=PREFIXES)
        bindings = {k: _rdflib_term(kind, v) for k, (kind, v) in q["substitutions"].items()}
        times: list[float] = []
        rows = 0
        budget = time.perf_counter() + args["budget_s"]
        entry: dict[str, Any] = {}
        while len(times) < args["runs"] and (not times or time.perf_counter() < budget):
            s = time.perf_counter()
            signal.alarm(limit)
            try:
                res = ds.query(prepared, initBindings=bindings)
                rows = sum(1 for _ in res)
            except TimeoutError:
                entry["timeout_s"] = limit  # the query ran longer than this: stopped
                break
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - s)
        out["queries"][q["name"]] = {"times_s": times, "rows": rows, **entry}
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


# ---------------------------------------------------------------------------------------
# network metrics: sampled against exact betweenness
# ---------------------------------------------------------------------------------------


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _spearman(a: list[float], b: list[float]) -> float:
    ra, rb = _ranks(a), _ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


def task_betweenness_error(args: dict) -> dict:
    """Sampled (the build's setting) against exact betweenness and brokerage on the
    organisation projection of one period (a year, or all years)."""
    import pyoxigraph as ox

    from partnergraph.iri import Minter
    from partnergraph.network import analysis, bridge, measures, projections
    from partnergraph.rdf import store as store_mod

    st, _ = store_mod.open_read_only(Path(args["store_dir"]))
    minter = Minter(args["base_iri"])
    graphs = bridge.data_graphs([g.value for g in st.named_graphs() if isinstance(g, ox.NamedNode)], minter)
    data = bridge.read_network_data(st, graphs)
    periods = [None, *data.years] if args["period"] == "largest-year" else [args["period"]]
    best = None
    for period in periods:
        if period is None and args["period"] == "largest-year":
            continue
        G = projections.collaboration_projection(bridge.organisation_collaboration(data, period))
        if best is None or len(G) > len(best[1]):
            best = (period, G)
    assert best is not None
    period, G = best
    H, iris = analysis._relabelled(G)
    home = {i: data.organisations[iri].home for i, iri in enumerate(iris)}
    k = args["pivots"]
    t0 = time.perf_counter()
    s_btw, s_brk = measures.path_centralities(H, home, weight="distance", k=k, seed=args["seed"],
                                              resolution=analysis.DISTANCE_RESOLUTION)
    t1 = time.perf_counter()
    e_btw, e_brk = measures.path_centralities(H, home, weight="distance", k=None, seed=args["seed"],
                                              resolution=analysis.DISTANCE_RESOLUTION)
    t2 = time.perf_counter()
    out: dict[str, Any] = {"period": period or "all years", "nodes": len(H), "ties": H.number_of_edges(),
                           "pivots": k, "sampled_s": round(t1 - t0, 2), "exact_s": round(t2 - t1, 2)}
    for name, s, e in (("betweenness", s_btw, e_btw), ("brokerage", s_brk, e_brk)):
        nodes = sorted(H)
        sv, ev = [s[i] for i in nodes], [e[i] for i in nodes]
        top = 20
        top_s = set(sorted(nodes, key=lambda i: -s[i])[:top])
        top_e = set(sorted(nodes, key=lambda i: -e[i])[:top])
        errs = [abs(a - b) for a, b in zip(sv, ev, strict=True)]
        scale = max(ev) or 1.0
        out[name] = {
            "spearman": round(_spearman(sv, ev), 4),
            "top20_overlap": len(top_s & top_e) / top,
            "mean_abs_error": sum(errs) / len(errs),
            "max_abs_error": max(errs),
            "max_abs_error_rel_to_max": max(errs) / scale,
        }
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


TASKS = {
    "build": task_build,
    "rdflib_build": task_rdflib_build,
    "oxigraph_load": task_oxigraph_load,
    "rdflib_queries": task_rdflib_queries,
    "betweenness_error": task_betweenness_error,
}


def main(argv: list[str]) -> None:
    task, raw = argv[0], argv[1]
    result = TASKS[task](json.loads(raw))
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
