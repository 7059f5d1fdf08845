"""The SPARQL engine: guarded queries evaluated in killable worker processes.

Neither pyoxigraph nor rdflib can cancel a running query, so each query runs in a worker
process that opens the current store version read-only. If a query passes the time limit
(setting ``query_timeout``) its worker is killed and a fresh one takes its place; the
caller gets :class:`QueryTimeout`. At most ``max_concurrent_queries`` run at once; a
query that cannot get a slot within the time limit gets :class:`ServiceBusy`.

Workers only evaluate and return plain tuples (picklable); serialising to a format is
done by :mod:`partnergraph.sparql.results` in the calling process. The CLI and the web
endpoint use this same engine, so they share every rule and limit.

Concurrency. One engine is shared by every request thread. Each query holds one slot
(a semaphore) and one worker taken from a LIFO queue of idle workers, so no two threads
ever talk to the same worker; counters and the worker set are guarded by a lock; the
store's graph list comes from one cached, thread-safe :class:`GraphReader`. Workers
start through the ``forkserver`` method with this module preloaded (a new worker is
ready in about 50 ms instead of about 200 ms with ``spawn``, and nothing is forked from
the multi-threaded server process); :meth:`QueryEngine.warm` starts them ahead of the
first query, and a worker killed by the time limit is replaced in the background.
Each worker denies itself network sockets (:mod:`partnergraph.sparql.sandbox`).

Hostile queries. A worker evaluates on a thread whose stack grows with ``max_query_length``
(:func:`worker_stack_bytes`), so no query text the guard lets through can nest deeply enough
to overflow it (Oxigraph's parser and evaluator recurse); and it may allocate at most
``query_memory_limit`` MiB. A worker that dies anyway is replaced, and the query is refused
with a message naming the limit, never answered with a traceback.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnergraph.errors import (
    PartnergraphError,
    QueryError,
    QueryRefused,
    QueryTimeout,
    ServiceBusy,
    StoreError,
)
from partnergraph.namespaces import PREFIXES
from partnergraph.rdf import store as store_mod
from partnergraph.settings import Config
from partnergraph.sparql.guard import SERVICE_REFUSED, CheckedQuery, check_query

#: A term as plain data: ("uri", iri) | ("bnode", id) | ("literal", value, datatype, lang)
Term = tuple

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Kinds of values a substitution may bind (see :func:`substitution_term`).
SUBSTITUTION_KINDS = ("uri", "literal", "integer", "decimal", "date", "gYear")


@dataclass
class QueryResult:
    """What a query returned, as plain data."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False
    elapsed: float = 0.0
    version: str = ""
    max_rows: int = 0

    @property
    def size(self) -> int:
        """Rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK)."""
        if self.boolean is not None:
            return 1
        return len(self.triples) if self.form in ("CONSTRUCT", "DESCRIBE") else len(self.rows)


def _term(t: Any) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.datatype.value, t.language)
    return ("literal", str(t), "http://www.w3.org/2001/XMLSchema#string", None)


def substitution_term(kind: str, value: str) -> Any:
    """The pyoxigraph term a substitution binds: a whole term, never query text."""
    import pyoxigraph as ox

    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "literal":
        return ox.Literal(value)
    if kind in SUBSTITUTION_KINDS:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))
    raise ValueError(f"unknown substitution kind {kind!r}")


def evaluate(st: Any, job: Mapping[str, Any]) -> QueryResult:
    """Evaluate one job on an open pyoxigraph store (runs inside a worker)."""
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {"prefixes": dict(PREFIXES),
                              **store_mod.dataset(st, job["default_graphs"], job["named_graphs"])}
    if job.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(name): substitution_term(kind, value)
                                   for name, (kind, value) in job["substitutions"].items()}
    start = time.perf_counter()
    res = st.query(job["query"], **kwargs)
    limit = job["max_rows"]
    out = QueryResult(form=job["form"], max_rows=limit)
    if isinstance(res, ox.QueryBoolean):
        out.boolean = bool(res)
    elif isinstance(res, ox.QuerySolutions):
        out.variables = [v.value for v in res.variables]
        for i, sol in enumerate(res):
            if i >= limit:
                out.truncated = True
                break
            out.rows.append([_term(sol[v]) for v in out.variables])
    else:
        for i, tr in enumerate(res):
            if i >= limit:
                out.truncated = True
                break
            out.triples.append((_term(tr.subject), _term(tr.predicate), _term(tr.object)))
    out.elapsed = time.perf_counter() - start
    return out


