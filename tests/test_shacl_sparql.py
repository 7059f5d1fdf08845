"""The SHACL shapes compiled to SPARQL give the same results as pySHACL, the reference.

Both validators run on the same graphs: the tiny test data, the shipped data, and crafted
broken graphs in which every constraint of every property shape is broken once (plus RDFS
corner cases: subclass and subproperty statements in the data, domain- and range-typed
nodes, literal focus nodes, ill-typed literals). The results must be the same multiset of
(focus node, path, severity, source shape).
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from pg_testing import BROKEN_GRAPH_TTL
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from partnergraph.rdf import shacl
from partnergraph.rdf.build import build_graph, read_sources
from partnergraph.rdf.shacl_sparql import (
    MemberShape,
    PropertyShape,
    ShapeCompileError,
    SparqlValidator,
    parse_shapes,
    shipped_shapes,
)
from partnergraph.rdf.sinks import term_text
from partnergraph.settings import load_config

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "data" / "tiny"
PG = "https://w3id.org/partnergraph/def#"
EX = "https://example.org/broken/"
DATA_GRAPH, ONTO_GRAPH = "https://example.org/g/data", "https://example.org/g/ontology"


@pytest.fixture(scope="module", autouse=True)
def _steady_state_conversions():
    """pySHACL's RDFS inference installs owlrl's stricter lexical conversions into rdflib and
    leaves them there, so its datatype verdicts (e.g. on "2019-05"^^xsd:gYear) depend on
    whether it has run before in the process. Install them first so the reference is the
    same in every run (the SPARQL validator always uses them, see ``_conversions``)."""
    from owlrl.DatatypeHandling import use_Alt_lexical_conversions

    use_Alt_lexical_conversions()


def union_of(data_dir: Path, base: str) -> Graph:
    cfg = load_config({"data_dir": str(data_dir), "base_iri": base}, environ={})
    built = build_graph(cfg, read_sources(cfg), validate=False)
    g = Graph()
    for key, iri in built.graphs.items():
        if key != "ontology" and not key.startswith("private"):
            for t in built.dataset.graph(iri):
                g.add(t)
    return g


def sparql_report(g: Graph) -> shacl.ShapeReport:
    st = ox.Store()
    lines = "".join(f"{term_text(s)} {term_text(p)} {term_text(o)} <{DATA_GRAPH}> .\n" for s, p, o in g)
    st.load(lines.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    st.load(path=str(ROOT / "ontology" / "partnergraph.ttl"), format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ONTO_GRAPH))
    return SparqlValidator().validate(st, [DATA_GRAPH, ONTO_GRAPH])


def keys(report: shacl.ShapeReport, named: set[str]) -> Counter:
    """Result keys; blank-node focus nodes have engine-specific labels, so they are counted
    as one placeholder."""
    return Counter((r.focus if r.focus in named else "_:blank", r.path, r.severity, r.shape)
                   for r in report.results)


def assert_same(g: Graph) -> tuple[shacl.ShapeReport, shacl.ShapeReport]:
    ref, fast = shacl.validate_graph(g), sparql_report(g)
    named = {str(t) for triple in g for t in triple if not isinstance(t, BNode)}
    a, b = keys(ref, named), keys(fast, named)
    only_ref = sorted((a - b).elements())
    only_fast = sorted((b - a).elements())
    assert not only_ref and not only_fast, f"only pySHACL: {only_ref[:10]}\nonly SPARQL: {only_fast[:10]}"
    assert ref.conforms == fast.conforms
    # the messages are the shapes' own, in both languages
    for r in fast.results:
        assert r.message_fi and r.message_en and r.message_fi != r.message_en
    return ref, fast


@pytest.fixture(scope="module")
def tiny_union() -> Graph:
    return union_of(TINY, "https://example.org/id/")


def test_tiny_data_same_results(tiny_union):
    ref, _ = assert_same(tiny_union)
    assert ref.conforms


def test_shipped_data_same_results():
    ref, fast = assert_same(union_of(ROOT / "data", "https://w3id.org/partnergraph/id/"))
    assert ref.conforms and fast.warnings  # the public record has known gaps (warnings only)


# ---------------------------------------------------------------------------------------
# Every constraint broken once
# ---------------------------------------------------------------------------------------


def _complement(g: Graph) -> None:
    """Valid instances of the classes the tiny data lacks, so every shape has a focus node."""
    P = lambda local: URIRef(PG + local)  # noqa: E731
    DCT, SKOS = "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"
    src = next(g.subjects(RDF.type, P("Source")))
    org = next(g.subjects(RDF.type, P("RegisteredAssociation")))
    event = next(g.subjects(RDF.type, P("Workshop")))
    dataset = next(g.subjects(RDF.type, P("SourceDataset")))
    proj, fig, model = URIRef(EX + "project"), URIRef(EX + "figure"), URIRef(EX + "model")
    run, meas, company, ident = (URIRef(EX + x) for x in ("run", "measurement", "company", "ytunnus"))

    def entity(node, *types, label=None):
        for t in types:
            g.add((node, RDF.type, t))
        if label:
            g.add((node, URIRef(SKOS + "prefLabel"), Literal(label, lang="fi")))
        g.add((node, URIRef(DCT + "source"), src))
        g.add((node, P("confidence"), P("confirmed")))

    entity(proj, P("Project"), label="Hanke")
    g.add((proj, P("administeredBy"), org))
    g.add((proj, P("funder"), org))
    g.add((proj, URIRef("https://schema.org/startDate"), Literal("2018-01-01", datatype=XSD.date)))
    g.add((proj, URIRef("https://schema.org/endDate"), Literal("2020-12-31", datatype=XSD.date)))
    entity(fig, P("ReportedFigure"), label="Luku")
    g.add((fig, URIRef(DCT + "description"), Literal("Osallistujia", lang="fi")))
    g.add((fig, P("value"), Literal(450)))
    g.add((fig, P("approximate"), Literal(True)))
    g.add((fig, P("year"), Literal("2019", datatype=XSD.gYear)))
    g.add((fig, P("project"), proj))
    g.add((fig, P("event"), event))
    g.add((fig, P("unit"), Literal("henkeä")))
    entity(model, P("OperatingModel"), label="Malli")
    g.add((model, URIRef("http://xmlns.com/foaf/0.1/page"), URIRef("https://innokyla.fi/x")))
    g.add((model, P("implementer"), org))
    g.add((model, P("funder"), org))
    g.add((model, URIRef(DCT + "creator"), Literal("Tekijä")))
    g.add((model, URIRef(DCT + "created"), Literal("2020-01-01", datatype=XSD.date)))
    g.add((model, URIRef(DCT + "modified"), Literal("2020-02-01", datatype=XSD.date)))
    g.add((model, P("project"), proj))
    entity(company, P("Company"), P("Organisation"), label="Yritys Oy")
    g.add((company, URIRef(SKOS + "notation"), Literal("yritys")))
    g.add((company, P("homeMunicipality"), next(g.subjects(RDF.type, P("Municipality")))))
    g.add((company, URIRef("http://www.w3.org/ns/adms#identifier"), ident))
    g.add((ident, RDF.type, URIRef("http://www.w3.org/ns/adms#Identifier")))
    g.add((ident, URIRef(SKOS + "notation"), Literal("0709019-2", datatype=P("ytunnus"))))
    g.add((run, RDF.type, P("MetricsRun")))
    g.add((run, URIRef("http://www.w3.org/ns/prov#startedAtTime"),
           Literal("2024-01-01T00:00:00Z", datatype=XSD.dateTime)))
    g.add((run, P("dataVersion"), Literal("abc")))
    g.add((run, URIRef("http://www.w3.org/ns/prov#used"), dataset))
    g.add((meas, RDF.type, P("Measurement")))
    g.add((meas, P("measuredNode"), org))
    g.add((meas, P("measure"), URIRef(EX + "degree")))
    g.add((meas, P("metricValue"), Literal("1.5E0", datatype=XSD.double)))
    g.add((meas, P("measuredYear"), Literal("2019", datatype=XSD.gYear)))
    g.add((meas, P("metricRun"), run))
    for cls, code in (("SubRegion", "999"), ("Region", "99")):
        first = next(g.subjects(RDF.type, P(cls)))
        for p, o in list(g.predicate_objects(first)):
            if p == URIRef(SKOS + "notation"):
                o = Literal(code)
            g.add((SECOND[PG + cls], p, o))


def _values(g: Graph, f, ps: PropertyShape) -> list:
    p = URIRef(ps.path.iri)
    return list(g.subjects(p, f)) if ps.path.inverse else list(g.objects(f, p))


def _set(g: Graph, f, ps: PropertyShape, values: list) -> None:
    p = URIRef(ps.path.iri)
    for v in _values(g, f, ps):
        g.remove((v, p, f) if ps.path.inverse else (f, p, v))
    for v in values:
        if ps.path.inverse and isinstance(v, Literal):
            continue  # a literal cannot be a subject
        g.add((v, p, f) if ps.path.inverse else (f, p, v))


def _variant(v, i: int):
    if isinstance(v, Literal):
        if v.language:
            return Literal(f"{v} {i}", lang=v.language)
        if isinstance(v.value, bool):
            return Literal(not v.value)
        if isinstance(v.value, int | Decimal):
            return Literal(str(v.value + i), datatype=v.datatype)
        return Literal(f"{v}{i}", datatype=v.datatype)
    return URIRef(f"{v}-extra{i}")


def _breakers(ps: PropertyShape) -> list[tuple[str, object]]:
    """``(constraint, how to break it)`` for each constraint of ``ps``."""
    out: list[tuple[str, object]] = []
    fresh = itertools.count()
    if ps.min_count:
        out.append(("minCount", lambda vals: []))
    if ps.max_count is not None:
        def too_many(vals: list) -> list:
            vals = vals or [Literal("x")]
            return vals + [_variant(vals[0], i) for i in range(1, ps.max_count + 2)]  # type: ignore[operator]

        out.append(("maxCount", too_many))
    if ps.datatype:
        wrong = Literal("x", lang="fi") if ps.datatype == str(XSD.string) else Literal("x")
        out.append(("datatype", lambda vals, w=wrong: [w]))
        out.append(("datatype-iri", lambda vals: [URIRef(EX + f"iri{next(fresh)}")]))
        # (not xsd:boolean: rdflib rewrites "abc"^^xsd:boolean to "false" as it parses or
        # creates it, so an ill-typed boolean never reaches a store; only pySHACL, which sees
        # rdflib's ill_typed flag, could report it)
        if ps.datatype.startswith(str(XSD)) and ps.datatype not in (str(XSD.string), str(XSD.boolean)):
            out.append(("ill-typed", lambda vals: [Literal("abc", datatype=URIRef(ps.datatype))]))
    for _ in ps.classes:
        out.append(("class", lambda vals: [URIRef(EX + f"untyped{next(fresh)}")]))
        out.append(("class-literal", lambda vals: [Literal("x")]))
    if ps.node_kind:
        out.append(("nodeKind", lambda vals: [Literal("x") if "IRI" in ps.node_kind else URIRef(EX + "n")]))
        out.append(("nodeKind-bnode", lambda vals: [BNode()]))
    if ps.in_values is not None:
        out.append(("in", lambda vals: [URIRef(EX + "not-in-the-list")]))
    if ps.patterns:
        dt = ps.datatype if ps.datatype and ps.datatype != str(XSD.string) else None
        out.append(("pattern", lambda vals, dt=dt: [Literal("12a", datatype=URIRef(dt) if dt else None)]))
        # Python's "$" matches before a final newline, SPARQL's does not
        out.append(("pattern-newline", lambda vals, dt=dt: [Literal("12\n", datatype=URIRef(dt) if dt
                                                                    else None)]))
    for bound in ps.min_inclusive:
        out.append(("minInclusive", lambda vals, b=bound: [Literal(str(b.value - 1), datatype=b.datatype)]))
        out.append(("minInclusive-text", lambda vals: [Literal("paljon")]))
    for bound in ps.max_inclusive:
        out.append(("maxInclusive", lambda vals, b=bound: [Literal(str(b.value + 1), datatype=b.datatype)]))
    if ps.unique_lang:
        out.append(("uniqueLang", lambda vals: [Literal("yksi", lang="fi"), Literal("kaksi", lang="fi")]))
    if ps.has_values:
        out.append(("hasValue", lambda vals: [URIRef(EX + "other-scheme")]))
    if ps.or_lists:
        out.append(("or", lambda vals: [URIRef(EX + f"untyped{next(fresh)}")]))
        out.append(("or-literal", lambda vals: [Literal("x", lang="fi")]))
    for member, _, qmax in ps.qualified:
        out.append(("qualifiedMin", lambda vals: []))
        if qmax is not None and isinstance(member, MemberShape):
            out.append(("qualifiedMax", lambda vals, c=member.classes[0]: [*vals, SECOND[c]]))
    return out


#: a second valid instance of these classes (see _complement), to break sh:qualifiedMaxCount
SECOND = {PG + "SubRegion": URIRef(EX + "subregion-2"), PG + "Region": URIRef(EX + "region-2")}


def _focus_nodes(g: Graph) -> dict[str, list]:
    """Focus nodes of every node shape in ``g``, via the compiler's own target queries."""
    st = ox.Store()
    lines = "".join(f"{term_text(s)} {term_text(p)} {term_text(o)} <{DATA_GRAPH}> .\n" for s, p, o in g)
    st.load(lines.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    st.load(path=str(ROOT / "ontology" / "partnergraph.ttl"), format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ONTO_GRAPH))
    v = SparqlValidator()
    gr = [ox.NamedNode(DATA_GRAPH), ox.NamedNode(ONTO_GRAPH)]
    from partnergraph.rdf.shacl_sparql import Compiler

    comp = Compiler(v.shapes, v.schema(st, gr), {})
    out: dict[str, list] = {}
    for ns in v.shapes.node_shapes:
        focus = comp.focus_of([ns])
        if focus:
            rows = st.query(f"SELECT ?f WHERE {focus} ORDER BY ?f", default_graph=gr)
            out[ns.iri] = [URIRef(r["f"].value) for r in rows if isinstance(r["f"], ox.NamedNode)]
    return out


