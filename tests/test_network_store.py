"""Metrics end to end: build a tiny store, read it back through the bridge, query the metrics
graph with SPARQL, rebuild, and print with `partnergraph metrics`.

The scenario adds to tests/data/tiny a second municipality (Joutsa, 172) and a few
organisations, so that the organisation network is this hand-drawn graph (weights are
Newman's, distance = 1/weight)::

    yhd-d ──1── kunta-435 ══2══ seura ──½── kunta-172 ──½── yhd-c
                                  └───½── kerho ──1──┘└──½──┘ (kerho–yhd-c ½)

    paja   (2019, Luhanka 435): organiser kunta-435, participant seura  → kunta-435–seura +1
    plan1  (2019, 435): seura, kunta-435                                   → kunta-435–seura +1
    paja2  (2020, Joutsa 172): organiser kunta-172, participants seura, kerho → each pair +½
    plan2  (2020, 172): kerho, yhd-c, kunta-172                            → each pair +½
    plan3  (2020, 435): yhd-d, kunta-435                                   → +1

Homes: 435 = {kunta-435, seura, yhd-d}, 172 = {kunta-172, kerho, yhd-c}: 3 × 3 = 9 cross pairs.
Brokerage by hand (pairs from different municipalities not involving v; share through v):

* seura: the 6 pairs {kunta-435, yhd-d} × {kunta-172, kerho, yhd-c} all pass through it → 6/6 = 1.
* kunta-435: of the 6 pairs {seura, yhd-d} × 172-side, the 3 with yhd-d pass → 3/6 = 0.5.
* kunta-172: 6 pairs {kunta-435, yhd-d, seura} × {kerho, yhd-c}. seura→yhd-c has two shortest
  paths of length 4 (via kunta-172: 2 + 2, via kerho: 2 + 2), so each pair with yhd-c passes
  by half: 3 × ½ = 1.5; pairs with kerho go seura→kerho directly (2 < 2 + 1). 1.5/6 = 0.25.
* kerho: symmetric to kunta-172 → 0.25. yhd-c, yhd-d: 0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from partnergraph.cli import main
from partnergraph.iri import Minter
from partnergraph.namespaces import sparql_prologue
from partnergraph.network.bridge import data_graphs, read_network_data
from partnergraph.rdf import shacl, store
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader
from partnergraph.settings import load_config

TINY = Path(__file__).parent / "data" / "tiny"
BASE = "https://example.org/id/"
M = Minter(BASE)


def _append(path: Path, lines: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(lines)


def write_scenario(root: Path) -> Path:
    """A copy of tests/data/tiny with the scenario of the module docstring."""
    target = root / "tiny"
    shutil.copytree(TINY, target, ignore=shutil.ignore_patterns("*.trig"))
    ref, tour = target / "ref", target / "tour"
    _append(ref / "kunnat.csv",
            "172,Joutsa,Joutsan kunta,132,13,61.742,26.118,4500,2019,,,src1,vahvistettu,\n")
    _append(ref / "alueiden_kunnat.csv", "B,172,src1,vahvistettu,\n")
    _append(tour / "organisaatiot.csv",
            "kerho,Joutsan Kerho ry,yhdistys,172,,,,gen,synteettinen,\n"
            "yhd-c,Joutsan Yhdistys C ry,yhdistys,172,,,,gen,synteettinen,\n"
            "yhd-d,Luhangan Yhdistys D ry,yhdistys,435,,,,gen,synteettinen,\n")
    _append(tour / "tapahtumat.csv",
            "paja2,Toinen paja,2020-03-12,B,172,Kunnantalo,hyvinvointi,kunta-172,,gen,synteettinen,\n")
    _append(tour / "osallistumiset.csv",
            "paja2,seura,,järjestö,1,gen,synteettinen,\n"
            "paja2,kerho,,järjestö,2,gen,synteettinen,\n")
    _append(tour / "suunnitelmat.csv",
            "plan2,Joutsan yhteistyö 2020,172,paja2,2020,suunniteltu,hyvinvointi,kerho;yhd-c,kunta-172,,"
            "gen,synteettinen,\n"
            "plan3,Luhangan ilta 2020,435,,2020,toteutunut,hyvinvointi,yhd-d,kunta-435,,gen,synteettinen,\n")
    return target


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("netstore")
    cfg = load_config({"store_path": str(tmp / "store"), "data_dir": str(write_scenario(tmp)),
                       "base_iri": BASE}, environ={})
    result = build(cfg)
    return cfg, result


def test_bridge_reads_the_records(scenario):
    cfg, _ = scenario
    reader = GraphReader.from_config(cfg)
    graphs = data_graphs(reader.public_graphs, reader.minter)
    assert graphs == [str(M.graph("ref")), str(M.graph("tour"))]
    data = read_network_data(reader.store, graphs)
    assert data.years == (2019, 2020)
    body = data.organisations[str(M.municipality_body("435"))]
    assert body.org_type == "MunicipalityBody" and body.municipality_body
    assert body.home == str(M.municipality("435"))
    seura = data.organisations[str(M.org("seura"))]
    assert (seura.org_type, seura.home, seura.synthetic) == ("RegisteredAssociation",
                                                             str(M.municipality("435")), True)
    assert data.municipalities[str(M.municipality("172"))].areas == (str(M.area("B")),)
    paja2 = data.events[str(M.event("paja2"))]
    assert (paja2.year, paja2.location, paja2.organisers) == (
        2020, str(M.municipality("172")), (str(M.municipality_body("172")),))
    plan2 = data.plans[str(M.plan("plan2"))]
    assert plan2.parties == tuple(sorted([str(M.org("kerho")), str(M.org("yhd-c")),
                                          str(M.municipality_body("172"))]))
    assert plan2.event == str(M.event("paja2")) and plan2.status == "statusPlanned"
    residents = [a for a in data.attendances if a.resident_of]
    assert [(a.role, a.count) for a in residents] == [("roleResident", 3)]


TOP_BROKERAGE = """
SELECT ?org ?label ?municipality ?brokerage WHERE {
  ?org a pg:Organisation ; skos:prefLabel ?label ; pgm:brokerage ?brokerage .
  OPTIONAL { ?org pg:homeMunicipality/skos:prefLabel ?municipality }
} ORDER BY DESC(?brokerage) ?label LIMIT 10
"""


def test_sparql_lists_top_brokers_with_their_municipalities(scenario):
    cfg, _ = scenario
    rows = GraphReader.from_config(cfg).select(sparql_prologue() + TOP_BROKERAGE)
    got = [(r["label"], r["municipality"], round(r["brokerage"], 9)) for r in rows]
    # hand computation in the module docstring
    assert got == [
        ("Luhangan Esimerkkiseura ry", "Luhanka", 1.0),
        ("Luhangan kunta", "Luhanka", 0.5),
        ("Joutsan Kerho ry", "Joutsa", 0.25),
        ("Joutsan kunta", "Joutsa", 0.25),
        ("Joutsan Yhdistys C ry", "Joutsa", 0.0),
        ("Luhangan Yhdistys D ry", "Luhanka", 0.0),
    ]


def test_measurements_per_year_and_run_provenance(scenario):
    cfg, result = scenario
    reader = GraphReader.from_config(cfg)
    rows = reader.select(sparql_prologue() + f"""
        SELECT ?year ?value WHERE {{
          ?m a pg:Measurement ; pg:measuredNode <{M.org("seura")}> ; pg:measure pgm:degree ;
             pg:metricValue ?value ; pg:measuredYear ?year ; pg:metricRun ?run .
          ?run pg:dataVersion "{result.data_version}" .
        }} ORDER BY ?year""")
    # 2019: tied to kunta-435 only; 2020: kunta-172 and kerho (paja2)
    assert [(r["year"], r["value"]) for r in rows] == [("2019", 1.0), ("2020", 2.0)]
    run = reader.select(sparql_prologue() + """
        SELECT ?run ?comment ?start ?end (COUNT(?used) AS ?graphs) WHERE {
          ?run a pg:MetricsRun ; rdfs:comment ?comment ; prov:startedAtTime ?start ;
               prov:endedAtTime ?end ; prov:used ?used }
        GROUP BY ?run ?comment ?start ?end""")
    assert len(run) == 1 and run[0]["graphs"] == 2
    assert run[0]["run"].startswith(f"{BASE}metrics/run-{result.data_version}-")
    params = json.loads(run[0]["comment"])
    assert params["random_seed"] == 42 and params["betweenness_pivots"]["organisation all years"] == "exact"
    role = reader.select(sparql_prologue() +
                         f"SELECT ?role ?c WHERE {{ <{M.org('seura')}> pgm:role ?role ; pgm:community ?c }}")
    assert len(role) == 1 and role[0]["role"] in {f"R{i}" for i in range(1, 8)}
    assert isinstance(role[0]["c"], int)
    concept = reader.select(sparql_prologue() + """
        SELECT ?fi ?en WHERE { pgm:brokerage a skos:Concept ; skos:definition ?fi , ?en
          FILTER(LANG(?fi) = "fi" && LANG(?en) = "en") }""")
    assert concept and "kunnissa" in concept[0]["fi"] and "municipalities" in concept[0]["en"]


def test_metrics_graph_conforms_to_the_shapes(scenario):
    cfg, _ = scenario
    st, _ = store.open_read_only(cfg.store_dir)
    from rdflib import Graph

    g = Graph()
    for name in ("metrics", "system"):
        nq = st.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(M.graph(name))))
        g.parse(data=nq.decode("utf-8"), format="nt")
    report = shacl.validate_graph(g)
    assert not report.violations and not report.warnings, report.text()


def test_rebuild_recomputes_the_metrics(tmp_path):
    cfg = load_config({"store_path": str(tmp_path / "store"), "data_dir": str(write_scenario(tmp_path)),
                       "base_iri": BASE}, environ={})
    first = build(cfg)
    # yhd-d joins the 2020 workshop: the data (and its version) change, and so must the metrics
    _append(tmp_path / "tiny" / "tour" / "osallistumiset.csv", "paja2,yhd-d,,järjestö,1,gen,synteettinen,\n")
    second = build(cfg)
    assert second.data_version != first.data_version
    reader = GraphReader.from_config(cfg)
    rows = reader.select(sparql_prologue() + f"""
        SELECT ?v ?degree WHERE {{
          ?run a pg:MetricsRun ; pg:dataVersion ?v . <{M.org("yhd-d")}> pgm:degree ?degree }}""")
    assert rows == [{"v": second.data_version, "degree": 4.0}]  # kunta-435 + the three at paja2
    assert second.triple_counts["metrics"] > 0


def test_cli_formats(runner, scenario):
    cfg, _ = scenario
    args = ["--store", str(cfg.store_dir), "--setting", "base_iri", BASE, "metrics", "-q"]
    table = runner.invoke(main, [*args, "--top", "2"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split()[:2] == ["label", "municipality"] and "brokerage" in lines[0]
    assert lines[1].startswith("Luhangan Esimerkkiseura ry") and len(lines) == 3

    csv_out = runner.invoke(main, [*args, "--format", "csv", "--sort", "degree"])
    header, *body = csv_out.output.strip().splitlines()
    assert header.startswith("iri,label,municipality,type,synthetic,degree,strength")
    # degree 3: kerho, kunta-172 and seura; ties by label: "Joutsan Kerho ry" first
    assert len(body) == 6 and body[0].startswith(f"{BASE}org/kerho,Joutsan Kerho ry,Joutsa,")

    js = json.loads(runner.invoke(main, [*args, "--format", "json", "--level", "municipality",
                                         "--year", "2020"]).output)
    assert js["level"] == "municipality" and js["year"] == 2020
    joutsa = next(r for r in js["rows"] if r["label"] == "Joutsa")
    # 2020 plans of Joutsa: plan2 (planned) with kerho and yhd-c (own body left out)
    assert (joutsa["plans"], joutsa["plansPlanned"], joutsa["partnerOrganisations"]) == (1, 1, 2)

    net = runner.invoke(main, [*args, "--level", "network", "--format", "json"])
    years = {r["year"]: r for r in json.loads(net.output)["rows"]}
    # 2019 ties: {kunta-435–seura}; 2020: six (see the docstring); kunta-435–seura is gone
    assert (years[2020]["ties"], years[2020]["newTies"], years[2020]["lostTies"]) == (6, 6, 1)

    bad = runner.invoke(main, [*args, "--year", "2017"])
    assert bad.exit_code == 2 and "2019, 2020" in bad.output
    bad = runner.invoke(main, [*args, "--sort", "nonsense"])
    assert bad.exit_code == 2 and "brokerage" in bad.output
