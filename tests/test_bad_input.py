"""Bad input: broken, hostile and unusual source files (the corpus in tests/badinput/).

Each gives one clear error naming file:row[:column], through the same `partnergraph build` a
user runs, and leaves the store exactly as it was (same current version, same quads) — or it
is accepted as plain text: Nordic letters, spreadsheet formulas, HTML and script are data,
stored verbatim, shown escaped on every page and neutralised in every spreadsheet export.
"""

from __future__ import annotations

import contextlib
import csv
import http.server
import io
import re
import shutil
import signal
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from partnergraph.cli import main
from partnergraph.errors import RowProblem, SourceDataError
from partnergraph.export import export_file
from partnergraph.export.selection import Selection
from partnergraph.export.spreadsheet import FORMULA_START
from partnergraph.ingest import fields, readers
from partnergraph.ingest.datasets import discover
from partnergraph.ingest.tables import TABLES_BY_NAME
from partnergraph.ingest.validate import validate_datasets
from partnergraph.rdf import store
from partnergraph.rdf.build import build
from partnergraph.rdf.reader import GraphReader
from partnergraph.settings import load_config
from partnergraph.webapp import create_app

HERE = Path(__file__).parent
CORPUS = HERE / "badinput"
TINY = HERE / "data" / "tiny"
BASE = "https://example.org/id/"
ORG_HEADER = "tunnus,nimi,tyyppi,kotikunta,y_tunnus,rekisterinumero,kotisivu,lahde,varmuus,huomautus\n"
ORG_ROW = "seura,Luhangan Esimerkkiseura ry,yhdistys,435,0709019-2,987.654,,gen,synteettinen,\n"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# -- helpers ---------------------------------------------------------------------------------
def copy_tiny(target: Path) -> Path:
    shutil.copytree(TINY, target, ignore=shutil.ignore_patterns("*.trig"))
    return target


def place(corpus_file: str, data: Path) -> Path:
    """Put a corpus file where its name says it goes (see tests/badinput/README.md)."""
    where, _, _ = corpus_file.partition("--")
    src = CORPUS / corpus_file
    suffix = src.suffix
    if suffix == ".csv":
        dest = data / "tour" / f"{where}.csv"
    elif suffix == ".xlsx":
        (data / "tour" / "organisaatiot.csv").unlink()
        dest = data / "tour" / "book.xlsx"
    elif suffix == ".toml":
        dest = data / "tour" / "dataset.toml"
    else:
        dest = data / "tour" / f"extra{suffix}"
    shutil.copyfile(src, dest)
    return dest


def config(data: Path, store_dir: Path, **overrides):
    return load_config({"store_path": str(store_dir), "data_dir": str(data), "base_iri": BASE, **overrides},
                       environ={})


def state(cfg) -> tuple[str | None, frozenset[str], list[str]]:
    """What must not change: the current version, every quad in it, and the versions kept."""
    st, version = store.open_read_only(cfg.store_dir)
    return version, frozenset(str(q) for q in st.quads_for_pattern(None, None, None, None)), \
        store.versions(cfg.store_dir)


def problems_of(data: Path) -> list[str]:
    with pytest.raises(SourceDataError) as info:
        validate_datasets(discover(data), root=data.parent)
    return [str(p) for p in info.value.problems]


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (rather than hang) if the block takes longer than ``seconds``."""
    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A store built from the tiny data; every refused input is built against it."""
    tmp = tmp_path_factory.mktemp("bad-input-store")
    cfg = config(copy_tiny(tmp / "data"), tmp / "store")
    build(cfg)
    return cfg


