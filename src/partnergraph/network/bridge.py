"""The only bridge from RDF to networkx: a few SPARQL SELECTs into records, records into graphs.

:func:`read_network_data` takes a pyoxigraph store and the graph IRIs to use as the default
graph, so it reads the current version (through :class:`~partnergraph.rdf.reader.GraphReader`)
and a version that is not yet published (inside the build's ``prepare`` hook) alike.

The two-mode graphs have an explicit node set on each side (:class:`TwoMode`), as networkx's
bipartite functions want; every node carries ``kind`` and ``label`` and ``bipartite`` (0 for
the ``top`` side, 1 for ``bottom``). Organisation nodes also carry ``home`` (municipality IRI or
None), ``areas`` (tuple of workshop-area IRIs of the home municipality), ``org_type`` (local name
of the most specific ``pg:`` class, e.g. ``RegisteredAssociation``), ``synthetic`` and
``municipality_body``.

Which organisations are nodes
    The organisations *active* in the period: those that took part in or organised a workshop
    (``pg:participant`` of a ``pg:Participation``, ``schema:organizer``), or are a partner or the
    responsible party of a cooperation plan, of that year (or of any year). Every two-mode graph
    of a period has the same organisation side, so an organisation that only attended a
    workshop without a known location is an isolate of the organisation–municipality graph.

Municipality bodies
    A municipality as a body (``…/org/kunta-NNN``) is kept as an organisation: the municipality
    as an actor is a partner like any association. Its tie to its own municipality in the
    organisation–municipality graph is kept too, and treated like any organisation's tie to its
    home municipality (the body really acts in its own plans and workshops). Municipality-level
    counts of partner and outside organisations leave the municipality's own body out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from partnergraph.iri import Minter
from partnergraph.namespaces import PG_IRI, sparql_prologue
from partnergraph.rdf.build import METRICS_GRAPH, ONTOLOGY_GRAPH, SYSTEM_GRAPH
from partnergraph.rdf.reader import PRIVATE_PREFIX, to_python

# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    iri: str
    label: str
    home: str | None
    org_type: str
    synthetic: bool

    @property
    def municipality_body(self) -> bool:
        return self.org_type == "MunicipalityBody"


@dataclass(frozen=True)
class Municipality:
    iri: str
    label: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    iri: str
    label: str


@dataclass(frozen=True)
class Event:
    iri: str
    label: str
    year: int
    area: str | None
    location: str | None
    organisers: tuple[str, ...]
    synthetic: bool


@dataclass(frozen=True)
class Attendance:
    """One ``pg:Participation``: people of one role from one organisation (or residents)."""

    event: str
    organisation: str | None
    resident_of: str | None
    role: str  # local name of the pg:ParticipantRole, e.g. "roleOfficial"
    count: int


@dataclass(frozen=True)
class Plan:
    iri: str
    label: str
    municipality: str
    year: int
    status: str | None  # local name of the pg:PlanStatus, e.g. "statusDone"
    event: str | None  # the workshop it came out of (prov:wasGeneratedBy)
    partners: tuple[str, ...]
    responsible: str | None
    synthetic: bool

    @property
    def parties(self) -> tuple[str, ...]:
        """Partners and the responsible party, each once, sorted."""
        return tuple(sorted(set(self.partners) | ({self.responsible} if self.responsible else set())))


@dataclass(frozen=True)
class NetworkData:
    """Everything the networks are built from, keyed by IRI and sorted (so graphs are too)."""

    organisations: dict[str, Organisation]
    municipalities: dict[str, Municipality]
    areas: dict[str, Area]
    events: dict[str, Event]
    attendances: tuple[Attendance, ...]
    plans: dict[str, Plan]
    years: tuple[int, ...] = field(default=())

    def municipality_of(self, attendance: Attendance) -> str | None:
        """Where the people of an attendance come from: residence, else the organisation's home."""
        if attendance.resident_of:
            return attendance.resident_of
        org = self.organisations.get(attendance.organisation or "")
        return org.home if org else None

    def area_of(self, municipality: str | None) -> tuple[str, ...]:
        m = self.municipalities.get(municipality or "")
        return m.areas if m else ()


# -- reading ---------------------------------------------------------------------------------


