"""The ``partnergraph`` command line: parse options, call the core, print.

Exit codes (also in the README):

====  ==========================================================
0     success (``validate``: the graph conforms; warnings allowed)
1     the graph breaks SHACL constraints (``validate``, ``build``)
2     usage error: unknown option, command or setting
3     source data error: bad rows, files or references (nothing imported)
4     store error: no store yet, corrupt, or locked by another build
5     query error: the query does not parse or cannot be evaluated
6     query refused: a rule or limit (read-only, SERVICE, timeout, busy)
8     any other partnergraph error
====  ==========================================================
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from partnergraph.errors import (
    InvalidInput,
    NotFound,
    PartnergraphError,
    QueryError,
    QueryRefused,
    RowProblem,
    SettingError,
    ShapeViolationError,
    SourceDataError,
    StoreError,
)
from partnergraph.settings import SETTINGS, Config, load_config

EXIT_CODES: list[tuple[type[PartnergraphError], int]] = [
    (ShapeViolationError, 1),
    (SettingError, 2),
    (InvalidInput, 2),
    (SourceDataError, 3),
    (StoreError, 4),
    (QueryRefused, 6),
    (QueryError, 5),
    (NotFound, 5),
    (PartnergraphError, 8),
]


def exit_code(error: PartnergraphError) -> int:
    """The documented exit code of ``error`` (the one place they are mapped)."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return 8


