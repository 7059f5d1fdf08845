"""The explorer's view model: URL parameters, filters, ego views, aggregation, escaping."""

from __future__ import annotations

import pytest

from partnergraph.errors import InvalidInput
from partnergraph.explorer import ExplorerQuery
from partnergraph.webapp import create_app

ORG = "https://w3id.org/partnergraph/id/org/"


@pytest.fixture(scope="module")
def client(built_store):
    app = create_app(config=built_store.with_overrides({"explorer_max_nodes": 150}))
    yield app.test_client()
    app.extensions["pg_engine"].close()


def test_query_round_trips_through_url_parameters():
    args = {"years": "2020,2019", "area": "B", "type": "RegisteredAssociation", "status": "statusDone",
            "size": "strength", "physics": "off", "depth": "2", "focus": ORG + "kunta-435"}
    q = ExplorerQuery.from_args(args)
    assert q.years == (2019, 2020) and q.depth == 2 and q.physics is False
    assert ExplorerQuery.from_args(q.as_args()) == q
    assert ExplorerQuery.from_args({}).as_args() == {}


@pytest.mark.parametrize(("name", "value"), [
    ("years", "20x"), ("depth", "3"), ("mode", "galaxy"), ("size", "evil"), ("status", "x"),
    ("type", "Alien"), ("municipality", "12"), ("area", "B'}"), ("focus", "javascript:alert(1)"),
    ("physics", "maybe"),
])
def test_bad_parameters_are_refused_by_name(name, value):
    with pytest.raises(InvalidInput, match=name):
        ExplorerQuery.from_args({name: value})


def test_bad_parameter_is_a_400(client):
    res = client.get("/explorer.json?depth=7")
    assert res.status_code == 400 and "depth" in res.json["message"]


def test_filters_narrow_the_view(client):
    everything = client.get("/explorer.json?mode=two-mode").json
    area_b = client.get("/explorer.json?mode=two-mode&area=B&years=2019").json
    kinds = {n["kind"] for n in area_b["nodes"]}
    assert kinds == {"organisation", "event", "plan"}
    events = [n for n in area_b["nodes"] if n["kind"] == "event"]
    assert len(events) == 1 and "2019" in events[0]["title"]
    assert len(area_b["nodes"]) < len(everything["nodes"])
    only_done = client.get("/explorer.json?mode=two-mode&status=statusDone").json
    assert {n["kind"] for n in only_done["nodes"]} <= {"organisation", "plan"}


def test_organisation_type_filter(client):
    view = client.get("/explorer.json?area=A&type=RegisteredAssociation").json
    assert view["nodes"] and {n["group"] for n in view["nodes"]} == {"RegisteredAssociation"}


def test_ego_view_depth(client):
    focus = ORG + "kunta-435"
    one = client.get(f"/explorer.json?focus={focus}&depth=1&years=2019").json
    two = client.get(f"/explorer.json?focus={focus}&depth=2&years=2019").json
    ids = {n["id"] for n in one["nodes"]}
    assert focus in ids
    assert len(one["nodes"]) <= len(two["nodes"])
    focus_node = next(n for n in one["nodes"] if n["id"] == focus)
    assert focus_node["borderWidth"] == 3


def test_large_selection_is_aggregated_to_municipalities(client):
    view = client.get("/explorer.json").json
    assert view["aggregated"] is True and view["mode"] == "municipalities"
    assert len(view["nodes"]) == 23 and view["total_nodes"] > 150
    assert "explorer_max_nodes" in view["notice"]


def test_tooltips_are_plain_text_and_links_are_local(client):
    view = client.get("/explorer.json?area=B").json
    for n in view["nodes"]:
        assert isinstance(n["title"], str)
        assert n["link"] is None or n["link"].startswith("/id/")
    assert "physics" in view["options"] and "groups" in view["options"]


def test_a_view_with_more_ties_than_the_budget_shows_the_strongest_and_says_so(built_store, client):
    full = client.get("/explorer.json?area=B").json
    assert full["total_edges"] == len(full["edges"]) > 20
    app = create_app(config=built_store.with_overrides({"explorer_max_nodes": 150, "explorer_max_edges": 20}))
    try:
        capped = app.test_client().get("/explorer.json?area=B").json
    finally:
        app.extensions["pg_engine"].close()
    assert len(capped["edges"]) == 20 and capped["total_edges"] == full["total_edges"]
    assert len(capped["nodes"]) == len(full["nodes"])  # every node stays; sizes count all ties
    assert [n["size"] for n in capped["nodes"]] == [n["size"] for n in full["nodes"]]
    weights = sorted((e["value"] for e in full["edges"]), reverse=True)
    assert sorted((e["value"] for e in capped["edges"]), reverse=True) == weights[:20]
    assert "explorer_max_edges" in capped["notice"]


def test_layout_of_more_than_500_nodes_works():
    # networkx lays out 500 or more nodes with its sparse (SciPy) algorithm: without SciPy
    # installed such a view failed (found by the benchmark at scale L)
    import networkx as nx

    from partnergraph.explorer import _layout

    G = nx.path_graph(550)
    nx.set_edge_attributes(G, 1.0, "weight")
    pos = _layout(G, seed=42)
    assert len(pos) == 550 and len(set(pos.values())) == 550
    assert pos == _layout(G, seed=42)  # seeded: the same view looks the same
