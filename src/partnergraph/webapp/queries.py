"""Canned queries (``data/queries/*.rq``): a list page and one page per query.

``/queries`` lists them (``/queries.json`` as data). ``/queries/<name>`` shows the title,
description, query text and a parameter form, runs the query (the engine's limits apply)
and shows the results as a sortable table; ``/queries/<name>.json`` is the page as data,
``.csv`` and ``.tsv`` the results in the SPARQL 1.1 CSV/TSV formats, all with the same
parameters. Parameter values are validated and bound as whole RDF terms
(:func:`partnergraph.sparql.canned.bind`), never pasted into the query text.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from partnergraph.errors import QueryError, StoreError
from partnergraph.namespaces import PREFIXES, sparql_prologue
from partnergraph.rdf.reader import to_python
from partnergraph.sparql import canned
from partnergraph.sparql.engine import QueryResult
from partnergraph.sparql.results import shorten, to_csv, to_tsv
from partnergraph.webapp import i18n
from partnergraph.webapp.app import engine, reader, settings
from partnergraph.webapp.sparql import store_has_synthetic

bp = Blueprint("queries", __name__)

TEXT: dict[str, dict[str, str]] = {
    "queries.title": {"fi": "Valmiit kyselyt", "en": "Canned queries"},
    "queries.intro": {
        "fi": "Valmiita SPARQL-kyselyitä tavallisimpiin kysymyksiin. Jokaisella on oma sivunsa, joka "
              "suorittaa kyselyn, sekä CSV-, TSV- ja JSON-osoitteet, joita voi käyttää suoraan esimerkiksi "
              "Excelissä tai R:ssä.",
        "en": "Ready-made SPARQL queries for the most common questions. Each has its own page, which runs "
              "the query, and CSV, TSV and JSON addresses that work directly in e.g. Excel or R.",
    },
    "queries.parameters": {"fi": "Parametrit", "en": "Parameters"},
    "queries.run": {"fi": "Suorita", "en": "Run"},
    "queries.all": {"fi": "(kaikki)", "en": "(all)"},
    "queries.results": {"fi": "Tulokset", "en": "Results"},
    "queries.rows": {"fi": "{n} riviä, {ms} ms", "en": "{n} rows, {ms} ms"},
    "queries.truncated": {"fi": "Tulokset katkaistiin {n} riviin (asetus max_rows).",
                          "en": "The results were cut at {n} rows (setting max_rows)."},
    "queries.download": {"fi": "Lataa:", "en": "Download:"},
    "queries.workbench": {"fi": "Avaa kyselyeditorissa", "en": "Open in the workbench"},
    "queries.workbench_note": {"fi": "(ilman parametrien arvoja)", "en": "(without the parameter values)"},
    "queries.text": {"fi": "Kysely", "en": "Query"},
    "queries.none": {"fi": "Ei tuloksia.", "en": "No results."},
    "queries.sort": {"fi": "Järjestä sarakkeen mukaan", "en": "Sort by this column"},
}
i18n.TEXT.update(TEXT)

EXTENSIONS = ("json", "csv", "tsv")


def library() -> canned.Library:
    app = current_app
    lib = app.extensions.get("pg_canned")
    if lib is None:
        lib = app.extensions.setdefault("pg_canned", canned.Library())
    return lib


def _lang() -> str:
    return i18n.pick_language()


def _params_json(q: canned.CannedQuery, lang: str, values: dict[str, str] | None = None) -> list[dict]:
    return [{"name": p.name, "kind": p.kind, "label": p.label(lang), "label_fi": p.label_fi,
             "label_en": p.label_en, "default": p.default.replace("{base}", settings().base_iri)
             if p.default else None, **({"value": values.get(p.name, "")} if values is not None else {})}
            for p in q.params]


def _summary(q: canned.CannedQuery, lang: str) -> dict:
    return {
        "name": q.name, "title": q.title(lang), "description": q.description(lang),
        "title_fi": q.title_fi, "title_en": q.title_en,
        "description_fi": q.description_fi, "description_en": q.description_en,
        "parameters": _params_json(q, lang),
        "url": url_for("queries.page", name=q.name, _external=True),
        "json": url_for("queries.page", name=f"{q.name}.json", _external=True),
        "csv": url_for("queries.page", name=f"{q.name}.csv", _external=True),
        "tsv": url_for("queries.page", name=f"{q.name}.tsv", _external=True),
    }


@bp.get("/queries")
@bp.get("/queries.json")
def index():
    lang = _lang()
    items = sorted(library().all().values(), key=lambda q: q.title(lang).casefold())
    if request.path.endswith(".json"):
        return jsonify({"queries": [_summary(q, lang) for q in items]})
    return render_template("queries.html", queries=items, lang=lang,
                           show_synthetic_banner=store_has_synthetic())


# -- one query ---------------------------------------------------------------------------
_options_lock = threading.Lock()
_options_cache: dict[tuple[str, str, str], list[tuple[str, str]]] = {}


def options(class_name: str) -> list[tuple[str, str]]:
    """(IRI, label) of the instances of ``class_name`` (a project-prefixed name), cached per version."""
    prefix, _, local = class_name.partition(":")
    if prefix not in PREFIXES or not local.replace("_", "").isalnum():
        return []
    r = reader()
    key = (str(r.store_dir), r.version, class_name)
    with _options_lock:
        if key in _options_cache:
            return _options_cache[key]
    rows = r.select(sparql_prologue() + f"""
        SELECT ?item (SAMPLE(?label) AS ?name) WHERE {{
          ?item a {prefix}:{local} .
          OPTIONAL {{ ?item skos:prefLabel ?label }}
        }} GROUP BY ?item ORDER BY LCASE(STR(?name)) ?item""")
    out = [(row["item"], row["name"] or row["item"]) for row in rows]
    with _options_lock:
        _options_cache[key] = out
    return out


def _value(t: Any) -> Any:
    """A result term as a plain JSON value."""
    if t is None:
        return None
    if t[0] == "literal":
        import pyoxigraph as ox

        return to_python(ox.Literal(t[1], language=t[3]) if t[3]
                         else ox.Literal(t[1], datatype=ox.NamedNode(t[2])))
    return t[1] if t[0] == "uri" else f"_:{t[1]}"


NUMERIC = ("integer", "decimal", "double", "float", "int", "long")


def _href(iri: str) -> str:
    """The local entity page of an IRI minted here (when the pages blueprint is on), else the IRI."""
    base = settings().base_iri
    if iri.startswith(base) and "pages" in current_app.blueprints:
        return "/id/" + iri[len(base):]
    return iri


def _cell(t: Any) -> dict:
    """How the page shows one term (only http(s) IRIs become links)."""
    if t is None:
        return {"text": "", "num": False}
    if t[0] == "uri":
        base = settings().base_iri
        text = t[1][len(base):] if t[1].startswith(base) else shorten(t[1])
        href = _href(t[1]) if t[1].startswith(("http://", "https://")) else None
        return {"text": text, "href": href, "title": t[1], "num": False, "sort": t[1]}
    if t[0] == "bnode":
        return {"text": f"_:{t[1]}", "num": False}
    numeric = t[2].rsplit("#", 1)[-1] in NUMERIC
    return {"text": t[1], "num": numeric, "sort": t[1], "lang": t[3]}


def _links(q: canned.CannedQuery, values: dict[str, str]) -> dict[str, str]:
    given = {k: v for k, v in values.items() if v}
    lang = request.args.get("lang")
    extra = {"lang": lang} if lang in i18n.LANGS else {}
    return {
        "html": url_for("queries.page", name=q.name, **given, **extra),
        **{ext: url_for("queries.page", name=f"{q.name}.{ext}", **given) for ext in EXTENSIONS},
        # every reserved character encoded: YASGUI's URL parser also splits on ';'
        "workbench": url_for("sparql.endpoint") + "?query=" + quote(q.text, safe=""),
    }


@bp.get("/queries/<name>")
def page(name: str):
    base, _, ext = name.rpartition(".")
    if ext in EXTENSIONS:
        name = base
    else:
        ext = ""
    lib = library()
    q = lib.get(name)
    lang = _lang()
    cfg = settings()
    error = None
    values = {p.name: request.args.get(p.name, "") for p in q.params}
    result: QueryResult | None = None
    try:
        values, subs = canned.bind(q, request.args, cfg.base_iri)
    except QueryError as e:
        if ext:
            raise
        error = e.message
    else:
        result = engine().run(q.text, substitutions=subs)
    if ext == "csv" or ext == "tsv":
        body = to_csv(result) if ext == "csv" else to_tsv(result)
        media = "text/csv" if ext == "csv" else "text/tab-separated-values"
        resp = Response(body, content_type=f"{media}; charset=utf-8")
        resp.headers["Content-Disposition"] = f'attachment; filename="{q.name}.{ext}"'
        _flag(resp, result)
        return resp
    links = _links(q, values)
    if ext == "json":
        assert result is not None
        resp = jsonify({
            **_summary(q, lang),
            "parameters": _params_json(q, lang, values),
            "query": q.text,
            "columns": result.variables,
            "rows": [{v: _value(t) for v, t in zip(result.variables, row, strict=True)}
                     for row in result.rows],
            "row_count": len(result.rows),
            "truncated": result.truncated,
            "max_rows": result.max_rows,
            "elapsed_ms": round(result.elapsed * 1000, 1),
            "store_version": result.version,
            "links": {k: request.host_url.rstrip("/") + v for k, v in links.items() if k != "workbench"},
        })
        _flag(resp, result)
        return resp
    param_view = []
    for p in q.params:
        opts: list[tuple[str, str]] = []
        if p.options_class:
            try:
                opts = options(p.options_class)
            except StoreError:
                opts = []
        param_view.append({"param": p, "value": values.get(p.name, ""), "options": opts})
    html = render_template(
        "query.html", q=q, lang=lang, params=param_view, error=error, links=links,
        columns=result.variables if result else [],
        rows=[[_cell(t) for t in row] for row in result.rows] if result else [],
        result=result, show_synthetic_banner=store_has_synthetic(),
    )
    resp = Response(html, status=400 if error else 200, content_type="text/html; charset=utf-8")
    if result is not None:
        _flag(resp, result)
    return resp


@bp.after_request
def _cors(resp: Response) -> Response:
    """Data twins are open to scripts on any origin, like /sparql."""
    if request.path.endswith((".json", ".csv", ".tsv")):
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Expose-Headers"] = "X-Partnergraph-Truncated"
    return resp


def _flag(resp: Response, result: QueryResult | None) -> None:
    if result is not None and result.truncated:
        resp.headers["X-Partnergraph-Truncated"] = f"max_rows={result.max_rows}"