#: Stack per character of query text for the worker's evaluation thread. Measured on
#: Oxigraph 0.5 with an 8 MiB stack, the deepest-recursing constructs per character are
#: ``!!!…true`` and ``((((…))))`` (about 0.9 KiB each); 3 KiB leaves a wide margin.
STACK_PER_QUERY_CHAR = 3 * 1024
MIN_STACK = 64 * 1024 * 1024
MEMORY_REFUSED = ("The query needed more memory than the setting query_memory_limit ({limit} MiB) "
                  "allows and was stopped. Narrow it with LIMIT, fewer variables or more specific "
                  "patterns.")
WORKER_DIED = ("The query stopped its worker process before it answered: it needed more memory than "
               "the setting query_memory_limit ({limit} MiB) allows, or nests too deeply. Narrow or "
               "simplify the query.")


def worker_stack_bytes(max_query_length: int) -> int:
    """Stack of a worker's evaluation thread: enough for any query up to the length limit."""
    return max(MIN_STACK, max_query_length * STACK_PER_QUERY_CHAR)


def _worker_main(conn: Any, store_dir: str, memory_mib: int = 0, stack_bytes: int = 0) -> None:
    """Worker process: sandbox itself, cap its memory, then serve jobs on a big-stack thread.

    A job is a dict (see :meth:`QueryEngine.run`) or ``{"open": version}`` (warm-up: open
    the store and report whether the network sandbox is on); ``None`` ends the loop.
    """
    from partnergraph.sparql.sandbox import deny_network, limit_memory

    sandboxed = deny_network()
    if memory_mib > 0:
        limit_memory((memory_mib << 20) + stack_bytes)  # the reserved stack counts as data
    if stack_bytes <= 0:
        _serve_jobs(conn, store_dir, sandboxed, memory_mib)
        return
    threading.stack_size(stack_bytes)
    t = threading.Thread(target=_serve_jobs, args=(conn, store_dir, sandboxed, memory_mib),
                         name="partnergraph-query")
    t.start()
    t.join()


def _serve_jobs(conn: Any, store_dir: str, sandboxed: bool, memory_mib: int) -> None:
    """Worker loop: open the requested version read-only, evaluate, send the result."""
    st = None
    version = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            wanted = job.get("open", job.get("version"))
            if wanted is not None and (st is None or wanted != version):
                st, version = store_mod.open_read_only(Path(store_dir), wanted)
            if "open" in job:
                conn.send(("ready", {"sandboxed": sandboxed, "version": version}))
                continue
            result = evaluate(st, job)
            result.version = version or ""
            conn.send(("ok", result))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except MemoryError:
            conn.send(("refused", MEMORY_REFUSED.format(limit=memory_mib)))
        except PartnergraphError as e:
            conn.send(("store", e.message))
        except OSError as e:
            # With the sandbox on, a SERVICE that got past the guard fails here.
            if sandboxed and "service" in job.get("query", "").lower():
                conn.send(("refused", SERVICE_REFUSED))
            else:
                conn.send(("error", f"{type(e).__name__}: {e}"))
        except Exception as e:  # a worker must answer, whatever the query did
            conn.send(("error", f"{type(e).__name__}: {e}"))


def syntax_message(query: str, error: str) -> str:
    """The parser's message with the offending line and a caret under the position."""
    import re

    msg = f"The query does not parse: {error}"
    m = re.match(r"error at (\d+):(\d+)", error)
    if not m:
        return msg
    line_no, col = int(m.group(1)), int(m.group(2))
    lines = query.splitlines()
    if not 1 <= line_no <= len(lines):
        return msg
    line = lines[line_no - 1]
    return f"{msg}\nline {line_no}: {line}\n{' ' * (len(str(line_no)) + 7 + max(col - 1, 0))}^"


def _context() -> Any:
    """``forkserver`` with this module preloaded where available, else ``spawn``.

    Never plain ``fork``: the server process runs threads (waitress, RocksDB), and
    forking a multi-threaded process can deadlock the child.
    """
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["partnergraph.sparql.engine", "pyoxigraph"])
        return ctx
    return mp.get_context("spawn")


