"""The store on a SPARQL 1.1 endpoint (setting ``store_backend = sparql``).

For an organisation that outgrows the embedded Oxigraph store, partnergraph can keep its graph
in an existing engine (Virtuoso, Fuseki, GraphDB, …) and talk to it only through the standard
protocols: the SPARQL 1.1 Protocol for queries (``sparql_query_url``), the Graph Store HTTP
Protocol for loading and dropping graphs (``sparql_store_url``) and SPARQL 1.1 Update for one
small pointer graph (``sparql_update_url``). Only the standard library speaks HTTP here.

Versions on a remote engine
    A build never writes the graphs readers use. Each build is a *version*: every named graph
    ``G`` of the build is loaded (Graph Store ``PUT``/``POST``, N-Triples) into the fresh graph
    ``G?v=<version>``. A small *pointer graph* (``…/graph/-/store``) names the current version
    and lists each version's graphs. When every graph is loaded and its triple count checked,
    one SPARQL Update (a single ``DELETE``/``INSERT`` operation) moves the pointer; only then
    do readers see the new version, whole. A build that fails before that leaves the pointer,
    and so every reader, on the previous version, and its half-loaded graphs are dropped.
    Old versions are dropped after the switch (``keep_versions``, at least two, so that a
    reader still using the previous version for up to :data:`POINTER_TTL` seconds is served).

Reading
    :class:`RemoteStore` offers the part of :class:`pyoxigraph.Store` that partnergraph reads
    with (``query``, ``named_graphs``, ``quads_for_pattern``) and returns pyoxigraph's own
    result objects, parsed from the endpoint's SPARQL results (JSON or XML) and RDF (N-Triples
    or Turtle). Queries see the logical graph names: ``GRAPH <…/graph/demo>`` and ``FROM``
    are mapped to the version's graphs, the dataset (``default_graph``/``named_graphs``) is sent
    as ``default-graph-uri``/``named-graph-uri`` (always explicitly, so no other graph of the
    engine is ever part of a query), ``substitutions`` become a ``VALUES`` block of serialised
    terms, and version names in the answer are mapped back.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from partnergraph.errors import QueryError, QueryRefused, QueryTimeout, SettingError, StoreError
from partnergraph.iri import Minter
from partnergraph.rdf import store as store_mod

BACKENDS = ("oxigraph", "sparql")
#: Seconds a reader trusts the pointer it read before it asks the endpoint again.
POINTER_TTL = 2.0
#: Socket timeout of the build's uploads and updates (one Graph Store request per chunk).
WRITE_TIMEOUT = 600.0
#: Triples per Graph Store request when a graph is uploaded.
CHUNK_TRIPLES = 50_000
#: Largest response accepted from the endpoint.
MAX_RESPONSE_BYTES = 512 * 1024 * 1024
#: A graph name that never holds data: an empty default graph or named-graph set.
NO_GRAPH = "urn:partnergraph:no-graph"
XSD = "http://www.w3.org/2001/XMLSchema#"

_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


# -- settings -------------------------------------------------------------------------------------


def _safe_url(url: str) -> str:
    """``url`` without any user:password part (for messages)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class Endpoint:
    """Where the remote store is and how to reach it (from the ``sparql_*`` settings)."""

    query_url: str
    store_url: str = ""
    update_url: str = ""
    base_iri: str = "https://w3id.org/partnergraph/id/"
    timeout: float = 10.0
    user: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_config(cls, config: Any) -> Endpoint:
        backend = str(config.store_backend).strip().lower()
        if backend not in BACKENDS:
            raise SettingError(f"Setting 'store_backend' must be one of {', '.join(BACKENDS)}, "
                               f"got {config.store_backend!r}.")
        urls = {}
        for name in ("sparql_query_url", "sparql_store_url", "sparql_update_url"):
            url = str(getattr(config, name)).strip()
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise SettingError(f"Setting {name!r} must be an http(s) URL, got {_safe_url(url)!r}.")
            if url and urllib.parse.urlsplit(url).username:
                raise SettingError(f"Setting {name!r} must not contain a user name or password; "
                                   f"use the settings sparql_user and sparql_password.")
            urls[name] = url
        if not urls["sparql_query_url"]:
            raise SettingError("With store_backend = sparql the setting sparql_query_url must name "
                               "the SPARQL endpoint (e.g. http://127.0.0.1:8890/sparql).")
        return cls(urls["sparql_query_url"], urls["sparql_store_url"],
                   urls["sparql_update_url"] or urls["sparql_query_url"], config.base_iri,
                   float(config.query_timeout), str(config.sparql_user), str(config.sparql_password))

    @property
    def graph_namespace(self) -> str:
        """Where graph names are minted (``…/graph/``)."""
        return str(Minter(self.base_iri).graph("x"))[:-1]

    @property
    def pointer_graph(self) -> str:
        """The graph naming the current version (``-`` cannot start a dataset id)."""
        return self.graph_namespace + "-/store"


