"""partnergraph benchmarks: ``python -m benchmarks.run --scales S,M [--with-L]``.

For each scale: make the data (``partnergraph synth``, seeded), build it, and measure the
build, every canned SPARQL query, the endpoint under concurrent clients, the network
metrics, the explorer and the exports; in the same run and on the same data, the baselines
(a plain rdflib in-memory script and raw pyoxigraph). Results go to
``benchmarks/results/`` as JSON and a Markdown table; see ``benchmarks/README.md``.

Heavy steps run in child processes (:mod:`benchmarks.tasks`) with time limits, so each
step's peak memory is its own and a baseline that would take hours is cut off and
reported as such.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
SEED = 42


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_task(task: str, args: dict, timeout: float) -> dict:
    """Run one :mod:`benchmarks.tasks` task in a child process; ``{"error": ...}`` on failure."""
    cmd = [sys.executable, "-m", "benchmarks.tasks", task, json.dumps(args)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"not finished within {timeout:.0f} s (stopped)", "timeout_s": timeout}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
            out["wall_s"] = round(time.perf_counter() - start, 3)
            return out
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` by linear interpolation."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(times: list[float]) -> dict:
    return {"runs": len(times), "median_ms": round(statistics.median(times) * 1000, 2) if times else None,
            "p95_ms": round(pct(times, 0.95) * 1000, 2) if times else None}


# ---------------------------------------------------------------------------------------
# the machine
# ---------------------------------------------------------------------------------------


def machine() -> dict:
    from importlib.metadata import version

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    libs = {}
    for lib in ("pyoxigraph", "rdflib", "pyshacl", "owlrl", "networkx", "flask", "waitress"):
        try:
            libs[lib] = version(lib)
        except Exception:  # not installed
            libs[lib] = None
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(), "libraries": libs}


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# ---------------------------------------------------------------------------------------
# one scale
# ---------------------------------------------------------------------------------------


class Scale:
    def __init__(self, name: str, work: Path, opts: argparse.Namespace) -> None:
        self.name, self.work, self.opts = name, work, opts
        self.data_dir = work / "data"
        self.store_dir = work / "store"
        self.result: dict[str, Any] = {"scale": name, "loadavg_start": loadavg()}

    # -- data
    def make_data(self) -> None:
        from partnergraph.synth import generate

        if self.opts.data_dir:
            self.data_dir = Path(self.opts.data_dir)
            self.result["data"] = {"source": str(self.data_dir)}
            return
        t = time.perf_counter()
        if self.name == "S":
            # the province demo: the shipped reference and public record + a fresh demo dataset
            self.data_dir.mkdir(parents=True)
            for d in ("reference", "elinvoimapajat"):
                shutil.copytree(ROOT / "data" / d, self.data_dir / d)
            rows = generate("S", SEED, self.data_dir / "demo", self.data_dir)
        else:
            rows = generate(self.name, SEED, self.data_dir, ROOT / "data")
        self.result["data"] = {"synth_s": round(time.perf_counter() - t, 2), "seed": SEED,
                               "rows": sum(rows.values())}

    # -- build
    def build(self) -> None:
        log(f"{self.name}: build")
        with_metrics = self.name != "L" or self.opts.l_metrics
        res = run_task("build", {"data_dir": str(self.data_dir), "store_dir": str(self.store_dir),
                                 "metrics": with_metrics}, self.opts.build_timeout)
        self.result["build"] = res
        if "error" in res:
            raise RuntimeError(f"{self.name}: the build failed: {res['error']}")
        counts = res["triple_counts"]
        data_triples = sum(n for k, n in counts.items() if k not in ("metrics", "system", "ontology")
                           and not k.startswith("private"))
        ph = res["phases_s"]
        no_metrics = sum(v for k, v in ph.items() if k != "metrics")
        res["data_triples"] = data_triples
        res["all_triples"] = sum(counts.values())
        res["build_without_metrics_s"] = round(no_metrics, 3)
        res["triples_per_s"] = round(data_triples / no_metrics) if no_metrics else None
        res["metrics_included"] = with_metrics

    def dump_nquads(self) -> None:
        """The same quads for the baselines: the build's data graphs + ontology (build input),
        and every public graph (what the queries see)."""
        import pyoxigraph as ox

        from partnergraph.rdf import store as store_mod
        from partnergraph.rdf.reader import GraphReader
        from partnergraph.settings import load_config

        cfg = load_config({"store_path": str(self.store_dir), "data_dir": str(self.data_dir)}, environ={})
        self.cfg = cfg
        reader = GraphReader.from_config(cfg)
        self.public = list(reader.public_graphs)
        onto = reader.graph_iri("ontology")
        skip = {reader.graph_iri(k) for k in ("ontology", "system", "metrics")}
        self.data_graphs = [g for g in self.public if g not in skip]
        self.onto_graph = onto
        st, version = store_mod.open_read_only(self.store_dir)
        self.version_dir = store_mod.version_path(self.store_dir, version)
        self.input_nq = self.work / "build-input.nq"
        self.public_nq = self.work / "public.nq"
        for path, graphs in ((self.input_nq, [*self.data_graphs, onto]), (self.public_nq, self.public)):
            with open(path, "wb") as fh:
                for g in graphs:
                    ox.serialize(st.quads_for_pattern(None, None, None, ox.NamedNode(g)), fh,
                                 format=ox.RdfFormat.N_QUADS)
        del st

    # -- baselines
    def baselines(self) -> None:
        log(f"{self.name}: baseline: rdflib in-memory parse + pySHACL")
        validate = not (self.name == "L" and not self.opts.l_rdflib)
        self.result["rdflib_build"] = run_task("rdflib_build", {
            "nquads": str(self.input_nq), "data_graphs": self.data_graphs, "validate": validate,
        }, self.opts.baseline_timeout)
        log(f"{self.name}: baseline: raw pyoxigraph bulk_load")
        raw_dir = self.work / "raw-oxigraph"
        self.result["oxigraph_load"] = run_task("oxigraph_load", {
            "nquads": str(self.input_nq), "store_dir": str(raw_dir)}, self.opts.baseline_timeout)
        shutil.rmtree(raw_dir, ignore_errors=True)

    # -- canned queries
    def canned(self) -> list[dict]:
        from partnergraph.sparql.canned import Library, bind

        out = []
        for name, q in sorted(Library().all().items()):
            _, subs = bind(q, {}, self.cfg.base_iri)
            out.append({"name": name, "text": q.text, "substitutions": subs})
        return out

    def queries(self) -> None:
        import pyoxigraph as ox

        from partnergraph.errors import QueryTimeout
        from partnergraph.namespaces import PREFIXES
        from partnergraph.sparql.engine import QueryEngine, substitution_term

        log(f"{self.name}: canned queries (engine, raw pyoxigraph)")
        runs = self.opts.runs
        queries = self.canned()
        engine = QueryEngine(self.cfg)
        engine.warm(wait=True)
        raw = ox.Store.read_only(str(self.version_dir))
        graphs = [ox.NamedNode(g) for g in self.public]
        limit = self.cfg.max_rows
        results: dict[str, dict] = {}
        for q in queries:
            subs = q["substitutions"]
            eng_times, raw_times = [], []
            rows_engine = rows_raw = 0
            timed_out = None
            try:
                engine.run(q["text"], substitutions=subs)  # warm this query once
                budget = time.perf_counter() + self.opts.query_budget
                while len(eng_times) < runs and (len(eng_times) < 3 or time.perf_counter() < budget):
                    s = time.perf_counter()
                    r = engine.run(q["text"], substitutions=subs)
                    eng_times.append(time.perf_counter() - s)
                    rows_engine = r.size
            except QueryTimeout:  # longer than the setting query_timeout: the engine stops it
                timed_out = self.cfg.query_timeout
            # raw pyoxigraph: a warm-up run, then as many runs as the engine had, within the
            # same budget (at L a single run of the heaviest query takes minutes)
            budget = time.perf_counter() + self.opts.query_budget
            while len(raw_times) < max(len(eng_times), 3) + 1 and (
                    len(raw_times) < 2 or time.perf_counter() < budget):
                s = time.perf_counter()
                res = raw.query(q["text"], default_graph=graphs, named_graphs=graphs, prefixes=PREFIXES,
                                substitutions={ox.Variable(k): substitution_term(kind, v)
                                               for k, (kind, v) in subs.items()} or None)
                n = 0
                if isinstance(res, ox.QuerySolutions):
                    names = res.variables
                    for sol in res:
                        if n >= limit:
                            break
                        for v in names:
                            _ = sol[v]  # read every value, as a client would
                        n += 1
                else:
                    n = 1
                raw_times.append(time.perf_counter() - s)
                rows_raw = n
            results[q["name"]] = {"engine": summary(eng_times), "raw_pyoxigraph": summary(raw_times[1:]),
                                  "rows_engine": rows_engine if timed_out is None else None,
                                  "rows_raw": rows_raw, "engine_timeout_s": timed_out}
        engine.close()
        del raw
        self.result["queries"] = results
        if self.opts.quick:
            return
        if self.name == "L" and not self.opts.l_rdflib:
            self.result["rdflib_queries"] = {"error": "skipped at L (an rdflib Dataset of every quad "
                                                      "would need tens of GB; --l-rdflib runs it)"}
            return
        log(f"{self.name}: canned queries (rdflib in-memory)")
        self.result["rdflib_queries"] = run_task("rdflib_queries", {
            "nquads": str(self.public_nq), "queries": queries, "runs": min(runs, self.opts.rdflib_runs),
            "budget_s": self.opts.rdflib_query_budget, "timeout_s": self.opts.rdflib_query_timeout,
        }, self.opts.baseline_timeout)

    # -- the endpoint under concurrent clients
    def endpoint(self) -> None:
        if self.opts.no_endpoint:
            return
        log(f"{self.name}: endpoint throughput")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "PARTNERGRAPH_STORE_PATH": str(self.store_dir),
               "PARTNERGRAPH_DATA_DIR": str(self.data_dir)}
        server = subprocess.Popen(
            [sys.executable, "-m", "partnergraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--threads", "8"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    c.request("GET", "/-/health")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.3)
            else:
                self.result["endpoint"] = {"error": "the server did not start"}
                return
            # the canned queries without parameters are the mix (parameters need the query pages)
            mix = [q["text"] for q in self.canned() if not q["substitutions"]]
            levels = {}
            for clients in self.opts.clients:
                levels[str(clients)] = self._load(port, mix, clients, self.opts.endpoint_seconds)
            self.result["endpoint"] = {"server_threads": 8, "queries_in_mix": len(mix), "levels": levels}
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()

    @staticmethod
    def _load(port: int, mix: list[str], clients: int, seconds: float) -> dict:
        lat: list[float] = []
        errors: dict[str, int] = {}
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def client(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            n = i
            while time.perf_counter() < stop:
                body = urllib.parse.urlencode({"query": mix[n % len(mix)]})
                n += 1
                s = time.perf_counter()
                try:
                    conn.request("POST", "/sparql", body=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/sparql-results+json"})
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                except OSError as e:
                    status = type(e).__name__
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                dt = time.perf_counter() - s
                with lock:
                    if status == 200:
                        lat.append(dt)
                    else:
                        errors[str(status)] = errors.get(str(status), 0) + 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - start
        return {"clients": clients, "seconds": round(took, 2), "ok": len(lat),
                "requests_per_s": round(len(lat) / took, 2), **summary(lat), "errors": errors}

    # -- metrics
    def metrics(self) -> None:
        b = self.result["build"]
        self.result["metrics"] = {"build_metrics_s": b["phases_s"].get("metrics"),
                                  "metrics_triples": b["triple_counts"].get("metrics"),
                                  "included_in_build": b["metrics_included"]}
        if self.name == "M" or self.opts.betweenness_error_all_scales:
            log(f"{self.name}: sampled vs exact betweenness")
            # the all-years projection: the one the build samples at M (each year is exact)
            self.result["metrics"]["betweenness_error"] = run_task("betweenness_error", {
                "store_dir": str(self.store_dir), "base_iri": self.cfg.base_iri,
                "period": "largest-year" if self.opts.error_largest_year else None,
                "pivots": self.cfg.betweenness_sample, "seed": self.cfg.random_seed,
            }, self.opts.baseline_timeout)

    # -- explorer and exports
    def explorer(self) -> None:
        from partnergraph.webapp import create_app

        log(f"{self.name}: explorer")
        app = create_app(config=self.cfg)
        client = app.test_client()
        areas = self._first_area()
        views = {"default": "/explorer.json", "one year": "/explorer.json?years=2019",
                 "two-mode, all": "/explorer.json?mode=two-mode"}
        if areas:
            views["one area"] = f"/explorer.json?area={areas}"
        out = {}
        for label, url in views.items():
            times = []
            body = b""
            for _ in range(2):  # the first request also reads the network data of the version
                s = time.perf_counter()
                resp = client.get(url)
                times.append(time.perf_counter() - s)
                body = resp.data
            view = json.loads(body) if resp.status_code == 200 else {}
            out[label] = {"url": url, "status": resp.status_code, "bytes": len(body),
                          "nodes": len(view.get("nodes", [])), "edges": len(view.get("edges", [])),
                          "aggregated": view.get("aggregated"), "total_nodes": view.get("total_nodes"),
                          "first_s": round(times[0], 3), "again_s": round(times[1], 3)}
        self.result["explorer"] = {"max_nodes": self.cfg.explorer_max_nodes, "views": out}

    def _first_area(self) -> str | None:
        from partnergraph.rdf.reader import GraphReader

        rows = GraphReader.from_config(self.cfg).select(
            "PREFIX pg: <https://w3id.org/partnergraph/def#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?k WHERE { ?a a pg:WorkshopArea ; skos:notation ?k } ORDER BY ?k LIMIT 1")
        return rows[0]["k"] if rows else None

    def exports(self) -> None:
        from partnergraph.export import export_file
        from partnergraph.export.selection import Selection
        from partnergraph.rdf.reader import GraphReader

        log(f"{self.name}: exports")
        reader = GraphReader.from_config(self.cfg)
        mun = reader.select("PREFIX pg: <https://w3id.org/partnergraph/def#> "
                            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c WHERE { "
                            "?p a pg:CooperationPlan ; pg:municipality ?m . ?m skos:notation ?c } "
                            "GROUP BY ?c ORDER BY DESC(COUNT(?p)) LIMIT 1")
        code = mun[0]["c"] if mun else None
        jobs = [("trig", Selection(), {}), ("graphml", Selection(), {})]
        if code:
            jobs.append(("innokyla", Selection(municipality=code), {"name": "Benchmark"}))
        out = {}
        for fmt, sel, kw in jobs:
            s = time.perf_counter()
            try:
                f = export_file(reader, fmt, sel, **kw)
                out[f"{fmt} ({sel.slug})"] = {"s": round(time.perf_counter() - s, 3), "bytes": len(f.data)}
            except Exception as e:  # report, do not stop the run
                out[f"{fmt} ({sel.slug})"] = {"error": f"{type(e).__name__}: {e}"[:300]}
        self.result["exports"] = out

    def run(self) -> dict:
        t = time.perf_counter()
        steps = [self.make_data, self.build, self.dump_nquads, self.baselines, self.queries,
                 self.endpoint, self.metrics, self.explorer, self.exports]
        if self.opts.quick:
            steps = [self.make_data, self.build, self.dump_nquads, self.queries, self.explorer]
        for step in steps:
            step()
        self.result["loadavg_end"] = loadavg()
        self.result["benchmark_s"] = round(time.perf_counter() - t, 1)
        return self.result


# ---------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------


def _s(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "–"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [f"# partnergraph benchmark, {report['date']}", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}; "
             + ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v), "",
             f"Command: `{report['command']}`", ""]
    scales = report["scales"]
    names = [s["scale"] for s in scales]
    head = "| | " + " | ".join(names) + " |"
    sep = "|---|" + "---:|" * len(names)

    def row(label: str, fn) -> str:
        cells = []
        for s in scales:
            try:
                cells.append(fn(s))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        return f"| {label} | " + " | ".join(cells) + " |"

    def err(d: dict) -> str | None:
        return d.get("error") if isinstance(d, dict) else None

    lines += ["## Build", "", head, sep,
              row("data triples (all graphs after metrics)",
                  lambda s: f"{s['build']['data_triples']:,} ({s['build']['all_triples']:,})"),
              row("read + validate rows (s)", lambda s: _s(s["build"]["phases_s"]["read"])),
              row("records → N-Quads (s)", lambda s: _s(s["build"]["phases_s"]["nquads"])),
              row("bulk load into the new version (s)", lambda s: _s(s["build"]["phases_s"]["load"])),
              row("SHACL, compiled to SPARQL (s)", lambda s: _s(s["build"]["phases_s"]["validate"])),
              row("**build without metrics (s)**",
                  lambda s: f"**{_s(s['build']['build_without_metrics_s'])}**"),
              row("triples per second", lambda s: f"{s['build']['triples_per_s']:,}"),
              row("network metrics (s)", lambda s: _s(s["build"]["phases_s"].get("metrics"))
                  if s["build"]["metrics_included"] else "not run"),
              row("build with metrics (s)", lambda s: _s(s["build"]["total_s"])
                  if s["build"]["metrics_included"] else "–"),
              row("peak RSS of the build (MB)", lambda s: _s(s["build"]["peak_rss_mb"], 0)),
              row("peak RSS with its metrics workers (MB, sampled every 0.5 s)",
                  lambda s: _s(s["build"]["peak_rss_with_workers_mb"], 0)),
              row("rdflib: parse N-Quads (s)",
                  lambda s: err(s["rdflib_build"]) or _s(s["rdflib_build"]["parse_s"])),
              row("rdflib: pySHACL (s)",
                  lambda s: err(s["rdflib_build"]) or _s(s["rdflib_build"].get("validate_s"))),
              row("rdflib: peak RSS (MB)", lambda s: _s(s["rdflib_build"]["peak_rss_mb"], 0)),
              row("**rdflib build ÷ ours (without metrics)**", lambda s: "**" + _ratio(
                  s["rdflib_build"]["total_s"], s["build"]["build_without_metrics_s"]) + "**"
                  if "validate_s" in s["rdflib_build"] else "–"),
              row("raw pyoxigraph bulk_load (s)", lambda s: _s(s["oxigraph_load"]["total_s"])),
              row("ours ÷ raw pyoxigraph load", lambda s: _ratio(
                  s["build"]["build_without_metrics_s"], s["oxigraph_load"]["total_s"])),
              ""]
    # queries
    qnames = sorted({q for s in scales for q in s.get("queries", {})})
    for s in scales:
        if "queries" not in s:
            continue
        rq = s.get("rdflib_queries", {})
        lines += [f"## Canned queries at {s['scale']} (ms; engine = partnergraph's guarded worker pool)", "",
                  "| query | rows | engine median | engine p95 | raw pyoxigraph median | engine ÷ raw | "
                  "rdflib median | rdflib ÷ engine |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        ratios_raw, ratios_rdf, p95s = [], [], []
        for name in qnames:
            q = s["queries"].get(name)
            if not q:
                continue
            e, r = q["engine"], q["raw_pyoxigraph"]
            rd = (rq.get("queries") or {}).get(name)
            if q.get("engine_timeout_s"):
                lines.append(f"| {name} | – | stopped at the {q['engine_timeout_s']:.0f} s limit | – | "
                             f"{r['median_ms']:.1f} | – | – | – |")
                p95s.append(q["engine_timeout_s"] * 1000)
                continue
            rd_med = statistics.median(rd["times_s"]) * 1000 if rd and rd["times_s"] else None
            ratios_raw.append(e["median_ms"] / r["median_ms"])
            p95s.append(e["p95_ms"])
            rd_cell, rd_ratio = _s(rd_med), _ratio(rd_med, e["median_ms"])
            if rd_med:
                ratios_rdf.append(rd_med / e["median_ms"])
            elif rd and rd.get("timeout_s"):  # stopped: the time limit is a lower bound
                bound = rd["timeout_s"] * 1000
                ratios_rdf.append(bound / e["median_ms"])
                rd_cell, rd_ratio = f"> {bound:.0f} (stopped)", f"> {bound / e['median_ms']:.0f}×"
            lines.append(f"| {name} | {q['rows_engine']} | {e['median_ms']:.1f} | {e['p95_ms']:.1f} | "
                         f"{r['median_ms']:.1f} | {e['median_ms'] / r['median_ms']:.2f} | "
                         f"{rd_cell} | {rd_ratio} |")
        if ratios_raw:
            med = statistics.median([x["engine"]["median_ms"] for x in s["queries"].values()
                                     if x["engine"]["median_ms"] is not None])
            rdf = f"{statistics.median(ratios_rdf):.0f}× (min {min(ratios_rdf):.1f}×)" if ratios_rdf else "–"
            lines.append(f"| **median over queries** | | {med:.1f} | max {max(p95s):.1f} | | "
                         f"{statistics.median(ratios_raw):.2f} | | {rdf} |")
        if isinstance(rq, dict) and rq.get("error"):
            lines.append(f"\nrdflib: {rq['error']}")
        elif rq:
            lines.append(f"\nrdflib Dataset: {rq.get('quads', 0):,} quads parsed in "
                         f"{_s(rq.get('load_s'))} s, "
                         f"peak RSS {_s(rq.get('peak_rss_mb'), 0)} MB; "
                         f"up to {report['options']['rdflib_runs']} "
                         f"runs per query within {report['options']['rdflib_query_budget']} s.")
        lines.append("")
    # endpoint
    eps = [s for s in scales if isinstance(s.get("endpoint"), dict) and "levels" in s["endpoint"]]
    if eps:
        lines += ["## SPARQL endpoint (waitress, 8 threads; POST /sparql, JSON results)", "",
                  "| scale | clients | requests/s | median ms | p95 ms | errors |",
                  "|---|---:|---:|---:|---:|---|"]
        for s in eps:
            for lv in s["endpoint"]["levels"].values():
                lines.append(f"| {s['scale']} | {lv['clients']} | {lv['requests_per_s']} | "
                             f"{_s(lv['median_ms'])} | "
                             f"{_s(lv['p95_ms'])} | {lv['errors'] or ''} |")
        lines.append("")
    # metrics
    lines += ["## Network metrics", "", head, sep,
              row("metrics during the build (s)", lambda s: _s(s["metrics"]["build_metrics_s"])
                  if s["metrics"]["included_in_build"] else "not run"),
              row("metrics triples", lambda s: f"{s['metrics']['metrics_triples']:,}"), ""]
    for s in scales:
        be = (s.get("metrics") or {}).get("betweenness_error")
        if be and "error" not in be:
            lines.append(f"Sampled ({be['pivots']} pivots, {be['sampled_s']} s) vs exact "
                         f"({be['exact_s']} s) at "
                         f"{s['scale']}, organisation projection of {be['period']} ({be['nodes']:,} nodes, "
                         f"{be['ties']:,} ties):")
            lines.append("")
            lines.append("| measure | Spearman ρ | top-20 overlap | mean abs error | max abs error (÷ max) |")
            lines.append("|---|---:|---:|---:|---:|")
            for k in ("betweenness", "brokerage"):
                v = be[k]
                lines.append(f"| {k} | {v['spearman']:.3f} | {v['top20_overlap']:.2f} | "
                             f"{v['mean_abs_error']:.2e} | "
                             f"{v['max_abs_error']:.2e} ({v['max_abs_error_rel_to_max']:.1%}) |")
            lines.append("")
        elif be:
            lines.append(f"Betweenness error at {s['scale']}: {be['error']}\n")
    # explorer and exports
    for s in scales:
        if "explorer" in s:
            lines += [f"## Explorer at {s['scale']} (explorer_max_nodes = {s['explorer']['max_nodes']})", "",
                      "| view | nodes drawn (of) | aggregated | JSON bytes | first request s | again s |",
                      "|---|---:|---|---:|---:|---:|"]
            for label, v in s["explorer"]["views"].items():
                lines.append(f"| {label} | {v['nodes']} ({_s(v['total_nodes'])}) | {v['aggregated']} | "
                             f"{v['bytes']:,} | {v['first_s']} | {v['again_s']} |")
            lines.append("")
        if "exports" in s:
            lines += [f"## Exports at {s['scale']}", "", "| export | s | bytes |", "|---|---:|---:|"]
            for label, v in s["exports"].items():
                lines.append(f"| {label} | {_s(v.get('s'), 2)} | {v.get('bytes', v.get('error'))} |")
            lines.append("")
    lines.append("Load average (1 min) at the start/end of each scale: " + ", ".join(
        f"{s['scale']} {s['loadavg_start']}/{s.get('loadavg_end')}" for s in scales))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="S,M", help="comma-separated: S, M, L (default S,M)")
    p.add_argument("--with-L", dest="with_l", action="store_true", help="add scale L (long)")
    p.add_argument("--quick", action="store_true",
                   help="build, queries (1 run) and explorer only; no baselines, endpoint or exports")
    p.add_argument("--data-dir", help="use this data folder instead of generating one (one scale only)")
    p.add_argument("--runs", type=int, default=20, help="runs per canned query (default 20)")
    p.add_argument("--query-budget", type=float, default=60.0,
                   help="seconds of runs per query and side before stopping at 3+ runs (default 60)")
    p.add_argument("--rdflib-runs", type=int, default=5, help="most runs per query on rdflib (default 5)")
    p.add_argument("--rdflib-query-budget", type=float, default=30.0,
                   help="seconds per query on rdflib before stopping after the first run (default 30)")
    p.add_argument("--rdflib-query-timeout", type=float, default=120.0,
                   help="seconds one rdflib query may run before it is stopped (default 120)")
    p.add_argument("--clients", default="1,4,8", help="concurrent endpoint clients (default 1,4,8)")
    p.add_argument("--endpoint-seconds", type=float, default=15.0, help="seconds per client level")
    p.add_argument("--no-endpoint", action="store_true")
    p.add_argument("--build-timeout", type=float, default=7200.0)
    p.add_argument("--baseline-timeout", type=float, default=3600.0,
                   help="seconds each baseline may take before it is stopped (default 3600)")
    p.add_argument("--l-metrics", action="store_true", help="compute the network metrics in the L build")
    p.add_argument("--l-rdflib", action="store_true", help="run the rdflib baselines in full at L")
    p.add_argument("--error-largest-year", action="store_true",
                   help="measure the betweenness error on the largest year's projection instead of "
                        "all years' (quicker)")
    p.add_argument("--betweenness-error-all-scales", action="store_true")
    p.add_argument("--out", default=str(RESULTS))
    p.add_argument("--keep", action="store_true", help="keep the generated data and stores")
    opts = p.parse_args(argv)
    scales = [s.strip().upper() for s in opts.scales.split(",") if s.strip()]
    if opts.with_l and "L" not in scales:
        scales.append("L")
    opts.clients = [int(c) for c in opts.clients.split(",")]
    if opts.quick:
        opts.runs = 1
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "options": {k: v for k, v in vars(opts).items() if k not in ("out",)},
        "scales": [],
    }
    out_dir = Path(opts.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    work_root = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        for name in scales:
            log(f"scale {name}")
            work = work_root / name
            work.mkdir()
            report["scales"].append(Scale(name, work, opts).run())
            (out_dir / f"results-{stamp}.json").write_text(json.dumps(report, indent=2))
            (out_dir / f"results-{stamp}.md").write_text(markdown(report))
    finally:
        if not opts.keep:
            shutil.rmtree(work_root, ignore_errors=True)
        else:
            log(f"kept {work_root}")
    if not opts.quick:
        shutil.copyfile(out_dir / f"results-{stamp}.json", out_dir / "latest.json")
        shutil.copyfile(out_dir / f"results-{stamp}.md", out_dir / "latest.md")
    log(f"wrote {out_dir / f'results-{stamp}.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
