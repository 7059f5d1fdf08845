"""Row validation: every problem listed with file, row, column, value and expectation."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from partnergraph.errors import SourceDataError
from partnergraph.ingest.datasets import discover
from partnergraph.ingest.validate import validate_datasets


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(SourceDataError) as info:
        validate_datasets(discover(data_dir), root=data_dir)
    return [str(p) for p in info.value.problems]


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def test_tiny_data_is_valid(tiny_dir):
    out = validate_datasets(discover(tiny_dir), root=tiny_dir)
    assert [d.info.id for d in out] == ["ref", "tour"]
    assert len(out[1]["osallistumiset"]) == 2


def test_shipped_data_is_valid():
    data = Path(__file__).resolve().parents[1] / "data"
    out = validate_datasets(discover(data))
    ids = [d.info.id for d in out]
    assert ids[:2] == ["reference", "elinvoimapajat"]
    assert len(out[0]["kunnat"]) == 23


def test_several_errors_are_all_listed(tiny_dir):
    tour = tiny_dir / "tour"
    _write(tour / "organisaatiot.csv",
           "tunnus,nimi,tyyppi,kotikunta,y_tunnus,rekisterinumero,kotisivu,lahde,varmuus,huomautus\n"
           "seura,Seura ry,yhdistys,999,2077474-1,,,gen,synteettinen,\n"
           "seura,Toinen ry,yhdistys,435,,,,gen,synteettinen,\n")
    _write(tour / "osallistumiset.csv",
           "tapahtuma,organisaatio,kunta,rooli,lukumaara,lahde,varmuus,huomautus\n"
           "paja,seura,,järjestö,kaksi,gen,synteettinen,\n")
    _write(tour / "tapahtumat.csv",
           "tunnus,nimi,ajankohta,alue,kunta,paikka,teemat,jarjestajat,hanke,lahde,varmuus,huomautus\n"
           "paja,Paja,2019-02-30,B,435,,,,,gen,synteettinen,\n")
    _write(tour / "suunnitelmat.csv",
           "tunnus,nimi,kunta,tapahtuma,vuosi,tila,teemat,kumppanit,vastuutaho,kuvaus,lahde,varmuus,"
           "huomautus\n"
           "plan1,Suunnitelma,435,,2019,käynnissä,,ei-ole,,,gen,synteettinen,\n")
    _write(tour / "toimenpiteet.csv", "tunnus,suunnitelma,tila\nact1,plan1,toteutunut\n")
    problems = _problems(tiny_dir)
    text = "\n".join(problems)
    assert "tour/organisaatiot.csv:2:kotikunta: a key defined in kunnat" in text  # unknown code
    assert "tour/organisaatiot.csv:2:y_tunnus: a Business ID (Y-tunnus) whose check digit" in text
    assert "tour/organisaatiot.csv:3:tunnus: a unique key; row 2 has it too" in text
    assert "tour/osallistumiset.csv:2:lukumaara: a whole number" in text
    assert "'kaksi'" in text
    assert "tour/tapahtumat.csv:2:ajankohta: a date that exists in the calendar" in text
    assert "tour/suunnitelmat.csv:2:kumppanit: a key defined in organisaatiot" in text
    assert "'ei-ole'" in text
    assert "tour/toimenpiteet.csv:1:kuvaus: this required column" in text
    assert len(problems) >= 7


def test_wrong_encoding_is_named(tiny_dir):
    _write(tiny_dir / "tour" / "lahteet.csv", "tunnus,otsikko\ngen,Lähde\n", encoding="latin-1")
    problems = _problems(tiny_dir)
    assert any("lahteet.csv:2" in p and "UTF-8" in p for p in problems)


def test_utf16_is_named(tiny_dir):
    _write(tiny_dir / "tour" / "lahteet.csv", "tunnus,otsikko\ngen,Lähde\n", encoding="utf-16")
    assert any("UTF-16" in p for p in _problems(tiny_dir))


def test_bom_and_semicolons_are_accepted(tiny_dir):
    path = tiny_dir / "tour" / "lahteet.csv"
    path.write_bytes("\ufefftunnus;otsikko\ngen;Generaattori\n".encode())
    out = validate_datasets(discover(tiny_dir))
    assert out[1]["lahteet"][0].title == "Generaattori"


def test_unknown_file_and_column(tiny_dir):
    _write(tiny_dir / "tour" / "jasenet.csv", "a\n1\n")
    _write(tiny_dir / "tour" / "lahteet.csv", "tunnus,otsikko,vari\ngen,G,sininen\n")
    text = "\n".join(_problems(tiny_dir))
    assert "jasenet.csv" in text and "a file named after a table" in text
    assert "lahteet.csv:1:vari: only these columns" in text


def test_too_many_cells_in_a_row(tiny_dir):
    _write(tiny_dir / "tour" / "lahteet.csv", "tunnus,otsikko\ngen,G,extra\n")
    assert any("lahteet.csv:2" in p and "at most 2 cells" in p for p in _problems(tiny_dir))


def test_follow_up_before_plan_year(tiny_dir):
    _write(tiny_dir / "tour" / "seurannat.csv",
           "suunnitelma,paivamaara,tila,lahde,varmuus\nplan1,2018-12-31,toteutunut,gen,synteettinen\n")
    assert any("seurannat.csv:2:paivamaara" in p and "2019" in p for p in _problems(tiny_dir))


def test_duplicate_key_across_datasets(tiny_dir):
    _write(tiny_dir / "tour" / "lahteet.csv", "tunnus,otsikko\ngen,G\nsrc1,Again\n")
    assert any("lahteet.csv:3" in p and "defines it already" in p for p in _problems(tiny_dir))


def test_xlsx_workbook_with_one_sheet_per_table(tiny_dir):
    tour = tiny_dir / "tour"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "organisaatiot"
    ws.append(["tunnus", "nimi", "tyyppi", "kotikunta", "lahde", "varmuus"])
    ws.append(["seura", "Luhangan Esimerkkiseura ry", "yhdistys", 435, "gen", "synteettinen"])
    ws.append(["kylat", "Kyläyhdistys ry", "yhdistys", "12", "gen", "synteettinen"])
    (tour / "organisaatiot.csv").unlink()
    wb.save(tour / "tuonti.xlsx")
    problems = _problems(tiny_dir)
    assert problems == ["tour/tuonti.xlsx[organisaatiot]:3:kotikunta: a key defined in kunnat "
                        "(unknown reference) (got '012')"]
    ws.delete_rows(3)
    wb.save(tour / "tuonti.xlsx")
    out = validate_datasets(discover(tiny_dir))
    assert out[1]["organisaatiot"][0].home == "435"


def test_broken_xlsx_is_named(tiny_dir):
    (tiny_dir / "tour" / "kirja.xlsx").write_bytes(b"not a zip")
    assert any("kirja.xlsx" in p and "Excel" in p for p in _problems(tiny_dir))


def test_turtle_file_is_loaded_and_bad_turtle_named(tiny_dir):
    tour = tiny_dir / "tour"
    (tour / "extra.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://example.org/x> skos:prefLabel \"X\"@fi .\n", encoding="utf-8")
    out = validate_datasets(discover(tiny_dir))
    assert len(out[1].graphs[0][1]) == 1
    (tour / "extra.ttl").write_text("<https://example.org/x> <p> .", encoding="utf-8")
    assert any("extra.ttl" in p and "valid turtle" in p for p in _problems(tiny_dir))


def test_missing_data_dir(tmp_path):
    with pytest.raises(SourceDataError, match="a folder of datasets"):
        discover(tmp_path / "nope")


def test_bad_manifest(tiny_dir):
    (tiny_dir / "tour" / "dataset.toml").write_text('id = "bad id"\ntitle_fi = "x"\n')
    text = "\n".join(_problems(tiny_dir))
    assert "dataset.toml" in text and "title_en" in text and "id" in text




def test_templates_have_every_column(tmp_path):
    import csv

    from partnergraph.ingest.tables import TABLES
    from partnergraph.ingest.templates import write_templates

    write_templates(tmp_path)
    for table in TABLES:
        with (tmp_path / f"{table.name}.csv").open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == [c.name for c in table.columns]
    wb = openpyxl.load_workbook(tmp_path / "partnergraph-pohja.xlsx")
    assert wb.sheetnames == [t.name for t in TABLES]
