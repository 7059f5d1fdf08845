"""Hostile SPARQL, through /sparql (Flask test client), the engine and `partnergraph query`.

Deep nesting, long operator chains, cross products, regex bombs, memory bombs, over-long
queries and updates smuggled in strings, comments, escapes or parameters: each gets a safe
result (answered, cut at max_rows, or stopped at the time limit with 503) or a clear refusal
naming its rule or setting — never a crash, a hang or a traceback — and nothing in the store
changes (same current version, quads and files).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from partnergraph.cli import main
from partnergraph.errors import QueryError, QueryRefused, QueryTimeout
from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.settings import load_config
from partnergraph.sparql import engine as engine_mod
from partnergraph.sparql.engine import QueryEngine
from partnergraph.sparql.guard import CheckedQuery
from partnergraph.webapp import create_app

TINY = Path(__file__).parent / "data" / "tiny"
BASE = "https://example.org/id/"
TIMEOUT = 2.0
LIMITS = {"query_timeout": TIMEOUT, "max_rows": 500, "max_concurrent_queries": 2, "query_memory_limit": 384}
JSON = "application/sparql-results+json"

# -- the hostile queries -------------------------------------------------------------------------
ALL = "?s ?p ?o"


def nested_groups(n: int) -> str:
    return "SELECT * WHERE " + "{ " * n + ALL + " }" * n + " LIMIT 1"


def nested_optionals(n: int) -> str:
    return f"SELECT * WHERE {{ {ALL} " + f"OPTIONAL {{ {ALL} " * n + "}" * n + " } LIMIT 1"


DEEP = {  # each is answered: the worker's stack is sized for the longest query the guard allows
    "500 nested groups": nested_groups(500),
    "5000 nested groups": nested_groups(5000),
    "200 nested OPTIONALs": nested_optionals(200),
    "20000 nested parentheses": f"SELECT * WHERE {{ {ALL} FILTER{'(' * 20000}true{')' * 20000} }} LIMIT 1",
    "20000 negations": f"SELECT * WHERE {{ {ALL} FILTER({'!' * 20000}true) }} LIMIT 1",
    "12000 || terms": f"SELECT * WHERE {{ {ALL} FILTER({'||'.join(['false'] * 12000)}) }} LIMIT 1",
    "9000 path steps": f"SELECT * WHERE {{ ?s {'/'.join(['<urn:x:p>'] * 9000)} ?o }} LIMIT 1",
    "6000 nested blank nodes": f"SELECT * WHERE {{ ?s ?p {'[ <urn:x:p> ' * 6000}?o{' ]' * 6000} }} LIMIT 1",
}
#: 2^20 letters a, then "!": "(a+)+$" backtracks exponentially in a backtracking regex engine
LONG_A = 'BIND("a" AS ?a0) ' + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(20))
REGEX_BOMBS = {
    "(a+)+$ over a megabyte": f'SELECT (COUNT(*) AS ?n) WHERE {{ {LONG_A} '
                              f'FILTER(!REGEX(CONCAT(?a20, "!"), "(a+)+$")) }}',
    "(a|aa)+$ over every literal": 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) FILTER('
                                   '!REGEX(CONCAT(STR(?o), STR(?o), STR(?o), "!"), "(a|aa)+$|(.*)*x")) }',
    "a huge pattern": f'SELECT (COUNT(*) AS ?n) WHERE {{ {LONG_A} '
                      f'FILTER(REGEX(?a20, "((a{{1000}}){{1000}}){{1000}}")) }}',
}
CROSS_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ {ALL} . ?a ?b ?c . ?d ?e ?f }}"
CROSS_ROWS = f"SELECT * WHERE {{ {ALL} . ?a ?b ?c . ?d ?e ?f }}"
#: a string doubled 30 times: 1 GiB of text, past query_memory_limit long before the time limit
MEMORY_BOMB = 'SELECT (STRLEN(?x30) AS ?n) WHERE { BIND("a" AS ?x0) ' + " ".join(
    f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30)) + " }"
SMUGGLED_HARMLESS = {  # updates that are only data or comments: answered as the queries they are
    "in a string": 'SELECT * WHERE { ?s ?p "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }" }',
    "in a long string": 'SELECT ?x WHERE { BIND("""\nDELETE WHERE { ?s ?p ?o } ;\nDROP ALL\n""" AS ?x) }',
    "in a comment": f"SELECT * WHERE {{ {ALL} }} LIMIT 1 # ; DROP ALL ; CLEAR DEFAULT",
    "in an IRI": "SELECT * WHERE { <urn:x:DROP-ALL> ?p ?o }",
}
SMUGGLED_REFUSED = {  # updates as code, however written: refused, never run
    "after a query": f"SELECT * WHERE {{ {ALL} }} LIMIT 1 ; DROP ALL",
    "after a comment line": f"SELECT * WHERE {{ {ALL} }} LIMIT 1\n#\nDELETE WHERE {{ {ALL} }}",
    "as \\u escapes": "\\u0049NSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "escaped after a query": f"SELECT * WHERE {{ {ALL} }} LIMIT 1 ; \\u0044ROP ALL",
    "INSERT … WHERE": f"INSERT {{ <urn:x:a> <urn:x:b> ?o }} WHERE {{ {ALL} }}",
    "lower case": "clear all",
    "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
}


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-sparql")
    data = tmp / "data"
    shutil.copytree(TINY, data, ignore=shutil.ignore_patterns("*.trig"))
    cfg = load_config({"store_path": str(tmp / "store"), "data_dir": str(data), "base_iri": BASE, **LIMITS},
                      environ={})
    build(cfg)
    return cfg


@pytest.fixture(scope="module")
def app(cfg):
    app = create_app(config=cfg)
    yield app
    app.extensions["pg_engine"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def engine(cfg):
    eng = QueryEngine(cfg)
    eng.warm(wait=True)
    yield eng
    eng.close()


def snapshot(cfg) -> tuple:
    st, version = store.open_read_only(cfg.store_dir)
    quads = frozenset(str(q) for q in st.quads_for_pattern(None, None, None, None))
    files = {str(p.relative_to(cfg.store_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
             for p in cfg.store_dir.rglob("*") if p.is_file()}
    return version, quads, files


@pytest.fixture(autouse=True)
def nothing_changes(cfg):
    before = snapshot(cfg)
    yield
    assert snapshot(cfg) == before


def ask(client, query: str, method: str = "GET"):
    accept = {"Accept": f"{JSON}, application/json;q=0.9"}  # errors come as JSON too
    if method == "GET":
        return client.get("/sparql", query_string={"query": query}, headers=accept)
    return client.post("/sparql", data={"query": query}, headers=accept)


# -- deep nesting --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_is_answered_not_crashed(client, app, name):
    """Regression: 5000 nested groups (10 kB) overflowed the worker's 8 MiB stack, killing it."""
    query = DEEP[name]
    assert len(query) <= app.config["PG"].max_query_length
    crashed = app.extensions["pg_engine"].crashed
    res = ask(client, query, "POST")
    assert res.status_code in (200, 503), res.get_data(as_text=True)[:300]
    if res.status_code == 503:  # allowed: the time limit, never a dead worker
        assert b"query_timeout" in res.data
    assert app.extensions["pg_engine"].crashed == crashed