def is_remote(config: Any) -> bool:
    backend = str(config.store_backend).strip().lower()
    if backend not in BACKENDS:
        Endpoint.from_config(config)  # raises the setting error
    return backend == "sparql"


# -- HTTP -----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


class _Http:
    """Small HTTP client: timeouts, deadlines, preemptive Digest or Basic authentication.

    Credentials are sent preemptively once the server's challenge is known (urllib's own
    handlers answer a 401 by sending the request again, and a server that refuses a large
    upload before reading it resets the connection instead). They never appear in messages.
    """

    def __init__(self, user: str, password: str, urls: Iterable[str]) -> None:
        self.user = user
        self._password = password
        self._lock = threading.Lock()
        self._challenges: dict[str, tuple[str, dict[str, str]]] = {}
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in urls:
            if url:
                manager.add_password(None, url, user, password)
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)
        self._opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPRedirectHandler(),
                        urllib.request.HTTPErrorProcessor()):
            self._opener.add_handler(handler)

    @staticmethod
    def _key(url: str) -> str:
        p = urllib.parse.urlsplit(url)
        return f"{p.scheme}://{p.netloc}{p.path}"

    def _authorization(self, req: urllib.request.Request) -> str | None:
        if not self.user:
            return None
        with self._lock:
            known = self._challenges.get(self._key(req.full_url))
            if known is None:
                return None
            scheme, params = known
            if scheme == "basic":
                token = base64.b64encode(f"{self.user}:{self._password}".encode()).decode()
                return f"Basic {token}"
            auth = self._digest.get_authorization(req, params)
            return f"Digest {auth}" if auth else None

    def _learn(self, url: str, header: str) -> bool:
        """Remember the server's challenge; False if it is not one we can answer."""
        scheme, _, rest = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme not in ("digest", "basic") or not self.user:
            return False
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
        with self._lock:
            self._challenges[self._key(url)] = (scheme, params)
            self._digest.reset_retry_count()
        return True

    def _probe(self, url: str, timeout: float) -> None:
        """Ask for the challenge with a request that has no body (so nothing is sent twice)."""
        req = urllib.request.Request(self._key(url), method="GET")
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            if e.code == 401:
                self._learn(url, e.headers.get("WWW-Authenticate", ""))
            e.close()
        except (urllib.error.URLError, OSError):
            pass

    def request(self, method: str, url: str, *, data: bytes | None = None,
                headers: Mapping[str, str] | None = None, timeout: float,
                deadline: float | None = None, max_bytes: int = MAX_RESPONSE_BYTES) -> Response:
        if self.user and self._key(url) not in self._challenges:
            self._probe(url, timeout)
        for attempt in (1, 2):
            req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
            auth = self._authorization(req)
            if auth:
                req.add_header("Authorization", auth)
            left = timeout if deadline is None else max(0.05, min(timeout, deadline - time.monotonic()))
            try:
                with self._opener.open(req, timeout=left) as resp:
                    body = self._read(resp, deadline, max_bytes)
                    return Response(resp.status, dict(resp.headers.items()), body)
            except urllib.error.HTTPError as e:
                with contextlib.closing(e):
                    if e.code == 401 and attempt == 1 and self._learn(
                            url, e.headers.get("WWW-Authenticate", "")):
                        continue  # stale nonce or first contact: answer the challenge once
                    body = e.read(64 * 1024) if e.fp is not None else b""
                    return Response(e.code, dict(e.headers.items()), body)
            except (ConnectionResetError, BrokenPipeError) as e:
                if attempt == 1 and self.user:
                    self._probe(url, timeout)  # refused before the body was read: learn, retry
                    continue
                raise StoreError(f"The SPARQL endpoint {_safe_url(url)} closed the connection ({e}).") \
                    from None
            except TimeoutError:
                raise QueryTimeout(_timeout_message(timeout, url)) from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, TimeoutError | socket.timeout):
                    raise QueryTimeout(_timeout_message(timeout, url)) from None
                raise StoreError(f"Cannot reach the SPARQL endpoint {_safe_url(url)} ({e.reason}). "
                                 f"Check the sparql_* settings and that the engine is running.") from None
        raise StoreError(f"The SPARQL endpoint {_safe_url(url)} refused the credentials "
                         f"(settings sparql_user and sparql_password).")

    @staticmethod
    def _read(resp: Any, deadline: float | None, max_bytes: int) -> bytes:
        buf = io.BytesIO()
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeout("The SPARQL endpoint did not finish its answer within the time limit "
                                   "(setting query_timeout).")
            chunk = resp.read(256 * 1024)
            if not chunk:
                return buf.getvalue()
            buf.write(chunk)
            if buf.tell() > max_bytes:
                raise QueryRefused(f"The answer of the SPARQL endpoint is larger than "
                                   f"{max_bytes >> 20} MiB; narrow the query with LIMIT.")


