"""The remote store (store_backend = sparql) against a real Virtuoso on loopback.

A session fixture starts Debian's ``virtuoso-t`` in a temporary folder with its own
virtuoso.ini (free ports, loopback only), builds the tiny and the shipped data into it with
partnergraph's own build, and checks that every canned query, the entity pages and their
.json twins give the same answers as the embedded store; that a failed build leaves the
remote store's current version unchanged; and that the public endpoint's rules hold on the
remote store too. If Virtuoso is missing or does not start, the tests fail (``make services``
installs it); they never skip.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pg_testing import DATA, TEST_BASE, TINY, make_config

from partnergraph.errors import QueryRefused, ShapeViolationError, SourceDataError, StoreError
from partnergraph.rdf import remote
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader
from partnergraph.sparql import canned
from partnergraph.sparql.engine import QueryEngine
from partnergraph.webapp import create_app

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("virtuoso")]

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
START_TIMEOUT = 120.0
QUERIES = canned.Library().all()

INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 20
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = {d}
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
AllowOSCalls         = 0

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/vsp
MaxClientConnections = 20
ServerThreads        = 20
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 30
MaxQueryCostEstimationTime = 400
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """One Virtuoso server in a temporary folder, on loopback ports."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sql_port, self.http_port = _free_port(), _free_port()
        self.password = secrets.token_hex(12)
        self.proc: subprocess.Popen | None = None
        self.started_in = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def log_tail(self) -> str:
        log = self.root / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""

    def start(self) -> None:
        exe = shutil.which(VIRTUOSO)
        if exe is None:
            pytest.fail(f"{VIRTUOSO} is not installed: run `make services` (apt-get install "
                        f"virtuoso-opensource) before these tests.")
        (self.root / "vsp").mkdir(parents=True, exist_ok=True)
        ini = self.root / "virtuoso.ini"
        ini.write_text(INI.format(d=self.root, sql_port=self.sql_port, http_port=self.http_port))
        t0 = time.monotonic()
        self.proc = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=self.root,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.monotonic() - t0 < START_TIMEOUT:
            if self.proc.poll() is not None:
                pytest.fail(f"Virtuoso exited with {self.proc.returncode} while starting:\n{self.log_tail()}")
            try:
                q = urllib.parse.urlencode({"query": "ASK {}"})
                with urllib.request.urlopen(f"{self.base}/sparql?{q}", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        else:
            self.stop()
            pytest.fail(f"Virtuoso did not answer within {START_TIMEOUT:g} s:\n{self.log_tail()}")
        self.started_in = time.monotonic() - t0
        # a password of its own rather than the well-known default
        isql = shutil.which(ISQL) or "isql-vt"
        subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                        f"exec=user_set_password('dba', '{self.password}');"],
                       check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def settings(self) -> dict[str, str]:
        return {
            "store_backend": "sparql",
            "sparql_query_url": f"{self.base}/sparql",
            "sparql_store_url": f"{self.base}/sparql-graph-crud-auth",
            "sparql_update_url": f"{self.base}/sparql-auth",
            "sparql_user": "dba",
            "sparql_password": self.password,
        }

    def graphs(self) -> set[str]:
        """Every graph on the server with data (raw, without partnergraph in between)."""
        q = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        req = urllib.request.Request(f"{self.base}/sparql?{q}",
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            data = json.load(r)
        return {b["g"]["value"] for b in data["results"]["bindings"]}


TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    TIMINGS["virtuoso start"] = server.started_in
    yield server
    server.stop()
    print("\nremote store timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in TIMINGS.items()))


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.trig", "templates", "queries"))
    return dest


@pytest.fixture(scope="session")
def shipped_pair(tmp_path_factory, virtuoso):
    """The shipped data built twice: into the embedded store and into Virtuoso."""
    tmp = tmp_path_factory.mktemp("shipped-pair")
    local = make_config(tmp / "local", DATA)
    build(local)
    cfg = make_config(tmp / "remote", DATA, **virtuoso.settings())
    t0 = time.monotonic()
    result = build(cfg)
    TIMINGS["build shipped into Virtuoso"] = time.monotonic() - t0
    TIMINGS["shipped triples"] = sum(result.triple_counts.values())
    return local, cfg


@pytest.fixture(scope="session")
def tiny_pair(tmp_path_factory, virtuoso):
    tmp = tmp_path_factory.mktemp("tiny-pair")
    data = _copy(TINY, tmp / "tiny")
    local = make_config(tmp / "local", data, base_iri=TEST_BASE)
    build(local)
    cfg = make_config(tmp / "remote", data, base_iri=TEST_BASE, **virtuoso.settings())
    t0 = time.monotonic()
    build(cfg)
    TIMINGS["build tiny into Virtuoso"] = time.monotonic() - t0
    return local, cfg


# -- comparing answers ------------------------------------------------------------------------------

_NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
            "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")


def _norm_term(t, concatenated: bool = False):
    """A term for comparison. Numbers and booleans by value (Virtuoso writes "1"^^xsd:boolean where
    Oxigraph writes "true", and doubles to 6 significant digits only); GROUP_CONCAT values as the
    sorted list of their parts, without datatype or language (SPARQL leaves their order open, and
    Oxigraph keeps a shared language tag where Virtuoso gives a plain string); else exactly."""
    if t is None:
        return None
    kind = t[0]
    if kind == "literal":
        value, datatype, lang = t[1], t[2], t[3]
        local = datatype.rsplit("#", 1)[-1]
        if concatenated:
            return ("concat", tuple(sorted(re.split(r"[;,] ", value))))
        if local in ("double", "float"):  # Virtuoso prints doubles with 6 significant digits
            return Approx(float(value))
        if local in _NUMERIC:
            return ("number", float(value))
        if local == "boolean":
            return ("boolean", value in ("true", "1"))
        return ("literal", value, datatype, lang)
    if kind == "bnode":
        return ("bnode",)
    return t


_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s+\?(\w+)", re.I)


class Approx(float):
    """A double compared to 5 significant digits; equal doubles sort the same."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float) and math.isclose(self, other, rel_tol=1e-5, abs_tol=1e-9)

    def __hash__(self) -> int:
        return 0

    def __lt__(self, other: object) -> bool:
        return float(self) < float(other) and not self == other  # type: ignore[arg-type]


def _key(row: tuple) -> tuple:
    return tuple(("~", round(float(t), 3)) if isinstance(t, Approx) else repr(t) for t in row)


def _answers(result, query: str = ""):
    concat = set(_CONCAT.findall(query))
    rows = sorted((tuple(_norm_term(t, v in concat) for v, t in zip(result.variables, row, strict=True))
                   for row in result.rows), key=_key)
    return result.variables, rows, result.boolean, result.truncated


@pytest.fixture(scope="session")
def engines(shipped_pair):
    local, cfg = shipped_pair
    a, b = QueryEngine(local), QueryEngine(cfg)
    yield a, b
    a.close()
    b.close()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_queries_answer_the_same_on_virtuoso(name, engines, shipped_pair):
    local_engine, remote_engine = engines
    q = QUERIES[name]
    _, subs = canned.bind(q, {}, shipped_pair[0].base_iri)
    expected = local_engine.run(q.text, substitutions=subs)
    t0 = time.monotonic()
    got = remote_engine.run(q.text, substitutions=subs)
    TIMINGS[f"query {name}"] = time.monotonic() - t0
    assert _answers(got, q.text) == _answers(expected, q.text)
    if name != "most-central-organisations-per-area":
        assert got.rows


def test_the_tiny_data_answers_the_same(tiny_pair):
    local, cfg = tiny_pair
    a, b = QueryEngine(local), QueryEngine(cfg)
    try:
        for name, q in sorted(QUERIES.items()):
            _, subs = canned.bind(q, {}, TEST_BASE)
            assert _answers(b.run(q.text, substitutions=subs), q.text) == _answers(
                a.run(q.text, substitutions=subs), q.text), name
        # the protocol's dataset, FROM and GRAPH with the logical graph names
        graph = f"{TEST_BASE}graph/tour"
        for text, kwargs in [
            (f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}", {}),
            ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
            (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", {}),
            ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"default_graphs": [graph]}),
            ("ASK { ?s a pg:Municipality }", {}),
            ("CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a pg:Municipality ; skos:prefLabel ?l }", {}),
        ]:
            x, y = a.run(text, **kwargs), b.run(text, **kwargs)
            assert _answers(y) == _answers(x), text
            assert sorted(map(str, y.triples)) == sorted(map(str, x.triples)), text
    finally:
        a.close()
        b.close()


def _triples(turtle: bytes) -> list[tuple]:
    """Turtle as sorted, comparable triples (no blank nodes in entity views)."""
    import pyoxigraph as ox

    from partnergraph.sparql.engine import _term

    rows = [tuple(_norm_term(_term(t)) for t in (q.subject, q.predicate, q.object))
            for q in ox.parse(turtle, ox.RdfFormat.TURTLE)]
    return sorted(rows, key=_key)


def _coarse(value) -> str:
    def walk(v):
        if isinstance(v, float):
            return round(v, 3)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return json.dumps(walk(value), sort_keys=True, default=str)


LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _strip_versions(value):
    if isinstance(value, dict):
        out = {k: _strip_versions(v) for k, v in value.items()
               if k not in ("store_version", "version", "elapsed", "generated")}
        if out.get("lang") and out.get("datatype") is None:
            out["datatype"] = LANG_STRING  # Virtuoso 7: DATATYPE() of a tagged literal is unbound
        return out
    if isinstance(value, list):  # ties of ORDER BY come in any order: compare as a multiset
        return sorted((_strip_versions(v) for v in value), key=_coarse)
    if isinstance(value, float):
        return Approx(value)  # Virtuoso prints doubles to 6 significant digits
    return value


PAGES = ["/index.json", "/municipalities.json", "/areas.json", "/organisations.json", "/events.json",
         "/plans.json", "/-/graphs.json", "/id/place/kunta-179.json", "/id/area/A.json",
         "/id/place/kunta-179.ttl"]


def test_pages_and_json_twins_are_the_same(shipped_pair):
    local, cfg = shipped_pair
    apps = [create_app(config=local), create_app(config=cfg)]
    try:
        a, b = (app.test_client() for app in apps)
        extra = []
        for name in ("organisations", "events", "plans"):
            rows = a.get(f"/{name}.json").json["rows"]
            iris = [v for r in rows for v in r.values() if isinstance(v, str) and "/id/" in v]
            extra += ["/id/" + i.split("/id/", 1)[1] + ".json" for i in iris[:3]]
        assert len(extra) >= 6
        t0 = time.monotonic()
        for path in PAGES + extra:
            x, y = a.get(path), b.get(path)
            assert (y.status_code, path) == (x.status_code, path)
            if path.endswith(".json"):
                assert _strip_versions(y.json) == _strip_versions(x.json), path
            else:
                assert _triples(y.data) == _triples(x.data), path
            html = b.get("/" if path == "/index.json" else path.removesuffix(".json"),
                         headers={"Accept": "text/html"})
            assert html.status_code == 200, path
        TIMINGS["pages on Virtuoso"] = time.monotonic() - t0
        health = b.get("/-/health").json
        assert health["ok"] and health["store_version"] == GraphReader.from_config(cfg).version
        settings = {s["name"]: s["value"] for s in b.get("/-/settings.json").json}
        assert settings["sparql_password"] == "(set)"  # never shown
    finally:
        for app in apps:
            app.extensions["pg_engine"].close()


JSON = {"Accept": "application/sparql-results+json"}


def test_the_public_endpoint_keeps_its_rules(shipped_pair, virtuoso):
    _, cfg = shipped_pair
    app = create_app(config=cfg)
    try:
        c = app.test_client()
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Municipality }"
        ok = c.get("/sparql", query_string={"query": count}, headers=JSON)
        assert ok.status_code == 200
        assert ok.json["results"]["bindings"][0]["n"]["value"] == "23"
        version = GraphReader.from_config(cfg).version
        private = f"https://w3id.org/partnergraph/id/graph/private-elinvoimapajat?v={version}"
        for query in [
            "DEFINE input:default-graph-uri <x> SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            "SELECT (<bif:getenv>('HOME') AS ?x) WHERE {}",
            "PREFIX b: <bif:> SELECT (b:getenv('HOME') AS ?x) WHERE {}",
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1 OPTION (QUIETCAST)",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
            "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
            f"SELECT * FROM <{private}> WHERE {{ ?s ?p ?o }}",
        ]:
            r = c.get("/sparql", query_string={"query": query}, headers=JSON)
            assert r.status_code in (400, 403), (query, r.status_code)
        # graphs outside the version (its private graphs, other versions) are never in a dataset
        for query in [f"SELECT * WHERE {{ GRAPH <{private}> {{ ?s ?p ?o }} }}",
                      "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]:
            r = c.get("/sparql", query_string={"query": query}, headers=JSON)
            assert r.status_code == 200
            values = {v["value"] for b in r.json["results"]["bindings"] for v in b.values()}
            assert not any("private" in v or "?v=" in v for v in values), query
        # a timeout on the remote store is the same refusal as on the embedded one
        eng = QueryEngine(cfg.with_overrides({"query_timeout": 0.2}))
        with pytest.raises(QueryRefused):
            eng.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    finally:
        app.extensions["pg_engine"].close()


def test_a_failed_build_leaves_the_current_version(tiny_pair, virtuoso, tmp_path, monkeypatch):
    _, cfg = tiny_pair
    reader = GraphReader.from_config(cfg)
    before = reader.version
    count = reader.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    # 1. bad source data: nothing reaches the endpoint
    bad = _copy(TINY, tmp_path / "bad")
    orgs = bad / "tour" / "organisaatiot.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8") + "x,,yhdistys,999,,,,gen,synteettinen,\n",
                    encoding="utf-8")
    with pytest.raises((SourceDataError, ShapeViolationError)):
        build(cfg.with_overrides({"data_dir": str(bad)}))
    # 2. the endpoint fails in the middle of the upload
    calls = {"n": 0}
    real = remote.Backend.upload_graph

    def flaky(self, graph, triples):
        calls["n"] += 1
        if calls["n"] == 2:
            raise StoreError("simulated failure of the Graph Store in the middle of a build")
        return real(self, graph, triples)

    monkeypatch.setattr(remote.Backend, "upload_graph", flaky)
    with pytest.raises(StoreError, match="simulated"):
        build(cfg)
    monkeypatch.undo()
    time.sleep(remote.POINTER_TTL)
    fresh = GraphReader.from_config(cfg)
    assert fresh.version == before
    assert fresh.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] == count
    # nothing of the failed version stays on the server
    backend = remote.Backend.from_config(cfg)
    records = backend.versions()
    assert all(r.published for r in records)
    ours = {g + remote.version_suffix(r.version) for r in records for g in r.graphs}
    left = {g for g in virtuoso.graphs() if g.startswith(TEST_BASE) and "?v=" in g}
    assert left <= ours


def test_builds_switch_versions_and_prune_old_ones(tiny_pair, virtuoso):
    _, cfg = tiny_pair
    cfg = cfg.with_overrides({"keep_versions": 2})
    backend = remote.Backend.from_config(cfg)
    seen = [GraphReader.from_config(cfg).version]
    for _ in range(2):
        seen.append(build(cfg).version)
    records = backend.versions()
    assert [r.version for r in records] == seen[-2:]
    assert backend.read_pointer()[0] == seen[-1]
    left = {g.rsplit("?v=", 1)[1] for g in virtuoso.graphs() if g.startswith(TEST_BASE) and "?v=" in g}
    assert left == set(seen[-2:])
    # a reader of the previous version keeps its answers until it sees the new pointer
    store, version = backend.open_read_only(seen[-2])
    assert version == seen[-2]
    assert bool(store.query("ASK { ?s ?p ?o }", default_graph=list(store.named_graphs())))
