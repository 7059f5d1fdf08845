"""CLI commands and their documented exit codes."""

from __future__ import annotations

import json

from pg_testing import BROKEN_GRAPH_TTL

from partnergraph.cli import main

MUNICIPALITIES_2018_2020 = """
PREFIX pg: <https://w3id.org/partnergraph/def#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a pg:Municipality ; schema:containedInPlace ?region .
  ?region skos:notation "13" .
}
"""


def _args(cfg, *rest):
    return ["--store", str(cfg.store_dir), "--data", str(cfg.data_dir),
            "--setting", "base_iri", cfg.base_iri, *rest]


def test_build_query_and_stats_on_shipped_data(runner, shipped_dir, tmp_path):
    base = ["--store", str(tmp_path / "store"), "--data", str(shipped_dir)]
    res = runner.invoke(main, [*base, "build", "-q"])
    assert res.exit_code == 0, res.output
    assert "Built store version" in res.output
    res = runner.invoke(main, [*base, "query", MUNICIPALITIES_2018_2020, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["n", "23"]
    res = runner.invoke(main, [*base, "stats", "--format", "json"])
    assert res.exit_code == 0, res.output
    stats = json.loads(res.output)
    assert stats["classes"]["pg:Municipality"] == 23


def test_query_from_stdin_and_file(runner, tiny_config, tmp_path):
    assert runner.invoke(main, _args(tiny_config, "build", "-q")).exit_code == 0
    q = "SELECT ?l WHERE { <https://example.org/id/place/kunta-435> skos:prefLabel ?l }"
    res = runner.invoke(main, _args(tiny_config, "query", "--format", "tsv"), input=q)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["?l", '"Luhanka"@fi']
    f = tmp_path / "q.rq"
    f.write_text(q, encoding="utf-8")
    res = runner.invoke(main, _args(tiny_config, "query", "--file", str(f), "--format", "json"))
    assert json.loads(res.output)["results"]["bindings"][0]["l"]["value"] == "Luhanka"


def test_exit_codes(runner, tiny_config, tiny_dir):
    # no store yet: 4
    res = runner.invoke(main, _args(tiny_config, "query", "ASK {}"))
    assert res.exit_code == 4 and "partnergraph build" in res.output
    assert runner.invoke(main, _args(tiny_config, "build", "-q")).exit_code == 0
    # syntax error: 5
    res = runner.invoke(main, _args(tiny_config, "query", "SELECT WHERE {"))
    assert res.exit_code == 5 and "does not parse" in res.output
    assert "Traceback" not in res.output
    # refused: 6
    res = runner.invoke(main, _args(tiny_config, "query",
                                    "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }"))
    assert res.exit_code == 6 and "SERVICE" in res.output
    res = runner.invoke(main, _args(tiny_config, "query", "INSERT DATA { <a:b> <a:c> <a:d> }"))
    assert res.exit_code == 6 and "read-only" in res.output
    # bad source data: 3, nothing imported
    (tiny_dir / "tour" / "lahteet.csv").write_text("tunnus\n\n", encoding="utf-8")
    res = runner.invoke(main, _args(tiny_config, "build", "-q"))
    assert res.exit_code == 3 and "otsikko" in res.output
    # usage: 2
    assert runner.invoke(main, _args(tiny_config, "nonsense")).exit_code == 2
    assert runner.invoke(main, ["--setting", "max_rows", "lots", "stats"]).exit_code == 2


def test_validate_shipped_data_conforms(runner, tmp_path):
    res = runner.invoke(main, ["--store", str(tmp_path / "s"), "validate", "--no-warnings"])
    assert res.exit_code == 0, res.output
    assert "conforms" in res.output


def test_validate_broken_graph_in_two_languages(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(BROKEN_GRAPH_TTL, encoding="utf-8")
    res = runner.invoke(main, ["validate", str(bad)])
    assert res.exit_code == 1, res.output
    assert "does NOT conform" in res.output
    assert "fi: " in res.output and "en: " in res.output
    fi_lines = [line for line in res.output.splitlines() if line.strip().startswith("fi:")]
    en_lines = [line for line in res.output.splitlines() if line.strip().startswith("en:")]
    assert all(len(line.strip()) > 5 for line in fi_lines + en_lines)
    assert fi_lines != en_lines


def test_settings_command_lists_every_setting(runner):
    from partnergraph.settings import SETTINGS

    res = runner.invoke(main, ["settings"])
    assert all(s.name in res.output for s in SETTINGS)
