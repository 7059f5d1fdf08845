"""Raw rows → validated records, with every problem collected (file:row:column).

Checks, in order: the file's columns (unknown or missing), each cell against its column's
type, required cells, row rules, duplicate keys (across all datasets, since keys are
global), and references to keys of other tables. Nothing is built unless all pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from partnergraph import personal
from partnergraph.errors import RowProblem, SourceDataError
from partnergraph.ingest import fields, readers
from partnergraph.ingest.datasets import GRAPH_SUFFIXES, MANIFEST, DatasetInfo
from partnergraph.ingest.tables import TABLES, TABLES_BY_NAME, Table
from partnergraph.namespaces import PG


@dataclass(frozen=True)
class Record:
    """One validated row: typed values by English field name, and where it came from."""

    table: str
    file: str
    row: int
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass
class DatasetRecords:
    """One dataset's records per table, plus graph files it brings as they are."""

    info: DatasetInfo
    tables: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    graphs: list[tuple[str, Graph]] = field(default_factory=list)

    def __getitem__(self, table: str) -> list[Record]:
        return self.tables.get(table, [])


def builtin_org_key(code: str) -> str:
    """Key under which a municipality's public body is known to other tables."""
    return f"kunta-{code}"


def _parse_row(table: Table, raw: readers.RawTable, rowno: int, cells: dict[str, str],
               problems: list[RowProblem]) -> tuple[dict[str, Any], bool]:
    """Typed values of the cells that parse, and whether every cell did."""
    values: dict[str, Any] = {}
    ok = True
    for col in table.columns:
        text = cells.get(col.name, "")
        if len(text) > readers.MAX_CELL_CHARS:
            problems.append(RowProblem(raw.file, rowno, col.name, text[:40] + "…",
                                       f"a cell of at most {readers.MAX_CELL_CHARS} characters"))
            ok = False
            continue
        if not text:
            if col.required:
                problems.append(RowProblem(raw.file, rowno, col.name, None, "a value (required)"))
                ok = False
            values[col.attr] = [] if col.parse is fields.keys else None
            continue
        try:
            values[col.attr] = col.parse(text)
        except fields.CellError as e:
            problems.append(RowProblem(raw.file, rowno, col.name, text, e.expected))
            ok = False
            values[col.attr] = None
    return values, ok


