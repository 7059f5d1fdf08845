"""The canned-query library: headers, parameters, and every query on the shipped data."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from partnergraph.errors import QueryError
from partnergraph.namespaces import PGM, PREFIXES
from partnergraph.sparql import canned
from partnergraph.sparql.engine import QueryEngine, evaluate
from partnergraph.sparql.guard import check_query

LIBRARY = canned.Library()
QUERIES = LIBRARY.all()


@pytest.fixture(scope="module")
def engine(built_store):
    eng = QueryEngine(built_store)
    eng.warm(2, wait=True)
    yield eng
    eng.close()


def test_the_library_covers_what_analysts_ask():
    assert len(QUERIES) >= 15
    for topic in ["plans-per-municipality-and-status", "organisations-in-three-or-more-municipalities",
                  "most-central-organisations-per-area", "municipalities-without-plans",
                  "participants-per-year-and-role", "ties-2019-persisting-2020", "themes-per-area",
                  "sources-and-confidence-of-a-fact", "synthetic-vs-public-record"]:
        assert topic in QUERIES


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_header_is_complete_and_parameters_are_projected(name):
    q = QUERIES[name]
    for text in (q.title_fi, q.title_en, q.description_fi, q.description_en):
        assert text.strip() and "\n" not in text
    checked = check_query(q.text, max_length=100_000, known_graphs=set())
    assert checked.form == "SELECT"
    projection = q.text[q.text.index("SELECT"):q.text.index("WHERE")]
    for p in q.params:
        # pyoxigraph substitutes only variables of the SELECT projection
        assert re.search(rf"\?{p.name}\b", projection), f"{name}: ?{p.name} is not projected"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_runs_on_the_shipped_data(name, engine, built_store):
    q = QUERIES[name]
    _, subs = canned.bind(q, {}, built_store.base_iri)
    result = engine.run(q.text, substitutions=subs)
    assert result.variables
    assert not result.truncated
    for p in q.params:
        assert p.name in result.variables
    if name != "most-central-organisations-per-area":  # needs the metrics graph
        assert result.rows, f"{name} returned no rows on the shipped data"


def test_central_organisations_query_ranks_by_betweenness(built_store):
    """Against the metrics model (``?org pgm:betweenness ?v`` in the metrics graph), on a copy."""
    from partnergraph.rdf import store as store_mod

    src, _ = store_mod.open_read_only(built_store.store_dir)
    st = ox.Store()
    st.extend(src.quads_for_pattern(None, None, None, None))
    metrics = ox.NamedNode(built_store.base_iri + "graph/metrics")
    participant = ox.NamedNode(PREFIXES["pg"] + "participant")
    orgs = sorted({q.object.value for q in st.quads_for_pattern(None, participant, None, None)})
    for i, org in enumerate(orgs):
        for measure, value in (("betweenness", i), ("pagerank", i / 1000), ("brokerage", i % 7)):
            st.add(ox.Quad(ox.NamedNode(org), ox.NamedNode(str(PGM) + measure),
                           ox.Literal(str(float(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")),
                           metrics))
    graphs = [g.value for g in st.named_graphs()]
    job = {"query": QUERIES["most-central-organisations-per-area"].text, "form": "SELECT",
           "default_graphs": graphs, "named_graphs": graphs, "substitutions": {}, "max_rows": 1000}
    r = evaluate(st, job)
    assert r.rows
    col = {v: i for i, v in enumerate(r.variables)}
    by_area: dict[str, list[tuple[int, float]]] = {}
    for row in r.rows:
        by_area.setdefault(row[col["area"]][1], []).append((int(row[col["rank"]][1]),
                                                             float(row[col["betweenness"]][1])))
    assert len(by_area) >= 2
    for ranked in by_area.values():
        assert [rank for rank, _ in ranked] == sorted(rank for rank, _ in ranked)
        assert max(rank for rank, _ in ranked) <= 5
        values = [v for _, v in sorted(ranked)]
        assert values == sorted(values, reverse=True)


def test_parameters_are_validated_before_binding(built_store):
    q = QUERIES["partners-of-a-municipality"]
    base = built_store.base_iri
    shown, subs = canned.bind(q, {}, base)
    assert subs["municipality"] == ("uri", base + "place/kunta-179")
    for hostile in ["https://x/> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #", "<https://x/>",
                    "javascript:alert(1)", "kunta-179", "https://exa mple.org/", "?municipality"]:
        with pytest.raises(QueryError, match="must be an absolute http"):
            canned.bind(q, {"municipality": hostile}, base)
    year = QUERIES["plans-per-municipality-and-status"]
    assert canned.bind(year, {"year": "2019"}, base)[1] == {"year": ("gYear", "2019")}
    assert canned.bind(year, {"year": ""}, base)[1] == {}
    with pytest.raises(QueryError, match="a year"):
        canned.bind(year, {"year": "2019 } ; DROP ALL"}, base)
    assert shown["municipality"].endswith("kunta-179")


def test_a_hostile_literal_is_only_a_literal(engine):
    text = ("# title_fi: t\n# title_en: t\n# description_fi: d\n# description_en: d\n"
            "# param: name literal Nimi | Name\n"
            "SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }\n")
    q = canned.parse("hostile", text)
    hostile = '" } ; DROP ALL ; INSERT DATA { <a:b> <a:c> "x" } #'
    _, subs = canned.bind(q, {"name": hostile}, "https://w3id.org/partnergraph/id/")
    assert engine.run(q.text, substitutions=subs).rows == []
    assert engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }").rows[0][0][1] == "23"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# title_fi: a\n# title_en: b\n# description_fi: c\nSELECT * {}", "description_en"),
        ("# title_fi: a\n# title_en: b\n# description_fi: c\n# description_en: d\n# colour: red\nSELECT * {}",
         "unknown header key"),
        ("# title_fi: a\n# title_en: b\n# description_fi: c\n# description_en: d\n# param: x sparql A | B\n"
         "SELECT ?x {}", "kind"),
        ("# title_fi: a\n# title_en: b\n# description_fi: c\n# description_en: d\n"
         "# param: x uri only-one-label\nSELECT ?x {}", "LABEL_FI | LABEL_EN"),
        ("# title_fi: a\n# title_en: b\n# description_fi: c\n# description_en: d\n"
         "# default: y 1\nSELECT * {}", "undeclared"),
    ],
)
def test_header_mistakes_are_reported(text, problem):
    with pytest.raises(canned.CannedQueryError, match=problem):
        canned.parse("broken", text)


def test_library_rereads_changed_files(tmp_path):
    lib = canned.Library(tmp_path)
    assert lib.all() == {}
    f = tmp_path / "one.rq"
    f.write_text("# title_fi: Yksi\n# title_en: One\n# description_fi: d\n# description_en: d\nASK {}\n",
                 encoding="utf-8")
    assert lib.get("one").title("en") == "One"
    f.write_text("# title_fi: Yksi\n# title_en: Uno\n# description_fi: d\n# description_en: d\nASK {}\n",
                 encoding="utf-8")
    import os

    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    assert lib.get("one").title("en") == "Uno"
    from partnergraph.errors import NotFound

    with pytest.raises(NotFound):
        lib.get("two")