def _timeout_message(timeout: float, url: str) -> str:
    return (f"The SPARQL endpoint {_safe_url(url)} did not answer within {timeout:g} s "
            f"(setting query_timeout). Narrow the query with LIMIT or more specific patterns.")


def _error_text(resp: Response) -> str:
    text = resp.body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)  # an HTML error page
    return " ".join(text.split())[:500]


# -- query text ---------------------------------------------------------------------------------

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.I)
_PNAME = re.compile(r"(?<![\w?$:.<-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:((?:[\w:-]|%[0-9A-Fa-f]{2})"
                    r"(?:[\w.:-]|%[0-9A-Fa-f]{2})*)?")
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<\s*>|[A-Za-z][\w.-]*:[\w.:%-]*|:[\w.:%-]*)", re.I)
#: Words of engine-specific syntax (Virtuoso's pragmas and options) refused before sending.
_EXTENSION_WORDS = re.compile(r"(?<![\w:?$])(DEFINE|OPTION)(?![\w:])", re.I)
#: IRIs that name engine built-ins rather than data (Virtuoso's SQL functions and its schemas).
_REFUSED_IRIS = ("bif:", "sql:", "java:", "clr:", "http://www.openlinksw.com/")
_FORMS = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.I)


def _blank(text: str) -> str:
    from partnergraph.sparql.guard import _blank as guard_blank

    return guard_blank(text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first form keyword outside strings and IRIs)."""
    m = _FORMS.search(_blank(text))
    if m is None:
        raise SyntaxError("The query has no SELECT, ASK, CONSTRUCT or DESCRIBE form.")
    return m.group(1).upper()


def _code_iris(text: str, blanked: str) -> Iterator[re.Match[str]]:
    """IRIREF tokens that are code (not inside strings or comments)."""
    for m in _IRIREF.finditer(text):
        if blanked[m.start()] == "<" and blanked[m.end() - 1] == ">" and not blanked[
                m.start() + 1: m.end() - 1].strip():
            yield m


@dataclass
class PreparedQuery:
    text: str
    form: str


def prepare_query(text: str, *, prefixes: Mapping[str, str] | None, graph_map: Mapping[str, str],
                  substitutions: Mapping[str, Any] | None) -> PreparedQuery:
    """The query as sent to the endpoint.

    Refuses engine-specific extensions; removes ``FROM``/``FROM NAMED`` (the dataset is always
    sent with the protocol, which Virtuoso would otherwise merge with them); maps logical graph
    names (IRIs and prefixed names) to the version's graphs; binds ``substitutions`` with a
    ``VALUES`` block at the start of the top-level ``WHERE`` group; declares ``prefixes``.
    """
    blanked = _blank(text)
    form = query_form(text)
    m = _EXTENSION_WORDS.search(blanked)
    if m:
        raise QueryRefused(f"{m.group(1).upper()} is refused: engine-specific pragmas are not "
                           f"SPARQL 1.1 and are never passed to the store.")
    declared = dict(prefixes or {})
    for d in _PREFIX_DECL.finditer(text):
        if blanked[d.start(): d.start() + 6].upper() == "PREFIX":
            declared[d.group(1) or ""] = d.group(2)
    edits: list[tuple[int, int, str]] = []
    for f in _FROM.finditer(blanked):
        edits.append((f.start(), f.end(), " " * (f.end() - f.start())))
    from_spans = [(a, b) for a, b, _ in edits]

    def in_from(pos: int) -> bool:
        return any(a <= pos < b for a, b in from_spans)

    def check_iri(iri: str) -> None:
        if iri.lower().startswith(_REFUSED_IRIS):
            raise QueryRefused(f"<{iri}> is refused: it names a built-in of the store's engine, "
                               f"not data (rule: SPARQL 1.1 only).")

    for m in _code_iris(text, blanked):
        if in_from(m.start()):
            continue
        iri = m.group(0)[1:-1]
        check_iri(iri)
        if iri in graph_map:
            edits.append((m.start(), m.end(), f"<{graph_map[iri]}>"))
    for m in _PNAME.finditer(blanked):
        if in_from(m.start()):
            continue
        prefix, local = m.group(1) or "", (m.group(2) or "").rstrip(".")
        if prefix not in declared:
            raise SyntaxError(f"The prefix {prefix!r}: is not declared (write PREFIX {prefix}: <…>).")
        iri = declared[prefix] + local
        check_iri(iri)
        if iri in graph_map:
            end = m.start() + len(m.group(1) or "") + 1 + len(local)
            edits.append((m.start(), end, f"<{graph_map[iri]}>"))
    if substitutions:
        where = _where_brace(blanked, form)
        names = list(substitutions)
        terms = []
        for name in names:
            term = substitutions[name]
            if isinstance(term, ox.NamedNode) and term.value in graph_map:
                term = ox.NamedNode(graph_map[term.value])
            if not isinstance(term, ox.NamedNode | ox.Literal):
                raise QueryError(f"Only IRIs and literals can be bound to ?{name} on a remote store.")
            terms.append(str(term))  # pyoxigraph's N-Triples form: a whole, escaped term
        values = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(terms) + ") } ")
        edits.append((where + 1, where + 1, values))
    out = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
    return PreparedQuery(prologue + "".join(out), form)


def _where_brace(blanked: str, form: str) -> int:
    """Index of the ``{`` that opens the query's top-level WHERE group."""
    start = _FORMS.search(blanked)
    assert start is not None
    depth_paren = depth_brace = 0
    groups: list[int] = []
    for i in range(start.end(), len(blanked)):
        c = blanked[i]
        if c == "(":
            depth_paren += 1
        elif c == ")":
            depth_paren -= 1
        elif c == "{":
            if depth_brace == 0 and depth_paren == 0:
                groups.append(i)
                if form != "CONSTRUCT" or re.search(r"\bWHERE\s*$", blanked[start.end(): i], re.I) \
                        or len(groups) == 2:
                    return i
            depth_brace += 1
        elif c == "}":
            depth_brace -= 1
    raise QueryError("Parameters need a query with a WHERE { … } group.")


# -- reading --------------------------------------------------------------------------------------


def version_suffix(version: str) -> str:
    return f"?v={version}"


@dataclass
class RemoteStore:
    """A read-only view of one version on the endpoint, shaped like :class:`pyoxigraph.Store`.

    ``deadline`` (a ``time.monotonic()`` value) bounds every request; ``max_rows`` is the row
    cap of the caller: an endpoint that cuts an answer at more rows than that is fine (the
    caller cuts it anyway), any other cut is an error rather than a silently partial answer.
    """

    endpoint: Endpoint
    version: str
    graphs: tuple[str, ...]
    http: _Http
    deadline: float | None = None
    max_rows: int | None = None

    def with_limits(self, *, deadline: float | None, max_rows: int | None) -> RemoteStore:
        return replace(self, deadline=deadline, max_rows=max_rows)

    def physical(self, graph: str) -> str:
        return graph + version_suffix(self.version)

    @functools.cached_property
    def graph_map(self) -> dict[str, str]:
        return {g: self.physical(g) for g in self.graphs}

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter([ox.NamedNode(g) for g in self.graphs])

    def _dataset(self, graphs: Any, *, all_if_none: bool) -> list[str]:
        if graphs is None:
            chosen = list(self.graphs) if all_if_none else []
        else:
            if not isinstance(graphs, list | tuple | set | frozenset):
                graphs = [graphs]
            chosen = [g.value for g in graphs if isinstance(g, ox.NamedNode)]
        physical = [self.graph_map[g] for g in chosen if g in self.graph_map]
        return physical or [NO_GRAPH]

    def query(self, query: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None,
              use_default_graph_as_union: bool = False, default_graph: Any = None,
              named_graphs: Any = None, substitutions: Mapping[Any, Any] | None = None) -> Any:
        """Evaluate ``query`` on the endpoint; the same arguments and results as pyoxigraph's."""
        subs = {(k.value if isinstance(k, ox.Variable) else str(k)): v
                for k, v in (substitutions or {}).items()}
        prepared = prepare_query(query, prefixes=prefixes, graph_map=self.graph_map, substitutions=subs)
        text = prepared.text if base_iri is None else f"BASE <{base_iri}>\n{prepared.text}"
        if use_default_graph_as_union:
            default = self._dataset(None, all_if_none=True)
        else:
            default = self._dataset(default_graph, all_if_none=False)
        named = self._dataset(named_graphs, all_if_none=True)
        form = prepared.form
        accept = ("application/sparql-results+json, application/sparql-results+xml;q=0.9"
                  if form in ("SELECT", "ASK")
                  else "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
        fields = [("query", text)] + [("default-graph-uri", g) for g in default] + [
            ("named-graph-uri", g) for g in named]
        resp = self.http.request(
            "POST", self.endpoint.query_url, data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept},
            timeout=self.endpoint.timeout, deadline=self.deadline)
        self._check(resp)
        body = resp.body.replace(version_suffix(self.version).encode(), b"")
        if form in ("SELECT", "ASK"):
            fmt = _RESULTS_FORMATS.get(resp.media_type)
            if fmt is None:
                raise StoreError(f"The SPARQL endpoint answered a {form} query with {resp.media_type!r}, "
                                 f"not SPARQL results (JSON or XML).")
            return ox.parse_query_results(body, fmt)
        fmt_rdf = _RDF_FORMATS.get(resp.media_type)
        if fmt_rdf is None:
            raise StoreError(f"The SPARQL endpoint answered a {form} query with {resp.media_type!r}, "
                             f"not N-Triples, Turtle or RDF/XML.")
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt_rdf)]

    def _check(self, resp: Response) -> None:
        headers = {k.lower(): v for k, v in resp.headers.items()}
        state = headers.get("x-sql-state", "")
        if state.upper().startswith("S1T") or (resp.status >= 400 and re.search(
                r"timed? ?out|S1T00|SR171|Anytime", _error_text(resp), re.I)):
            raise QueryTimeout("The SPARQL endpoint stopped the query at its own time limit "
                               "(on Virtuoso: MaxQueryExecutionTime). Narrow the query.")
        if resp.status in (401, 403):
            raise StoreError(f"The SPARQL endpoint {_safe_url(self.endpoint.query_url)} refused access "
                             f"(HTTP {resp.status}); check sparql_user and sparql_password.")
        if 400 <= resp.status < 500:
            raise QueryError(f"The SPARQL endpoint refused the query: {_error_text(resp)}")
        if resp.status >= 300:
            raise StoreError(f"The SPARQL endpoint failed (HTTP {resp.status}): {_error_text(resp)}")
        cap = headers.get("x-sparql-maxrows")
        if cap is not None:
            try:
                cut = int(cap)
            except ValueError:
                cut = 0
            if self.max_rows is None or cut <= self.max_rows:
                raise StoreError(f"The SPARQL endpoint cut the answer at {cap} rows (on Virtuoso: "
                                 f"ResultSetMaxRows in virtuoso.ini); raise that limit above the "
                                 f"largest graph and the setting max_rows.")

    def quads_for_pattern(self, subject: Any, predicate: Any, object: Any,
                          graph_name: Any = None) -> list[ox.Quad]:
        """Quads matching the pattern (``None`` matches anything), in the version's graphs."""
        if isinstance(graph_name, ox.DefaultGraph):
            return []
        graphs = [graph_name] if graph_name is not None else None
        subs = {name: term for name, term in (("s", subject), ("p", predicate), ("o", object))
                if term is not None}
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                         default_graph=None, named_graphs=graphs,
                         substitutions={ox.Variable(k): v for k, v in subs.items()} or None)
        return [ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"]) for sol in res]


# -- the pointer graph ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRecord:
    version: str
    graphs: tuple[str, ...]
    published: bool


class Backend:
    """The remote store of one configuration: reads the pointer, opens versions, publishes."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.http = _Http(endpoint.user, endpoint.password,
                          (endpoint.query_url, endpoint.store_url, endpoint.update_url))
        self._lock = threading.Lock()
        self._pointer: tuple[float, str | None, tuple[str, ...]] | None = None

    @classmethod
    def from_config(cls, config: Any) -> Backend:
        return cls(Endpoint.from_config(config))

    # terms of the pointer graph
    def _t(self, name: str) -> str:
        return f"{self.endpoint.pointer_graph}#{name}"

    def _record(self, version: str) -> str:
        return f"{self.endpoint.pointer_graph}#v-{version}"

    def _select(self, query: str, timeout: float | None = None) -> list[dict[str, str]]:
        ptr = self.endpoint.pointer_graph
        fields = [("query", query), ("default-graph-uri", NO_GRAPH), ("named-graph-uri", ptr)]
        resp = self.http.request(
            "POST", self.endpoint.query_url, data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "Accept": "application/sparql-results+json"},
            timeout=timeout or self.endpoint.timeout)
        RemoteStore(self.endpoint, "", (), self.http)._check(resp)
        res = ox.parse_query_results(resp.body, _RESULTS_FORMATS.get(resp.media_type,
                                                                     ox.QueryResultsFormat.JSON))
        names = [v.value for v in res.variables]
        return [{n: sol[n].value for n in names if sol[n] is not None} for sol in res]

    def versions(self, timeout: float | None = None) -> list[VersionRecord]:
        """Every version the pointer graph records, oldest first."""
        rows = self._select(
            f"SELECT ?v ?g ?published ?created WHERE {{ GRAPH <{self.endpoint.pointer_graph}> {{ "
            f"?r <{self._t('version')}> ?v . OPTIONAL {{ ?r <{self._t('graph')}> ?g }} "
            f"OPTIONAL {{ ?r <{self._t('created')}> ?created }} "
            f"OPTIONAL {{ ?r <{self._t('published')}> ?published }} }} }}", timeout)
        found: dict[str, tuple[set[str], bool, str]] = {}
        for r in rows:
            graphs, published, created = found.setdefault(r["v"], (set(), False, ""))
            if "g" in r:
                graphs.add(r["g"])
            found[r["v"]] = (graphs, published or "published" in r, max(created, r.get("created", "")))
        order = sorted(found, key=lambda v: (found[v][2], v))  # by creation time, then name
        return [VersionRecord(v, tuple(sorted(found[v][0])), found[v][1]) for v in order]

    def read_pointer(self, timeout: float | None = None) -> tuple[str | None, tuple[str, ...]]:
        """The current version and its graphs, read from the endpoint now."""
        ptr = self.endpoint.pointer_graph
        rows = self._select(
            f"SELECT ?v ?g WHERE {{ GRAPH <{ptr}> {{ <{ptr}> <{self._t('current')}> ?v . "
            f"OPTIONAL {{ ?r <{self._t('version')}> ?v ; <{self._t('graph')}> ?g }} }} }}", timeout)
        if not rows:
            return None, ()
        version = max(r["v"] for r in rows)  # one value; the newest should an engine keep two
        return version, tuple(sorted({r["g"] for r in rows if r["v"] == version and "g" in r}))

    def current(self) -> tuple[str | None, tuple[str, ...]]:
        """The current version and its graphs, trusted for :data:`POINTER_TTL` seconds."""
        now = time.monotonic()
        with self._lock:
            if self._pointer is not None and now - self._pointer[0] < POINTER_TTL:
                return self._pointer[1], self._pointer[2]
        version, graphs = self.read_pointer()
        with self._lock:
            self._pointer = (time.monotonic(), version, graphs)
        return version, graphs

    def current_version(self) -> str | None:
        return self.current()[0]

    def open_read_only(self, version: str | None = None) -> tuple[RemoteStore, str]:
        """The current (or the given) version, like :func:`partnergraph.rdf.store.open_read_only`."""
        cur, graphs = self.current()
        if version is not None and version != cur:
            rec = next((r for r in self.versions() if r.version == version), None)
            if rec is None:
                raise StoreError(f"The store version {version} is not on the SPARQL endpoint.")
            cur, graphs = rec.version, rec.graphs
        if cur is None:
            raise StoreError(f"No partnergraph store on the SPARQL endpoint "
                             f"{_safe_url(self.endpoint.query_url)} yet (no current version in "
                             f"<{self.endpoint.pointer_graph}>). Build it first with `partnergraph build`.")
        return RemoteStore(self.endpoint, cur, graphs, self.http), cur

    # -- writing
    def _need_writes(self) -> None:
        if not self.endpoint.store_url:
            raise SettingError("Building into a SPARQL endpoint needs the setting sparql_store_url "
                               "(its Graph Store Protocol URL, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth).")

    def update(self, text: str) -> None:
        """One SPARQL 1.1 Update request (``update=`` form field, as the protocol says)."""
        resp = self.http.request(
            "POST", self.endpoint.update_url, data=urllib.parse.urlencode({"update": text}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            timeout=WRITE_TIMEOUT)
        if resp.status >= 300:
            raise StoreError(f"The SPARQL endpoint {_safe_url(self.endpoint.update_url)} refused an update "
                             f"(HTTP {resp.status}): {_error_text(resp)}")

    def _graph_request(self, method: str, graph: str, body: bytes | None = None) -> Response:
        url = self.endpoint.store_url + ("&" if "?" in self.endpoint.store_url else "?") + \
            urllib.parse.urlencode({"graph": graph})
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        return self.http.request(method, url, data=body, headers=headers, timeout=WRITE_TIMEOUT)

    def upload_graph(self, graph: str, triples: Iterable[ox.Triple]) -> int:
        """Replace ``graph`` with ``triples``: ``PUT`` of the first chunk, ``POST`` of the rest.

        Blank nodes are scoped to one request, so every triple that has one goes in the
        first request together.
        """
        with_bnodes: list[ox.Triple] = []
        plain: list[ox.Triple] = []
        for t in triples:
            (with_bnodes if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
             else plain).append(t)
        chunks = [with_bnodes + plain[:CHUNK_TRIPLES]] + [
            plain[i: i + CHUNK_TRIPLES] for i in range(CHUNK_TRIPLES, len(plain), CHUNK_TRIPLES)]
        for i, chunk in enumerate(chunks):
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
            resp = self._graph_request("PUT" if i == 0 else "POST", graph, body)
            if resp.status >= 300:
                raise StoreError(f"The Graph Store {_safe_url(self.endpoint.store_url)} refused graph "
                                 f"<{graph}> (HTTP {resp.status}): {_error_text(resp)}")
        return len(with_bnodes) + len(plain)

    def drop_graph(self, graph: str) -> None:
        resp = self._graph_request("DELETE", graph)
        if resp.status >= 300 and resp.status != 404:
            raise StoreError(f"The Graph Store {_safe_url(self.endpoint.store_url)} could not drop "
                             f"<{graph}> (HTTP {resp.status}): {_error_text(resp)}")

    def count_triples(self, store: RemoteStore) -> dict[str, int]:
        res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {sol["g"].value: int(sol["n"].value) for sol in res}

    def _record_version(self, version: str, graphs: Sequence[str]) -> None:
        ptr = self.endpoint.pointer_graph
        rec = self._record(version)
        now = time.time()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z"
        lines = [f'<{rec}> <{self._t("version")}> "{version}" .',
                 f'<{rec}> <{self._t("created")}> "{stamp}"^^<{XSD}dateTime> .']
        lines += [f"<{rec}> <{self._t('graph')}> <{g}> ." for g in graphs]
        self.update(f"INSERT DATA {{ GRAPH <{ptr}> {{\n" + "\n".join(lines) + "\n} }")

    def switch(self, version: str) -> None:
        """Make ``version`` current with one update operation (atomic on a SPARQL 1.1 engine)."""
        ptr = self.endpoint.pointer_graph
        cur, pub, rec = self._t("current"), self._t("published"), self._record(version)
        # The WHERE clause matches the version's record (written before its upload), so the
        # operation has exactly one solution; Virtuoso 7 inserts nothing for a WHERE of a lone
        # OPTIONAL that matches nothing.
        self.update(
            f"DELETE {{ GRAPH <{ptr}> {{ <{ptr}> <{cur}> ?old }} }} "
            f"INSERT {{ GRAPH <{ptr}> {{ <{ptr}> <{cur}> \"{version}\" . <{rec}> <{pub}> true }} }} "
            f"WHERE {{ GRAPH <{ptr}> {{ <{rec}> <{self._t('version')}> \"{version}\" "
            f"OPTIONAL {{ <{ptr}> <{cur}> ?old }} }} }}")
        with self._lock:
            self._pointer = None
        now = self.read_pointer(timeout=WRITE_TIMEOUT)[0]
        if now != version:
            raise StoreError(f"The SPARQL endpoint did not apply the switch to version {version} "
                             f"(its pointer names {now}).")

    def drop_version(self, rec: VersionRecord) -> None:
        for g in rec.graphs:
            self.drop_graph(g + version_suffix(rec.version))
        r = self._record(rec.version)
        self.update(f"DELETE {{ GRAPH <{self.endpoint.pointer_graph}> {{ <{r}> ?p ?o }} }} "
                    f"WHERE {{ GRAPH <{self.endpoint.pointer_graph}> {{ <{r}> ?p ?o }} }}")

    def prune(self, keep: int, building: str | None = None) -> None:
        """Drop versions beyond the ``keep`` newest published ones (never fewer than two, never the
        current one) and what failed builds left behind."""
        cur = self.read_pointer(timeout=WRITE_TIMEOUT)[0]
        records = self.versions(timeout=WRITE_TIMEOUT)
        published = [r for r in records if r.published and r.version != cur]
        extra = max(len(published) - max(keep - 1, 1), 0)
        for rec in published[:extra]:
            self.drop_version(rec)
        for rec in records:
            if not rec.published and rec.version not in (cur, building):
                self.drop_version(rec)

    def publish(self, store_dir: Path, nquads_file: Path, keep_versions: int = 3,
                prepare: Callable[[ox.Store], None] | None = None) -> str:
        """Load ``nquads_file`` as a new version on the endpoint and make it current.

        The same contract as :func:`partnergraph.rdf.store.publish`: ``prepare`` adds to the new
        version before anyone can see it. It runs on a local staging Oxigraph store (under
        ``store_dir``, removed afterwards), whose graphs are then uploaded.
        """
        self._need_writes()
        version = store_mod.new_version_name()
        staging = store_dir / f".tmp-remote-{version}"
        try:
            st = store_mod.load_staged(staging, nquads_file, prepare)
            graphs = sorted(g.value for g in st.named_graphs() if isinstance(g, ox.NamedNode))
            if any(True for _ in st.quads_for_pattern(None, None, None, ox.DefaultGraph())):
                raise StoreError("The build put triples in the default graph; every triple of a "
                                 "partnergraph store belongs to a named graph.")
            self.prune(keep_versions)  # what an earlier failed build left behind
            self._record_version(version, graphs)
            try:
                expected = {}
                for g in graphs:
                    triples = (ox.Triple(q.subject, q.predicate, q.object)
                               for q in st.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                    expected[g] = self.upload_graph(g + version_suffix(version), triples)
                loaded = RemoteStore(self.endpoint, version, tuple(graphs), self.http,
                                     deadline=None, max_rows=None)
                loaded = replace(loaded, endpoint=replace(self.endpoint, timeout=WRITE_TIMEOUT))
                got = self.count_triples(loaded)
                wrong = {g: (n, got.get(g, 0)) for g, n in expected.items() if got.get(g, 0) != n}
                if wrong:
                    raise StoreError("The SPARQL endpoint holds other triple counts than were loaded: " +
                                     "; ".join(f"<{g}> {a} loaded, {b} found" for g, (a, b) in wrong.items()))
                self.switch(version)
            except BaseException:
                with contextlib.suppress(Exception):
                    self.drop_version(VersionRecord(version, tuple(graphs), False))
                raise
            del st
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.prune(keep_versions)
        return version


def backend_for(config: Any) -> Backend | None:
    """The remote backend of ``config``, or None for the embedded store."""
    return Backend.from_config(config) if is_remote(config) else None


def publisher(config: Any) -> Callable[..., str]:
    """``publish(store_dir, nquads_file, keep_versions=, prepare=)`` for the configured backend."""
    backend = backend_for(config)
    if backend is None:
        return store_mod.publish
    return backend.publish
