"""Property-based tests of the importers (Hypothesis).

Whatever a cell, a file or a graph literal holds, the readers and validation give either typed
records or problems listed as SourceDataError — never another exception — and valid rows come
back with exactly the values that were written.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from partnergraph.errors import SourceDataError
from partnergraph.ingest import fields, readers
from partnergraph.ingest.datasets import discover
from partnergraph.ingest.tables import ORG_TYPES, ROLES, TABLES_BY_NAME
from partnergraph.ingest.validate import validate_datasets
from partnergraph.namespaces import PG

TINY = Path(__file__).parent / "data" / "tiny"
ORGS = TABLES_BY_NAME["organisaatiot"]
PARTS = TABLES_BY_NAME["osallistumiset"]
CONFIDENCES = ("vahvistettu", "päätelty", "vahvistamaton", "synteettinen")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: any text a spreadsheet cell can hold (no lone surrogates: they cannot be written as UTF-8)
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
#: text a text column accepts: no control characters except tab and newlines, not blank
clean_text = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\nåäöÅÄÖ"),
                     min_size=1, max_size=200).map(str.strip).filter(bool)
keys = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True).filter(
    lambda k: not k.startswith("kunta-"))


@pytest.fixture(scope="module")
def work():
    """A scratch copy of the tiny data, rewritten by each example."""
    tmp = Path(tempfile.mkdtemp(prefix="pg-props-"))
    shutil.copytree(TINY, tmp / "tiny", ignore=shutil.ignore_patterns("*.trig"))
    yield tmp / "tiny"
    shutil.rmtree(tmp, ignore_errors=True)


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def validate(data: Path):
    return validate_datasets(discover(data), root=data.parent)


def ytunnus_check(body: str) -> int | None:
    """The check digit of a 7-digit body, or None if no check digit is valid (remainder 1)."""
    r = sum(w * int(d) for w, d in zip(WEIGHTS, body, strict=True)) % 11
    return None if r == 1 else (0 if r == 0 else 11 - r)


# -- any cell, any bytes: records or problems, nothing else --------------------------------------
@SETTINGS
@given(cell=any_text, column=st.sampled_from(["nimi", "huomautus", "kotisivu", "y_tunnus", "tunnus"]))
def test_any_cell_gives_a_record_or_a_problem(work, cell, column):
    header = [c.name for c in ORGS.columns]
    row = ["seura", "Luhangan Esimerkkiseura ry", "yhdistys", "435", "", "", "", "gen", "synteettinen", ""]
    row[header.index(column)] = cell
    write_csv(work / "tour" / "organisaatiot.csv", header, [row])
    try:
        out = validate(work)
    except SourceDataError as e:
        assert e.problems and all(p.file and p.expected for p in e.problems)
        return
    records = out[1]["organisaatiot"]
    if column == "nimi":
        assert [r.name for r in records] == [cell.strip()]
    elif column == "huomautus":
        assert [r.note for r in records] == [cell.strip() or None]


@SETTINGS
@given(data=st.binary(max_size=3000), with_header=st.booleans())
def test_any_bytes_as_a_csv_file_give_records_or_source_data_errors(work, data, with_header):
    header = ",".join(c.name for c in ORGS.columns).encode() + b"\n"
    (work / "tour" / "organisaatiot.csv").write_bytes(header + data if with_header else data)
    try:
        validate(work)
    except SourceDataError as e:
        assert e.problems
        assert all(str(p).startswith(f"{work.name}/") for p in e.problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_a_workbook_give_records_or_source_data_errors(work, data):
    (work / "tour" / "book.xlsx").write_bytes(b"PK\x03\x04" + data)
    try:
        validate(work)
    except SourceDataError as e:
        assert any("book.xlsx" in str(p) for p in e.problems)
    finally:
        (work / "tour" / "book.xlsx").unlink()


@SETTINGS
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["turtle", "nt", "json-ld"]))
def test_any_bytes_as_a_graph_file_give_a_graph_or_a_read_error(tmp_path, data, fmt):
    path = tmp_path / "g"
    path.write_bytes(data)
    try:
        readers.read_graph(path, fmt)
    except readers.ReadError as e:
        assert e.problem.file == str(path) and e.problem.expected


# -- valid rows come back with the values written ------------------------------------------------
@st.composite
def organisations(draw):
    ks = draw(st.lists(keys, min_size=1, max_size=6, unique=True))
    out = []
    for k in ks:
        kind = draw(st.sampled_from(sorted(set(ORG_TYPES) - {"kunta"})))
        body = draw(st.from_regex(r"[0-9]{7}", fullmatch=True).filter(lambda b: ytunnus_check(b) is not None))
        out.append({
            "tunnus": k,
            "nimi": draw(clean_text),
            "tyyppi": draw(st.sampled_from([kind, kind.upper(), kind.capitalize()])),
            "kotikunta": draw(st.sampled_from(["", "435"])),
            "y_tunnus": draw(st.sampled_from(["", f"{body}-{ytunnus_check(body)}"])),
            "rekisterinumero": draw(st.sampled_from(["", "123.456", "1.234", "12"]))
            if kind == "yhdistys" else "",
            "kotisivu": draw(st.sampled_from(["", f"https://example.org/{k}"])),
            "lahde": "gen",
            "varmuus": draw(st.sampled_from(CONFIDENCES)),
            "huomautus": draw(st.one_of(st.just(""), clean_text)),
        })
    return out


@st.composite
def participations(draw, org_keys):
    # residents (no organisation) need a municipality; the key is event, org, municipality, role
    combo = st.tuples(st.sampled_from(["", *org_keys, "seura", "kunta-435"]), st.sampled_from(["", "435"]),
                      st.sampled_from(sorted(ROLES)))
    combo = combo.map(lambda t: (t[0], t[1] or ("" if t[0] else "435"), t[2]))
    combos = draw(st.lists(combo, min_size=1, max_size=8, unique_by=lambda t: (t[0], t[1], ROLES[t[2]])))
    return [{"tapahtuma": "paja", "organisaatio": o, "kunta": m, "rooli": r,
             "lukumaara": str(draw(st.integers(0, 10**6))), "lahde": "gen",
             "varmuus": draw(st.sampled_from(CONFIDENCES)), "huomautus": ""}
            for o, m, r in combos]


@SETTINGS
@given(data=st.data(), delimiter=st.sampled_from([",", ";"]))
def test_valid_rows_give_records_with_the_typed_values_written(work, data, delimiter):
    orgs = data.draw(organisations())
    parts = data.draw(participations([o["tunnus"] for o in orgs]))
    # the tiny data's own organisation stays, as other tables refer to it
    orgs = [o for o in orgs if o["tunnus"] != "seura"] + [{
        "tunnus": "seura", "nimi": "Luhangan Esimerkkiseura ry", "tyyppi": "yhdistys", "kotikunta": "435",
        "y_tunnus": "0709019-2", "rekisterinumero": "987.654", "kotisivu": "", "lahde": "gen",
        "varmuus": "synteettinen", "huomautus": ""}]
    for table, rows in ((ORGS, orgs), (PARTS, parts)):
        header = [c.name for c in table.columns]
        write_csv(work / "tour" / f"{table.name}.csv", header, [[r[h] for h in header] for r in rows],
                  delimiter)
    records = validate(work)[1]
    got = {r.key: r for r in records["organisaatiot"]}
    assert set(got) == {o["tunnus"] for o in orgs}
    for o in orgs:
        r = got[o["tunnus"]]
        assert r.name == o["nimi"]
        assert r.type == ORG_TYPES[o["tyyppi"].lower()]
        assert r.home == (o["kotikunta"] or None)
        assert r.ytunnus == (o["y_tunnus"] or None)
        assert r.register_number == (o["rekisterinumero"].replace(".", "") or None)
        assert r.homepage == (o["kotisivu"] or None)
        assert r.sources == ["gen"] and r.note == (o["huomautus"] or None)
    got_parts = sorted((r.org or "", r.municipality or "", r.role, r.count)
                       for r in records["osallistumiset"])
    assert got_parts == sorted((p["organisaatio"], p["kunta"], ROLES[p["rooli"]], int(p["lukumaara"]))
                               for p in parts)
    assert all(str(r.role).startswith(str(PG)) for r in records["osallistumiset"])


#: what a spreadsheet cell can hold: XML 1.0 text (no control characters but tab and newline)
cell_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n"),
                    max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(cell_text, min_size=10, max_size=10), min_size=1, max_size=5))
def test_xlsx_and_csv_read_the_same_cells(tmp_path, rows):
    from openpyxl import Workbook

    header = [c.name for c in ORGS.columns]
    write_csv(tmp_path / "organisaatiot.csv", header, rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "organisaatiot"
    ws.append(header)
    for i, r in enumerate(rows, start=2):
        for j, value in enumerate(r, start=1):
            cell = ws.cell(row=i, column=j, value=value)
            cell.data_type = "s"  # text, as typed into a cell (never a formula)
    wb.save(tmp_path / "book.xlsx")
    from_csv = readers.read_csv(tmp_path / "organisaatiot.csv", "organisaatiot")
    (from_xlsx,) = readers.read_xlsx(tmp_path / "book.xlsx", {"organisaatiot"})
    assert [cells for _, cells in from_csv.rows] == [cells for _, cells in from_xlsx.rows]


@SETTINGS
@given(value=st.text(st.characters(exclude_categories=("Cs",)), max_size=500),
       lang=st.sampled_from([None, "fi", "sv", "en"]))
def test_any_literal_round_trips_through_a_graph_file(tmp_path, value, lang):
    path = tmp_path / "g.ttl"
    literal = ox.Literal(value, language=lang) if lang else ox.Literal(value)
    triple = ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), literal)
    path.write_bytes(ox.serialize([triple], format=ox.RdfFormat.TURTLE))
    g = readers.read_graph(path, "turtle")
    (obj,) = list(g.objects())
    assert str(obj) == value and (obj.language or None) == lang


# -- Y-tunnus check digit --------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(body=st.from_regex(r"[0-9]{7}", fullmatch=True), other=st.integers(0, 9))
def test_ytunnus_check_digit(body, other):
    check = ytunnus_check(body)
    if check is None:  # remainder 1: no check digit is valid, so none is accepted
        for digit in range(10):
            with pytest.raises(fields.CellError):
                fields.ytunnus(f"{body}-{digit}")
        return
    assert fields.ytunnus(f"{body}-{check}") == f"{body}-{check}"
    if body.startswith("0"):  # spreadsheets drop the leading zero
        assert fields.ytunnus(f"{body[1:]}-{check}") == f"{body}-{check}"
    assume(other != check)
    with pytest.raises(fields.CellError, match="check digit"):
        fields.ytunnus(f"{body}-{other}")
