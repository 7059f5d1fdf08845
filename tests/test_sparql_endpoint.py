"""/sparql: every path of the SPARQL 1.1 Protocol query operation, refusals, limits, CORS."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from partnergraph.webapp import create_app

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }"
NAMES = "SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name } ORDER BY ?name"
CONSTRUCT = ("CONSTRUCT { ?m a pg:Municipality ; skos:prefLabel ?name } "
             "WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_TYPE = "application/sparql-results+json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def make_app(config):
    app = create_app(config=config)
    app.config["TESTING"] = False
    return app


@pytest.fixture(scope="module")
def app(built_store):
    app = make_app(built_store)
    yield app
    app.extensions["pg_engine"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def count_of(res) -> int:
    return int(res.json["results"]["bindings"][0]["n"]["value"])


def graph(config, key: str) -> str:
    return f"{config.base_iri}graph/{key}"


# -- the three ways to send a query -----------------------------------------------------
def test_get_returns_sparql_json_by_default(client):
    res = client.get("/sparql", query_string={"query": COUNT})
    assert res.status_code == 200
    assert res.mimetype == JSON_TYPE
    assert count_of(res) == 23
    assert res.headers["Server-Timing"].startswith("query;dur=")
    assert res.headers["X-Partnergraph-Store-Version"]
    assert "X-Partnergraph-Truncated" not in res.headers


def test_post_form_encoded(client):
    res = client.post("/sparql", data={"query": COUNT})
    assert res.status_code == 200 and count_of(res) == 23


def test_post_direct_body_in_utf8(client):
    query = 'SELECT ?m WHERE { ?m skos:prefLabel "Äänekoski"@fi ; a pg:Municipality }'
    res = client.post("/sparql", data=query.encode("utf-8"), content_type="application/sparql-query")
    assert res.status_code == 200
    assert res.json["results"]["bindings"][0]["m"]["value"].endswith("place/kunta-992")
    res = client.post("/sparql", data=query.encode("utf-8"),
                      content_type="application/sparql-query; charset=utf-8")
    assert res.status_code == 200
    bad = client.post("/sparql", data=b"SELECT * WHERE { ?s ?p \xff }",
                      content_type="application/sparql-query")
    assert bad.status_code == 400 and b"UTF-8" in bad.data


# -- formats: Accept and the format parameter -------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", JSON_TYPE),
        ("application/json", JSON_TYPE),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", JSON_TYPE),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_negotiates_by_accept(client, accept, media):
    res = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": accept})
    assert res.status_code == 200
    assert res.mimetype == media
    assert "Accept" in res.headers.get_all("Vary")


def test_select_formats_carry_the_same_rows(client):
    def get(fmt):
        return client.get("/sparql", query_string={"query": NAMES, "format": fmt})

    j = get("json").json["results"]["bindings"]
    names = [b["name"]["value"] for b in j]
    assert len(names) == 23 and names[0] == "Hankasalmi"
    xml = get("xml")
    assert xml.mimetype == "application/sparql-results+xml"
    assert xml.data.count(b"<result>") == 23 and b'<literal xml:lang="fi">Hankasalmi</literal>' in xml.data
    rows = list(csv.reader(io.StringIO(get("csv").get_data(as_text=True))))
    assert rows[0] == ["m", "name"] and [r[1] for r in rows[1:]] == names
    tsv = get("tsv").get_data(as_text=True).splitlines()
    assert tsv[0] == "?m\t?name" and tsv[1].endswith('\t"Hankasalmi"@fi') and len(tsv) == 24
    assert get("tsv").mimetype == "text/tab-separated-values"


def test_ask_as_json_and_xml_but_not_csv(client):
    ask = "ASK { ?m a pg:Municipality }"
    assert client.get("/sparql", query_string={"query": ask}).json == {"head": {}, "boolean": True}
    xml = client.get("/sparql", query_string={"query": ask, "format": "xml"})
    assert b"<boolean>true</boolean>" in xml.data
    for fmt in ("csv", "tsv"):
        res = client.get("/sparql", query_string={"query": ask, "format": fmt})
        assert res.status_code == 400 and b"ASK results have no" in res.data
    res = client.get("/sparql", query_string={"query": ask}, headers={"Accept": "text/csv"})
    assert res.status_code == 406 and b"no CSV/TSV form" in res.data


@pytest.mark.parametrize(
    ("fmt", "accept", "media", "rdf_format"),
    [
        ("turtle", None, "text/turtle", ox.RdfFormat.TURTLE),
        ("ntriples", None, "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", None, "application/ld+json", ox.RdfFormat.JSON_LD),
        ("rdfxml", None, "application/rdf+xml", ox.RdfFormat.RDF_XML),
        (None, "text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        (None, "application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        (None, "application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        (None, "application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        (None, None, "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_construct_formats_parse_back(client, fmt, accept, media, rdf_format):
    params = {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}
    res = client.get("/sparql", query_string=params, headers={"Accept": accept} if accept else {})
    assert res.status_code == 200 and res.mimetype == media
    triples = list(ox.parse(res.data, format=rdf_format))
    assert len(triples) == 46  # 23 municipalities × (type + label)


def test_describe(client, built_store):
    res = client.get("/sparql", query_string={"query": f"DESCRIBE <{built_store.base_iri}place/kunta-179>",
                                              "format": "ntriples"})
    assert res.status_code == 200 and b"Jyv\xc3\xa4skyl\xc3\xa4" in res.data


@pytest.mark.parametrize(("query", "fmt"), [(NAMES, "turtle"), (CONSTRUCT, "csv"), (NAMES, "pdf")])
def test_a_format_that_does_not_fit_is_400(client, query, fmt):
    res = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert res.status_code == 400 and b"(parameter format)" in res.data


def test_sparqlwrapper_style_format_names_for_graphs(client):
    # SPARQLWrapper sends format=json / xml for CONSTRUCT and expects JSON-LD / RDF/XML
    assert client.get("/sparql", query_string={"query": CONSTRUCT, "format": "json"}).mimetype == \
        "application/ld+json"
    assert client.get("/sparql", query_string={"query": CONSTRUCT, "format": "xml"}).mimetype == \
        "application/rdf+xml"
    assert client.get("/sparql", query_string={"query": NAMES, "output": "csv"}).mimetype == "text/csv"


def test_unacceptable_accept_is_406(client):
    res = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": "image/png"})
    assert res.status_code == 406 and b"application/sparql-results+json" in res.data
    res = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert res.status_code == 406 and b"text/turtle" in res.data


# -- protocol errors -----------------------------------------------------------------------
def test_exactly_one_query(client):
    res = client.get("/sparql?query=" + quote(COUNT) + "&query=" + quote(COUNT))
    assert res.status_code == 400 and b"exactly one" in res.data
    res = client.post("/sparql?query=" + quote(COUNT), data={"query": COUNT})
    assert res.status_code == 400 and b"exactly one" in res.data
    res = client.post("/sparql?query=" + quote(COUNT), data=COUNT, content_type="application/sparql-query")
    assert res.status_code == 400 and b"exactly one" in res.data
    res = client.post("/sparql", data={"format": "json"})
    assert res.status_code == 400 and b"no 'query'" in res.data


def test_wrong_body_type_is_415(client):
    res = client.post("/sparql", data=COUNT, content_type="text/plain")
    assert res.status_code == 415 and b"application/sparql-query" in res.data
    res = client.post("/sparql", data=COUNT)
    assert res.status_code == 415


def test_syntax_error_is_400_with_the_position(client):
    res = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {\n  ?x ?y\n}"},
                     headers={"Accept": "text/plain"})
    assert res.status_code == 400
    text = res.get_data(as_text=True)
    assert "does not parse" in text and "error at 3:" in text and "line 3: }" in text
    res = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }", "format": "json"})
    assert res.status_code == 400 and res.json["error"] == "QueryError"


def test_other_methods_are_405(client):
    assert client.put("/sparql", data=COUNT).status_code == 405
    assert client.delete("/sparql").status_code == 405


# -- refusals: updates on every method, SERVICE, LOAD, remote FROM ---------------------------
def test_updates_are_refused_on_every_method(client):
    cases = [
        client.get("/sparql", query_string={"update": "DROP ALL"}),
        client.get("/sparql", query_string={"query": COUNT, "update": "DROP ALL"}),
        client.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}),
        client.post("/sparql", data="DROP ALL", content_type="application/sparql-update"),
        client.post("/sparql", data={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}),
        client.get("/sparql", query_string={"query": "DELETE WHERE { ?s ?p ?o }"}),
    ]
    for res in cases:
        assert res.status_code == 400
        assert b"read-only" in res.data and b"rule:" in res.data
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200


@pytest.mark.parametrize(
    ("query", "rule"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", b"no network access"),
        ("LOAD <http://example.org/data.ttl>", b"read-only"),
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", b"no remote FROM"),
    ],
)
def test_service_load_and_remote_from_are_refused(client, query, rule):
    for res in (client.get("/sparql", query_string={"query": query}),
                client.post("/sparql", data={"query": query}),
                client.post("/sparql", data=query, content_type="application/sparql-query")):
        assert res.status_code == 400 and rule in res.data


# -- the dataset: default-graph-uri and named-graph-uri -----------------------------------
def test_default_graph_uri_replaces_the_default_graph(client, built_store):
    triples = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = count_of(client.get("/sparql", query_string={"query": triples}))
    ref = count_of(client.get("/sparql", query_string={"query": triples,
                                                      "default-graph-uri": graph(built_store, "reference")}))
    both = count_of(client.get("/sparql", query_string=[
        ("query", triples), ("default-graph-uri", graph(built_store, "reference")),
        ("default-graph-uri", graph(built_store, "elinvoimapajat"))]))
    assert 0 < ref < both < union
    # the protocol's dataset replaces the query's FROM
    from_query = f"SELECT (COUNT(*) AS ?n) FROM <{graph(built_store, 'elinvoimapajat')}> WHERE {{ ?s ?p ?o }}"
    over = client.post("/sparql", data={"query": from_query,
                                        "default-graph-uri": graph(built_store, "reference")})
    assert count_of(over) == ref


def test_named_graph_uri_limits_graph_patterns(client, built_store):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    every = client.get("/sparql", query_string={"query": query}).json["results"]["bindings"]
    assert len(every) >= 4
    only = client.post(f"/sparql?named-graph-uri={quote(graph(built_store, 'reference'))}",
                       data=query, content_type="application/sparql-query").json["results"]["bindings"]
    assert [b["g"]["value"] for b in only] == [graph(built_store, "reference")]


def test_unknown_graph_is_400(client):
    res = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": "http://example.org/nope"})
    assert res.status_code == 400 and b"/-/graphs" in res.data
    res = client.get("/sparql", query_string={"query": COUNT, "named-graph-uri": "http://example.org/nope"})
    assert res.status_code == 400


# -- limits ------------------------------------------------------------------------------------
def test_row_cap_is_flagged_in_a_header(built_store):
    app = make_app(built_store.with_overrides({"max_rows": 2}))
    try:
        c = app.test_client()
        res = c.get("/sparql", query_string={"query": NAMES})
        assert res.headers["X-Partnergraph-Truncated"] == "max_rows=2"
        assert len(res.json["results"]["bindings"]) == 2
        res = c.get("/sparql", query_string={"query": CONSTRUCT, "format": "ntriples"})
        assert res.headers["X-Partnergraph-Truncated"] == "max_rows=2" and res.data.count(b"\n") == 2
        assert "X-Partnergraph-Truncated" in res.headers["Access-Control-Expose-Headers"]
        assert "X-Partnergraph-Truncated" not in c.get("/sparql", query_string={"query": COUNT}).headers
    finally:
        app.extensions["pg_engine"].close()


def test_body_over_1_mib_is_413(client):
    res = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1 << 20)})
    assert res.status_code == 413 and b"1 MiB" in res.data
    res = client.post("/sparql", data=b"#" * ((1 << 20) + 10), content_type="application/sparql-query")
    assert res.status_code == 413 and b"request body limit" in res.data


def test_query_length_setting(client):
    res = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001})
    assert res.status_code == 400 and b"max_query_length" in res.data


@pytest.mark.slow
def test_slow_query_is_stopped_and_the_server_answers_afterwards(built_store):
    app = make_app(built_store.with_overrides({"query_timeout": 1.0}))
    try:
        c = app.test_client()
        start = time.monotonic()
        res = c.get("/sparql", query_string={"query": SLOW})
        assert res.status_code == 503 and res.headers["Retry-After"]
        assert b"query_timeout" in res.data
        assert time.monotonic() - start < 5
        assert count_of(c.get("/sparql", query_string={"query": COUNT})) == 23
        assert c.get("/-/health").json["workers_killed"] == 1
    finally:
        app.extensions["pg_engine"].close()


# -- CORS ------------------------------------------------------------------------------------
def test_cors_on_answers_and_errors(client):
    ok = client.get("/sparql", query_string={"query": COUNT}, headers={"Origin": "https://example.org"})
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    bad = client.get("/sparql", query_string={"query": "SELEC"}, headers={"Origin": "https://example.org"})
    assert bad.status_code == 400 and bad.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client):
    res = client.options("/sparql", headers={"Origin": "https://example.org",
                                              "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert res.status_code == 204
    assert res.headers["Access-Control-Allow-Origin"] == "*"
    assert set(res.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert {"content-type", "accept"} <= {h.strip().lower() for h in
                                          res.headers["Access-Control-Allow-Headers"].split(",")}


# -- pages and descriptions ---------------------------------------------------------------------
def test_browser_gets_the_workbench_with_the_shared_query(client):
    res = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": BROWSER})
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    assert 'id="workbench"' in html and "/vendor/yasgui.js" in html and "/static/js/workbench.js" in html
    # no inline script: every <script> has a src or is a JSON data block
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    config = json.loads(re.search(r'<script type="application/json" id="workbench-config">(.*?)</script>',
                                  html, re.S).group(1))
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["pg"] == "https://w3id.org/partnergraph/def#"
    assert "https://w3id.org/partnergraph/def#Municipality" in config["classes"]
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in config["properties"]
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]
    # with a format parameter the same URL is data, even for a browser
    data = client.get("/sparql", query_string={"query": NAMES, "format": "csv"}, headers={"Accept": BROWSER})
    assert data.mimetype == "text/csv"


def test_workbench_and_help_without_query(client):
    res = client.get("/sparql", headers={"Accept": BROWSER})
    assert res.status_code == 200 and b'id="workbench"' in res.data
    helped = client.get("/sparql?help", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert '<details id="help" class="workbench-help" open>' in helped
    assert client.get("/sparql?lang=en", headers={"Accept": BROWSER}).data.count(b"SPARQL 1.1 Protocol") >= 1


def test_service_descriptions(client, built_store):
    desc = client.get("/sparql", headers={"Accept": "application/json"}).json
    assert desc["limits"]["max_rows"] == built_store.max_rows and desc["limits"]["max_body_bytes"] == 1 << 20
    assert graph(built_store, "reference") in desc["dataset"]["named_graphs"]
    assert client.get("/sparql.json").json["endpoint"].endswith("/sparql")
    ttl = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle"
    st = ox.Store()
    st.load(ttl.data, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert st.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> }}")


def test_shared_link_round_trip(client):
    """The workbench's shareable link is /sparql?query=…: data for programs, the page for people."""
    link = "/sparql?query=" + quote(COUNT)
    assert count_of(client.get(link)) == 23
    assert b'id="workbench"' in client.get(link, headers={"Accept": BROWSER}).data