def data_graphs(graph_iris: Iterable[str], minter: Minter) -> list[str]:
    """The dataset graphs among ``graph_iris``: not the ontology, system, metrics or private ones.

    >>> m = Minter("https://example.org/id/")
    >>> data_graphs([str(m.graph(k)) for k in ("demo", "metrics", "ontology", "private-x")], m)
    ['https://example.org/id/graph/demo']
    """
    skip = {str(minter.graph(k)) for k in (ONTOLOGY_GRAPH, SYSTEM_GRAPH, METRICS_GRAPH)}
    private = str(minter.graph(PRIVATE_PREFIX))
    return sorted(g for g in graph_iris if g not in skip and not g.startswith(private))


def _local(iri: str | None) -> str | None:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else None


def _select(store: ox.Store, graphs: Sequence[str], query: str) -> list[dict]:
    default = [ox.NamedNode(g) for g in graphs]
    res = store.query(sparql_prologue() + query, default_graph=default, named_graphs=default)
    names = [v.value for v in res.variables]
    return [{n: to_python(sol[n]) for n in names} for sol in res]


def _labels(rows: Iterable[dict], key: str = "s") -> dict[str, str]:
    """The Finnish label of each subject (else any label), chosen deterministically."""
    best: dict[str, tuple[bool, str]] = {}
    for r in rows:
        if r.get("label") is None:
            continue
        cand = (r.get("lang") != "fi", r["label"])
        if r[key] not in best or cand < best[r[key]]:
            best[r[key]] = cand
    return {k: v[1] for k, v in best.items()}


_LABELS = """
SELECT ?s ?label ?lang WHERE {{ ?s a {cls} ; skos:prefLabel ?label . BIND(LANG(?label) AS ?lang) }}
"""


