"""A damaged or missing store at start-up: one clear line from `serve`, `query`, `stats`,
create_app and /-/health (503), never a traceback.

Killed builds and killed query workers are covered in tests/test_build.py and
tests/test_sparql_engine.py; docs/reliability.md lists all faults tried.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from partnergraph.cli import main
from partnergraph.errors import StoreError
from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.settings import load_config
from partnergraph.webapp import create_app

TINY = Path(__file__).parent / "data" / "tiny"
BASE = "https://example.org/id/"


def _current(d: Path) -> Path:
    return d / "versions" / store.current_version(d)


def garbage_in_every_file(d: Path) -> None:
    for f in _current(d).iterdir():
        f.write_bytes(os.urandom(64) + b"not a database")


def garbage_sst_files(d: Path) -> None:  # same size, random content: damage only a read finds
    for f in _current(d).glob("*.sst"):
        f.write_bytes(os.urandom(f.stat().st_size))


def truncated_sst_files(d: Path) -> None:
    for f in _current(d).glob("*.sst"):
        f.write_bytes(f.read_bytes()[:100])


def missing_sst_files(d: Path) -> None:
    for f in _current(d).glob("*.sst"):
        f.unlink()


def empty_version(d: Path) -> None:
    v = _current(d)
    shutil.rmtree(v)
    v.mkdir()


def current_points_nowhere(d: Path) -> None:
    (d / "current").unlink()
    os.symlink("versions/20200101T000000-gone", d / "current")


def current_is_a_file(d: Path) -> None:
    (d / "current").unlink()
    (d / "current").write_text("20200101T000000-gone\n")


def no_versions_folder(d: Path) -> None:
    shutil.rmtree(d / "versions")


DAMAGE = [garbage_in_every_file, garbage_sst_files, truncated_sst_files, missing_sst_files, empty_version,
          current_points_nowhere, current_is_a_file, no_versions_folder]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("good-store")
    data = tmp / "data"
    shutil.copytree(TINY, data, ignore=shutil.ignore_patterns("*.trig"))
    build(load_config({"store_path": str(tmp / "store"), "data_dir": str(data), "base_iri": BASE},
                      environ={}))
    return tmp / "store"


@pytest.fixture(params=DAMAGE, ids=[d.__name__ for d in DAMAGE])
def damaged(request, good_store, tmp_path) -> Path:
    d = tmp_path / "store"
    shutil.copytree(good_store, d, symlinks=True)
    request.param(d)
    return d


def _one_clear_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text and "Error: " in lines[0]
    assert "partnergraph build" in lines[0]  # what to do about it
    return lines[0]


def test_opening_a_damaged_store_is_a_store_error(damaged):
    """Regression: RocksDB reports damage as RuntimeError, which escaped as a traceback (500)."""
    with pytest.raises(StoreError, match="partnergraph build"):
        store.open_read_only(damaged)


@pytest.mark.parametrize("command", [["query", "ASK { ?s ?p ?o }"], ["stats"],
                                     ["export", "turtle", "-o", "-"]])
def test_cli_commands_give_one_line_and_exit_4(damaged, runner, command):
    res = runner.invoke(main, ["--store", str(damaged), *command])
    assert res.exit_code == 4, res.output
    assert isinstance(res.exception, SystemExit)
    _one_clear_line(res.output)


def test_serve_refuses_to_start(damaged, runner, monkeypatch):
    import waitress

    started = []
    monkeypatch.setattr(waitress, "serve", lambda *a, **k: started.append(a))
    res = runner.invoke(main, ["--store", str(damaged), "serve", "--port", "0"])
    assert res.exit_code == 4, res.output
    assert started == []
    _one_clear_line(res.output)


def test_app_starts_and_answers_503_with_the_reason(damaged):
    app = create_app(config=load_config({"store_path": str(damaged), "base_iri": BASE}, environ={}))
    try:
        client = app.test_client()
        health = client.get("/-/health")
        assert health.status_code == 503 and health.json["ok"] is False
        assert "partnergraph build" in health.json["error"] and "\n" not in health.json["error"]
        for url in ["/", "/organisations.json", "/explorer.json", "/id/org/seura.json", "/-/graphs.json"]:
            res = client.get(url, headers={"Accept": "application/json"})
            assert res.status_code == 503, url
            assert res.json["error"] == "StoreError" and "partnergraph build" in res.json["message"]
        res = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/json"})
        assert res.status_code == 503
        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 503 and b"Traceback" not in page.data
    finally:
        app.extensions["pg_engine"].close()


def test_a_build_repairs_a_damaged_store(damaged, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data, ignore=shutil.ignore_patterns("*.trig"))
    cfg = load_config({"store_path": str(damaged), "data_dir": str(data), "base_iri": BASE}, environ={})
    version = build(cfg).version
    st, current = store.open_read_only(damaged)
    assert current == version and next(iter(st.named_graphs()), None) is not None
