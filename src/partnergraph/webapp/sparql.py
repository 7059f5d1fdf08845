"""``/sparql``: the SPARQL 1.1 Protocol query operation, and the query workbench.

Protocol (W3C SPARQL 1.1 Protocol, query operation; the endpoint is read-only):

* ``GET /sparql?query=…``, ``POST`` form-encoded ``query=…``, ``POST`` with an
  ``application/sparql-query`` body (UTF-8). Exactly one query per request.
* ``default-graph-uri`` / ``named-graph-uri`` (0..n) replace the query's dataset; each
  must name a graph of the store (``/-/graphs``).
* The result format comes from the ``format`` (or ``output``) parameter, else from
  ``Accept``: SELECT/ASK as SPARQL JSON, XML, CSV, TSV (ASK has no CSV/TSV form);
  CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML (``text/plain`` gives a text
  table, or N-Triples for graphs). A result cut at the setting
  ``max_rows`` carries ``X-Partnergraph-Truncated: max_rows=N``.
* Updates (``update=``, ``application/sparql-update``) are refused on every method;
  ``SERVICE``, ``LOAD`` and remote ``FROM`` are refused by the query layer
  (:mod:`partnergraph.sparql.guard`, :mod:`partnergraph.sparql.engine`).
* Status codes: 400 bad request or refused query, 406 no acceptable format, 413 body
  over 1 MiB, 415 unsupported body type, 503 time limit or all slots busy (with
  ``Retry-After``). Mapped from the error classes in :mod:`partnergraph.webapp.errors`.
* CORS: every answer allows any origin (read-only data, no cookies are used); ``OPTIONS``
  answers the preflight for GET and POST with ``Content-Type`` and ``Accept``.

A browser (``Accept`` prefers ``text/html`` and no ``format``) gets the workbench, with
the query of the URL loaded: ``/sparql?query=…`` is the shareable link. Without a query,
``application/json`` gets a description of the service and ``text/turtle`` a SPARQL
Service Description.

The view only reads the request and writes the response; every rule and limit lives in
the query layer, which the CLI shares.
"""

from __future__ import annotations

import json
import threading

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest, NotAcceptable, RequestEntityTooLarge, UnsupportedMediaType

from partnergraph.errors import QueryError
from partnergraph.namespaces import PREFIXES
from partnergraph.sparql.guard import refuse_update
from partnergraph.sparql.results import GRAPH_TYPES, SOLUTION_TYPES, serialize
from partnergraph.webapp import i18n
from partnergraph.webapp.app import engine, reader, settings

bp = Blueprint("sparql", __name__)

#: Largest request body accepted (as Oxigraph's server does).
MAX_BODY = 1 << 20
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

#: media type -> format, in the server's order of preference
SOLUTION_ACCEPT = [
    ("application/sparql-results+json", "json"), ("application/json", "json"),
    ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/plain", "table"),
]
BOOLEAN_ACCEPT = [(m, f) for m, f in SOLUTION_ACCEPT if f in ("json", "xml", "table")]
GRAPH_ACCEPT = [
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"), ("text/plain", "ntriples"),
    ("application/json", "jsonld"), ("application/xml", "rdfxml"),
]
#: format parameter values (lowercase) -> format, per kind of result
SOLUTION_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
                  "table": "table", "text": "table",
                  **{m: f for m, f in SOLUTION_ACCEPT}}
GRAPH_NAMES = {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "ntriples": "ntriples",
               "n-triples": "ntriples", "nt": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld",
               "json": "jsonld", "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml",
               **{m: f for m, f in GRAPH_ACCEPT}}
#: headers a cross-origin script may read
EXPOSED = "X-Partnergraph-Truncated, X-Partnergraph-Store-Version, Server-Timing, Retry-After"

