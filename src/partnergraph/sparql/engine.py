"""The SPARQL engine: guarded queries evaluated in killable worker processes.

Neither pyoxigraph nor rdflib can cancel a running query, so each query runs in a worker
process that opens the current store version read-only. If a query passes the time limit
(setting ``query_timeout``) its worker is killed and a fresh one takes its place; the
caller gets :class:`QueryTimeout`. At most ``max_concurrent_queries`` run at once; a
query that cannot get a slot within the time limit gets :class:`ServiceBusy`.

Workers only evaluate and return plain tuples (picklable); serialising to a format is
done by :mod:`partnergraph.sparql.results` in the calling process. The CLI and the web
endpoint use this same engine, so they share every rule and limit.
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

from partnergraph.errors import PartnergraphError, QueryError, QueryTimeout, ServiceBusy, StoreError
from partnergraph.namespaces import PREFIXES
from partnergraph.rdf import store as store_mod
from partnergraph.settings import Config
from partnergraph.sparql.guard import check_query

#: A term as plain data: ("uri", iri) | ("bnode", id) | ("literal", value, datatype, lang)
Term = tuple


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


def evaluate(st: Any, job: Mapping[str, Any]) -> QueryResult:
    """Evaluate one job on an open pyoxigraph store (runs inside a worker)."""
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {"prefixes": dict(PREFIXES)}
    if job["default_graphs"] is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    if job["named_graphs"] is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    if job.get("substitutions"):
        subs = {}
        for name, (kind, value) in job["substitutions"].items():
            subs[ox.Variable(name)] = ox.NamedNode(value) if kind == "uri" else ox.Literal(value)
        kwargs["substitutions"] = subs
    start = time.perf_counter()
    res = st.query(job["query"], **kwargs)
    limit = job["max_rows"]
    out = QueryResult(form=job["form"])
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


def _worker_main(conn: Any, store_dir: str) -> None:
    """Worker loop: open the requested version read-only, evaluate, send the result."""
    st = None
    version = None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            if st is None or job["version"] != version:
                st, version = store_mod.open_read_only(Path(store_dir), job["version"])
            result = evaluate(st, job)
            result.version = version or ""
            conn.send(("ok", result))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except PartnergraphError as e:
            conn.send(("store", e.message))
        except Exception as e:  # a worker must answer, whatever the query did
            conn.send(("error", f"{type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, ctx: Any, store_dir: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, str(store_dir)), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(1)
        if self.proc.is_alive():
            self.kill()


class QueryEngine:
    """A pool of query workers with a time limit, a row cap and a concurrency cap."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store_dir = config.store_dir
        self._ctx = mp.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(config.max_concurrent_queries)
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.killed = 0  # workers killed by the time limit (shown on /-/health)

    # -- worker management
    def _take(self) -> _Worker:
        try:
            w = self._idle.get_nowait()
            if w.proc.is_alive():
                return w
            self._discard(w)
        except queue.Empty:
            pass
        w = _Worker(self._ctx, self.store_dir)
        with self._lock:
            self._all.add(w)
        return w

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()

    @property
    def workers(self) -> int:
        with self._lock:
            return len(self._all)

    # -- queries
    def known_graphs(self) -> tuple[str, set[str]]:
        from partnergraph.rdf.reader import GraphReader

        reader = GraphReader(self.store_dir, self.config.base_iri)
        return reader.version, set(reader.public_graphs)

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
        """Check and evaluate ``query``; every refusal names its rule or setting."""
        version, graphs = self.known_graphs()
        checked = check_query(query, max_length=self.config.max_query_length, known_graphs=graphs)
        for g in (default_graphs or []) + (named_graphs or []):
            if g not in graphs:
                raise QueryError(f"<{g}> is not a graph in this store; see /-/graphs.")
        public = sorted(graphs)
        if checked.from_graphs or checked.from_named:
            dflt, named = None, None  # the query's own FROM / FROM NAMED decide
        else:
            dflt = default_graphs if default_graphs else public
            named = named_graphs if named_graphs else public
            if default_graphs and not named_graphs:
                named = public
        limit = self.config.max_rows if max_rows is None else min(max_rows, self.config.max_rows)
        timeout = self.config.query_timeout if timeout is None else timeout
        job = {
            "query": query, "form": checked.form, "version": version,
            "default_graphs": dflt, "named_graphs": named,
            "substitutions": dict(substitutions or {}), "max_rows": limit,
        }
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise ServiceBusy(
                f"All {self.config.max_concurrent_queries} query slots stayed busy for {timeout:g} s "
                f"(setting max_concurrent_queries); try again in a moment."
            )
        try:
            worker = self._take()
            try:
                worker.conn.send(job)
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._discard(worker)
                    worker.kill()
                    self.killed += 1
                    raise QueryTimeout(
                        f"The query ran longer than {timeout:g} s and was stopped "
                        f"(setting query_timeout). Narrow it with LIMIT or more specific patterns."
                    )
                status, payload = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._discard(worker)
                worker.kill()
                raise StoreError("The query worker stopped unexpectedly; the query was not "
                                 "answered. Try again.") from None
            self._idle.put(worker)
        finally:
            self._slots.release()
        if status == "ok":
            return payload
        if status == "syntax":
            raise QueryError(f"The query does not parse: {payload}")
        if status == "store":
            raise StoreError(payload)
        raise QueryError(f"The query could not be evaluated: {payload}")