def test_every_constraint_broken_once_gives_the_same_results(tiny_union):
    g = Graph()
    for t in tiny_union:
        g.add(t)
    _complement(g)
    assert assert_same(g)[0].conforms  # the complement itself is valid
    shapes = shipped_shapes()
    focus = _focus_nodes(g)
    # each breakage on its own copy of the focus node's neighbourhood: a fresh clone of the
    # focus node (same triples, new IRI) so breakages do not interact
    broken: list[tuple[str, str]] = []
    for ps in sorted(shapes.property_shapes.values(), key=lambda p: p.iri):
        users = [ns for ns in shapes.node_shapes if ps.iri in ns.properties and focus.get(ns.iri)]
        if not users:
            continue
        original = focus[users[0].iri][0]
        for i, (what, breaker) in enumerate(_breakers(ps)):
            clone = URIRef(f"{original}-broken-{ps.iri.rsplit('#', 1)[-1]}-{what}-{i}")
            for p, o in list(g.predicate_objects(original)):
                g.add((clone, p, o))
            for s, p in list(g.subject_predicates(original)):
                if ps.path.inverse and p == URIRef(ps.path.iri):
                    g.add((s, p, clone))
            _set(g, clone, ps, breaker(_values(g, clone, ps)))  # type: ignore[operator]
            broken.append((ps.iri, what))
    # node-level sh:or: a participation with neither an organisation nor residents
    part = focus[PG.replace("def#", "shapes#") + "Participation"][0]
    clone = URIRef(f"{part}-broken-or")
    for p, o in g.predicate_objects(part):
        if p not in (URIRef(PG + "participant"), URIRef(PG + "residentOf")):
            g.add((clone, p, o))
    _, fast = assert_same(g)
    assert len(broken) > 150
    reported = {r.shape for r in fast.results}
    missed = sorted({iri for iri, what in broken} - reported)
    assert not missed, f"breaking these shapes went unreported: {missed}"
    assert PG.replace("def#", "shapes#") + "Participation" in reported


