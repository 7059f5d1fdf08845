"""Load test: many concurrent clients against a real server on the loopback interface.

    python benchmarks/load_test.py                       # 50 clients, 60 s, shipped data
    python benchmarks/load_test.py --clients 10 --seconds 10 --json /tmp/load.json

Without ``--base-url`` it builds the shipped data into a temporary store (or uses ``--store``),
starts ``partnergraph serve`` (waitress) on a free loopback port in a subprocess, and stops it
at the end. Clients are threads with keep-alive ``http.client`` connections; each picks a
request from a weighted mix:

* pages: the dashboard, the browse lists, entity pages (/id/…), canned-query pages;
* explorer: ``/explorer.json`` with a few filter combinations;
* sparql: canned and ad-hoc queries, GET and POST, JSON/CSV/XML;
* slow: ``--slow-clients`` of the clients only send queries that cannot finish within
  ``query_timeout`` (a triple cross product), and pause between them. Each must come back as a
  503 QueryTimeout within ``query_timeout`` + ``--margin`` seconds: the time limit holds under load.

Bounded in time (``--seconds``) and count (``--max-requests``); loopback only (a ``--base-url``
whose host is not 127.0.0.1, localhost or ::1 is refused). While it runs, the peak memory of the
server process and of every query worker (``/proc/<pid>/status`` VmHWM, and the total VmRSS of
the process tree, sampled) is recorded.

Prints a Markdown table and writes the figures as JSON (``--json``). Exits 1 if any response
outside the slow queries was a 5xx (or a connection failed), or a slow query was not a timely
503: the checks docs/reliability.md reports.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CATEGORIES = ("pages", "explorer", "sparql", "slow")

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
AD_HOC = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }",
    "SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name } ORDER BY ?name",
    "SELECT ?o ?label WHERE { ?o a pg:Organisation ; skos:prefLabel ?label } LIMIT 50",
    "SELECT ?type (COUNT(?o) AS ?n) WHERE { ?o a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    "ASK { ?s a pg:CooperationPlan }",
    "CONSTRUCT { ?m skos:prefLabel ?name } WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    'SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), "yhdistys")) } LIMIT 20',
]
EXPLORER = ["", "?area=B", "?years=2019", "?mode=two-mode&area=A",
            "?years=2019,2020&type=RegisteredAssociation", "?mode=municipalities",
            "?area=C&status=statusDone", "?municipality=435", "?size=strength&area=D"]
FORMATS = [("json", "application/sparql-results+json"), ("csv", "text/csv"),
           ("xml", "application/sparql-results+xml")]


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words outside comments."""
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.sub(r"#[^\n]*", " ", query), re.I)
    return m[1].upper() if m else "SELECT"


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


# -- the server ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def partnergraph_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("partnergraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "partnergraph.cli"]


def start_server(store: Path, port: int, threads: int, settings: dict[str, str]) -> subprocess.Popen:
    args = [*partnergraph_cmd(), "--store", str(store)]
    for name, value in settings.items():
        args += ["--setting", name, value]
    args += ["serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_healthy(host: str, port: int, proc: subprocess.Popen | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"The server stopped at start-up:\n{proc.stderr.read() if proc.stderr else ''}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/-/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"The server at {host}:{port} was not healthy within {seconds:g} s.")