def read_network_data(store: ox.Store, graphs: Sequence[str]) -> NetworkData:
    """Read organisations, places, workshops, attendances and plans from ``graphs`` of ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store
        An open store (read-only or not).
    graphs : sequence of str
        IRIs of the named graphs whose union is the data (the dataset graphs).

    Returns
    -------
    NetworkData
        Plain records; :func:`organisation_event` and friends build graphs from them.
    """
    labels = {}
    for cls in ("pg:Organisation", "pg:Municipality", "pg:WorkshopArea", "pg:Workshop",
                "pg:CooperationPlan"):
        labels.update(_labels(_select(store, graphs, _LABELS.format(cls=cls))))

    synthetic = {r["s"] for r in _select(store, graphs, "SELECT ?s WHERE { ?s pg:isSynthetic true }")}

    # organisations: home municipality and the most specific pg: class
    homes: dict[str, str | None] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for r in _select(store, graphs, f"""
        SELECT ?s ?home ?type WHERE {{
          ?s a pg:Organisation .
          OPTIONAL {{ ?s pg:homeMunicipality ?home }}
          OPTIONAL {{ ?s a ?type FILTER(STRSTARTS(STR(?type), "{PG_IRI}") && ?type != pg:Organisation) }}
        }}"""):
        if r["home"] is not None and (homes.get(r["s"]) is None or r["home"] < homes[r["s"]]):
            homes[r["s"]] = r["home"]
        homes.setdefault(r["s"], None)
        if r["type"]:
            types[r["s"]].add(_local(r["type"]) or "")
    organisations = {
        iri: Organisation(iri, labels.get(iri, _local(iri) or iri), homes[iri],
                          min(types[iri]) if types[iri] else "Organisation", iri in synthetic)
        for iri in sorted(homes)
    }

    areas_of: dict[str, set[str]] = defaultdict(set)
    mun_iris: set[str] = set()
    for r in _select(store, graphs, """
        SELECT ?m ?area WHERE {
          ?m a pg:Municipality .
          OPTIONAL { ?area a pg:WorkshopArea ; schema:containsPlace ?m }
        }"""):
        mun_iris.add(r["m"])
        if r["area"]:
            areas_of[r["m"]].add(r["area"])
    municipalities = {m: Municipality(m, labels.get(m, _local(m) or m), tuple(sorted(areas_of[m])))
                      for m in sorted(mun_iris)}
    area_rows = _select(store, graphs, "SELECT DISTINCT ?a WHERE { ?a a pg:WorkshopArea }")
    area_iris = sorted(r["a"] for r in area_rows)
    areas = {a: Area(a, labels.get(a, _local(a) or a)) for a in area_iris}

    ev: dict[str, dict] = {}
    for r in _select(store, graphs, """
        SELECT ?e ?year ?area ?location ?organiser WHERE {
          ?e a pg:Workshop ; pg:year ?year .
          OPTIONAL { ?e pg:area ?area }
          OPTIONAL { ?e schema:location ?location }
          OPTIONAL { ?e schema:organizer ?organiser }
        }"""):
        e = ev.setdefault(r["e"], {"years": set(), "area": set(), "location": set(), "org": set()})
        e["years"].add(int(str(r["year"])[:4]))
        for k, col in (("area", "area"), ("location", "location"), ("org", "organiser")):
            if r[col]:
                e[k].add(r[col])
    events = {
        iri: Event(iri, labels.get(iri, _local(iri) or iri), min(e["years"]),
                   min(e["area"]) if e["area"] else None,
                   min(e["location"]) if e["location"] else None,
                   tuple(sorted(o for o in e["org"] if o in organisations)), iri in synthetic)
        for iri, e in sorted(ev.items())
    }

    attendances = []
    for r in _select(store, graphs, """
        SELECT ?p ?event ?org ?resident ?role ?count WHERE {
          ?p a pg:Participation ; pg:event ?event .
          OPTIONAL { ?p pg:participant ?org }
          OPTIONAL { ?p pg:residentOf ?resident }
          OPTIONAL { ?p pg:role ?role }
          OPTIONAL { ?p pg:participantCount ?count }
        } ORDER BY ?p ?org ?resident"""):
        if r["event"] not in events:
            continue
        org = r["org"] if r["org"] in organisations else None
        attendances.append(Attendance(r["event"], org, r["resident"], _local(r["role"]) or "roleOther",
                                      int(r["count"] or 0)))

    pl: dict[str, dict] = {}
    for r in _select(store, graphs, """
        SELECT ?p ?municipality ?year ?status ?event ?partner ?responsible WHERE {
          ?p a pg:CooperationPlan ; pg:municipality ?municipality ; pg:year ?year .
          OPTIONAL { ?p adms:status ?status }
          OPTIONAL { ?p prov:wasGeneratedBy ?event }
          OPTIONAL { ?p pg:partner ?partner }
          OPTIONAL { ?p pg:responsibleParty ?responsible }
        }"""):
        p = pl.setdefault(r["p"], {k: set() for k in ("m", "y", "s", "e", "partner", "resp")})
        for k, col in (("m", "municipality"), ("s", "status"), ("e", "event"),
                       ("partner", "partner"), ("resp", "responsible")):
            if r[col]:
                p[k].add(r[col])
        p["y"].add(int(str(r["year"])[:4]))
    plans = {
        iri: Plan(iri, labels.get(iri, _local(iri) or iri), min(p["m"]), min(p["y"]),
                  _local(min(p["s"])) if p["s"] else None,
                  min(e for e in p["e"] if e in events) if p["e"] & events.keys() else None,
                  tuple(sorted(o for o in p["partner"] if o in organisations)),
                  min(o for o in p["resp"] if o in organisations) if p["resp"] & organisations.keys()
                  else None,
                  iri in synthetic)
        for iri, p in sorted(pl.items())
    }
    years = tuple(sorted({e.year for e in events.values()} | {p.year for p in plans.values()}))
    return NetworkData(organisations, municipalities, areas, events, tuple(attendances), plans, years)


# -- two-mode graphs -------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoMode:
    """A two-mode graph with its two node sets given explicitly (both sorted)."""

    graph: nx.Graph
    top: tuple[str, ...]
    bottom: tuple[str, ...]


def _in(year: int | None, y: int) -> bool:
    return year is None or y == year


def _events(data: NetworkData, year: int | None) -> list[Event]:
    return [e for e in data.events.values() if _in(year, e.year)]


def _plans(data: NetworkData, year: int | None) -> list[Plan]:
    return [p for p in data.plans.values() if _in(year, p.year)]


def event_organisations(data: NetworkData, year: int | None = None) -> dict[str, set[str]]:
    """Organisations of each workshop of the period: participants and organisers."""
    out: dict[str, set[str]] = {e.iri: set(e.organisers) for e in _events(data, year)}
    for a in data.attendances:
        if a.organisation and a.event in out:
            out[a.event].add(a.organisation)
    return out