class PartnergraphGroup(click.Group):
    """Turns user errors into one clear message and the documented exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PartnergraphError as e:
            click.echo(f"Error: {e.message}", err=True)
            ctx.exit(exit_code(e))


def _config(ctx: click.Context) -> Config:
    return ctx.obj["config"]


def _progress(quiet: bool):
    def show(msg: str) -> None:
        if not quiet:
            click.echo(f"· {msg}", err=True)

    return show


@click.group(cls=PartnergraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", type=click.Path(file_okay=False), default=None,
              help="Store folder (setting store_path).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
              help="Data folder with dataset folders (setting data_dir).")
@click.option("--setting", "settings", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Override any setting; see `partnergraph settings`.")
@click.version_option(package_name="partnergraph")
@click.pass_context
def main(ctx: click.Context, store_path: str | None, data_dir: str | None,
         settings: tuple[tuple[str, str], ...]) -> None:
    """partnergraph: the municipality–association partnership graph."""
    overrides: dict[str, str] = dict(settings)
    if store_path:
        overrides["store_path"] = store_path
    if data_dir:
        overrides["data_dir"] = data_dir
    try:
        ctx.obj = {"config": load_config(overrides)}
    except SettingError as e:
        click.echo(f"Error: {e.message}", err=True)
        ctx.exit(2)


@main.command()
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_context
def build(ctx: click.Context, quiet: bool) -> None:
    """Read data/, validate every row and shape, and replace the store atomically."""
    from partnergraph.rdf.build import build as run_build

    result = run_build(_config(ctx), progress=_progress(quiet))
    total = sum(result.triple_counts.values())
    click.echo(f"Built store version {result.version} (data {result.data_version}): "
               f"{total} triples in {len(result.triple_counts)} graphs.")
    for name, n in result.triple_counts.items():
        click.echo(f"  {name:<16} {n:>8}")
    if result.warnings:
        click.echo(f"{len(result.warnings)} SHACL warning(s) (should fix, not blocking); "
                   f"see `partnergraph validate`.", err=True)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--lang", type=click.Choice(["fi", "en", "both"]), default="both",
              help="Language of the messages.")
@click.option("--warnings/--no-warnings", default=True, help="List warnings too.")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL on Oxigraph, as `build` checks them; "
                   "pyshacl: the reference validator (slow at scale), to cross-check.")
@click.pass_context
def validate(ctx: click.Context, path: str | None, lang: str, warnings: bool, engine: str) -> None:
    """SHACL report on the source data (default), or on a Turtle/JSON-LD file.

    The source data is checked as `build` checks it: the public dataset graphs, with the
    ontology for RDFS inference (not the private graphs, which are never published).
    Exit 0 when the graph conforms (warnings allowed), 1 when it breaks constraints,
    3 when source rows are invalid.
    """
    from rdflib import Graph

    from partnergraph.rdf import shacl, shacl_sparql
    from partnergraph.rdf.build import build_graph, check_shapes, read_sources
    from partnergraph.rdf.reader import PRIVATE_PREFIX

    cfg = _config(ctx)
    if path and Path(path).is_file():
        from partnergraph.ingest import readers
        from partnergraph.ingest.datasets import GRAPH_SUFFIXES

        suffix = Path(path).suffix.lower()
        try:
            if suffix in GRAPH_SUFFIXES:  # strict and offline (never fetches a JSON-LD @context)
                data = readers.read_graph(Path(path), GRAPH_SUFFIXES[suffix], path)
            else:
                data = Graph().parse(path)
        except readers.ReadError as e:
            raise SourceDataError([e.problem]) from None
        except Exception as e:  # rdflib parser errors have many types
            raise SourceDataError([RowProblem(path, None, None, None,
                                              f"valid RDF ({type(e).__name__}: {e})")]) from None
        report = (shacl.validate_graph if engine == "pyshacl" else shacl_sparql.validate_graph)(data)
        triples = len(data)
    elif engine == "sparql":
        report, triples = check_shapes(cfg, read_sources(cfg, Path(path) if path else None))
    else:
        records = read_sources(cfg, Path(path) if path else None)
        built = build_graph(cfg, records, validate=False)
        union = Graph()
        for key, iri in built.graphs.items():
            if key != "ontology" and not key.startswith(PRIVATE_PREFIX):
                for t in built.dataset.graph(iri):
                    union.add(t)
        report = shacl.validate_graph(union)
        triples = len(union)
    shown = [r for r in report.results if warnings or r.severity == "Violation"]
    for r in shown:
        where = r.focus + (f"  {r.path}" if r.path else "")
        click.echo(f"[{r.severity}] {where}" + (f"  value: {r.value}" if r.value else ""))
        if lang in ("fi", "both"):
            click.echo(f"    fi: {r.message_fi}")
        if lang in ("en", "both"):
            click.echo(f"    en: {r.message_en}")
    v, w = len(report.violations), len(report.warnings)
    verdict = "conforms" if not v else "does NOT conform"
    click.echo(f"{triples} triples checked: {verdict} ({v} violation(s), {w} warning(s)).")
    ctx.exit(0 if not v else 1)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file ('-' for standard input).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml",
                                 "turtle", "ntriples", "jsonld", "rdfxml"]),
              help="Output format.")
@click.option("--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Bind ?NAME to VALUE (an IRI if it starts with http, else a literal).")
@click.pass_context
def query(ctx: click.Context, query: str | None, query_file, fmt: str,
          params: tuple[tuple[str, str], ...]) -> None:
    """Run a SPARQL query (argument, --file, or standard input) with the server's limits."""
    from partnergraph.sparql.engine import QueryEngine
    from partnergraph.sparql.results import serialize

    if query_file is not None:
        text = query_file.read()
    elif query is not None:
        text = query
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise click.UsageError("Give a query as an argument, with --file, or on standard input.")
    engine = QueryEngine(_config(ctx))
    try:
        subs = {n: ("uri" if v.startswith(("http://", "https://")) else "literal", v)
                for n, v in params}
        result = engine.run(text, substitutions=subs)
    finally:
        engine.close()
    body, _ = serialize(result, fmt)
    sys.stdout.write(body.decode("utf-8"))
    if result.truncated:
        click.echo(f"Note: results cut at {len(result.rows) or len(result.triples)} "
                   f"(setting max_rows).", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts per class and per named graph in the current store."""
    from partnergraph.rdf.stats import store_stats

    data = store_stats(_config(ctx))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"Store version {data['version']}")
    click.echo("\nTriples per named graph:")
    for g, n in data["graphs"].items():
        click.echo(f"  {n:>9}  {g}")
    click.echo("\nInstances per class (all public graphs):")
    for c, n in data["classes"].items():
        click.echo(f"  {n:>9}  {c}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads.")
@click.option("--debug", is_flag=True, help="Flask's debug server with reloading (local use only).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, debug: bool) -> None:
    """Serve the web app (waitress, a production WSGI server) on HOST:PORT."""
    from partnergraph.rdf.reader import GraphReader
    from partnergraph.webapp import create_app

    cfg = _config(ctx)
    GraphReader.from_config(cfg).version  # noqa: B018 - fail now, clearly, if there is no store
    app = create_app(config=cfg)
    click.echo(f"partnergraph serving http://{host}:{port}/ (store {cfg.store_dir})", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from waitress import serve as waitress_serve

    waitress_serve(app, host=host, port=port, threads=threads, ident="partnergraph")


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/templates",
              show_default=True)
def templates(out_dir: str) -> None:
    """Write empty CSV and XLSX import templates for every table."""
    from partnergraph.ingest.templates import write_templates

    for path in write_templates(Path(out_dir)):
        click.echo(str(path))


_METRIC_COLUMNS = {
    "organisation": ["label", "municipality", "degree", "strength", "municipalities", "areas",
                     "participationMunicipality", "betweenness", "brokerage", "eigenvector", "pagerank",
                     "constraint", "community", "role"],
    "municipality": ["label", "degree", "strength", "betweenness", "partnerOrganisations",
                     "outsideOrganisations", "plans", "participants", "degreeChange", "strengthChange"],
}


def _metric_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


@main.command()
@click.option("--level", type=click.Choice(["organisation", "municipality", "network"]),
              default="organisation", show_default=True, help="Nodes to list (network: one row per year).")
@click.option("--year", type=int, default=None, help="Measures of one year's network (default: all years).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--top", type=int, default=None,
              help="Rows to show, best first (default: 20 for a table, all for csv and json).")
@click.option("--sort", "sort_by", default=None, metavar="MEASURE",
              help="Measure to rank by (default: brokerage; strength for municipalities).")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_context
def metrics(ctx: click.Context, level: str, year: int | None, fmt: str, top: int | None,
            sort_by: str | None, quiet: bool) -> None:
    """Network measures of the current store: organisations, municipalities or the network.

    Computed from the current store's datasets with the current settings (the same values that
    `build` wrote into the metrics graph when the settings are unchanged). See docs/metrics.md.
    """
    import csv

    from partnergraph.network.analysis import Parameters, analyse, rows
    from partnergraph.network.bridge import data_graphs, read_network_data
    from partnergraph.network.catalogue import measures_of
    from partnergraph.rdf.reader import GraphReader

    names = [m.name for m in measures_of(level)]
    if sort_by is not None and sort_by not in names:
        raise click.BadParameter(f"{sort_by!r} is not a measure of level {level}; "
                                 f"choose from {', '.join(names)}.", param_hint="--sort")
    cfg = _config(ctx)
    show = _progress(quiet)
    reader = GraphReader.from_config(cfg)
    show(f"reading store version {reader.version}")
    data = read_network_data(reader.store, data_graphs(reader.public_graphs, reader.minter))
    if year is not None and year not in data.years:
        years = ", ".join(map(str, data.years)) or "none"
        raise click.BadParameter(f"no data for {year}; years in the data: {years}.", param_hint="--year")
    analysis = analyse(data, Parameters.from_config(cfg), show, cfg.metrics_processes)
    pivots = {k: v for k, v in analysis.sampling.items() if v is not None}
    sampled = ", ".join(f"{k}: {v} pivots" for k, v in pivots.items())
    show("betweenness and brokerage: " + (f"sampled ({sampled})" if pivots else "exact"))
    limit = top if top is not None else (20 if fmt == "table" else None)
    table = rows(analysis, level, year, sort=sort_by, top=limit)
    if fmt == "json":
        click.echo(json.dumps({"level": level, "year": year, "store_version": reader.version,
                               "parameters": analysis.parameters, "rows": table},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        fields = list(dict.fromkeys(k for r in table for k in r))
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in table:
            writer.writerow({k: "" if r.get(k) is None else r.get(k) for k in fields})
        return
    columns = _METRIC_COLUMNS.get(level) or list(dict.fromkeys(k for r in table for k in r))
    if sort_by and sort_by not in columns:
        columns = [*columns, sort_by]
    if year is None:
        columns = [c for c in columns if c not in ("degreeChange", "strengthChange")]
    cells = [[_metric_text(r.get(c))[:40] for c in columns] for r in table]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    left = {"label", "municipality", "role"}
    for row in cells:
        click.echo("  ".join(v.ljust(w) if c in left else v.rjust(w)
                             for c, v, w in zip(columns, row, widths, strict=True)).rstrip())


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(
    ["turtle", "jsonld", "trig", "nquads", "graphml", "gexf", "nodelink", "cytoscape", "csv", "innokyla"]))
@click.option("--area", help="Only one workshop area, e.g. B.")
@click.option("--municipality", help="Only one municipality, by its code, e.g. 435.")
@click.option("--years", help="Only these years, e.g. 2019,2020.")
@click.option("--mode", type=click.Choice(["organisations", "two-mode", "municipalities"]),
              default="organisations", show_default=True, help="Which network (network formats).")
@click.option("--name", help="Innokylä: the operating model's name (Toimintamallin nimi).")
@click.option("--author", help="Innokylä: Tekijä (an organisation; no personal data).")
@click.option("--url", "live_url", help="Innokylä: link to the live partnergraph view.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write ('-' for standard output); default: a name from the selection.")
@click.pass_context
def export(ctx: click.Context, fmt: str, area: str | None, municipality: str | None, years: str | None,
           mode: str, name: str | None, author: str | None, live_url: str | None, out: str | None) -> None:
    """Export the graph or a selection: RDF (turtle, jsonld, trig, nquads), networks (graphml,
    gexf, nodelink, cytoscape, csv = zip of nodes and edges) or the Innokylä bundle (zip)."""
    from partnergraph.export import export_file
    from partnergraph.export.selection import Selection
    from partnergraph.rdf.reader import GraphReader

    sel = Selection.from_args({"area": area or "", "municipality": municipality or "", "years": years or ""})
    result = export_file(GraphReader.from_config(_config(ctx)), fmt, sel, mode=mode, name=name,
                         author=author, live_url=live_url)
    if out == "-":
        sys.stdout.buffer.write(result.data)
        return
    target = Path(out or result.filename)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(result.data)
    tmp.replace(target)  # never leave a half-written export behind
    click.echo(f"Wrote {target} ({len(result.data)} bytes).", err=True)


@main.command("settings")
def settings_cmd() -> None:
    """List every setting with its default, environment variable and help."""
    for s in SETTINGS:
        click.echo(f"{s.name}  (default {s.default!r}; env {s.env_var})\n    {s.help}")


@main.command()
@click.option("--scale", type=click.Choice(["S", "M", "L"]), default="S", show_default=True,
              help="S = the province demo; M = 309 municipalities, ~20 000 organisations; "
                   "L = ~100 000 organisations.")
@click.option("--seed", type=int, default=None, help="Random seed (setting random_seed).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write (default data/demo for S).")
@click.pass_context
def synth(ctx: click.Context, scale: str, seed: int | None, out_dir: str | None) -> None:
    """Write a deterministic synthetic dataset in the import format."""
    from partnergraph.synth import generate

    cfg = _config(ctx)
    target = Path(out_dir) if out_dir else Path(cfg.data_dir) / "demo"
    summary = generate(scale=scale, seed=cfg.random_seed if seed is None else seed,
                       out_dir=target, data_dir=Path(cfg.data_dir))
    click.echo(f"Wrote synthetic scale {scale} to {target}:")
    for name, n in summary.items():
        click.echo(f"  {name:<20} {n:>8}")


if __name__ == "__main__":  # pragma: no cover
    main()