# ---------------------------------------------------------------------------------------
# RDFS corner cases
# ---------------------------------------------------------------------------------------

RDFS_CASES = """
@prefix pg: <https://w3id.org/partnergraph/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/x/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# a subclass declared in the data: its instances are organisations (targets) too
ex:Club rdfs:subClassOf pg:Organisation .
ex:club1 a ex:Club ; skos:prefLabel "Kerho"@fi .
# a subproperty declared in the data: its values count for skos:notation
ex:code rdfs:subPropertyOf skos:notation .
ex:club1 ex:code "k1" , "k2" .
# typed only by rdfs:range (pg:homeMunicipality -> pg:Municipality): a municipality target
ex:club1 pg:homeMunicipality ex:nowhere .
# typed only by rdfs:domain (pg:participantCount -> pg:Participation)
ex:p1 pg:participantCount "3"^^xsd:integer .
# a literal typed by a range: a literal focus node
ex:club1 pg:project "not a project" .
# ill-typed and wrong-typed literals
ex:p1 pg:participantCount "kolme"^^xsd:integer .
ex:w1 a pg:Workshop ; skos:prefLabel "Paja"@fi ; pg:year "2019-05"^^xsd:gYear , "2019"^^xsd:string ;
  schema:startDate "2019-02-30"^^xsd:date .
# a blank node where an IRI is required
ex:w1 schema:location [ a pg:Municipality ] .
"""


