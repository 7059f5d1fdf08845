"""The app factory, system pages, error mapping and security headers."""

from __future__ import annotations

import pytest

from partnergraph.webapp import create_app


@pytest.fixture
def tiny_app(tiny_config):
    from partnergraph.rdf.build import build

    build(tiny_config)
    app = create_app(config=tiny_config)
    yield app
    app.extensions["pg_engine"].close()


def test_health_without_store_is_503_with_reason(tmp_path):
    app = create_app({"store_path": str(tmp_path / "none")})
    res = app.test_client().get("/-/health")
    assert res.status_code == 503
    assert "partnergraph build" in res.json["error"]


def test_health_settings_and_graphs(tiny_app):
    c = tiny_app.test_client()
    res = c.get("/-/health")
    assert res.status_code == 200 and res.json["ok"] is True
    names = [s["name"] for s in c.get("/-/settings.json").json]
    assert "query_timeout" in names
    graphs = c.get("/-/graphs.json").json["graphs"]
    assert "https://example.org/id/graph/tour" in graphs


def test_errors_follow_accept(tiny_app):
    c = tiny_app.test_client()
    assert c.get("/no/such/page", headers={"Accept": "application/json"}).json["status"] == 404
    html = c.get("/no/such/page", headers={"Accept": "text/html"})
    assert html.status_code == 404 and b"<html" in html.data
    text = c.get("/no/such/page", headers={"Accept": "text/plain"})
    assert text.data.startswith(b"Not Found")


def test_security_headers_allow_no_outside_origin(tiny_app):
    res = tiny_app.test_client().get("/-/health")
    csp = res.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "http" not in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"


def test_language_switch_sets_cookie(tiny_app):
    c = tiny_app.test_client()
    res = c.get("/no/such/page?lang=en", headers={"Accept": "text/html"})
    assert 'lang="en"' in res.get_data(as_text=True)
    assert "pg_lang=en" in res.headers["Set-Cookie"]
    res = c.get("/no/such/page", headers={"Accept": "text/html"})
    assert 'lang="en"' in res.get_data(as_text=True)


def test_vendor_assets_only_from_the_allow_list(tiny_app):
    c = tiny_app.test_client()
    assert c.get("/vendor/../package.json").status_code == 404
    assert c.get("/vendor/evil.js").status_code == 404
