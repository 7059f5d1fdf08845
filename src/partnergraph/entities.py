"""What the graph says about one entity: facts with sources and confidence, and the
sections its page shows (partners, plans, participation, measures).

Pure reads over a :class:`GraphReader`; the web pages, their ``.json`` twins and the RDF
views of ``/id/...`` all come from here. IRIs passed in are always bound as query
terms (pyoxigraph substitutions), never concatenated into query text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from partnergraph.errors import NotFound
from partnergraph.namespaces import PG, PGM, PREFIXES, sparql_prologue
from partnergraph.rdf.reader import GraphReader
from partnergraph.sparql.results import shorten

P = sparql_prologue()

#: Friendly names of predicates from standard vocabularies (ours come from the ontology).
PREDICATE_LABELS: dict[str, dict[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": {"fi": "tyyppi", "en": "type"},
    "http://www.w3.org/2004/02/skos/core#prefLabel": {"fi": "nimi", "en": "name"},
    "http://www.w3.org/2004/02/skos/core#notation": {"fi": "tunnus", "en": "code"},
    "http://www.w3.org/2004/02/skos/core#exactMatch": {"fi": "sama kuin", "en": "same as"},
    "http://www.w3.org/2004/02/skos/core#closeMatch": {"fi": "vastaa läheisesti", "en": "close match"},
    "http://www.w3.org/2004/02/skos/core#editorialNote": {"fi": "huomautus", "en": "note"},
    "http://www.w3.org/2004/02/skos/core#inScheme": {"fi": "sanastossa", "en": "in scheme"},
    "http://purl.org/dc/terms/source": {"fi": "lähde", "en": "source"},
    "http://purl.org/dc/terms/subject": {"fi": "teema", "en": "theme"},
    "http://purl.org/dc/terms/description": {"fi": "kuvaus", "en": "description"},
    "http://purl.org/dc/terms/title": {"fi": "otsikko", "en": "title"},
    "http://purl.org/dc/terms/date": {"fi": "päivämäärä", "en": "date"},
    "http://purl.org/dc/terms/spatial": {"fi": "alue", "en": "place"},
    "http://purl.org/dc/terms/identifier": {"fi": "tunniste", "en": "identifier"},
    "http://purl.org/dc/terms/issued": {"fi": "julkaistu", "en": "issued"},
    "http://purl.org/dc/terms/publisher": {"fi": "julkaisija", "en": "publisher"},
    "http://purl.org/dc/terms/created": {"fi": "luotu", "en": "created"},
    "http://purl.org/dc/terms/modified": {"fi": "muokattu", "en": "modified"},
    "http://purl.org/dc/terms/creator": {"fi": "tekijä", "en": "author"},
    "http://purl.org/dc/terms/license": {"fi": "lisenssi", "en": "licence"},
    "https://schema.org/containedInPlace": {"fi": "osa aluetta", "en": "contained in"},
    "https://schema.org/containsPlace": {"fi": "sisältää", "en": "contains"},
    "https://schema.org/startDate": {"fi": "alkaa", "en": "starts"},
    "https://schema.org/endDate": {"fi": "päättyy", "en": "ends"},
    "https://schema.org/location": {"fi": "kunta", "en": "municipality"},
    "https://schema.org/organizer": {"fi": "järjestäjä", "en": "organiser"},
    "http://www.w3.org/ns/adms#status": {"fi": "tila", "en": "status"},
    "http://www.w3.org/ns/adms#identifier": {"fi": "Y-tunnus", "en": "Business ID"},
    "http://www.w3.org/ns/regorg#registration": {"fi": "rekisterinumero", "en": "register number"},
    "http://www.w3.org/ns/regorg#legalName": {"fi": "virallinen nimi", "en": "legal name"},
    "http://www.w3.org/ns/prov#wasGeneratedBy": {"fi": "syntyi tilaisuudessa", "en": "made at"},
    "http://www.w3.org/2003/01/geo/wgs84_pos#lat": {"fi": "leveysaste", "en": "latitude"},
    "http://www.w3.org/2003/01/geo/wgs84_pos#long": {"fi": "pituusaste", "en": "longitude"},
    "http://xmlns.com/foaf/0.1/page": {"fi": "verkkosivu", "en": "web page"},
    "http://xmlns.com/foaf/0.1/homepage": {"fi": "kotisivu", "en": "home page"},
}

#: Page kinds by the first path segment of our IRIs.
KIND_BY_SEGMENT = {
    "place": "place", "area": "area", "org": "organisation", "event": "event", "plan": "plan",
    "project": "project", "participation": "participation", "action": "action",
    "followup": "followup", "theme": "theme", "source": "source", "figure": "figure",
    "model": "model", "dataset": "dataset", "assignment": "assignment", "identifier": "identifier",
}


@dataclass
class Value:
    """One object of a fact: an IRI (with label and local link) or a literal."""

    value: str
    label: str
    is_iri: bool
    link: str | None = None  # our own entity page, when the IRI is ours
    datatype: str | None = None
    lang: str | None = None


@dataclass
class Fact:
    predicate: str
    label: str
    values: list[Value]


@dataclass
class Entity:
    iri: str
    path: str
    kind: str
    label: str
    types: list[str]
    synthetic: bool
    confidence: str | None
    sources: list[dict[str, Any]]
    facts: list[Fact]
    sections: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri, "kind": self.kind, "label": self.label, "types": self.types,
            "synthetic": self.synthetic, "confidence": self.confidence, "sources": self.sources,
            "facts": [{"predicate": f.predicate, "label": f.label,
                       "values": [v.__dict__ for v in f.values]} for f in self.facts],
            "sections": self.sections,
        }


class EntityService:
    """Reads entity descriptions; one per app (cheap; holds only the reader)."""

    def __init__(self, reader: GraphReader, lang: str = "fi") -> None:
        self.reader = reader
        self.lang = lang
        self.base = reader.minter.base

    # -- helpers
    def iri_for_path(self, path: str) -> str:
        segment = path.split("/", 1)[0]
        if segment not in KIND_BY_SEGMENT or "/" not in path:
            raise NotFound(f"No entity at /id/{path}: entity paths look like /id/org/<key>.")
        return self.base + path

    def local_link(self, iri: str) -> str | None:
        path = self.reader.minter.local_path(iri)
        if path and path.split("/", 1)[0] in KIND_BY_SEGMENT:
            return "/id/" + path
        return None

    def _q(self, query: str, iri: str | None = None, **extra: str) -> list[dict]:
        """Run a section query about ``iri`` (``?this``).

        The IRI is written into the query as a term serialised by pyoxigraph (which refuses
        anything that is not an IRI), not bound by substitution: Oxigraph applies
        substitutions after evaluating the pattern, which made a partners query take seconds.
        """
        subs = {k: ox.NamedNode(v) for k, v in extra.items()}
        if iri is not None:
            term = str(ox.NamedNode(iri))
            query = query.replace("SELECT ?this ", "SELECT ", 1).replace("?this", term)
        return self.reader.select(P + query, **subs)

    def labels(self, iris: set[str]) -> dict[str, str]:
        """Labels of many IRIs in one query, in the page language when there is one."""
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in sorted(iris) if ">" not in i and " " not in i)
        rows = self.reader.select(
            P + "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { VALUES ?s { " + values + " } "
            "{ ?s skos:prefLabel ?l } UNION { ?s rdfs:label ?l } }"
        )
        out: dict[str, str] = {}
        for r in rows:
            if r["s"] not in out or r["lang"] == self.lang:
                out[r["s"]] = r["l"]
        return out

    def predicate_label(self, iri: str, onto_labels: dict[str, str]) -> str:
        if iri in PREDICATE_LABELS:
            return PREDICATE_LABELS[iri][self.lang]
        return onto_labels.get(iri) or shorten(iri)

    # -- the description
    def describe(self, path: str) -> Entity:
        iri = self.iri_for_path(path)
        rows = self._q(
            "SELECT ?this ?p ?o (isIRI(?o) AS ?isiri) (DATATYPE(?o) AS ?dt) (LANG(?o) AS ?lang) "
            "WHERE { ?this ?p ?o }", iri)
        if not rows:
            raise NotFound(f"Nothing is known about <{iri}> in the public graphs.")
        linked = {r["o"] for r in rows if r["isiri"]} | {r["p"] for r in rows}
        labels = self.labels(linked | {iri})
        by_pred: dict[str, list[Value]] = {}
        for r in rows:
            if r["p"].startswith(str(PGM)):
                continue  # measures have their own section
            o = r["o"]
            if r["isiri"]:
                v = Value(o, labels.get(o) or shorten(o), True, self.local_link(o))
            else:
                v = Value(str(o), str(o), False, None, r["dt"], r["lang"] or None)
            by_pred.setdefault(r["p"], []).append(v)
        for vals in by_pred.values():
            vals.sort(key=lambda v: (v.lang not in (None, self.lang), v.label))
        order = list(PREDICATE_LABELS)
        facts = [Fact(p, self.predicate_label(p, labels), vals) for p, vals in sorted(
            by_pred.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))]
        types = [v.value for v in by_pred.get(PREFIXES["rdf"] + "type", [])]
        synthetic = any(v.value.lower() == "true" for v in by_pred.get(str(PG.isSynthetic), []))
        conf = by_pred.get(str(PG.confidence), [])
        sources = [{"iri": v.value, "label": v.label, "link": v.link}
                   for v in by_pred.get(PREFIXES["dct"] + "source", [])]
        if sources:
            urls = {r["s"]: r["url"] for r in self._q(
                "SELECT ?this ?s ?url WHERE { ?this dct:source ?s . ?s foaf:page ?url }", iri)}
            for s in sources:
                s["url"] = urls.get(s["iri"])
        kind = KIND_BY_SEGMENT[path.split("/", 1)[0]]
        if kind == "place" and str(PG.Municipality) in types:
            kind = "municipality"
        label = labels.get(iri) or path
        ent = Entity(iri, path, kind, label, types, synthetic, conf[0].label if conf else None,
                     sources, facts)
        section = getattr(self, f"_sections_{kind}", None)
        if section:
            ent.sections = section(iri)
        ent.sections["measures"] = self.measures(iri)
        return ent

    # -- sections per kind
    def measures(self, iri: str) -> list[dict[str, Any]]:
        rows = self._q(
            "SELECT ?this ?m ?label ?v WHERE { ?this ?m ?v . FILTER(STRSTARTS(STR(?m), STR(pgm:))) "
            "OPTIONAL { ?m skos:prefLabel ?label FILTER(LANG(?label) = '" + self.lang + "') } } "
            "ORDER BY ?m", iri)
        return [{"measure": shorten(r["m"]), "label": r["label"] or shorten(r["m"]), "value": r["v"]}
                for r in rows]

    def _sections_municipality(self, iri: str) -> dict[str, Any]:
        body = iri.replace("/place/kunta-", "/org/kunta-")
        return {
            "body": {"iri": body, "link": self.local_link(body)},
            "areas": self._q("SELECT ?this ?a ?label WHERE { ?a schema:containsPlace ?this ; "
                             "skos:prefLabel ?label }", iri),
            "plans": self._plans("?plan pg:municipality ?this .", iri),
            "organisations": self._q(
                "SELECT ?this ?org ?label ?type WHERE { ?org pg:homeMunicipality ?this ; "
                "skos:prefLabel ?label ; a ?type . FILTER(?type != pg:Organisation && "
                "STRSTARTS(STR(?type), STR(pg:))) } ORDER BY ?label", iri),
            "events": self._q(
                "SELECT ?this ?event ?label ?year WHERE { ?event schema:location ?this ; pg:year ?year ; "
                "skos:prefLabel ?label } ORDER BY ?year", iri),
            # the participations are picked in a subquery first, for the same reason as partners
            "participation": self._q(
                "SELECT ?this ?year ?role (SUM(?n) AS ?people) WHERE { "
                "{ SELECT DISTINCT ?p WHERE { { ?p pg:residentOf ?this } UNION "
                "{ ?o pg:homeMunicipality ?this . ?p pg:participant ?o } } } "
                "?p pg:event ?e ; pg:role ?r ; pg:participantCount ?n . ?e pg:year ?year . "
                "?r skos:prefLabel ?role FILTER(LANG(?role) = '" + self.lang + "') "
                "} GROUP BY ?year ?role ORDER BY ?year ?role", iri),
        }

    def _plans(self, pattern: str, iri: str) -> list[dict]:
        return self._q(
            "SELECT ?this ?plan ?label ?year ?status WHERE { " + pattern +
            " ?plan skos:prefLabel ?label ; pg:year ?year ; adms:status ?s . "
            "?s skos:prefLabel ?status FILTER(LANG(?status) = '" + self.lang + "') } "
            "ORDER BY ?year ?label", iri)

    def _sections_organisation(self, iri: str) -> dict[str, Any]:
        return {
            "participation": self._q(
                "SELECT ?this ?event ?label ?year ?role ?n WHERE { ?p pg:participant ?this ; "
                "pg:event ?event ; "
                "pg:role ?r ; pg:participantCount ?n . ?event skos:prefLabel ?label ; pg:year ?year . "
                "?r skos:prefLabel ?role FILTER(LANG(?role) = '" + self.lang + "') } ORDER BY ?year",
                iri),
            "plans": self._plans("{ ?plan pg:partner ?this } UNION { ?plan pg:responsibleParty ?this }",
                                 iri),
            # the shared collaborations are found in a subquery first: Oxigraph otherwise joins
            # every label in the store with the UNION (10 s for KYT ry instead of 20 ms)
            "partners": self._q(
                "SELECT ?this ?partner ?label (COUNT(DISTINCT ?x) AS ?shared) WHERE { "
                "{ SELECT DISTINCT ?partner ?x WHERE { "
                "{ ?p1 pg:participant ?this ; pg:event ?x . ?p2 pg:event ?x ; pg:participant ?partner } "
                "UNION { ?x pg:partner ?this , ?partner } } } "
                "FILTER(?partner != ?this) ?partner skos:prefLabel ?label } "
                "GROUP BY ?partner ?label ORDER BY DESC(?shared) ?label LIMIT 50", iri),
        }

    def _sections_event(self, iri: str) -> dict[str, Any]:
        return {
            "participants": self._q(
                "SELECT ?this ?who ?label ?role ?n WHERE { ?p pg:event ?this ; pg:role ?r ; "
                "pg:participantCount ?n . ?r skos:prefLabel ?role FILTER(LANG(?role) = '" + self.lang +
                "') OPTIONAL { ?p pg:participant ?who . ?who skos:prefLabel ?label } "
                "OPTIONAL { ?p pg:residentOf ?who . ?who skos:prefLabel ?label } } "
                "ORDER BY ?role ?label", iri),
            "plans": self._plans("?plan prov:wasGeneratedBy ?this .", iri),
        }

    def _sections_plan(self, iri: str) -> dict[str, Any]:
        return {
            "actions": self._q(
                "SELECT ?this ?action ?label ?status WHERE { ?this pg:hasAction ?action . "
                "?action skos:prefLabel ?label ; adms:status ?s . ?s skos:prefLabel ?status "
                "FILTER(LANG(?status) = '" + self.lang + "') } ORDER BY ?label", iri),
            "followups": self._q(
                "SELECT ?this ?date ?status ?description WHERE { ?this pg:followUp ?f . "
                "?f dct:date ?date ; adms:status ?s . ?s skos:prefLabel ?status "
                "FILTER(LANG(?status) = '" + self.lang + "') OPTIONAL { ?f dct:description ?description } "
                "} ORDER BY ?date", iri),
        }

    def _sections_area(self, iri: str) -> dict[str, Any]:
        return {
            "municipalities": self._q(
                "SELECT ?this ?m ?label ?confidence WHERE { ?this schema:containsPlace ?m . "
                "?m skos:prefLabel ?label . OPTIONAL { ?a pg:area ?this ; pg:municipality ?m ; "
                "pg:confidence ?c . ?c skos:prefLabel ?confidence FILTER(LANG(?confidence) = '"
                + self.lang + "') } } ORDER BY ?label", iri),
            "events": self._q(
                "SELECT ?this ?event ?label ?year WHERE { ?event pg:area ?this ; pg:year ?year ; "
                "skos:prefLabel ?label } ORDER BY ?year", iri),
            "plans": self._plans("?this schema:containsPlace ?m . ?plan pg:municipality ?m .", iri),
        }

    # -- RDF view of /id/...
    def rdf(self, path: str, fmt: ox.RdfFormat) -> bytes:
        """The entity's own triples plus the labels of what it links to."""
        iri = self.iri_for_path(path)
        st = self.reader.store
        graphs = [ox.NamedNode(g) for g in self.reader.public_graphs]
        triples = list(st.query(
            P + "CONSTRUCT { ?this ?p ?o . ?o skos:prefLabel ?l } WHERE { ?this ?p ?o . "
            "OPTIONAL { ?o skos:prefLabel ?l } }",
            default_graph=graphs, substitutions={ox.Variable("this"): ox.NamedNode(iri)}))
        if not triples:
            raise NotFound(f"Nothing is known about <{iri}> in the public graphs.")
        prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
        return ox.serialize(triples, format=fmt, **({"prefixes": prefixes} if prefixes else {})) or b""


__all__ = ["PGM", "Entity", "EntityService", "Fact", "Value"]
