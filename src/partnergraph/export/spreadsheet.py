"""CSV and XLSX writing that is safe against spreadsheet formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by Excel or LibreOffice (OWASP "CSV injection"). Such cells get a leading
apostrophe in CSV, and are stored as plain text with Excel's quote prefix in XLSX. Numbers
stay numbers (a negative number is not text and needs no guard).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_text(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would evaluate.

    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("-0.5"), safe_text(-3), safe_text("Joutsa")
    ('-0.5', -3, 'Joutsa')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number_text(value):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads ä and ö right)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_text(h) for h in header])
    for row in rows:
        w.writerow(["" if v is None else safe_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per entry: ``{name: (header, rows)}``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number_text(value):
                    cell.value = value
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True
                else:
                    cell.value = value
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
