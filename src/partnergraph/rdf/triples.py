"""Validated records → RDF triples, one named graph per dataset.

The mapping follows ``ontology/partnergraph.ttl`` and ``shared/reference/ontology-notes.md``:
a municipality is two nodes (the area ``pg:Municipality`` and the public body
``pg:MunicipalityBody``); identifiers are ``adms:Identifier`` nodes; participation is a
count node (``pg:Participation``, a ``qb:Observation``); every entity row carries its
sources (``dct:source``) and confidence (``pg:confidence``). Output is deterministic:
the same records give the same triples.

This is the one definition of the mapping. :class:`GraphBuilder` writes into any
:class:`~partnergraph.rdf.sinks.TripleSink`: an rdflib Graph (:func:`dataset_graphs`, used by
tests and ``validate --engine pyshacl``) or an N-Quads writer (:func:`write_dataset`, used
by the build, which never holds an rdflib graph of the data).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, QB, RDF, SKOS, XSD

from partnergraph import personal
from partnergraph.ingest.fields import DateOrYear, format_register_number
from partnergraph.ingest.validate import DatasetRecords, Record, builtin_org_key
from partnergraph.iri import Minter
from partnergraph.namespaces import ADMS, CV, PG, ROV, SDO, WGS, bind_prefixes
from partnergraph.rdf.sinks import TripleSink

CODELIST = "http://uri.suomi.fi/codelist/jhs/{scheme}_1_{year}0101/code/{code}"
#: Years of the tour; each municipality links to the code-list version of each year.
CODE_YEARS = (2018, 2019, 2020)
ORG_EXTRA_TYPES = {
    PG.RegisteredAssociation: (ROV.RegisteredOrganization, SDO.NGO),
    PG.MunicipalityBody: (CV.PublicOrganisation, SDO.GovernmentOrganization),
    PG.RegionalCouncil: (CV.PublicOrganisation, SDO.GovernmentOrganization),
    PG.WellbeingServicesBody: (CV.PublicOrganisation,),
}


def _fi(text: str) -> Literal:
    return Literal(text, lang="fi")


def _year(y: int) -> Literal:
    return Literal(f"{y:04d}", datatype=XSD.gYear)


def _date(d: dt.date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _number(d: Decimal) -> Literal:
    if d == d.to_integral_value():
        return Literal(str(int(d)), datatype=XSD.integer)
    return Literal(str(d), datatype=XSD.decimal)


class GraphBuilder:
    """Adds one dataset's records to a triple sink (an rdflib graph or an N-Quads writer)."""

    def __init__(self, minter: Minter, dataset: DatasetRecords, graph: TripleSink,
                 private: TripleSink | None = None) -> None:
        self.m = minter
        self.ds = dataset
        self.g = graph
        self.private: TripleSink = private if private is not None else Graph()  # personal data only
        self.synthetic = dataset.info.synthetic

    # -- helpers
    def add(self, s: URIRef | BNode, p: URIRef, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def org_ref(self, key: str) -> URIRef:
        if key.startswith("kunta-") and key[6:].isdigit():
            return self.m.municipality_body(key[6:])
        return self.m.org(key)

    def provenance(self, node: URIRef, rec: Record) -> None:
        for src in rec.values.get("sources") or []:
            self.g.add((node, DCTERMS.source, self.m.source(src)))
        if rec.values.get("confidence") is not None:
            self.g.add((node, PG.confidence, rec.confidence))
        if rec.values.get("note"):
            self.g.add((node, SKOS.editorialNote, Literal(rec.note)))
        if self.synthetic:
            self.g.add((node, PG.isSynthetic, Literal(True)))

    def entity(self, node: URIRef, rec: Record, *types: URIRef, label: str | None = None) -> None:
        for t in types:
            self.g.add((node, RDF.type, t))
        if label:
            self.g.add((node, SKOS.prefLabel, _fi(label)))
        self.provenance(node, rec)

    # -- the dataset
    def build(self) -> None:
        info = self.ds.info
        node = self.m.dataset(info.id)
        g = self.g
        g.add((node, RDF.type, PG.SourceDataset))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, _fi(info.title_fi)))
        g.add((node, DCTERMS.title, Literal(info.title_en, lang="en")))
        g.add((node, SKOS.prefLabel, _fi(info.title_fi)))
        if info.description_fi:
            g.add((node, DCTERMS.description, _fi(info.description_fi)))
        if info.description_en:
            g.add((node, DCTERMS.description, Literal(info.description_en, lang="en")))
        if info.licence:
            g.add((node, DCTERMS.license, Literal(info.licence)))
        g.add((node, PG.isSynthetic, Literal(info.synthetic)))
        for table in (
            "lahteet", "maakunnat", "seutukunnat", "kunnat", "alueet", "alueiden_kunnat",
            "teemat", "organisaatiot", "hankkeet", "tapahtumat", "osallistumiset",
            "suunnitelmat", "toimenpiteet", "seurannat", "luvut", "toimintamallit",
        ):
            handler = getattr(self, f"t_{table}")
            for rec in self.ds[table]:
                handler(rec)
        for _, extra in self.ds.graphs:
            public, private = personal.split(extra)
            for triple in public:
                g.add(triple)
            for triple in private:
                self.private.add(triple)

    # -- one method per table
    def t_lahteet(self, r: Record) -> None:
        n = self.m.source(r.key)
        self.g.add((n, RDF.type, PG.Source))
        self.g.add((n, RDF.type, PROV.Entity))
        self.g.add((n, SKOS.prefLabel, _fi(r.title)))
        self.g.add((n, DCTERMS.title, _fi(r.title)))
        if r.url:
            self.g.add((n, FOAF.page, URIRef(r.url)))
        if r.publisher:
            self.g.add((n, DCTERMS.publisher, Literal(r.publisher)))
        if r.issued:
            self.g.add((n, DCTERMS.issued, _date(r.issued)))
        if self.synthetic:
            self.g.add((n, PG.isSynthetic, Literal(True)))

    def t_maakunnat(self, r: Record) -> None:
        n = self.m.region(r.code)
        self.entity(n, r, PG.Region, SDO.AdministrativeArea, DCTERMS.Location, label=r.name)
        self.g.add((n, SKOS.notation, Literal(r.code)))
        for ident in (r.nuts3, r.iso):
            if ident:
                self.g.add((n, DCTERMS.identifier, Literal(ident)))
        if r.yso:
            self.g.add((n, SKOS.exactMatch, URIRef(r.yso)))
        for y in CODE_YEARS:
            self.g.add((n, SKOS.exactMatch,
                        URIRef(CODELIST.format(scheme="maakunta", year=y, code=r.code))))

    def t_seutukunnat(self, r: Record) -> None:
        n = self.m.subregion(r.code)
        self.entity(n, r, PG.SubRegion, SDO.AdministrativeArea, DCTERMS.Location, label=r.name)
        self.g.add((n, SKOS.notation, Literal(r.code)))
        self.g.add((n, SDO.containedInPlace, self.m.region(r.region)))

    def t_kunnat(self, r: Record) -> None:
        area = self.m.municipality(r.code)
        self.entity(area, r, PG.Municipality, SDO.AdministrativeArea, DCTERMS.Location,
                    label=r.name)
        g = self.g
        g.add((area, SKOS.notation, Literal(r.code)))
        g.add((area, SDO.containedInPlace, self.m.subregion(r.subregion)))
        g.add((area, SDO.containedInPlace, self.m.region(r.region)))
        for y in CODE_YEARS:
            g.add((area, SKOS.exactMatch, URIRef(CODELIST.format(scheme="kunta", year=y, code=r.code))))
        if r.lat is not None:
            g.add((area, WGS.lat, Literal(f"{r.lat:.6f}", datatype=XSD.decimal)))
            g.add((area, WGS.long, Literal(f"{r.lon:.6f}", datatype=XSD.decimal)))
        if r.population is not None:
            g.add((area, PG.population, Literal(r.population)))
            if r.population_year:
                g.add((area, PG.populationYear, _year(r.population_year)))
        if r.moved_to:
            g.add((area, PG.movedToRegion, self.m.region(r.moved_to)))
            if r.moved_on:
                g.add((area, PG.movedOn, _date(r.moved_on)))
        body = self.m.municipality_body(r.code)
        self.entity(body, r, PG.MunicipalityBody, PG.Organisation, ORG.Organization,
                    *ORG_EXTRA_TYPES[PG.MunicipalityBody],
                    label=r.body_name or f"{r.name} (kunta)")
        g.add((body, DCTERMS.spatial, area))
        g.add((body, PG.homeMunicipality, area))
        g.add((body, SKOS.notation, Literal(builtin_org_key(r.code))))

    def t_alueet(self, r: Record) -> None:
        n = self.m.area(r.key)
        self.entity(n, r, PG.WorkshopArea, SKOS.Concept, label=r.name)
        self.g.add((n, SKOS.inScheme, PG.workshopAreas))
        self.g.add((n, SKOS.notation, Literal(r.key)))

    def t_alueiden_kunnat(self, r: Record) -> None:
        area, mun = self.m.area(r.area), self.m.municipality(r.municipality)
        self.g.add((area, SDO.containsPlace, mun))
        n = self.m.area_assignment(r.area, r.municipality)
        self.entity(n, r, PG.AreaAssignment)
        self.g.add((n, PG.area, area))
        self.g.add((n, PG.municipality, mun))

    def t_teemat(self, r: Record) -> None:
        n = self.m.theme(r.key)
        g = self.g
        g.add((n, RDF.type, PG.Theme))
        g.add((n, RDF.type, SKOS.Concept))
        g.add((n, SKOS.inScheme, PG.themes))
        g.add((n, SKOS.prefLabel, _fi(r.name_fi)))
        g.add((n, SKOS.prefLabel, Literal(r.name_en, lang="en")))
        g.add((n, SKOS.notation, Literal(r.key)))
        if r.yso:
            g.add((n, SKOS.closeMatch, URIRef(r.yso)))
        if self.synthetic:
            g.add((n, PG.isSynthetic, Literal(True)))

    def t_organisaatiot(self, r: Record) -> None:
        n = self.m.org(r.key)
        # the general classes are stated too, so queries find organisations without inference
        self.entity(n, r, r.type, PG.Organisation, ORG.Organization, *ORG_EXTRA_TYPES.get(r.type, ()),
                    label=r.name)
        g = self.g
        g.add((n, SKOS.notation, Literal(r.key)))
        if r.type == PG.RegisteredAssociation:
            g.add((n, ROV.legalName, _fi(r.name)))
        if r.home:
            g.add((n, PG.homeMunicipality, self.m.municipality(r.home)))
        if r.ytunnus:
            ident = self.m.ytunnus(r.ytunnus)
            g.add((n, ADMS.identifier, ident))
            g.add((ident, RDF.type, ADMS.Identifier))
            g.add((ident, SKOS.notation, Literal(r.ytunnus, datatype=PG.ytunnus)))
            g.add((ident, ADMS.schemaAgency, _fi("Patentti- ja rekisterihallitus")))
            if self.synthetic:
                g.add((ident, PG.isSynthetic, Literal(True)))
        if r.register_number:
            ident = self.m.register_number(r.register_number)
            g.add((n, ROV.registration, ident))
            g.add((ident, RDF.type, ADMS.Identifier))
            g.add((ident, SKOS.notation, Literal(format_register_number(r.register_number),
                                                 datatype=PG.yhdistysrekisterinumero)))
            g.add((ident, ADMS.schemaAgency, _fi("Patentti- ja rekisterihallitus")))
            if self.synthetic:
                g.add((ident, PG.isSynthetic, Literal(True)))
        if r.homepage:
            g.add((n, FOAF.homepage, URIRef(r.homepage)))

    def t_hankkeet(self, r: Record) -> None:
        n = self.m.project(r.key)
        self.entity(n, r, PG.Project, PROV.Activity, label=r.name)
        self.add(n, PG.administeredBy, r.administrator and self.org_ref(r.administrator))
        self.add(n, PG.funder, r.funder and self.org_ref(r.funder))
        self.add(n, SDO.startDate, r.start and _date(r.start))
        self.add(n, SDO.endDate, r.end and _date(r.end))

    def t_tapahtumat(self, r: Record) -> None:
        n = self.m.event(r.key)
        self.entity(n, r, PG.Workshop, SDO.Event, label=r.name)
        when: DateOrYear = r.when
        g = self.g
        g.add((n, PG.year, _year(when.year)))
        if when.date:
            g.add((n, SDO.startDate, _date(when.date)))
        self.add(n, PG.area, r.area and self.m.area(r.area))
        self.add(n, SDO.location, r.municipality and self.m.municipality(r.municipality))
        self.add(n, PG.venue, r.venue and _fi(r.venue))
        self.add(n, PG.project, r.project and self.m.project(r.project))
        for t in r.themes:
            g.add((n, DCTERMS.subject, self.m.theme(t)))
        for o in r.organisers:
            g.add((n, SDO.organizer, self.org_ref(o)))

    def t_osallistumiset(self, r: Record) -> None:
        who = r.org or f"kunta-{r.municipality}"
        role_key = str(r.role).rsplit("#", 1)[-1]
        n = self.m.participation(r.event, who if r.org else f"asukkaat-{r.municipality}", role_key)
        self.entity(n, r, PG.Participation, QB.Observation)
        g = self.g
        g.add((n, PG.event, self.m.event(r.event)))
        if r.org:
            g.add((n, PG.participant, self.org_ref(r.org)))
        if r.municipality:
            g.add((n, PG.residentOf, self.m.municipality(r.municipality)))
        g.add((n, PG.role, r.role))
        g.add((n, PG.participantCount, Literal(r.count)))

    def t_suunnitelmat(self, r: Record) -> None:
        n = self.m.plan(r.key)
        self.entity(n, r, PG.CooperationPlan, PROV.Plan, label=r.title)
        g = self.g
        g.add((n, PG.municipality, self.m.municipality(r.municipality)))
        g.add((n, PG.year, _year(r.year)))
        g.add((n, ADMS.status, r.status))
        self.add(n, PROV.wasGeneratedBy, r.event and self.m.event(r.event))
        self.add(n, PG.responsibleParty, r.responsible and self.org_ref(r.responsible))
        self.add(n, DCTERMS.description, r.description and _fi(r.description))
        for t in r.themes:
            g.add((n, DCTERMS.subject, self.m.theme(t)))
        for p in r.partners:
            g.add((n, PG.partner, self.org_ref(p)))

    def t_toimenpiteet(self, r: Record) -> None:
        n = self.m.action(r.key)
        self.entity(n, r, PG.Action, label=r.description)
        g = self.g
        g.add((self.m.plan(r.plan), PG.hasAction, n))
        g.add((n, DCTERMS.description, _fi(r.description)))
        g.add((n, ADMS.status, r.status))
        self.add(n, DCTERMS.subject, r.theme and self.m.theme(r.theme))
        self.add(n, PG.responsibleParty, r.responsible and self.org_ref(r.responsible))

    def t_seurannat(self, r: Record) -> None:
        n = self.m.followup(r.plan, r.date.isoformat())
        self.entity(n, r, PG.FollowUp)
        g = self.g
        g.add((self.m.plan(r.plan), PG.followUp, n))
        g.add((n, DCTERMS.date, _date(r.date)))
        g.add((n, ADMS.status, r.status))
        self.add(n, DCTERMS.description, r.description and _fi(r.description))

    def t_luvut(self, r: Record) -> None:
        n = self.m.figure(r.key)
        self.entity(n, r, PG.ReportedFigure, label=r.description)
        g = self.g
        g.add((n, DCTERMS.description, _fi(r.description)))
        g.add((n, PG.value, _number(r.value)))
        g.add((n, PG.approximate, Literal(bool(r.approximate))))
        self.add(n, PG.year, r.year and _year(r.year))
        self.add(n, PG.project, r.project and self.m.project(r.project))
        self.add(n, PG.event, r.event and self.m.event(r.event))

    def t_toimintamallit(self, r: Record) -> None:
        n = self.m.model(r.key)
        self.entity(n, r, PG.OperatingModel, SDO.CreativeWork, label=r.name)
        g = self.g
        g.add((n, FOAF.page, URIRef(r.url)))
        self.add(n, PG.implementer, r.implementer and self.org_ref(r.implementer))
        self.add(n, PG.funder, r.funder and self.org_ref(r.funder))
        if r.author:  # a person's name: private graph only (see partnergraph.personal)
            self.private.add((n, DCTERMS.creator, Literal(r.author)))
        self.add(n, DCTERMS.created, r.created and _date(r.created))
        self.add(n, DCTERMS.modified, r.modified and _date(r.modified))
        self.add(n, PG.project, r.project and self.m.project(r.project))


def dataset_graph(minter: Minter, dataset: DatasetRecords) -> Graph:
    """The public triples of one dataset, as a fresh graph with the project prefixes bound."""
    return dataset_graphs(minter, dataset)[0]


def dataset_graphs(minter: Minter, dataset: DatasetRecords) -> tuple[Graph, Graph]:
    """``(public, private)`` triples of one dataset; the private ones are personal data."""
    g, private = Graph(), Graph()
    bind_prefixes(g)
    GraphBuilder(minter, dataset, g, private).build()
    return g, private


def write_dataset(minter: Minter, dataset: DatasetRecords, public: TripleSink, private: TripleSink) -> None:
    """Write one dataset's public and private (personal data) triples into two sinks."""
    GraphBuilder(minter, dataset, public, private).build()