# -- refused: one clear error, nothing imported, store unchanged ----------------------------------
REFUSED = [
    ("organisaatiot--unclosed-quote.csv",
     ["tour/organisaatiot.csv:3: well-formed CSV", "a quote opened on this row is never closed"]),
    ("organisaatiot--truncated-row.csv",
     ["tour/organisaatiot.csv:3:tyyppi: one of", "tour/organisaatiot.csv:3:lahde: a value (required)"]),
    ("organisaatiot--truncated-in-quote.csv", ["tour/organisaatiot.csv:3: well-formed CSV", "never closed"]),
    ("organisaatiot--stray-quote.csv", ["tour/organisaatiot.csv:3: well-formed CSV", "check quotes"]),
    ("organisaatiot--extra-cells.csv", ["tour/organisaatiot.csv:3: at most 10 cells", "ylimääräinen"]),
    ("organisaatiot--latin1.csv",
     ["tour/organisaatiot.csv:3:nimi: UTF-8 text", "Latin-1", "Jyväskylän Ässät ry"]),
    ("organisaatiot--utf16.csv", ["tour/organisaatiot.csv: UTF-8 text, but the file is UTF-16"]),
    ("organisaatiot--binary.csv", ["tour/organisaatiot.csv: a text file, not binary data"]),
    ("organisaatiot--empty.csv", ["tour/organisaatiot.csv:1: a header row"]),
    ("organisaatiot--control-char.csv", ["tour/organisaatiot.csv:3:nimi: text without control characters"]),
    ("organisaatiot--duplicate-key.csv", ["tour/organisaatiot.csv:3:tunnus: a unique key; row 2 has it too"]),
    ("osallistumiset--dangling-reference.csv",
     ["tour/osallistumiset.csv:3:organisaatio: a key defined in organisaatiot", "'ei-ole'",
      "tour/osallistumiset.csv:4:tapahtuma: a key defined in tapahtumat"]),
    ("book--truncated.xlsx", ["tour/book.xlsx: an Excel .xlsx workbook (BadZipFile"]),
    ("book--damaged-sheet-xml.xlsx",
     ["tour/book.xlsx[organisaatiot]:1: an undamaged Excel .xlsx workbook (ParseError"]),
    ("book--forged-dimension.xlsx", ["tour/book.xlsx[organisaatiot]:1048576:nimi: a value (required)"]),
    ("book--unknown-sheet.xlsx", ["tour/book.xlsx[Taulukko1]: sheets named after tables"]),
    ("extra--truncated.ttl", ["tour/extra.ttl:5:21: valid turtle (Unexpected end of file)"]),
    ("extra--undeclared-prefix.ttl", ["tour/extra.ttl:5:20: valid turtle", "foo:"]),
    ("extra--relative-iri.ttl", ["tour/extra.ttl:5:1: valid turtle (absolute IRIs only"]),
    ("extra--file-iri.ttl", ["tour/extra.ttl: absolute IRIs only", "file:///etc/passwd"]),
    ("extra--latin1.ttl", ["tour/extra.ttl:5: UTF-8 text"]),
    ("extra--remote-context.jsonld",
     ["tour/extra.jsonld: valid json-ld", "remote @context is never fetched"]),
    ("extra--truncated.jsonld", ["tour/extra.jsonld:5:1: valid json-ld"]),
    ("dataset--bad-toml.toml", ["tour/dataset.toml: valid UTF-8 TOML", "line 2, column 26"]),
]


def test_the_corpus_is_all_covered():
    listed = {name for name, _ in REFUSED} | {name for name, *_ in ACCEPTED}
    stored = {p.name for p in CORPUS.iterdir() if p.name != "README.md"}
    assert listed == stored
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in stored)


@pytest.mark.parametrize(("corpus_file", "expected"), REFUSED, ids=[c for c, _ in REFUSED])
def test_bad_file_is_refused_clearly_and_the_store_is_unchanged(corpus_file, expected, served, tmp_path,
                                                                 runner):
    data = copy_tiny(tmp_path / "data")
    place(corpus_file, data)
    before = state(served)
    args = ["--store", str(served.store_dir), "--data", str(data), "--setting", "base_iri", BASE]
    with deadline(60):
        res = runner.invoke(main, [*args, "build", "-q"])
    assert res.exit_code == 3, res.output  # source data error, not a crash (that would be 1)
    assert isinstance(res.exception, SystemExit) and "Traceback" not in res.output
    assert "nothing was imported" in res.output
    for text in expected:
        assert text in res.output, res.output
    problems = [line.strip() for line in res.output.splitlines() if line.startswith("  ")]
    assert problems and all(len(p) < 500 for p in problems)  # one short line per problem
    assert state(served) == before
    assert not list(served.store_dir.glob(".tmp-*"))