TEXT: dict[str, dict[str, str]] = {
    "sparql.title": {"fi": "SPARQL-kyselyt", "en": "SPARQL queries"},
    "sparql.intro": {
        "fi": "Kirjoita SPARQL-kysely ja suorita se (Ctrl+Enter). Projektin etuliitteet (pg:, skos:, dct: …) "
              "ovat valmiina, ja automaattinen täydennys ehdottaa muuttujia, etuliitteitä sekä "
              "aineiston luokkia ja ominaisuuksia.",
        "en": "Write a SPARQL query and run it (Ctrl+Enter). The project's prefixes (pg:, skos:, dct: …) are "
              "predefined, and autocompletion suggests variables, prefixes and the data's classes "
              "and properties.",
    },
    "sparql.limits": {
        "fi": "Rajat: aikaraja {timeout} s (asetus query_timeout), enintään {rows} riviä (max_rows), "
              "{slots} kyselyä yhtä aikaa (max_concurrent_queries). Vain luku: päivitykset, SERVICE ja "
              "ulkoiset FROM-graafit torjutaan.",
        "en": "Limits: {timeout} s per query (setting query_timeout), at most {rows} rows (max_rows), "
              "{slots} queries at once (max_concurrent_queries). Read-only: updates, SERVICE and "
              "remote FROM graphs are refused.",
    },
    "sparql.downloads": {"fi": "Lataa tulokset:", "en": "Download the results:"},
    "sparql.truncated": {
        "fi": "Tulokset katkaistiin {n} riviin (asetus max_rows).",
        "en": "The results were cut at {n} rows (setting max_rows).",
    },
    "sparql.canned": {"fi": "Valmiit kyselyt", "en": "Canned queries"},
    "sparql.help": {"fi": "Käyttö muista ohjelmista", "en": "Using the endpoint from other tools"},
    "sparql.noscript": {
        "fi": "Kyselyeditori tarvitsee JavaScriptiä. Voit lähettää kyselyn myös tällä lomakkeella.",
        "en": "The query editor needs JavaScript. You can also send a query with this form.",
    },
    "sparql.run": {"fi": "Suorita", "en": "Run"},
    "sparql.share": {"fi": "Jaettava linkki", "en": "Shareable link"},
}
i18n.TEXT.update(TEXT)


# -- request reading ---------------------------------------------------------------------
@bp.before_request
def _limit_body() -> None:
    request.max_content_length = MAX_BODY
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _too_large()


def _too_large() -> RequestEntityTooLarge:
    return RequestEntityTooLarge(
        description=f"The request body is larger than {MAX_BODY} bytes (1 MiB), the endpoint's limit "
                    f"(rule: request body limit). Send a shorter query; the query text itself may be "
                    f"up to {settings().max_query_length} characters (setting max_query_length)."
    )


def _one_query(queries: list[str]) -> str | None:
    if len(queries) > 1:
        raise BadRequest(description=f"Send exactly one 'query' parameter; this request has {len(queries)} "
                                     f"(SPARQL 1.1 Protocol).")
    return queries[0] if queries else None


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """The query text (None if the request has none) and the protocol's dataset."""
    args = request.args
    if "update" in args:
        raise refuse_update(f"an 'update' parameter in a {request.method} request")
    if request.method == "GET":
        return _one_query(args.getlist("query")), args.getlist("default-graph-uri"), \
            args.getlist("named-graph-uri")
    mimetype = request.mimetype
    try:
        if mimetype == FORM:
            form = request.form
            if "update" in form or "update" in args:
                raise refuse_update("a form parameter 'update'")
            queries = args.getlist("query") + form.getlist("query")
            return (_one_query(queries),
                    args.getlist("default-graph-uri") + form.getlist("default-graph-uri"),
                    args.getlist("named-graph-uri") + form.getlist("named-graph-uri"))
        if mimetype == DIRECT:
            if "query" in args:
                raise BadRequest(description="Send exactly one query: this request has a "
                                             "'query' parameter and an application/sparql-query body.")
            charset = request.mimetype_params.get("charset", "utf-8")
            try:
                text = request.get_data(cache=False).decode(charset)
            except (UnicodeDecodeError, LookupError):
                raise BadRequest(description=f"The body is not valid {charset} text; send the query "
                                             f"as UTF-8 (SPARQL 1.1 Protocol).") from None
            return text, args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
    except RequestEntityTooLarge:
        raise _too_large() from None
    if mimetype == UPDATE:
        raise refuse_update("an application/sparql-update body")
    raise UnsupportedMediaType(
        description=f"POST a query as {FORM} (query=…) or as {DIRECT} (the query as the body); "
                    f"got {mimetype or 'no Content-Type'!r}."
    )