class _Worker:
    def __init__(self, ctx: Any, store_dir: Path, memory_mib: int = 0, stack_bytes: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, str(store_dir), memory_mib, stack_bytes),
                                daemon=True, name="partnergraph-query-worker")
        self.proc.start()
        child.close()

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.proc.join(1)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(OSError):
            self.conn.close()


class QueryEngine:
    """A pool of query workers with a time limit, a row cap and a concurrency cap."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store_dir = config.store_dir
        self._ctx = _context()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(config.max_concurrent_queries)
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._reader: Any = None
        self._closed = False
        self.killed = 0  # workers killed by the time limit (shown on /-/health)
        self.crashed = 0  # workers that died on a query (memory limit or deep nesting)
        self.queries = 0  # queries answered by a worker
        self.sandboxed: bool | None = None  # network sandbox of the workers (None: not known yet)

    # -- worker management
    def _start_worker(self) -> _Worker:
        w = _Worker(self._ctx, self.store_dir, max(0, int(self.config.query_memory_limit)),
                    worker_stack_bytes(self.config.max_query_length))
        with self._lock:
            self._all.add(w)
        return w

    def _take(self) -> _Worker:
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            if w.alive():
                return w
            self._discard(w)
            w.kill()
        return self._start_worker()

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)

    def _ready(self, w: _Worker, version: str | None, timeout: float) -> bool:
        """Have ``w`` open ``version``; True when it answered in time."""
        try:
            w.conn.send({"open": version})
            if not w.conn.poll(timeout):
                return False
            status, info = w.conn.recv()
        except (EOFError, OSError):
            return False
        if status == "ready":
            self.sandboxed = bool(info["sandboxed"])
            return True
        return status == "store"  # no store yet: the worker itself is fine

    def warm(self, count: int | None = None, *, wait: bool = False) -> threading.Thread | None:
        """Start up to ``count`` workers (default: max_concurrent_queries) ahead of queries.

        Runs in a background thread unless ``wait``; never exceeds the concurrency cap.
        """
        if self.remote:
            return None  # a remote store needs no workers (see _run_remote)
        cap = self.config.max_concurrent_queries
        count = cap if count is None else min(count, cap)

        def fill() -> None:
            try:
                version = store_mod.current_version(self.store_dir)
                self.known_graphs()  # opens the shared reader now rather than on the first query
            except (OSError, PartnergraphError):
                version = None
            for _ in range(count):
                with self._lock:
                    if self._closed or len(self._all) >= cap:
                        return
                w = self._start_worker()
                if self._ready(w, version, timeout=30):
                    with self._lock:
                        closed = self._closed
                    if closed:
                        w.stop()
                        return
                    self._idle.put(w)
                else:
                    self._discard(w)
                    w.kill()

        if wait:
            fill()
            return None
        t = threading.Thread(target=fill, name="partnergraph-warm-workers", daemon=True)
        t.start()
        return t

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()

    @property
    def workers(self) -> int:
        with self._lock:
            return len(self._all)

    # -- queries
    def _graph_reader(self) -> Any:
        from partnergraph.rdf.reader import GraphReader

        with self._lock:
            if self._reader is None:
                self._reader = GraphReader.from_config(self.config)
            return self._reader

    def known_graphs(self) -> tuple[str, set[str]]:
        """The current store version and its public graphs (reopened after a build)."""
        reader = self._graph_reader()
        return reader.version, set(reader.public_graphs)

    def check(self, query: str) -> CheckedQuery:
        """The guard's verdict on ``query`` (raises the refusal), without evaluating it."""
        _, graphs = self.known_graphs()
        return check_query(query, max_length=self.config.max_query_length, known_graphs=graphs)

    def run(
        self,
        query: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        substitutions: Mapping[str, tuple[str, str]] | None = None,
        max_rows: int | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Check and evaluate ``query``; every refusal names its rule or setting.

        The dataset follows the SPARQL 1.1 Protocol: graphs given by the protocol
        (``default_graphs``/``named_graphs``, e.g. ``default-graph-uri``) replace the
        query's own ``FROM``/``FROM NAMED``; a part not given is empty. Without either,
        the query's ``FROM``/``FROM NAMED`` decide, and without those the default graph
        is the union of the public graphs and every public graph is a named graph.
        Private graphs are never part of any dataset.
        """
        version, graphs = self.known_graphs()
        checked = check_query(query, max_length=self.config.max_query_length, known_graphs=graphs)
        for g in (default_graphs or []) + (named_graphs or []):
            if g not in graphs:
                raise QueryError(f"<{g}> is not a graph in this store (default-graph-uri / "
                                 f"named-graph-uri must name one of its graphs; see /-/graphs).")
        public = sorted(graphs)
        if default_graphs or named_graphs:
            dflt, named = list(default_graphs or []), list(named_graphs or [])
        elif checked.from_graphs or checked.from_named:
            dflt, named = list(checked.from_graphs), list(checked.from_named)
        else:
            dflt, named = public, public
        for kind, _ in (substitutions or {}).values():
            if kind not in SUBSTITUTION_KINDS:
                raise QueryError(f"Unknown parameter kind {kind!r}; use one of {SUBSTITUTION_KINDS}.")
        limit = self.config.max_rows if max_rows is None else min(max_rows, self.config.max_rows)
        timeout = self.config.query_timeout if timeout is None else timeout
        job = {
            "query": query, "form": checked.form, "version": version,
            "default_graphs": dflt, "named_graphs": named,
            "substitutions": dict(substitutions or {}), "max_rows": limit,
        }
        if self.remote:
            return self._run_remote(job, timeout)
        if not self._slots.acquire(timeout=timeout):
            raise ServiceBusy(
                f"All {self.config.max_concurrent_queries} query slots stayed busy for {timeout:g} s "
                f"(setting max_concurrent_queries); try again in a moment."
            )
        try:
            deadline = time.monotonic() + timeout  # the limit counts from when a slot is free
            worker = self._take()
            try:
                worker.conn.send(job)
            except OSError:  # it died while idle (killed from outside): a fresh one takes the job
                self._discard(worker)
                worker.kill()
                worker = self._start_worker()
                worker.conn.send(job)
            try:
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._discard(worker)
                    worker.kill()
                    with self._lock:
                        self.killed += 1
                    self._replace()
                    raise QueryTimeout(
                        f"The query ran longer than {timeout:g} s and was stopped "
                        f"(setting query_timeout). Narrow it with LIMIT or more specific patterns."
                    )
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                # The worker died on this query: Oxigraph stops the process when an allocation
                # fails (query_memory_limit) or, beyond what its stack allows, on deep nesting.
                self._discard(worker)
                worker.kill()
                with self._lock:
                    self.crashed += 1
                self._replace()
                raise QueryRefused(WORKER_DIED.format(limit=self.config.query_memory_limit)) from None
            self._idle.put(worker)
            with self._lock:
                self.queries += 1
        finally:
            self._slots.release()
        if status == "ok":
            return payload
        if status == "syntax":
            raise QueryError(syntax_message(query, payload))
        if status == "refused":
            raise QueryRefused(payload)
        if status == "store":
            raise StoreError(payload)
        raise QueryError(f"The query could not be evaluated: {payload}")

    @property
    def remote(self) -> bool:
        """True when the store is a SPARQL endpoint (setting ``store_backend = sparql``)."""
        return self._graph_reader().remote is not None

    def _run_remote(self, job: dict[str, Any], timeout: float) -> QueryResult:
        """Evaluate ``job`` on the remote store from this thread, within the same slots and limit.

        No worker process: the query runs on the remote engine, and this side only waits for
        its answer, which an HTTP deadline bounds (the engine has its own limit too, e.g.
        Virtuoso's MaxQueryExecutionTime). Workers could not do it anyway: their sandbox
        forbids sockets, and a socket to the endpoint is all a remote query needs.
        """
        if not self._slots.acquire(timeout=timeout):
            raise ServiceBusy(
                f"All {self.config.max_concurrent_queries} query slots stayed busy for {timeout:g} s "
                f"(setting max_concurrent_queries); try again in a moment."
            )
        try:
            deadline = time.monotonic() + timeout
            reader = self._graph_reader()
            st, version = reader.remote.open_read_only(job["version"])
            try:
                result = evaluate(st.with_limits(deadline=deadline, max_rows=job["max_rows"]), job)
            except SyntaxError as e:
                raise QueryError(syntax_message(job["query"], str(e))) from None
            result.version = version
            with self._lock:
                self.queries += 1
            return result
        finally:
            self._slots.release()

    def _replace(self) -> None:
        """Start a worker in the background to take the place of a killed one."""
        with self._lock:
            if self._closed:
                return
        self.warm(1)
