"""Web import: only with an admin token, CSRF-protected, limited, and as atomic as the CLI build."""

from __future__ import annotations

import io
import re

import pytest

from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.webapp import create_app

TOKEN = "s3cret-token-for-tests-0123456789"
GOOD = b"tunnus,nimi,tyyppi,kotikunta,lahde,varmuus\nuusi,Uusi Yhdistys ry,yhdistys,435,src1,vahvistettu\n"
BAD = (
    "tunnus,nimi,tyyppi,kotikunta,lahde,varmuus\n"
    "uusi,Uusi Yhdistys ry,yhdistys,999,src1,vahvistettu\n"
    "toinen,,seura,435,src1,ehkä\n"
).encode()


@pytest.fixture
def admin_app(tiny_config):
    build(tiny_config)
    app = create_app(config=tiny_config.with_overrides({"admin_token": TOKEN}))
    app.config["TESTING"] = True
    yield app
    app.extensions["pg_engine"].close()


def _login(client) -> str:
    res = client.post("/-/admin/login", data={"token": TOKEN})
    assert res.status_code == 302
    page = client.get("/-/admin/import").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _upload(client, csrf: str | None, files: list[tuple[bytes, str]], dataset: str = "uploads", **extra):
    data = {"dataset": dataset, "files": [(io.BytesIO(b), name) for b, name in files], **extra}
    if csrf is not None:
        data["csrf"] = csrf
    return client.post("/-/admin/import", data=data, content_type="multipart/form-data")


def test_without_a_token_the_write_routes_do_not_exist(tiny_config):
    build(tiny_config)
    app = create_app(config=tiny_config)
    c = app.test_client()
    assert c.get("/-/admin/import").status_code == 404
    assert c.post("/-/admin/import", data={"dataset": "x"}).status_code == 404
    assert c.post("/-/admin/login", data={"token": "anything"}).status_code == 404
    app.extensions["pg_engine"].close()


def test_wrong_token_and_missing_session(admin_app):
    c = admin_app.test_client()
    assert c.post("/-/admin/login", data={"token": "wrong"}).status_code == 401
    assert c.get("/-/admin/import").status_code == 302
    assert _upload(c, "x", [(GOOD, "organisaatiot.csv")]).status_code == 401


def test_csrf_is_required(admin_app, tiny_config):
    c = admin_app.test_client()
    _login(c)
    before = store.current_version(tiny_config.store_dir)
    assert _upload(c, None, [(GOOD, "organisaatiot.csv")]).status_code == 403
    assert _upload(c, "forged", [(GOOD, "organisaatiot.csv")]).status_code == 403
    assert store.current_version(tiny_config.store_dir) == before


def test_bad_rows_are_listed_and_nothing_changes(admin_app, tiny_config, tiny_dir):
    c = admin_app.test_client()
    csrf = _login(c)
    before = store.current_version(tiny_config.store_dir)
    res = _upload(c, csrf, [(BAD, "organisaatiot.csv")], dataset="tour")
    assert res.status_code == 400
    text = res.get_data(as_text=True)
    assert "organisaatiot.csv:2:kotikunta" in text and "organisaatiot.csv:3:nimi" in text
    assert "organisaatiot.csv:3:varmuus" in text
    assert store.current_version(tiny_config.store_dir) == before
    assert "Esimerkkiseura" in (tiny_dir / "tour" / "organisaatiot.csv").read_text(encoding="utf-8")
    assert not (tiny_dir / "uploads").exists()


def test_good_upload_rebuilds_atomically_and_keeps_the_dataset(admin_app, tiny_config, tiny_dir):
    c = admin_app.test_client()
    csrf = _login(c)
    before = store.current_version(tiny_config.store_dir)
    res = _upload(
        c,
        csrf,
        [(GOOD, "organisaatiot.csv"), (b"tunnus,otsikko\nsrc-up,Upload\n", "lahteet.csv")],
        title_fi="Tuonti",
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    assert store.current_version(tiny_config.store_dir) != before
    assert (tiny_dir / "uploads" / "organisaatiot.csv").read_bytes() == GOOD
    assert 'title_fi = "Tuonti"' in (tiny_dir / "uploads" / "dataset.toml").read_text(encoding="utf-8")
    page = c.get("/id/org/uusi.json")
    assert page.json["label"] == "Uusi Yhdistys ry"


def test_bearer_token_for_api_clients(admin_app):
    c = admin_app.test_client()
    res = c.post(
        "/-/admin/import",
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
        data={"dataset": "api", "files": [(io.BytesIO(GOOD), "organisaatiot.csv")]},
        content_type="multipart/form-data",
    )
    assert res.status_code == 200 and res.json["ok"] is True
    res = c.post(
        "/-/admin/import",
        headers={"Authorization": "Bearer wrong"},
        data={"dataset": "api", "files": [(io.BytesIO(GOOD), "organisaatiot.csv")]},
        content_type="multipart/form-data",
    )
    assert res.status_code == 401


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../../../tmp/organisaatiot.csv", 200),  # the path is dropped, the table name kept
        ("evil.exe", 400),
        ("passwd", 400),
        ("../kunnat2.csv", 400),
    ],
)
def test_no_path_is_taken_from_the_user(admin_app, tiny_dir, tmp_path, name, expected):
    c = admin_app.test_client()
    csrf = _login(c)
    res = _upload(c, csrf, [(GOOD, name)])
    assert res.status_code == expected, res.get_data(as_text=True)
    assert not (tiny_dir.parent / "tmp").exists()
    if expected == 200:
        assert sorted(p.name for p in (tiny_dir / "uploads").iterdir()) == [
            "dataset.toml",
            "organisaatiot.csv",
        ]


def test_upload_size_limit(tiny_config):
    build(tiny_config)
    app = create_app(config=tiny_config.with_overrides({"admin_token": TOKEN, "max_upload_bytes": 100}))
    c = app.test_client()
    csrf = _login(c)
    res = _upload(c, csrf, [(GOOD * 3, "organisaatiot.csv")])
    assert res.status_code in (400, 413)
    assert "max_upload_bytes" in res.get_data(as_text=True) or res.status_code == 413
    app.extensions["pg_engine"].close()


def test_short_token_is_refused(tiny_config):
    from partnergraph.errors import InvalidInput

    with pytest.raises(InvalidInput, match="16 characters"):
        create_app(config=tiny_config.with_overrides({"admin_token": "short"}))
