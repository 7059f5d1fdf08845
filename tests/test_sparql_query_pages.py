"""/queries: the list, one page per canned query, its .json/.csv/.tsv twins and parameters."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from partnergraph.webapp import create_app


@pytest.fixture(scope="module")
def app(built_store):
    app = create_app(config=built_store)
    yield app
    app.extensions["pg_engine"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def test_list_and_its_json_twin(client):
    html = client.get("/queries").get_data(as_text=True)
    data = client.get("/queries.json").json["queries"]
    assert len(data) >= 15
    for q in data:
        assert q["title_fi"] and q["title_en"] and q["description_fi"] and q["description_en"]
        assert f'href="/queries/{q["name"]}"' in html
        assert q["csv"].endswith(f"/queries/{q['name']}.csv") and q["json"].endswith(".json")
    en = client.get("/queries.json?lang=en").json["queries"]
    assert {q["title"] for q in en} == {q["title_en"] for q in data}


def test_a_page_runs_its_query_and_links_every_format(client):
    res = client.get("/queries/participants-per-year-and-role")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert "Osallistujat vuosittain ja rooleittain" in html
    assert 'class="data sortable"' in html and "<td" in html
    for ext in ("csv", "json", "tsv"):
        assert f'href="/queries/participants-per-year-and-role.{ext}"' in html
    assert 'href="/sparql?query=' in html  # open in the workbench
    assert "/static/js/sortable.js" in html and "SELECT ?year ?role" in html


def test_csv_tsv_and_json_twins(client):
    rows = list(csv.reader(io.StringIO(client.get("/queries/municipalities-without-plans.csv").get_data(
        as_text=True))))
    assert rows[0] == ["municipality", "name", "area_name", "population", "year"]
    res = client.get("/queries/municipalities-without-plans.tsv")
    assert res.mimetype == "text/tab-separated-values"
    assert res.get_data(as_text=True).startswith("?municipality")
    assert 'filename="municipalities-without-plans.tsv"' in res.headers["Content-Disposition"]
    data = client.get("/queries/municipalities-without-plans.json").json
    assert data["columns"] == rows[0] and len(data["rows"]) == len(rows) - 1
    assert data["query"].startswith("# title_fi:") and data["truncated"] is False
    assert all(isinstance(r["population"], int | None) for r in data["rows"])
    cors = client.get("/queries/municipalities-without-plans.json").headers["Access-Control-Allow-Origin"]
    assert cors == "*"


def test_uri_parameter_with_default_and_options(client, built_store):
    base = built_store.base_iri
    default = client.get("/queries/partners-of-a-municipality.json").json
    values = {p["name"]: p["value"] for p in default["parameters"]}
    assert values == {"municipality": base + "place/kunta-179"}
    assert {r["municipality"] for r in default["rows"]} == {base + "place/kunta-179"}
    other = client.get("/queries/partners-of-a-municipality.json",
                       query_string={"municipality": base + "place/kunta-077"}).json
    assert {r["municipality"] for r in other["rows"]} == {base + "place/kunta-077"}
    link = urlsplit(other["links"]["csv"])
    assert link.path == "/queries/partners-of-a-municipality.csv"
    assert parse_qs(link.query) == {"municipality": [base + "place/kunta-077"]}
    html = client.get("/queries/partners-of-a-municipality").get_data(as_text=True)
    assert f'<option value="{base}place/kunta-179" selected>Jyväskylä</option>' in html


def test_literal_and_year_parameters(client):
    all_years = client.get("/queries/plans-per-municipality-and-status.json").json["rows"]
    y2019 = client.get("/queries/plans-per-municipality-and-status.json", query_string={"year": "2019"}).json
    assert y2019["rows"] and {r["year"] for r in y2019["rows"]} == {"2019"}
    assert len(y2019["rows"]) < len(all_years)


@pytest.mark.parametrize("hostile", ["https://x/> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #",
                                     "> } ; DROP GRAPH <x>", "not an iri"])
def test_injection_attempts_are_refused(client, hostile):
    for path in ("/queries/partners-of-a-municipality", "/queries/partners-of-a-municipality.csv",
                 "/queries/partners-of-a-municipality.json"):
        res = client.get(path, query_string={"municipality": hostile})
        assert res.status_code == 400
        assert b"must be an absolute http(s) IRI" in res.data
    page = client.get("/queries/partners-of-a-municipality", query_string={"municipality": hostile})
    assert b'data-testid="param-error"' in page.data  # the form stays, with the message


def test_unknown_query_is_404(client):
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/no-such-query.csv").status_code == 404
    res = client.get("/queries/no-such-query.json", headers={"Accept": "application/json"})
    assert res.json["status"] == 404