def active_organisations(data: NetworkData, year: int | None = None) -> tuple[str, ...]:
    """Organisations that attended or organised a workshop or are party to a plan in the period."""
    active: set[str] = set()
    for orgs in event_organisations(data, year).values():
        active |= orgs
    for p in _plans(data, year):
        active |= set(p.parties)
    return tuple(sorted(active))


def _org_attrs(data: NetworkData, iri: str) -> dict:
    o = data.organisations[iri]
    return {"kind": "organisation", "label": o.label, "home": o.home, "areas": data.area_of(o.home),
            "org_type": o.org_type, "synthetic": o.synthetic, "municipality_body": o.municipality_body}


def _two_mode(data: NetworkData, year: int | None, bottom: dict[str, dict],
              edges: dict[tuple[str, str], dict]) -> TwoMode:
    top = active_organisations(data, year)
    g = nx.Graph(year=year)
    for o in top:
        g.add_node(o, bipartite=0, **_org_attrs(data, o))
    for b in sorted(bottom):
        g.add_node(b, **{**bottom[b], "bipartite": 1})
    for (u, v) in sorted(edges):
        g.add_edge(u, v, **edges[(u, v)])
    return TwoMode(g, top, tuple(sorted(bottom)))


def _mun_attrs(m: Municipality) -> dict:
    return {"kind": "municipality", "label": m.label, "areas": m.areas}


def _event_attrs(e: Event) -> dict:
    return {"kind": "event", "label": e.label, "year": e.year, "area": e.area,
            "municipality": e.location, "synthetic": e.synthetic}


def _plan_attrs(p: Plan) -> dict:
    return {"kind": "plan", "label": p.label, "year": p.year, "municipality": p.municipality,
            "status": p.status, "event": p.event, "synthetic": p.synthetic}


def organisation_event(data: NetworkData, year: int | None = None) -> TwoMode:
    """Organisations (top) and workshops (bottom): an edge where the organisation took part.

    Edge attributes: ``participants`` (people the organisation sent, all roles) and
    ``organiser`` (True when it organised the workshop; organisers count as taking part).
    """
    edges: dict[tuple[str, str], dict] = {}
    for e in _events(data, year):
        for o in e.organisers:
            edges[(o, e.iri)] = {"participants": 0, "organiser": True}
    for a in data.attendances:
        if a.organisation and _in(year, data.events[a.event].year):
            d = edges.setdefault((a.organisation, a.event), {"participants": 0, "organiser": False})
            d["participants"] += a.count
    return _two_mode(data, year, {e.iri: _event_attrs(e) for e in _events(data, year)}, edges)


def organisation_plan(data: NetworkData, year: int | None = None) -> TwoMode:
    """Organisations (top) and cooperation plans (bottom): partners and the responsible party.

    Edge attribute ``role``: ``"responsible"`` or ``"partner"`` (responsible wins if both).
    """
    edges: dict[tuple[str, str], dict] = {}
    for p in _plans(data, year):
        for o in p.partners:
            edges[(o, p.iri)] = {"role": "partner"}
        if p.responsible:
            edges[(p.responsible, p.iri)] = {"role": "responsible"}
    return _two_mode(data, year, {p.iri: _plan_attrs(p) for p in _plans(data, year)}, edges)


def organisation_collaboration(data: NetworkData, year: int | None = None,
                               workshop_derived: bool = False) -> TwoMode:
    """Organisations (top) and collaborations (bottom): workshops and plans together.

    With ``workshop_derived=True`` only workshops and the plans that came out of a workshop
    (``prov:wasGeneratedBy``) are collaborations; the organisation side stays the same.
    """
    oe, op = organisation_event(data, year), organisation_plan(data, year)
    bottom = {n: dict(oe.graph.nodes[n]) for n in oe.bottom}
    bottom.update({p: dict(op.graph.nodes[p]) for p in op.bottom
                   if not workshop_derived or data.plans[p].event})
    edges = {(u, v): dict(d) for u, v, d in [*_oriented(oe), *_oriented(op)] if v in bottom}
    return _two_mode(data, year, bottom, edges)


