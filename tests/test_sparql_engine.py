"""The query layer: guard refusals, the worker sandbox, time limit, dataset rules, substitutions."""

from __future__ import annotations

import multiprocessing as mp
import platform
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from partnergraph.errors import QueryError, QueryRefused, QueryTimeout, ServiceBusy
from partnergraph.settings import load_config
from partnergraph.sparql.engine import QueryEngine, syntax_message
from partnergraph.sparql.guard import check_query

TINY = Path(__file__).parent / "data" / "tiny"
TEST_BASE = "https://example.org/id/"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SANDBOX = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "aarch64")


def make_config(tmp: Path, data: Path, **overrides):
    return load_config({"store_path": str(tmp / "store"), "data_dir": str(data), **overrides}, environ={})


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    """tests/data/tiny plus a private dataset, built once for this module."""
    from partnergraph.rdf.build import build

    tmp = tmp_path_factory.mktemp("tiny-sparql")
    data = tmp / "data"
    shutil.copytree(TINY, data, ignore=shutil.ignore_patterns("*.trig"))
    private = data / "private-notes"
    private.mkdir()
    (private / "dataset.toml").write_text(
        'id = "private-notes"\ntitle_fi = "Muistiinpanot"\ntitle_en = "Notes"\n'
        "synthetic = true\norder = 90\n",
        encoding="utf-8")
    (private / "notes.ttl").write_text(
        "<https://example.org/secret> <https://example.org/says> \"secret\" .\n", encoding="utf-8")
    cfg = make_config(tmp, data, base_iri=TEST_BASE)
    build(cfg)
    return cfg


@pytest.fixture(scope="module")
def tiny_engine(tiny_store):
    eng = QueryEngine(tiny_store)
    yield eng
    eng.close()


GRAPH = TEST_BASE + "graph/"


# -- the guard -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "read-only"),
        ("LOAD <http://example.org/data.ttl>", "read-only"),
        ("CLEAR ALL", "read-only"),
        ("DROP GRAPH <http://example.org/g>", "read-only"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "no network access"),
        ("SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }", "no network access"),
        # "SERVICE:x" parses as the keyword SERVICE and the prefixed name :x
        ("PREFIX : <http://example.org/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", "no network access"),
        ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "no remote FROM"),
        ("SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "no remote FROM"),
        ("SELECT * FROM pg:x WHERE { ?s ?p ?o }", "prefixed name"),
    ],
)
def test_guard_refuses_and_names_the_rule(query, named):
    with pytest.raises(QueryRefused) as e:
        check_query(query, max_length=10_000, known_graphs=set())
    assert named in e.value.message


def test_guard_names_the_length_setting():
    with pytest.raises(QueryRefused, match="max_query_length"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 100, max_length=50, known_graphs=set())


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE INSERT DROP" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE, LOAD and DROP in a comment",
        "SELECT ?insert ?service WHERE { ?insert <http://example.org/service#drop> ?service }",
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * WHERE { ?s a sd:Service }",
    ],
)
def test_guard_ignores_keywords_in_strings_comments_iris_and_names(query):
    assert check_query(query, max_length=10_000, known_graphs=set()).form == "SELECT"


# -- the sandbox -----------------------------------------------------------------------
def _sandboxed_socket_check(conn) -> None:
    from partnergraph.sparql.sandbox import deny_network, network_is_denied

    conn.send((deny_network(), network_is_denied()))


@pytest.mark.skipif(not SANDBOX, reason="the seccomp sandbox needs Linux on x86-64 or AArch64")
def test_sandbox_denies_sockets_in_its_process():
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_sandboxed_socket_check, args=(child,))
    p.start()
    assert parent.recv() == (True, True)
    p.join(10)
    from partnergraph.sparql.sandbox import network_is_denied

    assert not network_is_denied()  # only the child is sandboxed