def test_the_deepest_query_the_guard_allows_cannot_overflow_the_stack(engine, cfg):
    """The two constructs measured to recurse deepest per character, at max_query_length."""
    n = cfg.max_query_length // 2 - 30
    crashed = engine.crashed
    for query in (f"SELECT * WHERE {{ {ALL} FILTER{'(' * n}true{')' * n} }} LIMIT 1",
                  f"SELECT * WHERE {{ {ALL} FILTER({'!' * (2 * n)}true) }} LIMIT 1"):
        assert len(query) <= cfg.max_query_length
        with contextlib.suppress(QueryTimeout):  # the time limit is a safe result; a dead worker is not
            engine.run(query)
    assert engine.crashed == crashed


def test_worker_stack_grows_with_the_query_length_setting():
    assert engine_mod.worker_stack_bytes(100_000) >= 100_000 * 2048
    assert engine_mod.worker_stack_bytes(10) == engine_mod.MIN_STACK


# -- time limit, row cap, regex, memory ----------------------------------------------------------
def test_cross_product_count_is_stopped_at_the_time_limit(client, app):
    start = time.monotonic()
    res = ask(client, CROSS_COUNT)
    elapsed = time.monotonic() - start
    assert res.status_code == 503 and res.headers["Retry-After"]
    assert res.json["error"] == "QueryTimeout" and "query_timeout" in res.json["message"]
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    assert ask(client, "ASK { ?s ?p ?o }").json["boolean"] is True  # a fresh worker answers


def test_cross_product_rows_are_cut_at_max_rows(client):
    res = ask(client, CROSS_ROWS)
    assert res.status_code == 200
    assert res.headers["X-Partnergraph-Truncated"] == "max_rows=500"
    assert len(res.json["results"]["bindings"]) == 500


@pytest.mark.parametrize("name", REGEX_BOMBS)
def test_regex_bombs_finish_quickly(client, name):
    start = time.monotonic()
    res = ask(client, REGEX_BOMBS[name], "POST")
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    assert time.monotonic() - start < TIMEOUT  # linear-time regex engine: never near the limit


