"""A live server (waitress, 8 threads) on a loopback port: SPARQLWrapper and many concurrent clients."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from partnergraph.webapp import create_app

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUERIES = [
    COUNT,
    "SELECT ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name } ORDER BY ?name",
    "SELECT ?area (COUNT(?m) AS ?n) WHERE { ?a pg:area ?area ; pg:municipality ?m } "
    "GROUP BY ?area ORDER BY ?area",
    "SELECT ?w ?y WHERE { ?w a pg:Workshop ; pg:year ?y } ORDER BY ?w",
    "ASK { ?m a pg:Municipality ; skos:prefLabel \"Jyväskylä\"@fi }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
]


class LiveServer:
    def __init__(self, app, threads: int = 8) -> None:
        from waitress.server import create_server

        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads, ident="partnergraph-test")
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.app.extensions["pg_engine"].close()


@pytest.fixture(scope="module")
def live(built_store):
    server = LiveServer(create_app(config=built_store.with_overrides({"query_timeout": 2.0})))
    yield server
    server.close()


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read(), dict(res.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def get(live: LiveServer, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    url = f"{live.url}/sparql?query={urllib.parse.quote(query)}"
    status, body, _ = fetch(url, headers={"Accept": accept})
    return status, body


# -- a real client library ------------------------------------------------------------------
def test_sparqlwrapper_select_json(live):
    s = SPARQLWrapper(f"{live.url}/sparql")
    s.setQuery("SELECT ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name } ORDER BY ?name")
    s.setReturnFormat(JSON)
    rows = s.query().convert()["results"]["bindings"]
    assert len(rows) == 23
    assert rows[0]["name"] == {"type": "literal", "xml:lang": "fi", "value": "Hankasalmi"}


def test_sparqlwrapper_post_ask_xml_and_csv(live):
    s = SPARQLWrapper(f"{live.url}/sparql")
    s.setMethod(POST)
    s.setQuery('ASK { ?m a pg:Municipality ; skos:prefLabel "Jyväskylä"@fi }')
    s.setReturnFormat(JSON)
    assert s.query().convert()["boolean"] is True
    s.setReturnFormat(XML)
    doc = s.query().convert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"
    s.setQuery(COUNT)
    s.setReturnFormat(CSV)
    assert s.query().convert().decode().splitlines() == ["n", "23"]


def test_sparqlwrapper_construct_into_rdflib(live):
    s = SPARQLWrapper(f"{live.url}/sparql")
    s.setQuery("CONSTRUCT { ?m skos:prefLabel ?name } WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }")
    s.setReturnFormat(TURTLE)
    g = s.queryAndConvert()
    from rdflib import Graph

    parsed = Graph().parse(data=g, format="turtle") if isinstance(g, bytes) else g
    assert len(parsed) == 23
    s.setReturnFormat(XML)  # RDF/XML for graph queries
    assert len(s.queryAndConvert()) == 23


def test_sparqlwrapper_sees_refusals_as_errors(live):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    s = SPARQLWrapper(f"{live.url}/sparql")
    s.setQuery("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    s.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="no network access"):
        s.query()


# -- many concurrent clients ---------------------------------------------------------------------
def test_many_concurrent_clients_get_identical_answers(live):
    expected = {q: get(live, q) for q in QUERIES}
    assert all(status == 200 for status, _ in expected.values())
    jobs = [QUERIES[i % len(QUERIES)] for i in range(16 * 6)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda q: (q, get(live, q)), jobs))
    elapsed = time.perf_counter() - start
    for q, answer in answers:
        assert answer == expected[q], q
    print(f"\n{len(jobs)} queries from 16 threads in {elapsed:.2f} s "
          f"({len(jobs) / elapsed:.0f} queries/s)")


def test_concurrent_mixed_methods_and_formats(live):
    def post_form(q: str) -> bytes:
        return fetch(f"{live.url}/sparql", urllib.parse.urlencode({"query": q}).encode(),
                     {"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"})[1]

    def post_direct(q: str) -> bytes:
        return fetch(f"{live.url}/sparql", q.encode(),
                     {"Accept": "text/csv", "Content-Type": "application/sparql-query"})[1]

    selects = [q for q in QUERIES if q.startswith("SELECT")]
    expected = {q: get(live, q, "text/csv")[1] for q in selects}
    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [(q, pool.submit(fn, q)) for q in selects * 4 for fn in (post_form, post_direct)]
        for q, f in futures:
            assert f.result() == expected[q]


@pytest.mark.slow
def test_slow_query_does_not_block_the_others(live):
    slow: dict = {}

    def run_slow() -> None:
        slow["answer"] = get(live, SLOW)

    t = threading.Thread(target=run_slow)
    t.start()
    time.sleep(0.2)
    start = time.perf_counter()
    for q in QUERIES:
        assert get(live, q)[0] == 200
    fast = time.perf_counter() - start
    t.join()
    assert slow["answer"][0] == 503 and b"query_timeout" in slow["answer"][1]
    assert fast < 2.0  # answered while the slow one was still running
    status, body, _ = fetch(f"{live.url}/-/health")
    assert status == 200 and b'"workers_killed":' in body
    assert get(live, COUNT)[0] == 200


def test_cors_preflight_over_http(live):
    req = urllib.request.Request(f"{live.url}/sparql", method="OPTIONS",
                                 headers={"Origin": "https://example.org",
                                          "Access-Control-Request-Method": "POST"})
    with urllib.request.urlopen(req, timeout=10) as res:
        assert res.status == 204 and res.headers["Access-Control-Allow-Origin"] == "*"
