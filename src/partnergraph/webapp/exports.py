"""Downloads: ``/exports`` (a page with every format for a selection) and
``/exports/<format>?area=&municipality=&years=&mode=`` (the file)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, g, jsonify, render_template, request

from partnergraph.errors import NotFound
from partnergraph.export import FORMATS, NETWORK, RDF, export_file
from partnergraph.export.graphs import MODES
from partnergraph.export.selection import Selection
from partnergraph.webapp.app import reader

bp = Blueprint("exports", __name__)


@bp.get("/exports")
@bp.get("/exports.json")
def index() -> Response | str:
    sel = Selection.from_args(request.args)
    args = sel.as_args()
    query = "?" + urlencode(args) if args else ""
    links = {fmt: f"/exports/{fmt}{query}" for fmt in FORMATS}
    if request.path.endswith(".json"):
        return jsonify({"selection": args, "formats": links})
    areas = reader().select(
        "PREFIX pg: <https://w3id.org/partnergraph/def#> PREFIX skos: "
        "<http://www.w3.org/2004/02/skos/core#> SELECT ?key ?label WHERE { ?a a pg:WorkshopArea ; "
        "skos:notation ?key ; skos:prefLabel ?label } ORDER BY ?key"
    )
    munis = reader().select(
        "PREFIX pg: <https://w3id.org/partnergraph/def#> PREFIX skos: "
        "<http://www.w3.org/2004/02/skos/core#> SELECT ?key ?label WHERE { ?m a pg:Municipality ; "
        "skos:notation ?key ; skos:prefLabel ?label } ORDER BY ?label"
    )
    return render_template(
        "exports.html",
        sel=sel,
        links=links,
        rdf=RDF,
        network=NETWORK,
        modes=MODES,
        areas=areas,
        municipalities=munis,
        lang=g.lang,
    )


@bp.get("/exports/<fmt>")
def download(fmt: str) -> Response:
    if fmt not in FORMATS:
        raise NotFound(f"No export format {fmt!r}; the formats are {', '.join(FORMATS)}.")
    sel = Selection.from_args(request.args)
    live = (
        request.host_url.rstrip("/")
        + "/explorer"
        + ("?" + request.query_string.decode() if request.query_string else "")
    )
    result = export_file(
        reader(),
        fmt,
        sel,
        mode=request.args.get("mode") or "organisations",
        live_url=live if fmt == "innokyla" else None,
    )
    resp = Response(result.data, mimetype=result.media_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