def _oriented(b: TwoMode) -> list[tuple[str, str, dict]]:
    """Edges as (top node, bottom node, data)."""
    tops = set(b.top)
    return [(u, v, d) if u in tops else (v, u, d) for u, v, d in b.graph.edges(data=True)]


def organisation_municipality(data: NetworkData, year: int | None = None) -> TwoMode:
    """Organisations (top) and municipalities as areas (bottom): where each organisation worked.

    An organisation is tied to municipality M when it is a partner or the responsible party of a
    plan of M (``pg:municipality``), or took part in or organised a workshop held in M
    (``schema:location``). Edge attributes: ``plans`` and ``events`` (how many of each) and
    ``weight = plans + events``. All municipalities are nodes, active or not.
    """
    counts: dict[tuple[str, str], dict] = {}

    def add(o: str, m: str | None, kind: str) -> None:
        if m in data.municipalities:
            d = counts.setdefault((o, m), {"plans": 0, "events": 0, "weight": 0})
            d[kind] += 1
            d["weight"] += 1

    for p in _plans(data, year):
        for o in p.parties:
            add(o, p.municipality, "plans")
    for e, orgs in event_organisations(data, year).items():
        for o in sorted(orgs):
            add(o, data.events[e].location, "events")
    bottom = {m.iri: _mun_attrs(m) for m in data.municipalities.values()}
    return _two_mode(data, year, bottom, counts)


def organisation_area(data: NetworkData, year: int | None = None) -> TwoMode:
    """Organisations (top) and workshop areas (bottom), through the municipalities worked in.

    An organisation is tied to area A when it worked (see :func:`organisation_municipality`) in
    a municipality of A, or took part in a workshop of A (``pg:area``). Edge attribute
    ``weight``: the number of such links.
    """
    counts: dict[tuple[str, str], dict] = {}

    def add(o: str, a: str | None, n: int = 1) -> None:
        if a in data.areas:
            counts.setdefault((o, a), {"weight": 0})["weight"] += n

    om = organisation_municipality(data, year)
    for o, m, d in _oriented(om):
        for a in data.area_of(m):
            add(o, a, d["weight"])
    for e, orgs in event_organisations(data, year).items():
        ev = data.events[e]
        if ev.area and ev.area not in data.area_of(ev.location):
            for o in sorted(orgs):
                add(o, ev.area)
    bottom = {a.iri: {"kind": "area", "label": a.label} for a in data.areas.values()}
    return _two_mode(data, year, bottom, counts)


def municipality_collaboration(data: NetworkData, year: int | None = None) -> TwoMode:
    """Municipalities (top) and the collaborations that involve them (bottom).

    A plan involves its own municipality (``pg:municipality``) and the home municipalities of
    its partners and responsible party. A workshop involves the municipality where it was held
    (``schema:location``), the home municipalities of the organisations that took part in or
    organised it, and the municipalities whose residents took part (``pg:residentOf``).
    All municipalities are nodes; only involved collaborations are.
    """
    involved: dict[str, set[str]] = defaultdict(set)
    for p in _plans(data, year):
        involved[p.iri].add(p.municipality)
        for o in p.parties:
            if data.organisations[o].home:
                involved[p.iri].add(data.organisations[o].home)  # type: ignore[arg-type]
    for e, orgs in event_organisations(data, year).items():
        if data.events[e].location:
            involved[e].add(data.events[e].location)  # type: ignore[arg-type]
        for o in orgs:
            if data.organisations[o].home:
                involved[e].add(data.organisations[o].home)  # type: ignore[arg-type]
    for a in data.attendances:
        if a.resident_of and a.event in involved:
            involved[a.event].add(a.resident_of)
    g = nx.Graph(year=year)
    top = tuple(data.municipalities)
    for m in top:
        g.add_node(m, bipartite=0, **_mun_attrs(data.municipalities[m]))
    bottom = tuple(sorted(c for c, ms in involved.items() if ms & data.municipalities.keys()))
    for c in bottom:
        attrs = _event_attrs(data.events[c]) if c in data.events else _plan_attrs(data.plans[c])
        g.add_node(c, bipartite=1, **attrs)
        for m in sorted(involved[c] & data.municipalities.keys()):
            g.add_edge(m, c)
    return TwoMode(g, top, bottom)
