"""Readers: source files → raw rows (header → cell text) with their file and row number.

CSV files must be UTF-8 (a byte-order mark is accepted, as Excel writes one); comma or
semicolon separated (Finnish Excel uses ';'). XLSX workbooks hold one sheet per table.
Graph files (Turtle, N-Triples, JSON-LD) are parsed strictly and offline.
Readers only read: typing and checks are in :mod:`partnergraph.ingest.validate`.

Every way a file can be broken ends in :class:`ReadError` naming the file (and the row and
column where known), never in another exception, and the limits below bound the memory and
time one file can take, whatever it holds (a forged XLSX size, a zip bomb, a deep nesting).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnergraph.errors import RowProblem

if TYPE_CHECKING:
    from rdflib import Graph

#: Largest source file read (bytes); larger files are refused with a clear message.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 10_000
#: Most data rows in one CSV file or sheet (the widest table has 15 columns; a million rows
#: is ten times the largest synthetic scale and bounds the memory one file takes).
MAX_ROWS = 1_000_000
#: Most header columns in one file or sheet (the widest table has 15).
MAX_COLUMNS = 200
#: Largest unpacked size of all the parts of one XLSX workbook (a zip bomb is refused).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Excel's own row limit: a sheet that claims rows beyond it is damaged or forged.
EXCEL_MAX_ROWS = 1_048_576


@dataclass
class RawTable:
    """The rows of one table as read from one file (or sheet)."""

    table: str
    file: str  # path shown in messages, e.g. data/demo/kunnat.csv or book.xlsx[kunnat]
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, cells)


class ReadError(Exception):
    """A file could not be read at all; carries the problem to report."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f}".rstrip("0").rstrip(".")