# -- accepted: stored verbatim -------------------------------------------------------------------
ACCEPTED = [
    ("organisaatiot--utf8-bom.csv", {"x3": "Åbo Öckerö Ärlig Äänekoski ry"}),
    ("organisaatiot--nordic-semicolon.csv", {"x3": "Ålands Ärliga Öbor, Äänekosken Öljy rf"}),
    ("organisaatiot--formulas.csv", {"f1": '=HYPERLINK("http://evil.example/","klikkaa")', "f2": "+SUM(1;2)",
                                     "f3": "-1+2", "f4": "@SUM(A1)"}),
    ("organisaatiot--html.csv", {"h1": HOSTILE}),
    ("book--formula-text.xlsx", {"f1": "=1+2"}),
]


@pytest.mark.parametrize(("corpus_file", "labels"), ACCEPTED, ids=[c for c, _ in ACCEPTED])
def test_odd_but_valid_file_is_stored_verbatim(corpus_file, labels, tmp_path):
    data = copy_tiny(tmp_path / "data")
    place(corpus_file, data)
    cfg = config(data, tmp_path / "store")
    build(cfg)
    reader = GraphReader.from_config(cfg)
    for key, label in labels.items():
        rows = reader.select("SELECT ?o ?l WHERE { ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
                             o=ox.NamedNode(f"{BASE}org/{key}"))
        assert [r["l"] for r in rows] == [label]


# -- values over the limits ----------------------------------------------------------------------
@pytest.mark.parametrize(("length", "expected"), [
    (fields.MAX_TEXT + 1, f"organisaatiot.csv:3:nimi: text of at most {fields.MAX_TEXT} characters"),
    (readers.MAX_CELL_CHARS + 1, f"organisaatiot.csv:3:nimi: a cell of at most {readers.MAX_CELL_CHARS}"),
])
def test_very_long_values_are_refused_with_a_short_message(length, expected, tmp_path):
    data = copy_tiny(tmp_path / "data")
    (data / "tour" / "organisaatiot.csv").write_text(
        ORG_HEADER + ORG_ROW + f"x3,{'ä' * length},yhdistys,435,,,,gen,synteettinen,\n", encoding="utf-8")
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems
    assert all(len(p) < 300 for p in problems)  # the value is cut, not echoed in full


