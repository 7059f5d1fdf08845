"""Serialising query results: SPARQL JSON, XML, CSV, TSV, text tables, and RDF formats.

Formats follow the W3C recommendations (SPARQL 1.1 Query Results JSON/XML/CSV-TSV);
rdflib has no TSV writer (pitfalls §2), so all four are written here from plain data.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from partnergraph.errors import QueryError
from partnergraph.namespaces import PREFIXES
from partnergraph.sparql.engine import QueryResult, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: format name -> media type, for solutions (SELECT/ASK) and for graphs (CONSTRUCT/DESCRIBE)
SOLUTION_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
           "srj": "json", "srx": "xml", "application/json": "json"}


def _json_term(t: Term) -> dict:
    if t[0] == "uri":
        return {"type": "uri", "value": t[1]}
    if t[0] == "bnode":
        return {"type": "bnode", "value": t[1]}
    out = {"type": "literal", "value": t[1]}
    if t[3]:
        out["xml:lang"] = t[3]
    elif t[2] != XSD_STRING:
        out["datatype"] = t[2]
    return out


def to_json(r: QueryResult) -> str:
    if r.boolean is not None:
        return json.dumps({"head": {}, "boolean": r.boolean})
    bindings = [{v: _json_term(t) for v, t in zip(r.variables, row, strict=True) if t is not None}
                for row in r.rows]
    return json.dumps({"head": {"vars": r.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False)


def to_xml(r: QueryResult) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    if r.boolean is not None:
        out.append(f"</head>\n<boolean>{'true' if r.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out)
    out += [f"<variable name={quoteattr(v)}/>" for v in r.variables]
    out.append("</head>\n<results>\n")
    for row in r.rows:
        out.append("<result>")
        for v, t in zip(r.variables, row, strict=True):
            if t is None:
                continue
            if t[0] == "uri":
                val = f"<uri>{escape(t[1])}</uri>"
            elif t[0] == "bnode":
                val = f"<bnode>{escape(t[1])}</bnode>"
            elif t[3]:
                val = f"<literal xml:lang={quoteattr(t[3])}>{escape(t[1])}</literal>"
            elif t[2] != XSD_STRING:
                val = f"<literal datatype={quoteattr(t[2])}>{escape(t[1])}</literal>"
            else:
                val = f"<literal>{escape(t[1])}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{val}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    return t[1] if t[0] != "bnode" else f"_:{t[1]}"


def to_csv(r: QueryResult) -> str:
    if r.boolean is not None:
        raise QueryError("ASK results have no CSV form; ask for JSON or XML.")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(r.variables)
    for row in r.rows:
        w.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _tsv_term(t: Term | None) -> str:
    if t is None:
        return ""
    if t[0] == "uri":
        return f"<{t[1]}>"
    if t[0] == "bnode":
        return f"_:{t[1]}"
    body = '"' + t[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + '"'
    if t[3]:
        return f"{body}@{t[3]}"
    if t[2] in ("http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
                "http://www.w3.org/2001/XMLSchema#boolean"):
        return t[1]
    if t[2] != XSD_STRING:
        return f"{body}^^<{t[2]}>"
    return body


def to_tsv(r: QueryResult) -> str:
    if r.boolean is not None:
        raise QueryError("ASK results have no TSV form; ask for JSON or XML.")
    lines = ["\t".join(f"?{v}" for v in r.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in r.rows]
    return "\n".join(lines) + "\n"


def shorten(iri: str) -> str:
    """``pg:Municipality`` for a project-prefixed IRI, else the IRI itself."""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


def to_table(r: QueryResult, width: int = 60) -> str:
    """A plain text table for terminals."""
    if r.boolean is not None:
        return "true\n" if r.boolean else "false\n"
    if r.form in ("CONSTRUCT", "DESCRIBE"):
        return to_graph(r, "turtle").decode()

    def cell(t: Term | None) -> str:
        if t is None:
            return ""
        v = shorten(t[1]) if t[0] == "uri" else t[1]
        v = v.replace("\n", " ")
        return v if len(v) <= width else v[: width - 1] + "…"

    cells = [[cell(t) for t in row] for row in r.rows]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(r.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(r.variables, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(r.rows)} row{'s' if len(r.rows) != 1 else ''}"
               f"{', truncated by max_rows' if r.truncated else ''})")
    return "\n".join(out) + "\n"


def _ox(t: Term):
    if t[0] == "uri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    if t[3]:
        return ox.Literal(t[1], language=t[3])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def to_graph(r: QueryResult, fmt: str) -> bytes:
    triples = [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in r.triples]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    kwargs = {"prefixes": prefixes} if prefixes else {}
    return ox.serialize(triples, format=_RDF_FORMATS[fmt], **kwargs) or b""


_SOLUTION_WRITERS: dict[str, Callable[[QueryResult], str]] = {
    "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv, "table": to_table,
}


def normalise_format(fmt: str) -> str:
    fmt = fmt.strip().lower()
    return ALIASES.get(fmt, fmt)


def serialize(r: QueryResult, fmt: str) -> tuple[bytes, str]:
    """Bytes and media type of ``r`` in ``fmt``; refuses a format that does not fit the form."""
    fmt = normalise_format(fmt)
    if r.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt == "table":
            return to_table(r).encode(), "text/plain; charset=utf-8"
        if fmt not in GRAPH_TYPES:
            raise QueryError(f"{r.form} results come as {', '.join(GRAPH_TYPES)}; not {fmt!r}.")
        return to_graph(r, fmt), GRAPH_TYPES[fmt]
    if fmt not in _SOLUTION_WRITERS:
        raise QueryError(f"{r.form} results come as {', '.join(SOLUTION_TYPES)}; not {fmt!r}.")
    media = SOLUTION_TYPES.get(fmt, "text/plain")
    return _SOLUTION_WRITERS[fmt](r).encode("utf-8"), media + "; charset=utf-8"
