"""Personal data never reaches the public graph, /sparql, pages or exports."""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest

from partnergraph.errors import SourceDataError
from partnergraph.export import export_file
from partnergraph.export.selection import Selection
from partnergraph.ingest.datasets import discover
from partnergraph.ingest.validate import validate_datasets
from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader
from partnergraph.webapp import create_app

NAME = "Maija Meikäläinen"
MAIL = "mailto:maija@example.org"
PRIVATE = "https://example.org/id/graph/private-tour"
PERSON = "https://example.org/person/maija"


@pytest.fixture
def app(tiny_config, tiny_dir):
    tour = tiny_dir / "tour"
    (tour / "toimintamallit.csv").write_text(
        "tunnus,nimi,url,tekija,lahde,varmuus\n"
        f"malli,Malli,https://example.org/malli,{NAME},gen,synteettinen\n", encoding="utf-8")
    (tour / "henkilot.ttl").write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        f"<{PERSON}> a foaf:Person ; foaf:name \"{NAME}\" ; foaf:mbox <{MAIL}> .\n"
        f"<https://example.org/id/org/seura> schema:email \"seura@example.org\" ;\n"
        "  foaf:member <https://example.org/person/maija> .\n", encoding="utf-8")
    build(tiny_config)
    application = create_app(config=tiny_config)
    yield application
    application.extensions["pg_engine"].close()


def _sparql(client, query: str, **params) -> tuple[int, str]:
    res = client.get("/sparql?" + urllib.parse.urlencode({"query": query, **params}),
                     headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    return res.status_code, res.get_data(as_text=True)


def test_personal_triples_go_to_the_private_graph(app, tiny_config):
    st, _ = store.open_read_only(tiny_config.store_dir)
    private = {str(q) for q in st.quads_for_pattern(None, None, None, ox.NamedNode(PRIVATE))}
    assert any(NAME in q for q in private)
    assert any(MAIL in q for q in private)
    assert any("seura@example.org" in q for q in private)
    reader = GraphReader.from_config(tiny_config)
    assert PRIVATE not in reader.public_graphs
    public = [str(q) for g in reader.public_graphs
              for q in st.quads_for_pattern(None, None, None, ox.NamedNode(g))]
    assert not any(NAME in q or MAIL in q or "seura@example.org" in q for q in public)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?g WHERE { GRAPH ?g { } }",
    f"DESCRIBE <{PERSON}>",
    "DESCRIBE <https://example.org/id/model/malli>",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f'SELECT * WHERE {{ ?s ?p "{NAME}" }}',
    "SELECT * WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?o }",
])
def test_crafted_queries_never_see_private_data(app, query):
    status, body = _sparql(app.test_client(), query)
    assert status == 200, body
    assert NAME not in body and MAIL not in body and "private-tour" not in body


def test_naming_the_private_graph_is_refused(app):
    client = app.test_client()
    status, body = _sparql(client, f"SELECT * FROM <{PRIVATE}> WHERE {{ ?s ?p ?o }}")
    assert status == 400 and NAME not in body
    status, body = _sparql(client, f"SELECT * FROM NAMED <{PRIVATE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert status == 400 and NAME not in body
    status, body = _sparql(client, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": PRIVATE})
    assert status == 400 and NAME not in body
    status, body = _sparql(client, f"SELECT * WHERE {{ GRAPH <{PRIVATE}> {{ ?s ?p ?o }} }}")
    assert NAME not in body


def test_pages_and_exports_never_show_private_data(app, tiny_config):
    client = app.test_client()
    for url in ["/id/model/malli", "/id/model/malli.json", "/id/model/malli.ttl", "/id/org/seura.json"]:
        body = client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert NAME not in body and "seura@example.org" not in body, url
    reader = GraphReader.from_config(tiny_config)
    for fmt in ("trig", "nquads", "turtle", "jsonld", "innokyla"):
        data = export_file(reader, fmt, Selection()).data
        assert NAME.encode() not in data and b"seura@example.org" not in data, fmt


def test_a_personal_data_column_is_refused_by_name(tiny_dir):
    (tiny_dir / "tour" / "organisaatiot.csv").write_text(
        "tunnus,nimi,tyyppi,sahkoposti,lahde,varmuus\n"
        "seura,Seura ry,yhdistys,a@example.org,gen,synteettinen\n", encoding="utf-8")
    with pytest.raises(SourceDataError) as info:
        validate_datasets(discover(tiny_dir))
    assert any("sahkoposti" in str(p) and "personal data" in str(p) for p in info.value.problems)