def check_size(path: Path, shown: str) -> None:
    """Refuse a file over :data:`MAX_FILE_BYTES` before any of it is read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"a file of at most {_mib(MAX_FILE_BYTES)} MiB "
                                   f"(this one is {_mib(size)} MiB); split it into smaller files"))


def _utf8(data: bytes, shown: str, hint: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"UTF-8 text, but the file is UTF-16: {hint}"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ReadError(RowProblem(
            shown, line, None, data[e.start : e.start + 8].hex(" "),
            f"UTF-8 text (this looks like Latin-1/Windows-1252): {hint}",
        )) from None


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _decode(path: Path, shown: str) -> str:
    """The file as text; bytes that are not UTF-8 become lone surrogates, found by
    :func:`_check_utf8` so that the message can name the row and column they are in."""
    check_size(path, shown)
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf8(data, shown, "save it as 'CSV UTF-8'")
    if b"\x00" in data[:4096]:
        raise ReadError(RowProblem(shown, None, None, None, "a text file, not binary data"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="surrogateescape")


def _check_utf8(shown: str, header: list[str], rows: list[tuple[int, dict[str, str]]]) -> None:
    def refuse(row: int, column: str | None, cell: str) -> ReadError:
        as_latin1 = cell.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
        return ReadError(RowProblem(
            shown, row, column or None, as_latin1[:60],
            "UTF-8 text; this cell looks like Latin-1/Windows-1252 (shown as read that way): "
            "save the file as 'CSV UTF-8'"))

    for h in header:
        if _NOT_UTF8.search(h):
            raise refuse(1, None, h)
    for rowno, cells in rows:
        for column, cell in cells.items():
            if _NOT_UTF8.search(cell):
                raise refuse(rowno, column, cell)


def read_csv(path: Path, table: str, shown: str | None = None) -> RawTable:
    """Read one CSV file; row numbers count the header as row 1, like a spreadsheet.

    A row is numbered by the line it starts on (a quoted cell may span lines).
    """
    shown = shown or str(path)
    text = _decode(path, shown)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ReadError(RowProblem(shown, 1, None, None, "a header row with column names")) from None
    except csv.Error as e:
        raise ReadError(RowProblem(shown, 1, None, None, f"a valid CSV header ({e})")) from None
    if len(header) > MAX_COLUMNS:
        raise ReadError(RowProblem(shown, 1, None, None,
                                   f"a header of at most {MAX_COLUMNS} columns ({len(header)} found)"))
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1  # the line the next record starts on
    try:
        for cells in reader:
            rowno, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                extra = [c for c in cells[len(header):] if c.strip()]
                if extra:
                    raise ReadError(RowProblem(
                        shown, rowno, None, extra[0],
                        f"at most {len(header)} cells, as many as header columns "
                        f"({len(cells)} found)",
                    ))
            if len(rows) >= MAX_ROWS:
                raise ReadError(RowProblem(shown, rowno, None, None,
                                           f"at most {MAX_ROWS} data rows in one file; split it"))
            rows.append((rowno, {h: (cells[i].strip() if i < len(cells) else "")
                                 for i, h in enumerate(header)}))
    except csv.Error as e:
        hint = ("a quote opened on this row is never closed" if "end of data" in str(e)
                else "check quotes")
        raise ReadError(RowProblem(shown, start, None, None,
                                   f"well-formed CSV ({e}); {hint}")) from None
    if _NOT_UTF8.search(text):
        _check_utf8(shown, header, rows)
    return RawTable(table, shown, header, rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "kyllä" if value else "ei"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path, tables: set[str], shown: str | None = None) -> list[RawTable]:
    """One RawTable per sheet; every sheet must be named after a table.

    A damaged workbook (a cut file, broken XML inside, a forged size) is a :class:`ReadError`
    naming the sheet and row reached, never another exception.
    """
    from openpyxl import load_workbook  # imported lazily: only XLSX imports need it

    shown = shown or str(path)
    check_size(path, shown)
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"an Excel .xlsx workbook ({type(e).__name__}: {e})")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"a workbook of at most {_mib(MAX_UNPACKED_BYTES)} MiB unpacked "
                                   f"(this one unpacks to {_mib(unpacked)} MiB)"))
    where: list[Any] = [shown, None]  # sheet and row reached, for the message if it breaks
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            out = []
            for ws in wb.worksheets:
                raw = _read_sheet(ws, tables, shown, where)
                if raw is not None:
                    out.append(raw)
            return out
        finally:
            wb.close()
    except ReadError:
        raise
    except Exception as e:  # openpyxl and the XML parser raise many types on a damaged file
        reason = " ".join(str(e).split())[:200]
        raise ReadError(RowProblem(where[0], where[1], None, None,
                                   f"an undamaged Excel .xlsx workbook ({type(e).__name__}: {reason}); "
                                   f"open it in Excel or LibreOffice and save it again")) from None


def _read_sheet(ws: Any, tables: set[str], shown: str, where: list[Any]) -> RawTable | None:
    name = ws.title.strip()
    if name not in tables:
        raise ReadError(RowProblem(f"{shown}[{ws.title}]", None, None, ws.title,
                                   "sheets named after tables: " + ", ".join(sorted(tables))))
    file = f"{shown}[{name}]"
    where[:] = [file, 1]
    # Never trust the size the sheet declares: a forged A1:XFD1048576 would pad every row.
    ws.reset_dimensions()
    first = next(ws.iter_rows(max_row=1, values_only=True), None)
    if first is None:
        return None
    header = [_cell_text(h) for h in first]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise ReadError(RowProblem(file, 1, None, None,
                                   f"a header of at most {MAX_COLUMNS} columns ({len(header)} found)"))
    if not header:
        return RawTable(name, file, header, [])
    rows: list[tuple[int, dict[str, str]]] = []
    for i, values in enumerate(ws.iter_rows(min_row=2, max_col=len(header), values_only=True), start=2):
        where[1] = i
        if i > EXCEL_MAX_ROWS:
            raise ReadError(RowProblem(file, i, None, None,
                                       f"a sheet of at most {EXCEL_MAX_ROWS} rows (Excel's limit)"))
        if not any(v is not None for v in values):
            continue
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ReadError(RowProblem(file, i, None, None,
                                       f"at most {MAX_ROWS} data rows in one sheet; split it"))
        rows.append((i, {h: (cells[j] if j < len(cells) else "") for j, h in enumerate(header)}))
    return RawTable(name, file, header, rows)


# -- graph files -----------------------------------------------------------------------------
_POSITION = re.compile(r"(?:at|between) line (\d+)(?: between columns (\d+)| column (\d+))?")


def read_graph(path: Path, fmt: str, shown: str | None = None) -> Graph:
    """Parse a Turtle (``turtle``), N-Triples (``nt``) or JSON-LD (``json-ld``) file.

    Parsed by Oxigraph, which reports the line and column of a syntax error, never fetches
    anything (a remote JSON-LD ``@context`` is refused, not loaded) and does not recurse on
    nested input. Only triples with absolute, non-``file:`` IRIs and literals of at most
    :data:`MAX_CELL_CHARS` characters are accepted. Blank nodes are renamed, so two files
    never share one by accident.
    """
    import pyoxigraph as ox
    from rdflib import BNode, Graph, Literal, URIRef

    shown = shown or str(path)
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
    check_size(path, shown)
    text = _utf8(path.read_bytes(), shown, "save it as UTF-8")

    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            if t.value.lower().startswith("file:"):
                raise ReadError(RowProblem(shown, None, None, t.value,
                                           "absolute IRIs only (no relative or file: IRIs)"))
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.Literal):
            if len(t.value) > MAX_CELL_CHARS:
                raise ReadError(RowProblem(shown, None, None, t.value[:40] + "…",
                                           f"literals of at most {MAX_CELL_CHARS} characters"))
            if t.language:
                return Literal(t.value, lang=t.language)
            if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
                return Literal(t.value)
            return Literal(t.value, datatype=URIRef(t.datatype.value))
        raise ReadError(RowProblem(shown, None, None, None, "plain RDF triples (no RDF-star triple terms)"))

    g = Graph()
    try:
        for quad in ox.parse(text, format=formats[fmt], without_named_graphs=True, rename_blank_nodes=True):
            g.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    except SyntaxError as e:
        message = " ".join(str(e).split())
        m = _POSITION.search(message)
        line = int(m[1]) if m else None
        column = (m[2] or m[3]) if m else None
        reason = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", message)
        reason = re.sub(r" \(line \d+\)$", "", reason)
        if "LoadDocumentCallback" in reason:
            reason = "a remote @context is never fetched: put the context in the file"
        if "IRI" in reason:
            reason = f"absolute IRIs only: {reason}"
        raise ReadError(RowProblem(shown, line, column, None,
                                   f"valid {fmt} ({reason[:300]})")) from None
    return g
