"""Entity pages, their .json twins, content negotiation on /id/..., escaping, dashboard."""

from __future__ import annotations

import pytest
from rdflib import Graph

from partnergraph.rdf.build import build
from partnergraph.webapp import create_app

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def client(tiny_config, tiny_dir):
    # an organisation whose name carries HTML and script
    path = tiny_dir / "tour" / "organisaatiot.csv"
    path.write_text(path.read_text(encoding="utf-8") +
                    f'paha,"{HOSTILE.replace(chr(34), chr(34) * 2)}",yhdistys,435,,,,gen,synteettinen,\n',
                    encoding="utf-8")
    part = tiny_dir / "tour" / "osallistumiset.csv"
    part.write_text(part.read_text(encoding="utf-8") + "paja,paha,,järjestö,1,gen,synteettinen,\n",
                    encoding="utf-8")
    build(tiny_config)
    app = create_app(config=tiny_config)
    yield app.test_client()
    app.extensions["pg_engine"].close()


PAGES = {
    "place/kunta-435": "municipality",
    "area/B": "area",
    "org/seura": "organisation",
    "event/paja": "event",
    "plan/plan1": "plan",
}


@pytest.mark.parametrize(("path", "kind"), PAGES.items())
def test_entity_page_and_json_twin(client, path, kind):
    html = client.get(f"/id/{path}", headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert f'data-kind="{kind}"' in html.get_data(as_text=True)
    data = client.get(f"/id/{path}.json").json
    assert data["kind"] == kind
    assert data["iri"] == f"https://example.org/id/{path}"
    assert data["facts"]
    assert data["label"]


def test_municipality_sections(client):
    data = client.get("/id/place/kunta-435.json").json
    assert [p["label"] for p in data["sections"]["plans"]] == ["Luhangan yhteistyö 2019"]
    assert data["confidence"] == "vahvistamaton"
    assert data["sources"][0]["url"] == "https://example.org/src1"


def test_synthetic_entities_are_marked(client):
    page = client.get("/id/org/seura", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'data-testid="synthetic-badge"' in page and 'data-testid="synthetic-banner"' in page
    real = client.get("/id/place/kunta-435", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'data-testid="synthetic-badge"' not in real


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
])
def test_content_negotiation_on_id(client, accept, media, fmt):
    res = client.get("/id/place/kunta-435", headers={"Accept": accept})
    assert res.status_code == 200
    assert res.mimetype == media
    g = Graph().parse(data=res.data, format=fmt)
    from rdflib import URIRef
    from rdflib.namespace import SKOS
    assert (URIRef("https://example.org/id/place/kunta-435"), SKOS.notation, None) in g


def test_suffixes_pick_the_format(client):
    assert client.get("/id/place/kunta-435.ttl").mimetype == "text/turtle"
    assert client.get("/id/place/kunta-435.nt").mimetype == "application/n-triples"
    assert client.get("/id/place/kunta-435.jsonld").mimetype == "application/ld+json"


def test_unknown_entity_is_404(client):
    assert client.get("/id/org/nobody", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/id/nonsense").status_code == 404
    assert client.get("/id/org/nobody.json").json["status"] == 404


def test_hostile_name_is_text_everywhere(client):
    for url in ["/id/org/paha", "/organisations", "/id/event/paja", "/"]:
        page = client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
    page = client.get("/id/org/paha", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page
    assert client.get("/id/org/paha.json").json["label"] == HOSTILE


def test_lists_and_dashboard(client):
    rows = client.get("/organisations.json").json["rows"]
    assert {r["label"] for r in rows} >= {"Luhangan Esimerkkiseura ry", "Luhangan kunta"}
    dash = client.get("/index.json").json
    assert dash["counts"]["municipalities"]["total"] == 1
    assert dash["counts"]["plans"] == {"total": 1, "synthetic": 1, "public_record": 0}
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
