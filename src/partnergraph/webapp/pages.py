"""Entity pages: ``/id/<kind>/<key>`` with content negotiation and ``.json`` twins, and
the browse lists of municipalities, areas, organisations, events and plans."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, g, jsonify, render_template, request

from partnergraph.entities import EntityService
from partnergraph.webapp.app import reader

bp = Blueprint("pages", __name__)

#: ``/id/...`` suffixes and media types → RDF formats (HTML and JSON are handled apart)
RDF_SUFFIXES = {
    ".ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    ".nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    ".rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
RDF_TYPES = {media: fmt for media, fmt in RDF_SUFFIXES.values()}


def service() -> EntityService:
    return EntityService(reader(), getattr(g, "lang", "fi"))


def _rdf_response(path: str, media: str, fmt: ox.RdfFormat) -> Response:
    body = service().rdf(path, fmt)
    resp = Response(body, mimetype=media)
    resp.headers["Vary"] = "Accept"
    if media != "application/ld+json":
        resp.headers["Content-Type"] = f"{media}; charset=utf-8"
    return resp


@bp.get("/id/<path:path>")
def entity(path: str) -> Response | str:
    """One entity. ``.json``/``.ttl``/``.nt``/``.jsonld``/``.rdf`` suffixes pick a format;
    otherwise the Accept header does (HTML for browsers, RDF for RDF clients)."""
    if path.endswith(".json"):
        return jsonify(service().describe(path[: -len(".json")]).as_json())
    for suffix, (media, fmt) in RDF_SUFFIXES.items():
        if path.endswith(suffix):
            return _rdf_response(path[: -len(suffix)], media, fmt)
    offered = ["text/html", "application/json", *RDF_TYPES]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    if best in RDF_TYPES:
        return _rdf_response(path, best, RDF_TYPES[best])
    ent = service().describe(path)
    if best == "application/json":
        resp = jsonify(ent.as_json())
    else:
        resp = Response(render_template("entity.html", e=ent, show_synthetic_banner=ent.synthetic))
    resp.headers["Vary"] = "Accept"
    return resp


# -- browse lists -------------------------------------------------------------------

LISTS = {
    "municipalities": (
        "SELECT ?item ?label ?code ?synthetic WHERE { ?item a pg:Municipality ; skos:prefLabel ?label ; "
        "skos:notation ?code . OPTIONAL { ?item pg:isSynthetic ?synthetic } } ORDER BY ?label"),
    "areas": (
        "SELECT ?item ?label ?code ?synthetic WHERE { ?item a pg:WorkshopArea ; skos:prefLabel ?label ; "
        "skos:notation ?code . OPTIONAL { ?item pg:isSynthetic ?synthetic } } ORDER BY ?code"),
    "organisations": (
        "SELECT ?item ?label ?type ?home ?synthetic WHERE { ?item a pg:Organisation ; "
        "skos:prefLabel ?label ; "
        "a ?t . ?t rdfs:label ?type FILTER(LANG(?type) = $lang && ?t != pg:Organisation && "
        "STRSTARTS(STR(?t), STR(pg:))) OPTIONAL { ?item pg:homeMunicipality/skos:prefLabel ?home } "
        "OPTIONAL { ?item pg:isSynthetic ?synthetic } } ORDER BY ?label"),
    "events": (
        "SELECT ?item ?label ?year ?area ?synthetic WHERE { ?item a pg:Workshop ; skos:prefLabel ?label ; "
        "pg:year ?year . OPTIONAL { ?item pg:area/skos:notation ?area } "
        "OPTIONAL { ?item pg:isSynthetic ?synthetic } } ORDER BY ?year ?area"),
    "plans": (
        "SELECT ?item ?label ?year ?municipality ?status ?synthetic WHERE { ?item a pg:CooperationPlan ; "
        "skos:prefLabel ?label ; pg:year ?year ; pg:municipality/skos:prefLabel ?municipality ; "
        "adms:status/skos:prefLabel ?status FILTER(LANG(?status) = $lang) "
        "OPTIONAL { ?item pg:isSynthetic ?synthetic } } ORDER BY ?year ?municipality ?label"),
}
LIST_TITLES = {
    "municipalities": {"fi": "Kunnat", "en": "Municipalities"},
    "areas": {"fi": "Elinvoimapaja-alueet", "en": "Workshop areas"},
    "organisations": {"fi": "Organisaatiot", "en": "Organisations"},
    "events": {"fi": "Tilaisuudet", "en": "Workshops"},
    "plans": {"fi": "Yhteistyösuunnitelmat", "en": "Cooperation plans"},
}


def list_rows(name: str) -> list[dict]:
    from partnergraph.namespaces import sparql_prologue

    query = sparql_prologue() + LISTS[name].replace("$lang", f"'{g.lang}'")
    rows = reader().select(query)
    svc = service()
    for r in rows:
        r["link"] = svc.local_link(r["item"])
        r["synthetic"] = bool(r.get("synthetic"))
    return rows


@bp.get("/<any(municipalities, areas, organisations, events, plans):name>")
@bp.get("/<any(municipalities, areas, organisations, events, plans):name>.json")
def browse(name: str) -> Response | str:
    rows = list_rows(name)
    if request.path.endswith(".json"):
        return jsonify({"title": LIST_TITLES[name][g.lang], "rows": rows})
    return render_template("list.html", name=name, title=LIST_TITLES[name][g.lang], rows=rows,
                           show_synthetic_banner=any(r["synthetic"] for r in rows))


# -- template filters used by every page -------------------------------------------


@bp.app_template_filter("local_link")
def local_link(iri: str | None) -> str | None:
    """Our entity page for one of our IRIs; the IRI itself if it is http(s); else None."""
    if not iri:
        return None
    link = service().local_link(iri)
    return link or safe_url(iri)


@bp.app_template_filter("safe_url")
def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (an imported IRI could be ``javascript:``)."""
    return url if url and url.startswith(("http://", "https://")) else None


@bp.app_template_filter("fmtnum")
def fmtnum(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


# -- dashboard -----------------------------------------------------------------------


@bp.get("/")
@bp.get("/index.json")
def dashboard() -> Response | str:
    from partnergraph.dashboard import dashboard_data

    data = dashboard_data(reader(), g.lang)
    svc = service()
    for row in data["top_organisations"]:
        row["link"] = svc.local_link(row["org"])
    for row in data["top_municipalities"]:
        row["link"] = svc.local_link(row["m"])
    if request.path.endswith(".json"):
        return jsonify(data)
    return render_template("dashboard.html", d=data, show_synthetic_banner=data["has_synthetic"])