def _row_rules(table: Table, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules across cells of one row: (column, what is expected)."""
    out: list[tuple[str, str]] = []
    if table.name == "kunnat":
        if values.get("moved_on") and not values.get("moved_to"):
            out.append(("siirtyi_maakuntaan", "a region code when siirtymapaiva is given"))
        if (values.get("lat") is None) != (values.get("lon") is None):
            out.append(("lat", "both lat and lon, or neither"))
    elif table.name == "organisaatiot":
        if values.get("type") == PG.MunicipalityBody:
            out.append(("tyyppi", "not kunta: municipalities are built in; refer to them as "
                                  "kunta-NNN (e.g. kunta-179)"))
        if values.get("key", "").startswith("kunta-"):
            out.append(("tunnus", "a key not starting with 'kunta-' (reserved for municipalities)"))
        if values.get("register_number") and values.get("type") != PG.RegisteredAssociation:
            out.append(("rekisterinumero", "a register number only for tyyppi yhdistys"))
    elif table.name == "osallistumiset":
        if not values.get("org") and not values.get("municipality"):
            out.append(("organisaatio", "an organisation, or a kunta for residents"))
    elif table.name == "hankkeet":
        if values.get("start") and values.get("end") and values["end"] < values["start"]:
            out.append(("paattyy", "an end date on or after the start date"))
    elif (
        table.name == "toimintamallit"
        and values.get("created")
        and values.get("modified")
        and values["modified"] < values["created"]
    ):
        out.append(("muokattu", "a date on or after luotu"))
    return out


def _check_columns(table: Table, raw: readers.RawTable, problems: list[RowProblem]) -> bool:
    known = [c.name for c in table.columns]
    ok = True
    for h in raw.header:
        if h not in known and personal.PERSONAL_COLUMN.search(h):
            problems.append(RowProblem(raw.file, 1, h, None,
                                       "no column of personal data (names, e-mail, phone of people are "
                                       "never imported; see docs/security.md): remove this column"))
            ok = False
        elif h not in known:
            problems.append(RowProblem(raw.file, 1, h or "(empty)", None,
                                       "only these columns: " + ", ".join(known)))
            ok = False
    seen = set()
    for h in raw.header:
        if h in seen:
            problems.append(RowProblem(raw.file, 1, h, None, "each column once"))
            ok = False
        seen.add(h)
    for name in table.required_columns:
        if name not in raw.header:
            problems.append(RowProblem(raw.file, 1, name, None, "this required column"))
            ok = False
    return ok


def read_dataset(info: DatasetInfo, problems: list[RowProblem],
                 root: Path | None = None) -> tuple[DatasetRecords, list[readers.RawTable]]:
    """Read every file of one dataset folder into raw tables (and graph files)."""
    out = DatasetRecords(info)
    raws: list[readers.RawTable] = []

    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(root)) if root else str(p)
        except ValueError:
            return str(p)

    for path in sorted(info.path.iterdir()):
        name, suffix = path.stem, path.suffix.lower()
        if path.name == MANIFEST or path.name.startswith(".") or path.name.lower() in {
            "readme.md", "lueminut.txt"
        }:
            continue
        try:
            if suffix == ".csv":
                if name not in TABLES_BY_NAME:
                    problems.append(RowProblem(shown(path), None, None, path.name,
                                               "a file named after a table: "
                                               + ", ".join(t.name + ".csv" for t in TABLES)))
                    continue
                raws.append(readers.read_csv(path, name, shown(path)))
            elif suffix == ".xlsx":
                raws.extend(readers.read_xlsx(path, set(TABLES_BY_NAME), shown(path)))
            elif suffix in GRAPH_SUFFIXES:
                out.graphs.append((shown(path), _parse_graph(path, shown(path))))
            else:
                problems.append(RowProblem(shown(path), None, None, path.name,
                                           "a .csv, .xlsx, .ttl, .jsonld or .nt file"))
        except readers.ReadError as e:
            problems.append(e.problem)
    return out, raws


def _parse_graph(path: Path, shown: str) -> Graph:
    return readers.read_graph(path, GRAPH_SUFFIXES[path.suffix.lower()], shown)


def validate_datasets(infos: Iterable[DatasetInfo], root: Path | None = None) -> list[DatasetRecords]:
    """Read and validate all datasets together; raise :class:`SourceDataError` listing
    every problem, or return the records in build order."""
    problems: list[RowProblem] = []
    result: list[DatasetRecords] = []
    # key namespace -> key -> origin of its definition
    registry: dict[str, dict[str, str]] = defaultdict(dict)
    pending_refs: list[tuple[str, int, str, str, str]] = []  # file, row, column, ns, key
    # follow-up rows checked against their plan's year after all plans are known
    followups: list[tuple[Record, str]] = []
    plan_years: dict[str, int] = {}

    for info in infos:
        ds, raws = read_dataset(info, problems, root)
        result.append(ds)
        seen_tables: dict[str, str] = {}
        for raw in sorted(raws, key=lambda r: [t.name for t in TABLES].index(r.table)):
            table = TABLES_BY_NAME[raw.table]
            if raw.table in seen_tables:
                problems.append(RowProblem(raw.file, None, None, None,
                                           f"one source per table per dataset; "
                                           f"{raw.table} is also in {seen_tables[raw.table]}"))
                continue
            seen_tables[raw.table] = raw.file
            if not _check_columns(table, raw, problems):
                continue
            local_keys: dict[tuple, int] = {}
            for rowno, cells in raw.rows:
                values, ok = _parse_row(table, raw, rowno, cells, problems)
                if ok:
                    bad = _row_rules(table, values)
                    for column, expected in bad:
                        problems.append(RowProblem(raw.file, rowno, column,
                                                   cells.get(column) or None, expected))
                    ok = not bad
                # keys and references are checked even on rows with other problems, so
                # that one run lists everything wrong with the file
                keyval = tuple(values.get(a) for a in table.key)
                key_cols = table.key_columns
                if None not in keyval or not table.registers:
                    if keyval in local_keys:
                        problems.append(RowProblem(raw.file, rowno, key_cols,
                                                   " / ".join(str(k) for k in keyval if k),
                                                   f"a unique key; row {local_keys[keyval]} has it too"))
                        continue
                    local_keys[keyval] = rowno
                if table.registers and keyval[0] is not None:
                    k = str(keyval[0])
                    ns = registry[table.registers]
                    if k in ns:
                        problems.append(RowProblem(raw.file, rowno, key_cols, k,
                                                   f"a unique key; {ns[k]} defines it already"))
                        continue
                    ns[k] = f"{raw.file}:{rowno}"
                    if table.name == "kunnat":
                        registry["organisaatiot"].setdefault(builtin_org_key(k), f"{raw.file}:{rowno}")
                for col in table.columns:
                    if not col.ref or values.get(col.attr) in (None, []):
                        continue
                    refs = values[col.attr] if isinstance(values[col.attr], list) else [values[col.attr]]
                    for ref in refs:
                        pending_refs.append((raw.file, rowno, col.name, col.ref, str(ref)))
                if not ok:
                    continue
                rec = Record(table.name, raw.file, rowno, values)
                ds.tables[table.name].append(rec)
                if table.name == "suunnitelmat":
                    plan_years[values["key"]] = values["year"]
                elif table.name == "seurannat":
                    followups.append((rec, values["plan"]))

    names = {t.registers: t.name for t in TABLES if t.registers}
    for file, rowno, column, ns, key in pending_refs:
        if key not in registry[ns]:
            hint = " or kunta-NNN for a municipality" if ns == "organisaatiot" else ""
            problems.append(RowProblem(file, rowno, column, key,
                                       f"a key defined in {names[ns]}{hint} (unknown reference)"))
    for rec, plan in followups:
        year = plan_years.get(plan)
        if year is not None and rec.date.year < year:
            problems.append(RowProblem(rec.file, rec.row, "paivamaara", rec.date.isoformat(),
                                       f"a date not before the plan's year {year}"))
    if problems:
        raise SourceDataError(problems)
    return result
