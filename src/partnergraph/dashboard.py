"""Figures for the dashboard: counts, public-record vs synthetic, plans by status, growth
per year, and the most central organisations and municipalities (from the metrics graph)."""

from __future__ import annotations

from typing import Any

from partnergraph.namespaces import sparql_prologue
from partnergraph.rdf.reader import GraphReader

P = sparql_prologue()

COUNTED = {
    "municipalities": "pg:Municipality",
    "areas": "pg:WorkshopArea",
    "organisations": "pg:Organisation",
    "associations": "pg:RegisteredAssociation",
    "events": "pg:Workshop",
    "plans": "pg:CooperationPlan",
    "participations": "pg:Participation",
}


def dashboard_data(reader: GraphReader, lang: str = "fi", top: int = 10) -> dict[str, Any]:
    """Everything the dashboard shows, as plain data (also served as ``/index.json``)."""
    counts = {}
    for name, cls in COUNTED.items():
        rows = reader.select(
            P + f"SELECT (COUNT(DISTINCT ?s) AS ?all) (COUNT(DISTINCT ?syn) AS ?synthetic) WHERE {{ "
            f"?s a {cls} . OPTIONAL {{ ?s pg:isSynthetic true . BIND(?s AS ?syn) }} }}")
        total, synthetic = rows[0]["all"], rows[0]["synthetic"]
        counts[name] = {"total": total, "synthetic": synthetic, "public_record": total - synthetic}
    people = reader.select(
        P + "SELECT ?year (SUM(?n) AS ?people) (COUNT(DISTINCT ?e) AS ?events) "
        "(COUNT(DISTINCT ?o) AS ?organisations) WHERE { ?p a pg:Participation ; pg:participantCount ?n ; "
        "pg:event ?e . ?e pg:year ?y . BIND(STR(?y) AS ?year) OPTIONAL { ?p pg:participant ?o } } "
        "GROUP BY ?year ORDER BY ?year")
    plans_per_year = reader.select(
        P + "SELECT ?year (COUNT(?plan) AS ?plans) WHERE { ?plan a pg:CooperationPlan ; pg:year ?y . "
        "BIND(STR(?y) AS ?year) } GROUP BY ?year ORDER BY ?year")
    status = reader.select(
        P + f"SELECT ?status (COUNT(?plan) AS ?plans) WHERE {{ ?plan a pg:CooperationPlan ; adms:status ?s . "
        f"?s skos:prefLabel ?status FILTER(LANG(?status) = '{lang}') }} "
        "GROUP BY ?status ORDER BY DESC(?plans)")
    top_orgs = reader.select(
        P + "SELECT ?org ?label ?value ?home WHERE { ?org pgm:brokerage ?value ; skos:prefLabel ?label ; "
        "a pg:Organisation . OPTIONAL { ?org pg:homeMunicipality/skos:prefLabel ?home } } "
        f"ORDER BY DESC(?value) ?label LIMIT {int(top)}")
    top_munis = reader.select(
        P + "SELECT ?m ?label ?value WHERE { ?m a pg:Municipality ; pgm:betweenness ?value ; "
        f"skos:prefLabel ?label }} ORDER BY DESC(?value) ?label LIMIT {int(top)}")
    figures = reader.select(
        P + "SELECT ?figure ?label ?value ?approximate WHERE { ?figure a pg:ReportedFigure ; "
        "skos:prefLabel ?label ; pg:value ?value . OPTIONAL { ?figure pg:approximate ?approximate } "
        "FILTER NOT EXISTS { ?figure pg:isSynthetic true } } ORDER BY ?label")
    return {
        "store_version": reader.version,
        "counts": counts,
        "per_year": people,
        "plans_per_year": plans_per_year,
        "plans_by_status": status,
        "top_organisations": top_orgs,
        "top_municipalities": top_munis,
        "reported_figures": figures,
        "has_synthetic": any(c["synthetic"] for c in counts.values()),
        "has_metrics": bool(top_orgs or top_munis),
    }
