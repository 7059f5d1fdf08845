"""The whole analysis on hand-made records, against values computed by hand; determinism.

Municipalities M1, M2 (area A) and M3 (area B). Organisations: bodies b1 (M1), b2 (M2);
associations oa (M1), ob (M2), oc (M3); rc, a regional council with no home municipality.

=====  ====  ========================  ==================================  =====================
what   year  where                     organisations                        other
=====  ====  ========================  ==================================  =====================
e18    2018  workshop in M1 (area A)   organiser rc; b1 (2 officials),      3 residents of M1
                                       oa (1), ob (1)
e19    2019  workshop in M2 (area A)   organiser rc; b2 (1 official),
                                       ob (2), oc (1)
p1     2018  plan of M1, done, ← e18   oa, ob; responsible b1
p2     2019  plan of M2, planned       oc, oa; responsible b2               not from a workshop
p3     2019  plan of M1, in progress   oa; responsible b1                   from e19
=====  ====  ========================  ==================================  =====================
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from partnergraph.iri import Minter
from partnergraph.network import bridge
from partnergraph.network.analysis import Parameters, analyse, rows
from partnergraph.network.bridge import (
    Area,
    Attendance,
    Event,
    Municipality,
    NetworkData,
    Organisation,
    Plan,
)
from partnergraph.network.writeback import metrics_quads


def make_data(p: str = "") -> NetworkData:
    """The records of the module docstring; every IRI prefixed with ``p``."""
    orgs = [Organisation(p + "b1", "Body 1", p + "M1", "MunicipalityBody", False),
            Organisation(p + "b2", "Body 2", p + "M2", "MunicipalityBody", False),
            Organisation(p + "oa", "Assoc A", p + "M1", "RegisteredAssociation", True),
            Organisation(p + "ob", "Assoc B", p + "M2", "RegisteredAssociation", True),
            Organisation(p + "oc", "Assoc C", p + "M3", "RegisteredAssociation", True),
            Organisation(p + "rc", "Council", None, "RegionalCouncil", False)]
    muns = [Municipality(p + "M1", "Mun 1", (p + "A",)), Municipality(p + "M2", "Mun 2", (p + "A",)),
            Municipality(p + "M3", "Mun 3", (p + "B",))]
    events = [Event(p + "e18", "Workshop 2018", 2018, p + "A", p + "M1", (p + "rc",), True),
              Event(p + "e19", "Workshop 2019", 2019, p + "A", p + "M2", (p + "rc",), True)]
    att = [("e18", "b1", None, "roleOfficial", 2), ("e18", "oa", None, "roleAssociation", 1),
           ("e18", "ob", None, "roleAssociation", 1), ("e18", None, "M1", "roleResident", 3),
           ("e19", "b2", None, "roleOfficial", 1), ("e19", "ob", None, "roleAssociation", 2),
           ("e19", "oc", None, "roleAssociation", 1)]
    plans = [  # key, municipality, year, status, workshop, partners, responsible
        ("p1", "M1", 2018, "statusDone", "e18", ("oa", "ob"), "b1"),
        ("p2", "M2", 2019, "statusPlanned", None, ("oa", "oc"), "b2"),
        ("p3", "M1", 2019, "statusInProgress", "e19", ("oa",), "b1"),
    ]
    return NetworkData(
        organisations={o.iri: o for o in orgs},
        municipalities={m.iri: m for m in muns},
        areas={p + "A": Area(p + "A", "Area A"), p + "B": Area(p + "B", "Area B")},
        events={e.iri: e for e in events},
        attendances=tuple(Attendance(p + e, o and p + o, r and p + r, role, n) for e, o, r, role, n in att),
        plans={p + k: Plan(p + k, f"Plan {k}", p + m, y, st, e and p + e, tuple(p + o for o in partners),
                           p + r, True)
               for k, m, y, st, e, partners, r in plans},
        years=(2018, 2019),
    )


DATA = make_data()


def random_data(seed: int = 3, n_orgs: int = 60, n_collabs: int = 30) -> NetworkData:
    """A larger seeded data set, for determinism checks (Louvain, sums, ties in sets)."""
    import random

    rng = random.Random(seed)
    muns = {f"urn:m{i}": Municipality(f"urn:m{i}", f"M{i}", (f"urn:a{i % 3}",)) for i in range(8)}
    orgs = {f"urn:o{i:02d}": Organisation(f"urn:o{i:02d}", f"O{i}", rng.choice([*muns, None]),
                                           "RegisteredAssociation", True) for i in range(n_orgs)}
    events, plans = {}, {}
    for c in range(n_collabs):
        year, members = rng.choice([2018, 2019, 2020]), rng.sample(sorted(orgs), rng.randint(2, 9))
        if c % 2:
            events[f"urn:e{c}"] = Event(f"urn:e{c}", f"E{c}", year, None, rng.choice(sorted(muns)),
                                        tuple(sorted(members)), True)
        else:
            plans[f"urn:p{c}"] = Plan(f"urn:p{c}", f"P{c}", rng.choice(sorted(muns)), year, "statusDone",
                                      None, tuple(sorted(members[1:])), members[0], True)
    return NetworkData(orgs, muns, {f"urn:a{i}": Area(f"urn:a{i}", f"A{i}") for i in range(3)}, events, (),
                       plans, (2018, 2019, 2020))


@pytest.fixture(scope="module")
def result():
    return analyse(DATA, Parameters())


def test_two_mode_graphs_have_explicit_node_sets():
    om = bridge.organisation_municipality(DATA)
    assert om.top == ("b1", "b2", "oa", "ob", "oc", "rc") and om.bottom == ("M1", "M2", "M3")
    # the body keeps its tie to its own municipality: b1 is responsible for p1 and p3 (plans of
    # M1) and took part in e18 (held in M1)
    assert dict(om.graph["b1"]["M1"]) == {"plans": 2, "events": 1, "weight": 3}
    assert om.graph.nodes["rc"]["org_type"] == "RegionalCouncil" and om.graph.nodes["oa"]["areas"] == ("A",)
    oe = bridge.organisation_event(DATA, 2019)
    assert oe.top == ("b1", "b2", "oa", "ob", "oc", "rc")  # active in 2019: at e19 or party to p2, p3
    assert oe.bottom == ("e19",)
    assert dict(oe.graph["rc"]["e19"]) == {"participants": 0, "organiser": True}
    assert dict(oe.graph["ob"]["e19"]) == {"participants": 2, "organiser": False}
    assert oe.graph.degree("b1") == 0  # active in 2019 (p3) but not at the workshop: an isolate here
    wd = bridge.organisation_collaboration(DATA, 2019, workshop_derived=True)
    assert wd.bottom == ("e19", "p3")  # p2 was not made at a workshop
    mc = bridge.municipality_collaboration(DATA)
    # p2 involves M2 (its municipality) and the homes of oc (M3), oa (M1), b2 (M2)
    assert sorted(mc.graph["p2"]) == ["M1", "M2", "M3"]
    # e18 involves M1 (location and residents) and ob's home M2; rc has no home
    assert sorted(mc.graph["e18"]) == ["M1", "M2"]


def test_organisation_measures_by_hand(result):
    oa = result.values["organisation"][None]["oa"]
    # oa worked in M1 (p1, p3, e18) and M2 (p2): 2 municipalities, both in area A
    assert (oa["municipalities"], oa["areas"]) == (2, 1)
    # ties of oa (Newman): rc 1/3 (e18); b1 1/3 + 1/2 + 1 = 11/6 (e18, p1, p3); ob 1/3 + 1/2 = 5/6;
    # oc 1/2 and b2 1/2 (p2). Strength 4 = its four collaborations with others.
    assert oa["degree"] == 5 and oa["strength"] == pytest.approx(4.0)
    # modules by home: rc (own module) 1/3, M1 11/6, M2 5/6 + 1/2 = 4/3, M3 1/2; shares of 4:
    # P = 1 − (1/12)² − (11/24)² − (1/3)² − (1/8)² = 1 − (4 + 121 + 64 + 9)/576 = 378/576 = 0.65625
    assert oa["participationMunicipality"] == pytest.approx(0.65625)
    # by area: rc its own module (1/3), everyone else is in area A except oc (B, 1/2):
    # A = 11/6 + 4/3 = 19/6 → P = 1 − (1/12)² − (19/24)² − (1/8)² = 1 − (4 + 361 + 9)/576 = 202/576
    assert oa["participationArea"] == pytest.approx(202 / 576)
    assert result.values["organisation"][None]["rc"]["municipalities"] == 2
    # oc worked only in M2 (p2 and e19), not in its home M3
    assert result.values["organisation"][None]["oc"]["municipalities"] == 1


def test_municipality_measures_by_hand(result):
    m1, m2, m3 = (result.values["municipality"][None][m] for m in ("M1", "M2", "M3"))
    # plans of M1: p1 (done), p3 (in progress); partners oa, ob (b1 is M1's own body: left out)
    assert (m1["plans"], m1["plansDone"], m1["plansInProgress"], m1["partnerOrganisations"]) == (2, 1, 1, 2)
    # worked in M1: oa, b1 (home M1), rc (no home), ob (home M2) → 1 outside organisation
    assert m1["outsideOrganisations"] == 1
    # participants from M1: b1's 2 officials, oa's 1, 3 residents
    assert (m1["participants"], m1["participantsOfficial"], m1["participantsAssociation"],
            m1["participantsResident"]) == (6, 2, 1, 3)
    # M2: p2 (planned) with oc, oa; worked in M2: oc (M3), oa (M1) from outside; ob 1 + 2 participants
    assert (m2["plans"], m2["plansPlanned"]) == (1, 1)
    assert (m2["partnerOrganisations"], m2["outsideOrganisations"]) == (2, 2)
    assert (m2["participants"], m2["participantsOfficial"], m2["participantsAssociation"]) == (4, 1, 3)
    # projection: M1–M2 organisations oa, ob, rc (3) + plans p1, p2 (2) + workshops e18 (1) = 6;
    # M1–M3: plan p2 (1); M2–M3: plan p2 + workshop e19 = 2
    assert (m1["degree"], m1["strength"], m2["strength"], m3["strength"]) == (2, 7, 8, 3)
    # distances M1–M2 1/6, M2–M3 1/2, M1–M3 1: M1→M3 is shorter via M2 (2/3 < 1)
    assert (m1["betweenness"], m2["betweenness"], m3["betweenness"]) == (0.0, 1.0, 0.0)
    # 2019 vs 2018 for M3: in 2018 nothing involves M3 (degree 0); in 2019 p2 ties it to M1, M2
    y19 = result.values["municipality"][2019]["M3"]
    assert (y19["degree"], y19["degreeChange"]) == (2, 2)
    assert "degreeChange" not in result.values["municipality"][2018]["M3"]


def test_year_over_year_ties_by_hand(result):
    net = result.values["network"]
    # 2018: e18 {rc, b1, oa, ob} and p1 {oa, ob, b1}: the 6 pairs of {rc, b1, oa, ob}
    # 2019: e19 {rc, b2, ob, oc} (6 pairs), p2 {oa, oc, b2} adds oa–oc, oa–b2, p3 adds oa–b1: 9
    # retained: rc–ob, oa–b1 (2); new 9 − 2 = 7; lost 6 − 2 = 4 (rc–b1, rc–oa, b1–ob, oa–ob)
    assert net[2018]["network"]["ties"] == 6
    keys = ("ties", "newTies", "retainedTies", "lostTies", "firstSeenTies")
    assert {k: net[2019]["network"][k] for k in keys} == {
        "ties": 9, "newTies": 7, "retainedTies": 2, "lostTies": 4, "firstSeenTies": 7}
    # tour-created: all 6 ties of 2018 (e18); in 2019 the 5 first-seen ties of e19
    # (rc–b2, rc–oc, b2–ob, b2–oc, ob–oc), not oa–oc, oa–b2 (only p2, not from a workshop).
    # persisting: the 2018 ties seen again in 2019: rc–ob, oa–b1 → 2; 2019 has no later year
    assert (net[2018]["network"]["tourTies"], net[2018]["network"]["tourTiesPersisting"]) == (6, 2)
    assert (net[2019]["network"]["tourTies"], net[2019]["network"]["tourTiesPersisting"]) == (5, 0)
    assert (net[None]["network"]["tourTies"], net[None]["network"]["tourTiesPersisting"]) == (11, 2)
    org = result.values["organisation"]
    # oa: tour ties rc–oa, b1–oa, oa–ob (2018), of which b1–oa persisted
    assert (org[None]["oa"]["tourTies"], org[None]["oa"]["tourTiesPersisting"]) == (3, 1)


def test_rows_sorting_and_top(result):
    table = rows(result, "organisation", sort="degree", top=2)
    assert [r["iri"] for r in table] == ["oa", "ob"]  # degree 5 each, then by label
    assert table[0]["municipality"] == "Mun 1" and table[0]["type"] == "RegisteredAssociation"
    net = rows(result, "network")
    assert [r["year"] for r in net] == ["all", 2018, 2019]


def test_results_are_deterministic(result):
    assert analyse(DATA, Parameters()).values == result.values
    m = Minter("https://example.org/id/")
    q1, _ = metrics_quads(analyse(make_data("urn:x:"), Parameters()), m, "v1", ["urn:g"])
    q2, _ = metrics_quads(analyse(make_data("urn:x:"), Parameters()), m, "v1", ["urn:g"])
    assert [str(q) for q in q1] == [str(q) for q in q2]


_DIGEST = """
import hashlib, json, sys
sys.path.insert(0, {tests!r})
from test_network_analysis import random_data
from partnergraph.network.analysis import Parameters, analyse
values = analyse(random_data(), Parameters()).values
plain = {{level: {{str(p): v for p, v in per.items()}} for level, per in values.items()}}
print(hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest())
"""


def test_results_do_not_depend_on_string_hashing():
    from pathlib import Path

    code = _DIGEST.format(tests=str(Path(__file__).parent))
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1


def test_written_measurements():
    m = Minter("https://example.org/id/")
    result = analyse(make_data("urn:x:"), Parameters())
    quads, run = metrics_quads(result, m, "v1", ["https://example.org/id/graph/demo"])
    text = [str(q) for q in quads]
    assert run.value.startswith("https://example.org/id/metrics/run-v1-")
    assert all(q.graph_name.value == "https://example.org/id/graph/metrics" for q in quads)
    # a direct triple per all-years value; the role as a string, the community as an integer
    assert any(t.startswith("<urn:x:oa> <https://w3id.org/partnergraph/def/measure#role> \"R") for t in text)
    assert any(t.startswith("<urn:x:oa> <https://w3id.org/partnergraph/def/measure#community> \"")
               and "XMLSchema#integer" in t for t in text)
    # no measurement holds a role (not a number)
    measures = [q for q in quads if q.predicate.value.endswith("def#measure")]
    assert all(not q.object.value.endswith("#role") for q in measures)
    params = next(q.object.value for q in quads if q.predicate.value.endswith("rdf-schema#comment"))
    assert json.loads(params)["betweenness_pivots"]["organisation all years"] == "exact"


def test_periods_in_worker_processes_give_the_same_values_and_parameters():
    data = random_data()
    one = analyse(data, Parameters(sampled_betweenness_above=10, betweenness_sample=5))
    messages: list[str] = []
    two = analyse(data, Parameters(sampled_betweenness_above=10, betweenness_sample=5), messages.append,
                  processes=2, parallel_above=0)
    assert two.values == one.values
    assert two.parameters == one.parameters and list(two.sampling) == list(one.sampling)
    assert any("in 2 processes" in m for m in messages)
    assert any(m.startswith("organisation 2019:") for m in messages)  # the workers' progress, passed on