# -- content negotiation -----------------------------------------------------------------
def choose_format(form: str, fmt: str | None) -> str:
    """The result format for a query of ``form``: the ``format`` parameter, else Accept.

    A ``format`` that does not fit the form is a 400 (it is a parameter error); an
    Accept header that nothing satisfies is a 406.
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if fmt:
        key = fmt.strip().lower()
        names = GRAPH_NAMES if graph else SOLUTION_NAMES
        chosen = names.get(key)
        if chosen is None:
            offered = ", ".join(GRAPH_TYPES if graph else SOLUTION_TYPES)
            raise QueryError(f"{form} results come as {offered}; not {fmt!r} (parameter format).")
        if form == "ASK" and chosen in ("csv", "tsv"):
            raise QueryError(f"ASK results have no {chosen.upper()} form (SPARQL 1.1 Query Results "
                             f"CSV/TSV); ask for json or xml (parameter format).")
        return chosen
    offers = GRAPH_ACCEPT if graph else BOOLEAN_ACCEPT if form == "ASK" else SOLUTION_ACCEPT
    accept = request.accept_mimetypes
    if not accept:
        return offers[0][1]
    best = accept.best_match([m for m, _ in offers])
    if best is None:
        types = ", ".join(dict.fromkeys(m for m, _ in offers))
        extra = " (ASK results have no CSV/TSV form)" if form == "ASK" else ""
        raise NotAcceptable(description=f"{form} results come as {types}{extra}; the Accept header "
                                        f"{request.headers.get('Accept')!r} allows none of them.")
    return dict(offers)[best]


def _wants_page() -> bool:
    """A browser asking for a page (not for data)."""
    if request.method != "GET" or request.args.get("format") or request.args.get("output"):
        return False
    # Only an explicit text/html counts: "*/*" (curl, most libraries) means data.
    results = {m for m, _ in SOLUTION_ACCEPT} | {m for m, _ in GRAPH_ACCEPT}
    html_q = max((q for m, q in request.accept_mimetypes if m in ("text/html", "application/xhtml+xml")),
                 default=0)
    data_q = max((q for m, q in request.accept_mimetypes if m in results), default=0)
    return html_q > 0 and html_q >= data_q


# -- the endpoint ------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    if request.method == "OPTIONS":
        return _preflight()
    query, default_graphs, named_graphs = _read_request()
    if query is None or "help" in request.args:
        if request.method == "POST":
            raise BadRequest(description="The request has no 'query': send one as a form parameter or "
                                         "as an application/sparql-query body.")
        return _describe()
    if _wants_page():
        return workbench(query)
    eng = engine()
    checked = eng.check(query)  # refusals (update, SERVICE, remote FROM, length) before anything runs
    fmt = choose_format(checked.form, request.values.get("format") or request.values.get("output"))
    result = eng.run(query, default_graphs=default_graphs or None, named_graphs=named_graphs or None)
    body, media = serialize(result, fmt)
    resp = Response(body, content_type=media)
    if result.truncated:
        resp.headers["X-Partnergraph-Truncated"] = f"max_rows={result.max_rows}"
    resp.headers["X-Partnergraph-Store-Version"] = result.version
    resp.headers["Server-Timing"] = f"query;dur={result.elapsed * 1000:.1f}"
    return resp


@bp.after_request
def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = EXPOSED
    resp.headers.add("Vary", "Accept")
    return resp


def _preflight() -> Response:
    resp = Response(status=204)
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    resp.headers["Access-Control-Max-Age"] = "86400"
    resp.headers["Allow"] = "GET, POST, OPTIONS"
    return resp


# -- descriptions ------------------------------------------------------------------------
def _describe():
    """No query: the workbench for browsers, a description of the service for programs."""
    offers = ["text/html", "application/json", "text/turtle", "application/ld+json"]
    best = request.accept_mimetypes.best_match(offers) if request.accept_mimetypes else "text/html"
    if best == "application/json":
        return jsonify(service_description())
    if best in ("text/turtle", "application/ld+json"):
        body, media = _service_description_rdf("turtle" if best == "text/turtle" else "jsonld")
        return Response(body, content_type=media)
    return workbench(None)


@bp.get("/sparql.json")
def description_json():
    return jsonify(service_description())


def service_description() -> dict:
    cfg = settings()
    return {
        "endpoint": url_for("sparql.endpoint", _external=True),
        "protocol": "SPARQL 1.1 Protocol, query operation (read-only)",
        "methods": ["GET ?query=", f"POST {FORM}", f"POST {DIRECT}"],
        "dataset": {
            "default_graph": "the union of the public named graphs",
            "named_graphs": list(reader().public_graphs),
            "parameters": ["default-graph-uri", "named-graph-uri"],
        },
        "formats": {"SELECT": SOLUTION_TYPES, "ASK": {k: SOLUTION_TYPES[k] for k in ("json", "xml")},
                    "CONSTRUCT/DESCRIBE": GRAPH_TYPES},
        "format_parameter": "format (or output): " + ", ".join([*SOLUTION_TYPES, *GRAPH_TYPES]),
        "limits": {"query_timeout": cfg.query_timeout, "max_rows": cfg.max_rows,
                   "max_concurrent_queries": cfg.max_concurrent_queries,
                   "max_query_length": cfg.max_query_length, "max_body_bytes": MAX_BODY},
        "refused": ["SPARQL Update (update=, application/sparql-update)", "LOAD", "SERVICE",
                    "FROM / FROM NAMED of a graph not in the store"],
        "headers": {"X-Partnergraph-Truncated": "max_rows=N when rows were cut",
                    "Server-Timing": "query;dur=milliseconds"},
        "prefixes": PREFIXES,
        "canned_queries": url_for("queries.index", _external=True) if "queries" in current_app.blueprints
        else None,
        "workbench": url_for("sparql.endpoint", _external=True),
    }


def _service_description_rdf(fmt: str) -> tuple[bytes, str]:
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    triples = [
        ox.Triple(service, rdf_type, n(sd + "Service")),
        ox.Triple(service, n(sd + "endpoint"), n(url_for("sparql.endpoint", _external=True))),
        ox.Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        ox.Triple(service, n(sd + "feature"), n(sd + "UnionDefaultGraph")),
        ox.Triple(service, n(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(sd + "Dataset")),
        ox.Triple(dataset, n(sd + "defaultGraph"), default),
        ox.Triple(default, rdf_type, n(sd + "Graph")),
    ]
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, n(sd + "resultFormat"), n(formats + f)))
    for i, g in enumerate(reader().public_graphs):
        node = ox.BlankNode(f"g{i}")
        triples += [ox.Triple(dataset, n(sd + "namedGraph"), node),
                    ox.Triple(node, rdf_type, n(sd + "NamedGraph")),
                    ox.Triple(node, n(sd + "name"), n(g))]
    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.JSON_LD
    kwargs = {"prefixes": {"sd": sd, "format": formats}} if fmt == "turtle" else {}
    body = ox.serialize(triples, format=rdf_format, **kwargs) or b""
    return body, "text/turtle" if fmt == "turtle" else "application/ld+json"


# -- the workbench -----------------------------------------------------------------------
_vocab_lock = threading.Lock()
_vocab_cache: dict[tuple[str, str], dict[str, list[str]]] = {}

_VOCAB_QUERY = """
SELECT DISTINCT ?term ?kind WHERE {
  { ?s a ?term BIND("class" AS ?kind) }
  UNION { ?term a owl:Class BIND("class" AS ?kind) }
  UNION { ?s ?term ?o BIND("property" AS ?kind) }
  UNION { ?term a ?ptype VALUES ?ptype { owl:ObjectProperty owl:DatatypeProperty rdf:Property }
          BIND("property" AS ?kind) }
  FILTER(isIRI(?term))
} ORDER BY ?term
"""


def vocabulary() -> dict[str, list[str]]:
    """Classes and properties of the store, for autocompletion (cached per store version)."""
    from partnergraph.namespaces import sparql_prologue

    r = reader()
    key = (str(r.store_dir), r.version)
    with _vocab_lock:
        if key in _vocab_cache:
            return _vocab_cache[key]
    out: dict[str, list[str]] = {"class": [], "property": []}
    for row in r.select(sparql_prologue() + _VOCAB_QUERY):
        out[row["kind"]].append(row["term"])
    with _vocab_lock:
        _vocab_cache.clear()
        _vocab_cache[key] = out
    return out


_synthetic_cache: dict[tuple[str, str], bool] = {}


def store_has_synthetic() -> bool:
    """Whether any public graph holds synthetic data (the page then shows the banner)."""
    from partnergraph.errors import StoreError

    try:
        r = reader()
        key = (str(r.store_dir), r.version)
    except StoreError:
        return False
    with _vocab_lock:
        if key in _synthetic_cache:
            return _synthetic_cache[key]
    found = r.ask("ASK { ?s <https://w3id.org/partnergraph/def#isSynthetic> true }")
    with _vocab_lock:
        _synthetic_cache.clear()
        _synthetic_cache[key] = found
    return found


def workbench(query: str | None) -> Response:
    """The workbench page; ``query`` (from a shared link) is loaded by the page's script."""
    from partnergraph.errors import StoreError

    cfg = settings()
    try:
        vocab = vocabulary()
    except StoreError:
        vocab = {"class": [], "property": []}
    config = {
        "endpoint": url_for("sparql.endpoint"),
        "prefixes": PREFIXES,
        "classes": vocab["class"],
        "properties": vocab["property"],
        "lang": i18n.pick_language(),
        "maxRows": cfg.max_rows,
        "formats": {"SELECT": list(SOLUTION_TYPES), "ASK": ["json", "xml"],
                    "CONSTRUCT": list(GRAPH_TYPES), "DESCRIBE": list(GRAPH_TYPES)},
        "text": {"truncated": i18n.t("sparql.truncated", n="{n}"), "downloads": i18n.t("sparql.downloads"),
                 "share": i18n.t("sparql.share")},
        "defaultQuery": DEFAULT_QUERY,
    }
    # JSON inside <script>: no '<', '>' or '&' can end the element or open a comment
    config_json = (json.dumps(config, ensure_ascii=False)
                   .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    html = render_template("sparql.html", config_json=config_json, query=query, cfg=cfg,
                           show_help="help" in request.args, prefixes=PREFIXES,
                           show_synthetic_banner=store_has_synthetic(),
                           config_blueprints=current_app.blueprints)
    return Response(html, content_type="text/html; charset=utf-8")


DEFAULT_QUERY = """# Kunnat ja niiden paja-alueet / Municipalities and their workshop areas
SELECT ?municipality ?name ?area_name ?population WHERE {
  ?municipality a pg:Municipality ;
                skos:prefLabel ?name .
  OPTIONAL { ?municipality pg:population ?population }
  OPTIONAL {
    ?assignment pg:municipality ?municipality ; pg:area ?area .
    ?area skos:prefLabel ?area_name .
  }
}
ORDER BY ?name
"""


@bp.record_once
def _warm_workers(state) -> None:
    """Start one query worker in the background as the app starts, so the first query is quick."""
    eng = state.app.extensions.get("pg_engine")
    if eng is not None:
        eng.warm(1)
