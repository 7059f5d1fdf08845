"""benchmarks/load_test.py: loopback only, bounded, and its checks work (a short smoke run)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "load_test.py"


@pytest.fixture(scope="module")
def load_test():
    spec = importlib.util.spec_from_file_location("load_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("load_test", None)


@pytest.mark.parametrize("url", ["http://example.org/", "http://10.0.0.5:5000/", "http://192.168.1.1/",
                                 "http://[2001:db8::1]:80/", "http://localhost.example.org/"])
def test_refuses_a_server_that_is_not_on_the_loopback_interface(load_test, url, capsys):
    with pytest.raises(SystemExit) as e:
        load_test.parse_args(["--base-url", url])
    assert e.value.code == 2 and "loopback" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000/", "http://localhost:8080", "http://[::1]:5000/"])
def test_accepts_loopback_addresses(load_test, url):
    assert load_test.parse_args(["--base-url", url]).base_url == url


def test_defaults_are_50_clients_for_60_seconds_and_bounded(load_test):
    args = load_test.parse_args([])
    assert (args.clients, args.seconds, args.slow_clients) == (50, 60, 1)
    assert 0 < args.max_requests < 10**7


def test_query_form_skips_comments(load_test):
    assert load_test.query_form("# ASK me\nSELECT ?task WHERE { ?s ?p ?task }") == "SELECT"
    assert load_test.query_form("PREFIX a: <x:>\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_slow_queries_must_be_timely_503s(load_test):
    args = load_test.parse_args(["--margin", "2"])
    args.loadavg_before = []
    ok = load_test.Result("slow", 503, 13.0, '{"error":"QueryTimeout"}', "x", queue=2.5)
    late = load_test.Result("slow", 503, 13.0, '{"error":"QueryTimeout"}', "x", queue=0.1)
    busy = load_test.Result("sparql", 503, 1.0, '{"error":"ServiceBusy"}', "GET /sparql")
    summary, failures = load_test.report([ok], 20, args, None, timeout=10)
    assert summary["ok"] and not failures
    summary, failures = load_test.report([ok, late, busy], 20, args, None, timeout=10)
    assert not summary["ok"] and len(failures) == 2
    assert summary["five_xx_outside_slow_queries"] == 1


@pytest.mark.slow
def test_a_short_run_against_the_tiny_data(load_test, tiny_config, tmp_path):
    from partnergraph.rdf.build import build

    build(tiny_config)
    out = tmp_path / "load.json"
    code = load_test.main(["--clients", "6", "--seconds", "4", "--store", str(tiny_config.store_dir),
                           "--setting", "query_timeout", "2", "--setting", "base_iri", tiny_config.base_iri,
                           "--margin", "4", "--pause", "0.5", "--json", str(out)])
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, summary["failures"]
    assert summary["requests"] > 0 and summary["five_xx_outside_slow_queries"] == 0
    assert summary["slow_queries"]["sent"] >= 1
    assert summary["slow_queries"]["timely_503"] == summary["slow_queries"]["sent"]
    assert summary["memory"]["server_vmhwm_mib"] > 0