def test_rdfs_corner_cases_give_the_same_results():
    g = Graph().parse(data=RDFS_CASES, format="turtle")
    _, fast = assert_same(g)
    hit = Counter((r.focus.rsplit("/", 1)[-1], r.shape.rsplit("#", 1)[-1]) for r in fast.results)
    assert hit[("club1", "Organisation-notation")] == 1  # two codes via the subproperty: maxCount
    assert hit[("nowhere", "Municipality-notation")] == 1  # a municipality only by rdfs:range
    assert hit[("p1", "Participation-count")] == 3  # typed by rdfs:domain; maxCount, "kolme" twice
    assert hit[("not a project", "prefLabel")] == 1  # a literal focus node, typed by rdfs:range
    assert hit[("w1", "Workshop-year")] == 3  # maxCount, "2019"^^xsd:string, "2019-05" ill-typed
    assert hit[("w1", "Workshop-date")] == 1  # 30 February


def test_inverse_paths_are_reported_readably(tiny_union):
    g = Graph()
    for t in tiny_union:
        g.add(t)
    fu = next(g.subjects(RDF.type, URIRef(PG + "FollowUp")))
    for s in list(g.subjects(URIRef(PG + "followUp"), fu)):
        g.remove((s, URIRef(PG + "followUp"), fu))
    _, fast = assert_same(g)
    assert {r.path for r in fast.results} == {f"^{PG}followUp"}


