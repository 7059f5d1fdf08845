"""Readers: source files → raw rows (header → cell text) with their file and row number.

CSV files must be UTF-8 (a byte-order mark is accepted, as Excel writes one); comma or
semicolon separated (Finnish Excel uses ';'). XLSX workbooks hold one sheet per table.
Readers only read: typing and checks are in :mod:`partnergraph.ingest.validate`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from partnergraph.errors import RowProblem

#: Largest source file read (bytes); larger files are refused with a clear message.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 10_000


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


def _decode(path: Path, shown: str) -> str:
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"a file of at most {MAX_FILE_BYTES // 2**20} MiB"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(RowProblem(shown, None, None, None,
                                   "UTF-8 text, but the file is UTF-16: save it as 'CSV UTF-8'"))
    if b"\x00" in data[:4096]:
        raise ReadError(RowProblem(shown, None, None, None, "a text file, not binary data"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ReadError(RowProblem(
            shown, line, None, data[e.start : e.start + 8].hex(" "),
            "UTF-8 text (this looks like Latin-1/Windows-1252): save it as 'CSV UTF-8'",
        )) from None
    return text


def read_csv(path: Path, table: str, shown: str | None = None) -> RawTable:
    """Read one CSV file; row numbers count the header as row 1, like a spreadsheet."""
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
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            rowno = reader.line_num
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
            rows.append((rowno, {h: (cells[i].strip() if i < len(cells) else "")
                                 for i, h in enumerate(header)}))
    except csv.Error as e:
        raise ReadError(RowProblem(shown, reader.line_num, None, None,
                                   f"well-formed CSV ({e}); check quotes")) from None
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


def read_xlsx(path: Path, tables: set[str], shown: str | None = None) -> Iterator[RawTable]:
    """Yield one RawTable per sheet whose name is a known table (other sheets are listed
    as problems by the caller through ``unknown_sheets``)."""
    from openpyxl import load_workbook  # imported lazily: only XLSX imports need it

    shown = shown or str(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"a file of at most {MAX_FILE_BYTES // 2**20} MiB"))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise ReadError(RowProblem(shown, None, None, None,
                                   f"an Excel .xlsx workbook ({type(e).__name__}: {e})")) from None
    try:
        for ws in wb.worksheets:
            name = ws.title.strip()
            if name not in tables:
                raise ReadError(RowProblem(f"{shown}[{ws.title}]", None, None, ws.title,
                                           "sheets named after tables: " + ", ".join(sorted(tables))))
            it = ws.iter_rows(values_only=True)
            try:
                header = [_cell_text(h) for h in next(it)]
            except StopIteration:
                continue
            while header and not header[-1]:
                header.pop()
            rows = []
            for i, values in enumerate(it, start=2):
                cells = [_cell_text(v) for v in values]
                if not any(cells):
                    continue
                rows.append((i, {h: (cells[j] if j < len(cells) else "")
                                 for j, h in enumerate(header)}))
            yield RawTable(name, f"{shown}[{name}]", header, rows)
    finally:
        wb.close()