def test_very_long_xlsx_cell_is_refused(tmp_path):
    data = copy_tiny(tmp_path / "data")
    (data / "tour" / "organisaatiot.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "organisaatiot"
    ws.append(ORG_HEADER.strip().split(","))
    ws.append(["x2", "ö" * (readers.MAX_CELL_CHARS + 1), "yhdistys", None, None, None, None, "gen",
               "synteettinen"])
    wb.save(data / "tour" / "book.xlsx")
    assert any("book.xlsx[organisaatiot]:2:nimi: a cell of at most" in p for p in problems_of(data))


def test_long_literal_in_a_graph_file_is_refused(tmp_path):
    data = copy_tiny(tmp_path / "data")
    (data / "tour" / "extra.ttl").write_text(
        f'<https://example.org/x> <https://example.org/p> "{"x" * (readers.MAX_CELL_CHARS + 1)}" .\n',
        encoding="utf-8")
    problems = problems_of(data)
    assert any(f"tour/extra.ttl: literals of at most {readers.MAX_CELL_CHARS} characters" in p
               for p in problems), problems


def test_long_value_is_shortened_in_messages():
    text = str(RowProblem("f.csv", 3, "nimi", "a" * 5000, "text of at most 2000 characters"))
    assert text.startswith("f.csv:3:nimi: text of at most 2000 characters (got 'aaa")
    assert text.endswith("…, 5000 characters)") and len(text) < 200


# -- huge files and the other size limits --------------------------------------------------------
def _huge_files(data: Path, size: int) -> dict[str, Path]:
    tour = data / "tour"
    (tour / "organisaatiot.csv").write_text(
        ORG_HEADER + ORG_ROW * (size // len(ORG_ROW) + 1), encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "hankkeet"
    ws.append(["tunnus", "nimi", "lahde", "varmuus"])
    ws.append(["h", "x", "gen", "synteettinen"])
    wb.save(tour / "book.xlsx")
    with (tour / "book.xlsx").open("ab") as f:  # size on disk over the limit (zip comment space)
        f.write(b"\0" * size)
    (tour / "extra.ttl").write_text(
        '<https://example.org/x> <https://example.org/p> "y" .\n' * (size // 50 + 1), encoding="utf-8")
    return {"csv": tour / "organisaatiot.csv", "xlsx": tour / "book.xlsx", "ttl": tour / "extra.ttl"}


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """Regression: a CSV or graph file was read whole into memory before its size was checked."""
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1 << 20)
    data = copy_tiny(tmp_path / "data")
    huge = _huge_files(data, 3 << 20)
    read: list[Path] = []
    original = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    problems = problems_of(data)
    for kind in ("organisaatiot.csv", "book.xlsx", "extra.ttl"):
        assert any(f"tour/{kind}: a file of at most 1 MiB (this one is 3" in p for p in problems), problems
    assert not set(read) & set(huge.values())


def test_too_many_rows_or_columns_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    data = copy_tiny(tmp_path / "data")
    rows = "".join(f"o{i},Org {i},yhdistys,435,,,,gen,synteettinen,\n" for i in range(5))
    (data / "tour" / "organisaatiot.csv").write_text(ORG_HEADER + rows, encoding="utf-8")
    (data / "tour" / "hankkeet.csv").write_text(
        ",".join(f"c{i}" for i in range(readers.MAX_COLUMNS + 1)) + "\n", encoding="utf-8")
    problems = problems_of(data)
    assert any("tour/organisaatiot.csv:5: at most 3 data rows in one file" in p for p in problems), problems
    assert any(f"tour/hankkeet.csv:1: a header of at most {readers.MAX_COLUMNS} columns" in p
               for p in problems), problems


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", 1 << 20)
    data = copy_tiny(tmp_path / "data")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "hankkeet"
    ws.append(["tunnus", "nimi", "lahde", "varmuus"])
    for i in range(400):
        ws.append([f"h{i}", "a" * 5000, "gen", "synteettinen"])  # 2 MB of text, a few kB zipped
    wb.save(data / "tour" / "book.xlsx")
    assert (data / "tour" / "book.xlsx").stat().st_size < 100_000
    problems = problems_of(data)
    assert any("tour/book.xlsx: a workbook of at most 1 MiB unpacked" in p for p in problems), problems


def test_forged_xlsx_dimension_does_not_hang(tmp_path):
    """Regression: a 5 kB workbook claiming A1:XFD1048576 padded a million rows to 16 384 cells."""
    data = copy_tiny(tmp_path / "data")
    place("book--forged-dimension.xlsx", data)
    start = time.monotonic()
    with deadline(30):
        problems = problems_of(data)
    assert time.monotonic() - start < 10
    assert any("book.xlsx[organisaatiot]:1048576:nimi" in p for p in problems)


def test_damaged_xlsx_is_a_clear_error_not_a_traceback(tmp_path):
    """Regression: broken XML inside a workbook raised ElementTree's ParseError out of the build."""
    data = copy_tiny(tmp_path / "data")
    place("book--damaged-sheet-xml.xlsx", data)
    problems = problems_of(data)
    assert any("book.xlsx[organisaatiot]:1: an undamaged Excel .xlsx workbook" in p for p in problems)


def test_unclosed_quote_names_the_row_it_opened_on(tmp_path):
    """Regression: the error named the last line of the file, where the reader gave up."""
    data = copy_tiny(tmp_path / "data")
    place("organisaatiot--unclosed-quote.csv", data)
    problems = problems_of(data)
    assert any(p.startswith(f"{data.name}/tour/organisaatiot.csv:3: ") for p in problems), problems
    assert not any("organisaatiot.csv:6" in p for p in problems)


def test_latin1_cell_is_named_by_row_and_column(tmp_path):
    """Regression: a Latin-1 file was refused without saying which cell, with raw bytes shown."""
    data = copy_tiny(tmp_path / "data")
    place("organisaatiot--latin1.csv", data)
    assert any("organisaatiot.csv:3:nimi: UTF-8 text" in p and "'Jyväskylän Ässät ry'" in p
               for p in problems_of(data))


# -- graph files -----------------------------------------------------------------------------------
@pytest.fixture
def context_server():
    """A local web server that counts requests for a JSON-LD context: (port, hits)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {"name": "http://schema.org/name"}}')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hits
    server.shutdown()


def _remote_context_file(path: Path, port: int) -> Path:
    text = (CORPUS / "extra--remote-context.jsonld").read_text(encoding="utf-8")
    path.write_text(text.replace("127.0.0.1:9", f"127.0.0.1:{port}"), encoding="utf-8")
    return path


def test_remote_jsonld_context_is_never_fetched(tmp_path, context_server):
    """Regression: rdflib fetched a remote @context over the network during the build."""
    port, hits = context_server
    data = copy_tiny(tmp_path / "data")
    _remote_context_file(data / "tour" / "extra.jsonld", port)
    problems = problems_of(data)
    assert any("remote @context is never fetched" in p for p in problems)
    assert hits == []


def test_validate_command_never_fetches_a_remote_context(tmp_path, context_server, runner):
    port, hits = context_server
    res = runner.invoke(main, ["validate", str(_remote_context_file(tmp_path / "x.jsonld", port))])
    assert res.exit_code == 3 and "remote @context is never fetched" in res.output, res.output
    assert hits == []


def test_deeply_nested_turtle_is_read_without_recursion(tmp_path):
    """Regression: rdflib's Turtle parser recursed, so deep nesting ended in RecursionError."""
    path = tmp_path / "deep.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n"
                    f"ex:a ex:b {'[ ex:c ' * 5000}\"x\"{' ]' * 5000} .\n"
                    f"ex:a ex:d {'(' * 5000}{')' * 5000} .\n", encoding="utf-8")
    # ex:a ex:b _:1, then _:n ex:c _:n+1 … "x": 5001; 4999 lists of first + rest, and ex:a ex:d: 9999
    assert len(readers.read_graph(path, "turtle")) == 5001 + 9999


def test_graph_files_share_no_blank_nodes(tmp_path):
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text('_:b0 <https://example.org/p> "v" .\n', encoding="utf-8")
    a, b = (readers.read_graph(tmp_path / n, "turtle") for n in ("a.ttl", "b.ttl"))
    assert set(a.subjects()).isdisjoint(set(b.subjects()))


# -- Nordic letters, HTML and script in every text field -------------------------------------------
MORE_TABLES = {  # the three tables the tiny data lacks, so that every table has a row
    "hankkeet.csv": "tunnus,nimi,hallinnoija,rahoittaja,alkaa,paattyy,lahde,varmuus,huomautus\n"
                    "hanke1,Hanke,seura,,2019-01-01,2020-12-31,gen,synteettinen,\n",
    "luvut.csv": "tunnus,kuvaus,arvo,likimaarainen,vuosi,hanke,tapahtuma,lahde,varmuus,huomautus\n"
                 "luku1,Osallistujia,12,kyllä,2019,hanke1,paja,gen,synteettinen,\n",
    "toimintamallit.csv": "tunnus,nimi,url,toteuttaja,rahoittaja,tekija,luotu,muokattu,hanke,lahde,varmuus,"
                          "huomautus\nmalli1,Malli,https://www.innokyla.fi/fi/toimintamalli/x,seura,,Tekijä,"
                          "2020-01-01,2020-02-01,hanke1,gen,synteettinen,\n",
}


def every_text_field(target: Path, value) -> dict[tuple[str, str], str]:
    """Tiny data with every text column of every table (and the dataset titles) set to
    ``value(table, column)``; returns what was written where."""
    copy_tiny(target)
    for name, text in MORE_TABLES.items():
        (target / "tour" / name).write_text(text, encoding="utf-8")
    written: dict[tuple[str, str], str] = {}
    for path in sorted(target.glob("*/*.csv")):
        table = TABLES_BY_NAME[path.stem]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = rows[0]
        header += [c.name for c in table.columns if c.parse is fields.text and c.name not in header]
        for row in rows[1:]:
            row += [""] * (len(header) - len(row))
            for j, column in enumerate(header):
                if table.column(column).parse is fields.text:
                    row[j] = written[(path.stem, column)] = value(path.stem, column)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    manifest = target / "tour" / "dataset.toml"
    text = manifest.read_text(encoding="utf-8")
    for key in ("title_fi", "title_en"):
        shown = value("dataset", key).replace("\\", "\\\\").replace('"', '\\"')
        text = re.sub(rf'^{key} = ".*"$', lambda _, k=key, v=shown: f'{k} = "{v}"', text, flags=re.M)
        written[("dataset", key)] = value("dataset", key)
    manifest.write_text(text, encoding="utf-8")
    return written


def nordic_html(table: str, column: str) -> str:
    return f"Åsa Öljymäki & Ärla {HOSTILE} {table}.{column}"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-text")
    written = every_text_field(tmp / "data", nordic_html)
    cfg = config(tmp / "data", tmp / "store")
    build(cfg)
    app = create_app(config=cfg)
    yield app, cfg, written
    app.extensions["pg_engine"].close()


def test_every_text_field_accepts_nordic_letters_and_html_verbatim(hostile_app):
    _, cfg, written = hostile_app
    assert len(written) >= 38  # 36 text columns in 16 tables, and the two dataset titles
    st, _ = store.open_read_only(cfg.store_dir)
    literals = {q.object.value for q in st.quads_for_pattern(None, None, None, None)
                if isinstance(q.object, ox.Literal)}
    # the author of an operating model is a person: kept out of the public graph (test_personal_data)
    missing = [where for where, value in written.items()
               if value not in literals and where != ("toimintamallit", "tekija")]
    assert missing == []


def test_every_page_shows_hostile_text_escaped(hostile_app):
    app, cfg, _ = hostile_app
    client = app.test_client()
    reader = GraphReader.from_config(cfg)
    subjects = {r["s"] for r in reader.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{BASE}')) }}")}
    pages = sorted("/id/" + s[len(BASE):] for s in subjects if "/metrics/" not in s)
    pages += ["/", "/municipalities", "/areas", "/organisations", "/events", "/plans", "/explorer",
              "/exports", "/queries", "/sparql"]
    pages += [f"/queries/{q['name']}" for q in client.get("/queries.json").json["queries"]]
    escaped = 0
    for url in pages:
        res = client.get(url, headers={"Accept": "text/html"})
        body = res.get_data(as_text=True)
        assert res.status_code in (200, 404), url
        assert "<script>alert" not in body and "<img src=x" not in body, url
        escaped += "&lt;script&gt;alert(" in body
    assert escaped >= 20  # the hostile labels are there, as text
    org = client.get("/id/org/seura.json").json
    assert org["label"] == nordic_html("organisaatiot", "nimi")


def test_explorer_json_carries_hostile_text_as_plain_data(hostile_app):
    app, _, _ = hostile_app
    client = app.test_client()
    for query in ("", "?mode=two-mode", "?mode=municipalities", "?area=B&years=2019"):
        res = client.get(f"/explorer.json{query}")
        assert res.status_code == 200 and res.mimetype == "application/json"
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        view = res.json
        for node in view["nodes"]:
            assert isinstance(node["title"], str)  # drawn as text by vis-network, never as HTML
            assert node.get("link") is None or node["link"].startswith("/id/")
    titles = " ".join(n["title"] for n in client.get("/explorer.json?mode=two-mode").json["nodes"])
    assert HOSTILE in titles


# -- spreadsheet formulas in every text field --------------------------------------------------------
def formula(table: str, column: str) -> str:
    start = "=+-@"[(len(table) + len(column)) % 4]
    return f'{start}HYPERLINK("http://evil.example/{table}.{column}","x")'


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cells(name: str, data: bytes):
    """(text, openpyxl cell or None for CSV) of every non-empty cell of a CSV or XLSX file."""
    if name.endswith(".csv"):
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            yield from ((cell, None) for cell in row if cell)
    elif name.endswith(".xlsx"):
        for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
            for row in ws.iter_rows():
                yield from ((str(c.value), c) for c in row if c.value is not None)


def test_exports_neutralise_formulas_from_every_text_field(tmp_path):
    data = tmp_path / "data"
    every_text_field(data, formula)
    cfg = config(data, tmp_path / "store")
    build(cfg)
    reader = GraphReader.from_config(cfg)
    files: dict[str, bytes] = {}
    for mode in ("organisations", "two-mode", "municipalities"):
        z = zipfile.ZipFile(io.BytesIO(export_file(reader, "csv", Selection(), mode=mode).data))
        files.update({f"{mode}/{n}": z.read(n) for n in z.namelist()})
    z = zipfile.ZipFile(io.BytesIO(export_file(reader, "innokyla", Selection()).data))
    files.update({f"innokyla/{n}": z.read(n) for n in z.namelist()})
    hostile = 0
    for name, blob in files.items():
        for text, cell in _cells(name, blob):
            hostile += "evil.example" in text
            risky = text.startswith(FORMULA_START) and not _is_number(text)
            if cell is None:
                assert not risky, (name, text)  # CSV: such a cell gets a leading apostrophe
            else:
                assert cell.data_type != "f", (name, text)  # XLSX: never a formula cell ...
                assert not risky or (cell.data_type == "s" and cell.quotePrefix), (name, text)  # ... text
    assert hostile >= 5  # the formula labels really reached the exports


# -- the web import reads through the same readers ---------------------------------------------------
ADMIN_TOKEN = "reliability-test-token-0123456789"


@pytest.mark.parametrize(("corpus_file", "upload_as", "expected"), [
    ("book--damaged-sheet-xml.xlsx", "kirja.xlsx", "an undamaged Excel .xlsx workbook"),
    ("book--forged-dimension.xlsx", "kirja.xlsx", ":1048576:nimi: a value (required)"),
    ("extra--remote-context.jsonld", "graafi.jsonld", "remote @context is never fetched"),
    ("organisaatiot--latin1.csv", "organisaatiot.csv", "organisaatiot.csv:3:nimi: UTF-8 text"),
    ("organisaatiot--unclosed-quote.csv", "organisaatiot.csv", "organisaatiot.csv:3: well-formed CSV"),
])
def test_web_import_of_a_bad_file_is_a_clear_400(served, corpus_file, upload_as, expected):
    app = create_app(config=served.with_overrides({"admin_token": ADMIN_TOKEN}))
    try:
        before = state(served)
        with deadline(60):
            res = app.test_client().post(
                "/-/admin/import",
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"},
                data={"dataset": "tuonti",
                      "files": [(io.BytesIO((CORPUS / corpus_file).read_bytes()), upload_as)]},
                content_type="multipart/form-data")
        assert res.status_code == 400, res.get_data(as_text=True)[:500]
        assert res.json["ok"] is False
        assert any(expected in line for line in res.json["details"]), res.json["details"]
        assert state(served) == before
        assert not (Path(served.data_dir) / "tuonti").exists()
    finally:
        app.extensions["pg_engine"].close()
