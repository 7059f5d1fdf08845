"""Empty import templates generated from the table definitions (``partnergraph templates``)."""

from __future__ import annotations

import csv
from pathlib import Path

from partnergraph.ingest.tables import TABLES


def write_templates(out_dir: Path) -> list[Path]:
    """One header-only CSV per table and one XLSX workbook with a sheet per table.

    Column help lives in ``data/README.md`` rather than in the files, because every row
    of a table sheet is imported as data.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in TABLES:
        path = out_dir / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow([c.name for c in table.columns])
        written.append(path)
    wb = Workbook()
    wb.remove(wb.active)
    for table in TABLES:
        ws = wb.create_sheet(table.name)
        ws.append([c.name for c in table.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
    path = out_dir / "partnergraph-pohja.xlsx"
    wb.save(path)
    written.append(path)
    return written
