"""Ontology terms as code.

``PG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: ``PG.Municipalty`` (a typo)
raises ``AttributeError`` instead of silently minting a new IRI. A test checks that every
term here is declared in ``ontology/partnergraph.ttl`` and the other way round.

Standard vocabularies that rdflib does not ship (or ships wrongly, like ``WGS`` in
rdflib 7.6.0, see ``pitfalls``) are declared here, once.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

PG_IRI = "https://w3id.org/partnergraph/def#"


class PG(DefinedNamespace):
    """The partnergraph ontology (``ontology/partnergraph.ttl``)."""

    _fail = True
    _NS = Namespace(PG_IRI)

    # -- places
    Municipality: URIRef  # a municipality as an area
    SubRegion: URIRef  # seutukunta
    Region: URIRef  # maakunta (province)
    WorkshopArea: URIRef  # one of the tour's seven project-defined areas
    AreaAssignment: URIRef  # a municipality placed in a workshop area, with confidence
    # -- organisations
    Organisation: URIRef
    RegisteredAssociation: URIRef
    MunicipalityBody: URIRef
    Parish: URIRef
    WellbeingServicesBody: URIRef  # hospital district or wellbeing services county
    RegionalCouncil: URIRef
    Company: URIRef
    EducationalInstitution: URIRef
    OtherOrganisation: URIRef
    Project: URIRef
    # -- events, participation, plans
    WorkshopSeries: URIRef
    Workshop: URIRef
    Participation: URIRef
    CooperationPlan: URIRef
    Action: URIRef
    FollowUp: URIRef
    # -- public record
    Source: URIRef
    ReportedFigure: URIRef
    OperatingModel: URIRef
    SourceDataset: URIRef
    # -- concepts and schemes
    Theme: URIRef
    PlanStatus: URIRef
    ParticipantRole: URIRef
    ConfidenceLevel: URIRef
    themes: URIRef
    workshopAreas: URIRef
    planStatuses: URIRef
    participantRoles: URIRef
    confidenceLevels: URIRef
    statusPlanned: URIRef
    statusInProgress: URIRef
    statusDone: URIRef
    statusDropped: URIRef
    roleOfficial: URIRef
    roleElected: URIRef
    roleAssociation: URIRef
    roleResident: URIRef
    roleOther: URIRef
    confirmed: URIRef
    inferred: URIRef
    unverified: URIRef
    synthetic: URIRef
    # -- datatypes
    ytunnus: URIRef
    yhdistysrekisterinumero: URIRef
    # -- properties: places
    population: URIRef
    populationYear: URIRef
    movedToRegion: URIRef
    movedOn: URIRef
    area: URIRef
    municipality: URIRef
    homeMunicipality: URIRef
    # -- properties: events and participation
    year: URIRef
    venue: URIRef
    event: URIRef
    participant: URIRef
    participantCount: URIRef
    role: URIRef
    residentOf: URIRef
    project: URIRef
    # -- properties: plans
    partner: URIRef
    responsibleParty: URIRef
    hasAction: URIRef
    followUp: URIRef
    # -- properties: organisations and projects
    administeredBy: URIRef
    funder: URIRef
    implementer: URIRef
    # -- properties: provenance and figures
    confidence: URIRef
    isSynthetic: URIRef
    value: URIRef
    approximate: URIRef
    unit: URIRef
    # -- metrics (written back by `partnergraph metrics` into their own named graph)
    MetricsRun: URIRef
    Measurement: URIRef
    measure: URIRef
    measuredNode: URIRef
    measuredYear: URIRef
    metricValue: URIRef
    metricRun: URIRef
    dataVersion: URIRef


#: Network measures (``partnergraph metrics``); each is described in the metrics graph.
PGM = Namespace("https://w3id.org/partnergraph/def/measure#")

ROV = Namespace("http://www.w3.org/ns/regorg#")
CV = Namespace("http://data.europa.eu/m8g/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
# schema.org over https, as rdflib's SDO; http://schema.org/ is normalised to it on import.
SDO = Namespace("https://schema.org/")
SDO_HTTP = "http://schema.org/"
# rdflib 7.6.0's WGS constant has the wrong scheme (https); this is the real namespace.
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
YSO = Namespace("http://www.yso.fi/onto/yso/")

#: Prefixes bound in every graph we serialise and preloaded in the SPARQL workbench.
PREFIXES: dict[str, str] = {
    "pg": PG_IRI,
    "pgm": str(PGM),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "rov": str(ROV),
    "cv": str(CV),
    "adms": str(ADMS),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "qb": str(QB),
    "wgs": str(WGS),
    "geo": str(GEO),
    "dcat": str(DCAT),
    "sh": str(SH),
    "yso": str(YSO),
}


def sparql_prologue(extra: dict[str, str] | None = None) -> str:
    """PREFIX lines for every project prefix, for canned and generated queries."""
    items = {**PREFIXES, **(extra or {})}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in items.items())


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