# ---------------------------------------------------------------------------------------
# Unsupported shapes fail at start-up
# ---------------------------------------------------------------------------------------

SHAPE_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/x/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
"""


@pytest.mark.parametrize("body", [
    "ex:P sh:path ex:p ; sh:minLength 3 .",
    "ex:P sh:path ex:p ; sh:node ex:Other .",
    "ex:P sh:path ( ex:p ex:q ) .",
    "ex:P sh:path [ sh:zeroOrMorePath ex:p ] .",
    "ex:P sh:path ex:p ; sh:pattern \"^a\" ; sh:flags \"i\" .",
    "ex:P sh:path ex:p ; sh:pattern \"^\\\\d+$\" .",
    "ex:P sh:path ex:p ; sh:or ( [ sh:minLength 1 ] ) .",
    "ex:P sh:path ex:p ; sh:sparql [ sh:select \"SELECT $this WHERE {}\" ] .",
    "ex:P sh:path ex:p . ex:S sh:closed true .",
])
def test_unsupported_features_raise(body):
    with pytest.raises(ShapeCompileError):
        parse_shapes(Graph().parse(data=SHAPE_HEAD + body, format="turtle"))


def test_shipped_shapes_compile():
    shapes = shipped_shapes()
    assert len(shapes.node_shapes) >= 20 and len(shapes.property_shapes) >= 100
    assert any(ps.path.inverse for ps in shapes.property_shapes.values())
    assert any(ns.or_lists for ns in shapes.node_shapes)
    assert sum(1 for ps in shapes.property_shapes.values() if ps.qualified) == 2


def test_validate_command_engines_agree(runner, tmp_path):
    from partnergraph.cli import main

    bad = tmp_path / "bad.ttl"
    bad.write_text(BROKEN_GRAPH_TTL, encoding="utf-8")
    outputs = {}
    for engine in ("sparql", "pyshacl"):
        res = runner.invoke(main, ["validate", "--engine", engine, str(bad)])
        assert res.exit_code == 1, res.output
        outputs[engine] = sorted(line for line in res.output.splitlines() if line.startswith("["))
    assert outputs["sparql"] == outputs["pyshacl"] and len(outputs["sparql"]) > 5