@pytest.mark.skipif(not SANDBOX, reason="the seccomp sandbox needs Linux on x86-64 or AArch64")
def test_service_hidden_from_the_lexical_guard_still_reaches_nothing(tiny_engine):
    """``FILTER(1<2)SERVICE:y#>`` looks like an IRI to a lexer, but pyoxigraph runs the SERVICE.

    The worker's seccomp filter is what keeps it off the network: a listening socket on this
    machine sees no connection, and the client gets the SERVICE refusal.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    query = (f"PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE:y#>\n"
             f"{{ ?s ?p ?o }} }}")
    check_query(query, max_length=10_000, known_graphs=set())  # the lexical guard is fooled
    with pytest.raises(QueryRefused, match="no network access"):
        tiny_engine.run(query)
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()
    assert tiny_engine.sandboxed is None or tiny_engine.sandboxed is True


# -- evaluation, datasets, substitutions ------------------------------------------------
def test_select_ask_construct(tiny_engine):
    r = tiny_engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }")
    assert r.form == "SELECT" and r.variables == ["n"] and int(r.rows[0][0][1]) >= 1
    assert tiny_engine.run("ASK { ?m a pg:Municipality }").boolean is True
    c = tiny_engine.run("CONSTRUCT { ?m a pg:Municipality } WHERE { ?m a pg:Municipality }")
    assert c.form == "CONSTRUCT" and c.triples


def test_private_graphs_are_in_no_dataset(tiny_engine):
    assert not tiny_engine.run('ASK { ?s ?p "secret" }').boolean
    assert not tiny_engine.run('ASK { GRAPH ?g { ?s ?p "secret" } }').boolean
    assert not tiny_engine.run(f'ASK {{ GRAPH <{GRAPH}private-notes> {{ ?s ?p ?o }} }}').boolean
    with pytest.raises(QueryRefused, match="not a graph in this store"):
        tiny_engine.run(f"SELECT * FROM <{GRAPH}private-notes> WHERE {{ ?s ?p ?o }}")
    with pytest.raises(QueryError, match="not a graph in this store"):
        tiny_engine.run("SELECT * WHERE { ?s ?p ?o }", default_graphs=[f"{GRAPH}private-notes"])
    # FROM without FROM NAMED: no named graphs at all (so no private one either)
    r = tiny_engine.run(f"SELECT DISTINCT ?g FROM <{GRAPH}tour> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert r.rows == []


def test_protocol_dataset_replaces_the_querys_own(tiny_engine):
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    ref = int(tiny_engine.run(count.format(**{"from": f"FROM <{GRAPH}ref>"})).rows[0][0][1])
    tour = int(tiny_engine.run(count.format(**{"from": f"FROM <{GRAPH}tour>"})).rows[0][0][1])
    assert ref and tour and ref != tour
    over = tiny_engine.run(count.format(**{"from": f"FROM <{GRAPH}ref>"}), default_graphs=[f"{GRAPH}tour"])
    assert int(over.rows[0][0][1]) == tour
    named = tiny_engine.run("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                            named_graphs=[f"{GRAPH}ref"])
    assert [row[0][1] for row in named.rows] == [f"{GRAPH}ref"]
    # only named graphs given: the default graph is empty (SPARQL 1.1 Protocol)
    empty = tiny_engine.run("ASK { ?s ?p ?o }", named_graphs=[f"{GRAPH}ref"])
    assert empty.boolean is False


def test_row_cap_flags_truncation(tiny_store):
    eng = QueryEngine(tiny_store.with_overrides({"max_rows": 3}))
    try:
        r = eng.run("SELECT * WHERE { ?s ?p ?o }")
        assert len(r.rows) == 3 and r.truncated and r.max_rows == 3
        c = eng.run("CONSTRUCT WHERE { ?s ?p ?o }")
        assert len(c.triples) == 3 and c.truncated
        assert not eng.run("SELECT * WHERE { ?s ?p ?o } LIMIT 2").truncated
    finally:
        eng.close()


def test_substitutions_bind_whole_terms(tiny_engine):
    query = "SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }"
    rows = tiny_engine.run(query).rows
    iri, name = rows[0][0][1], rows[0][1][1]
    assert [r[1][1] for r in tiny_engine.run(query, substitutions={"m": ("uri", iri)}).rows] == [name]
    hostile = '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    assert tiny_engine.run(query, substitutions={"name": ("literal", hostile)}).rows == []
    with pytest.raises(QueryError, match="kind"):
        tiny_engine.run(query, substitutions={"m": ("sparql", "?x")})


def test_syntax_errors_show_the_position(tiny_engine):
    with pytest.raises(QueryError) as e:
        tiny_engine.run("SELECT ?x WHERE {\n  ?x ?y\n}")
    assert "does not parse" in e.value.message and "error at 3:" in e.value.message
    assert "line 3: }" in e.value.message and e.value.message.endswith("^")
    assert syntax_message("x", "no position") == "The query does not parse: no position"


# -- the time limit and the slots (on the shipped data: 13 000+ triples) ------------------
@pytest.mark.slow
def test_slow_query_is_killed_and_the_worker_replaced(built_store):
    eng = QueryEngine(built_store.with_overrides({"query_timeout": 1.0}))
    try:
        eng.warm(wait=True)
        before = eng.workers
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="query_timeout"):
            eng.run(SLOW)
        assert time.monotonic() - start < 4
        assert eng.killed == 1
        r = eng.run("SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }")
        assert r.rows[0][0][1] == "23"
        deadline = time.monotonic() + 10
        while eng.workers < before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert eng.workers == before  # the killed worker was replaced
    finally:
        eng.close()


@pytest.mark.slow
def test_busy_slots_are_refused_naming_the_setting(built_store):
    eng = QueryEngine(built_store.with_overrides({"max_concurrent_queries": 1, "query_timeout": 2.0}))
    errors: list[Exception] = []

    def slow() -> None:
        try:
            eng.run(SLOW)
        except Exception as e:
            errors.append(e)

    try:
        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.3)
        with pytest.raises(ServiceBusy, match="max_concurrent_queries"):
            eng.run("ASK {}", timeout=0.3)
        t.join()
        assert isinstance(errors[0], QueryTimeout)
        assert eng.run("ASK {}").boolean is True
    finally:
        eng.close()


def test_worker_start_method_is_not_fork(tiny_engine):
    assert tiny_engine._ctx.get_start_method() in ("forkserver", "spawn")


def test_warm_respects_the_concurrency_cap(tiny_store):
    eng = QueryEngine(tiny_store.with_overrides({"max_concurrent_queries": 2}))
    try:
        eng.warm(5, wait=True)
        eng.warm(5, wait=True)
        assert eng.workers == 2
        assert eng.run("ASK { ?s ?p ?o }").boolean is True
    finally:
        eng.close()
    assert eng.workers == 0


def test_engine_reports_a_missing_store(tmp_path: Path):
    from partnergraph.errors import StoreError

    eng = QueryEngine(make_config(tmp_path, tmp_path))
    try:
        with pytest.raises(StoreError, match="partnergraph build"):
            eng.run("ASK {}")
    finally:
        eng.close()