def test_memory_bomb_is_refused_naming_the_setting(client, app):
    """A query that would take gigabytes is stopped at query_memory_limit (400), and the worker it
    killed is replaced; without the limit it would hold 1 GiB+ until the time limit."""
    eng = app.extensions["pg_engine"]
    crashed = eng.crashed
    start = time.monotonic()
    res = ask(client, MEMORY_BOMB)
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["error"] == "QueryRefused" and "query_memory_limit (384 MiB)" in res.json["message"]
    assert time.monotonic() - start < TIMEOUT  # stopped by the memory cap, not by the clock
    assert eng.crashed == crashed + 1
    assert ask(client, "ASK { ?s ?p ?o }").json["boolean"] is True


def test_engine_replaces_a_worker_killed_by_the_memory_limit(engine):
    before = engine.workers
    with pytest.raises(QueryRefused, match="query_memory_limit"):
        engine.run(MEMORY_BOMB)
    deadline = time.monotonic() + 10
    while engine.workers < before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.workers == before
    assert engine.run("ASK { ?s ?p ?o }").boolean is True


def test_workers_killed_from_outside_while_idle_are_replaced(engine):
    """A worker may die between queries (the OOM killer, an operator): the next query still runs."""
    engine.warm(wait=True)
    idle = list(engine._all)
    assert idle
    for w in idle:
        os.kill(w.proc.pid, signal.SIGKILL)
    for w in idle:
        w.proc.join(5)
    for _ in range(len(idle) + 1):
        assert engine.run("ASK { ?s ?p ?o }").boolean is True


# -- length limits -------------------------------------------------------------------------------
def test_query_over_max_query_length_is_refused(client, cfg):
    query = f"SELECT * WHERE {{ {ALL} }} #" + "x" * cfg.max_query_length
    for method in ("GET", "POST"):
        res = ask(client, query, method)
        assert res.status_code == 400 and "max_query_length" in res.json["message"]
    res = client.post("/sparql", data=b"#" * ((1 << 20) + 1), content_type="application/sparql-query")
    assert res.status_code == 413


# -- updates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SMUGGLED_HARMLESS)
def test_update_words_in_data_or_comments_are_only_data(client, name):
    res = ask(client, SMUGGLED_HARMLESS[name], "POST")
    assert res.status_code == 200, res.get_data(as_text=True)[:300]


@pytest.mark.parametrize("name", SMUGGLED_REFUSED)
def test_smuggled_updates_are_refused(client, name):
    for method in ("GET", "POST"):
        res = ask(client, SMUGGLED_REFUSED[name], method)
        assert res.status_code == 400, res.get_data(as_text=True)[:300]
        assert res.json["error"] in ("QueryRefused", "QueryError")


def test_update_operations_of_the_protocol_are_refused(client):
    update = "DELETE WHERE { ?s ?p ?o }"
    for res in (client.get("/sparql", query_string={"update": update}),
                client.post("/sparql", data={"update": update}),
                client.post("/sparql", data=update, content_type="application/sparql-update"),
                client.post("/sparql?update=x", data={"query": "ASK {}"})):
        assert res.status_code == 400 and b"read-only" in res.data


def test_an_update_past_the_guard_still_cannot_run(engine, monkeypatch):
    """Second layer: even if the lexical guard let an update through, workers only parse
    queries, on a store opened read-only."""
    monkeypatch.setattr(engine_mod, "check_query",
                        lambda text, **_: CheckedQuery(text, "SELECT", (), ()))
    for update in ("DELETE WHERE { ?s ?p ?o }", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
                   "DROP ALL", "LOAD <http://127.0.0.1:9/x.ttl>"):
        with pytest.raises(QueryError, match="does not parse"):
            engine.run(update)


# -- the command line shares the engine ------------------------------------------------------------
@pytest.mark.parametrize(("query", "code", "text"), [
    (MEMORY_BOMB, 6, "query_memory_limit"),
    (CROSS_COUNT, 6, "query_timeout"),
    (SMUGGLED_REFUSED["after a query"], 6, "read-only"),
    ("SELECT * WHERE { ?s ?p ?o " + "x" * 200_000 + " }", 6, "max_query_length"),
])
def test_query_command_refuses_with_one_line(cfg, runner, query, code, text):
    args = ["--store", str(cfg.store_dir), "--setting", "base_iri", BASE]
    for name, value in LIMITS.items():
        args += ["--setting", name, str(value)]
    res = runner.invoke(main, [*args, "query", query])
    assert res.exit_code == code, res.output
    assert text in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_nested_query_from_the_command_line_is_answered(cfg, runner):
    res = runner.invoke(main, ["--store", str(cfg.store_dir), "query", nested_groups(5000),
                               "--format", "csv"])
    assert res.exit_code == 0, res.output