# -- memory ----------------------------------------------------------------------------------------
def _status(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    out[key] = int(value.split()[0])  # kB
    except OSError:
        pass
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


@dataclass
class MemoryWatch:
    """Samples the server's process tree: the peak VmHWM of each process and the peak total RSS."""

    root: int
    hwm: dict[int, int] = field(default_factory=dict)  # pid -> peak VmHWM (kB)
    names: dict[int, str] = field(default_factory=dict)
    peak_total_rss: int = 0
    samples: int = 0

    def tree(self) -> list[int]:
        out, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += _children(pid)
        return out

    def kind(self, pid: int) -> str:
        """server | forkserver | resource_tracker | query worker (a child of the forkserver)."""
        if pid == self.root:
            return "server"
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return "other"
        if "resource_tracker" in cmd:
            return "resource_tracker"
        if ppid == self.root:
            return "forkserver" if "forkserver" in cmd else "other"
        return "query worker"

    def sample(self) -> None:
        total = 0
        for pid in self.tree():
            st = _status(pid)
            if not st:
                continue
            total += st.get("VmRSS", 0)
            self.hwm[pid] = max(self.hwm.get(pid, 0), st.get("VmHWM", 0))
            if pid not in self.names:
                self.names[pid] = self.kind(pid)
        self.peak_total_rss = max(self.peak_total_rss, total)
        self.samples += 1

    def run(self, stop: threading.Event, every: float = 0.25) -> None:
        while not stop.is_set():
            self.sample()
            stop.wait(every)
        self.sample()

    def summary(self) -> dict:
        workers = [kb for pid, kb in self.hwm.items() if self.names.get(pid) == "query worker"]
        return {
            "server_vmhwm_mib": round(self.hwm.get(self.root, 0) / 1024, 1),
            "worker_vmhwm_max_mib": round(max(workers, default=0) / 1024, 1),
            "workers_seen": len(workers),
            "peak_total_rss_mib": round(self.peak_total_rss / 1024, 1),
            "samples": self.samples,
        }


# -- the clients -----------------------------------------------------------------------------------
@dataclass
class Result:
    category: str
    status: int  # 0: connection error
    seconds: float
    error: str = ""
    label: str = ""
    queue: float = 0.0  # slow queries: latency of a /-/health probe sent at the same moment


@dataclass
class Plan:
    """What clients ask for: built from the server's own lists before the run starts."""

    entities: list[str]
    canned: list[str]
    canned_text: list[str]


def fetch_plan(host: str, port: int) -> Plan:
    conn = http.client.HTTPConnection(host, port, timeout=60)

    def get_json(path: str) -> dict:
        conn.request("GET", path, headers={"Accept": "application/json"})
        res = conn.getresponse()
        body = res.read()
        if res.status != 200:
            raise SystemExit(f"GET {path} gave {res.status} before the run: {body[:300]!r}")
        return json.loads(body)

    entities: list[str] = []
    for name in ("organisations", "municipalities", "events", "plans", "areas"):
        entities += [r["link"] for r in get_json(f"/{name}.json")["rows"] if r.get("link")]
    canned = [q["name"] for q in get_json("/queries.json")["queries"]]
    # the same queries sent to /sparql as they are (a parameter left unbound ranges over everything)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "queries").glob("*.rq"))]
    conn.close()
    return Plan(entities, canned, texts or AD_HOC)


class Client(threading.Thread):
    def __init__(self, n: int, host: str, port: int, plan: Plan, slow: bool, stop: threading.Event,
                 budget: Budget, results: list[Result], lock: threading.Lock, seed: int, pause: float):
        super().__init__(name=f"client-{n}", daemon=True)
        self.host, self.port, self.plan, self.slow = host, port, plan, slow
        self.stop, self.budget, self.results, self.lock = stop, budget, results, lock
        self.rng = random.Random(seed * 1000 + n)
        self.pause = pause
        self.conn: http.client.HTTPConnection | None = None

    def pick(self) -> tuple[str, str, str, bytes | None, dict[str, str], str]:
        """(category, method, path, body, headers, label)."""
        if self.slow:
            return ("slow", "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW_QUERY}), None,
                    {"Accept": "application/sparql-results+json, application/json;q=0.9"}, "cross product")
        r = self.rng.random()
        html = {"Accept": "text/html"}
        if r < 0.40:
            choice = self.rng.random()
            if choice < 0.5:
                path = self.rng.choice(self.plan.entities)
                label = "/id/…"
            elif choice < 0.8:
                path = self.rng.choice(["/", "/organisations", "/municipalities", "/events", "/plans",
                                        "/areas"])
                label = path
            else:
                path = f"/queries/{self.rng.choice(self.plan.canned)}"
                label = "/queries/…"
            return ("pages", "GET", path, None, html, label)
        if r < 0.60:
            return ("explorer", "GET", "/explorer.json" + self.rng.choice(EXPLORER), None,
                    {"Accept": "application/json"}, "/explorer.json")
        query = self.rng.choice(self.plan.canned_text if self.rng.random() < 0.5 else AD_HOC)
        form = query_form(query)
        fmt, accept = ("turtle", "text/turtle") if form in ("CONSTRUCT", "DESCRIBE") else self.rng.choice(
            [FORMATS[0], FORMATS[2]] if form == "ASK" else FORMATS)
        if self.rng.random() < 0.5:
            path = "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})
            return ("sparql", "GET", path, None, {"Accept": accept}, "GET /sparql")
        if self.rng.random() < 0.5:
            body = urllib.parse.urlencode({"query": query}).encode()
            return ("sparql", "POST", "/sparql", body,
                    {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}, "POST form")
        return ("sparql", "POST", "/sparql", query.encode(),
                {"Accept": accept, "Content-Type": "application/sparql-query"}, "POST query")

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                res = self.conn.getresponse()
                data = res.read()
                if res.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                error = ""
                if res.status >= 400:
                    error = data[:200].decode("utf-8", "replace")
                return res.status, error
            except (OSError, http.client.HTTPException) as e:
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    return 0, f"{type(e).__name__}: {e}"
        return 0, "unreachable"

    def probe(self, out: list[float]) -> None:
        """Time a /-/health request: it waits in the same server queue as the slow query does."""
        start = time.monotonic()
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            conn.request("GET", "/-/health")
            conn.getresponse().read()
            conn.close()
        except (OSError, http.client.HTTPException):
            pass
        out.append(time.monotonic() - start)

    def run(self) -> None:
        while not self.stop.is_set() and self.budget.take():
            category, method, path, body, headers, label = self.pick()
            queue: list[float] = []
            prober = threading.Thread(target=self.probe, args=(queue,), daemon=True) if self.slow else None

            start = time.monotonic()
            if prober:
                prober.start()
            status, error = self.send(method, path, body, headers)
            elapsed = time.monotonic() - start
            if prober:
                prober.join(120)
            with self.lock:
                self.results.append(Result(category, status, elapsed, error, label,
                                           queue[0] if queue else 0.0))
            if self.slow:
                self.stop.wait(self.pause)
        if self.conn is not None:
            self.conn.close()


class Budget:
    """A shared cap on the number of requests."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


# -- the report ------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(results: list[Result], duration: float, args: argparse.Namespace, memory: dict | None,
           timeout: float) -> tuple[dict, list[str]]:
    by_cat: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_cat[r.category].append(r)
    cats = {}
    for cat in CATEGORIES:
        rs = by_cat.get(cat, [])
        lat = [r.seconds * 1000 for r in rs]
        cats[cat] = {
            "requests": len(rs),
            "per_second": round(len(rs) / duration, 1) if duration else 0,
            "p50_ms": round(percentile(lat, 50), 1), "p95_ms": round(percentile(lat, 95), 1),
            "p99_ms": round(percentile(lat, 99), 1), "max_ms": round(max(lat, default=float("nan")), 1),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else float("nan"),
            "status": dict(sorted(Counter(str(r.status) for r in rs).items())),
            "by_label": dict(sorted(Counter(r.label for r in rs).items())),
        }
    failures: list[str] = []
    for r in results:
        if r.category != "slow" and (r.status == 0 or r.status >= 500):
            failures.append(f"{r.category} {r.label}: {r.status} {r.error[:150]}")
    slow = by_cat.get("slow", [])
    # A slow query's answer time is its wait in the server's request queue (measured by a health
    # probe sent at the same moment), then its time in the app: a slot, then at most query_timeout.
    slow_ok = [r for r in slow if r.status == 503 and "QueryTimeout" in r.error
               and r.seconds - r.queue <= timeout + args.margin]
    for r in slow:
        if r not in slow_ok:
            failures.append(f"slow query: {r.status} after {r.seconds:.1f} s ({r.queue:.1f} s queued; "
                            f"expected a 503 QueryTimeout within {timeout:g} + {args.margin:g} s): "
                            f"{r.error[:150]}")
    if args.slow_clients and not slow:
        failures.append("no slow query was sent")
    total = len(results)
    summary = {
        "clients": args.clients, "slow_clients": args.slow_clients, "seconds": round(duration, 1),
        "requests": total, "per_second": round(total / duration, 1) if duration else 0,
        "query_timeout": timeout, "margin": args.margin, "server_threads": args.threads,
        "categories": cats,
        "five_xx_outside_slow_queries": sum(1 for r in results if r.category != "slow" and r.status >= 500),
        "connection_errors": sum(1 for r in results if r.status == 0),
        "slow_queries": {"sent": len(slow), "timely_503": len(slow_ok),
                         "max_seconds": round(max((r.seconds for r in slow), default=0), 2),
                         "max_seconds_after_queue": round(max((r.seconds - r.queue for r in slow),
                                                              default=0), 2),
                         "each": [{"status": r.status, "seconds": round(r.seconds, 2),
                                   "queued": round(r.queue, 2)} for r in slow]},
        "memory": memory,
        "ok": not failures,
        "failures": failures[:50],
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "loadavg_before": args.loadavg_before, "loadavg_after": loadavg()},
    }
    return summary, failures


def markdown(summary: dict) -> str:
    lines = [
        f"{summary['clients']} clients ({summary['slow_clients']} sending slow queries), "
        f"{summary['seconds']} s, {summary['requests']} requests, {summary['per_second']} requests/s; "
        f"query_timeout {summary['query_timeout']:g} s; {summary['server_threads']} server threads; "
        f"{summary['machine']['cpus']} CPUs (load average before {summary['machine']['loadavg_before'][:1]}, "
        f"after {summary['machine']['loadavg_after'][:1]}).",
        "",
        "| Category | Requests | Req/s | p50 ms | p95 ms | p99 ms | max ms | Status codes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for cat, c in summary["categories"].items():
        if not c["requests"]:
            continue
        codes = ", ".join(f"{k}: {v}" for k, v in c["status"].items())
        lines.append(f"| {cat} | {c['requests']} | {c['per_second']} | {c['p50_ms']} | {c['p95_ms']} | "
                     f"{c['p99_ms']} | {c['max_ms']} | {codes} |")
    s = summary["slow_queries"]
    lines += ["", f"5xx outside the slow queries: {summary['five_xx_outside_slow_queries']}; "
                  f"connection errors: {summary['connection_errors']}."]
    if s["sent"]:
        lines[-1] += (f" Slow queries: {s['timely_503']} of {s['sent']} stopped with 503 within "
                      f"{summary['query_timeout']:g} + {summary['margin']:g} s of reaching the app (longest "
                      f"{s['max_seconds_after_queue']} s after the server queue; "
                      f"{s['max_seconds']} s in all).")
    m = summary.get("memory")
    if m:
        lines.append(f"Memory: server peak {m['server_vmhwm_mib']} MiB (VmHWM); query workers peak "
                     f"{m['worker_vmhwm_max_mib']} MiB each ({m['workers_seen']} workers seen); "
                     f"whole process tree peak {m['peak_total_rss_mib']} MiB (VmRSS, sampled "
                     f"{m['samples']} times).")
    lines.append("Result: " + ("PASS" if summary["ok"] else "FAIL: " + "; ".join(summary["failures"][:5])))
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--slow-clients", type=int, default=1,
                   help="of those, clients that only send queries past the time limit (default 1)")
    p.add_argument("--seconds", type=float, default=60, help="stop after this long (default 60)")
    p.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    p.add_argument("--base-url", help="test a server already running here (loopback only)")
    p.add_argument("--server-pid", type=int, help="with --base-url: the server's pid, for memory figures")
    p.add_argument("--store", type=Path,
                   help="store to serve (default: build the shipped data into a temp dir)")
    p.add_argument("--data", type=Path, default=ROOT / "data", help="data to build (default: data/)")
    p.add_argument("--threads", type=int, default=8, help="waitress threads (partnergraph serve --threads)")
    p.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="a setting for the server, e.g. --setting query_timeout 5")
    p.add_argument("--margin", type=float, default=5.0,
                   help="seconds a slow query's 503 may take beyond query_timeout (default 5)")
    p.add_argument("--pause", type=float, default=3.0, help="seconds a slow client waits between queries")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", type=Path, default=Path("load_test.json"), help="where to write the figures")
    p.add_argument("--markdown", type=Path, help="also write the Markdown report here")
    args = p.parse_args(argv)
    if args.slow_clients > args.clients:
        p.error("--slow-clients cannot exceed --clients")
    if args.base_url:
        host = urllib.parse.urlsplit(args.base_url).hostname
        if host not in LOOPBACK:
            p.error(f"--base-url must be on the loopback interface (127.0.0.1, localhost or ::1), "
                    f"not {host!r}: this script generates load and must never be pointed at someone "
                    f"else's server")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.loadavg_before = loadavg()
    settings = dict(args.setting)
    timeout = float(settings.get("query_timeout", os.environ.get("PARTNERGRAPH_QUERY_TIMEOUT", 10.0)))
    proc: subprocess.Popen | None = None
    tmp: Path | None = None
    try:
        if args.base_url:
            parts = urllib.parse.urlsplit(args.base_url)
            host, port = parts.hostname or "127.0.0.1", parts.port or 80
            pid = args.server_pid
        else:
            store = args.store
            if store is None:
                tmp = Path(tempfile.mkdtemp(prefix="pg-load-"))
                store = tmp / "store"
                print(f"building {args.data} into {store} …", file=sys.stderr)
                subprocess.run([*partnergraph_cmd(), "--store", str(store), "--data", str(args.data),
                                "build", "-q"], check=True, stdout=subprocess.DEVNULL)
            host, port = "127.0.0.1", free_port()
            proc = start_server(store, port, args.threads, settings)
            pid = proc.pid
        wait_healthy(host, port, proc)
        plan = fetch_plan(host, port)
        print(f"server on http://{host}:{port}/ ; {args.clients} clients for {args.seconds:g} s …",
              file=sys.stderr)

        stop = threading.Event()
        watch = MemoryWatch(pid) if pid and Path(f"/proc/{pid}").exists() else None
        watcher = threading.Thread(target=watch.run, args=(stop,), daemon=True) if watch else None
        if watcher:
            watcher.start()
        results: list[Result] = []
        lock = threading.Lock()
        budget = Budget(args.max_requests)
        clients = [Client(n, host, port, plan, n < args.slow_clients, stop, budget, results, lock, args.seed,
                          args.pause) for n in range(args.clients)]
        start = time.monotonic()
        for c in clients:
            c.start()
        while time.monotonic() - start < args.seconds and budget.left > 0:
            time.sleep(0.1)
        stop.set()
        for c in clients:
            c.join(timeout + args.margin + 60)
        duration = time.monotonic() - start
        if watcher:
            watcher.join(5)
        summary, failures = report(results, duration, args, watch.summary() if watch else None, timeout)
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    text = markdown(summary)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    print(f"figures written to {args.json}", file=sys.stderr)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
