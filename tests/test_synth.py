"""The synthetic-data generator: determinism, the scale-S demo facts, validity, scale M."""

from __future__ import annotations

import csv
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from partnergraph.errors import SettingError
from partnergraph.ingest.datasets import discover
from partnergraph.ingest.tables import TABLES_BY_NAME
from partnergraph.ingest.validate import validate_datasets
from partnergraph.synth import REGNO_MIN, generate, genitive

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REAL = ("reference", "elinvoimapajat")

needs_real_data = pytest.mark.skipif(
    not all((DATA / d / "dataset.toml").is_file() for d in REAL),
    reason="data/reference and data/elinvoimapajat are needed",
)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real datasets plus the demo generated with seed 42 next to them."""
    root = tmp_path_factory.mktemp("data")
    for d in REAL:
        shutil.copytree(DATA / d, root / d)
    generate("S", 42, root / "demo", root)
    return root


def _workshops(root: Path) -> dict[str, dict[str, str]]:
    """Tour workshops (events with an area in 2018–2020) of every dataset under root."""
    out = {}
    for d in (*REAL, "demo"):
        for r in _rows(root / d / "tapahtumat.csv"):
            if r["alue"] and r["ajankohta"][:4] in {"2018", "2019", "2020"}:
                out[r["tunnus"]] = r
    return out


# --- determinism ----------------------------------------------------------------------


@needs_real_data
def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate("S", 7, tmp_path / "a", DATA)
    generate("S", 7, tmp_path / "b", DATA)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert "osallistumiset.csv" in a and "dataset.toml" in a
    generate("S", 8, tmp_path / "c", DATA)
    assert _files(tmp_path / "c") != a


def test_same_seed_identical_at_scale_m(tmp_path: Path) -> None:
    generate("M", 3, tmp_path / "a", DATA, size=0.02)
    generate("M", 3, tmp_path / "b", DATA, size=0.02)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    generate("M", 4, tmp_path / "c", DATA, size=0.02)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")


@needs_real_data
def test_csv_format(data_copy: Path) -> None:
    for path in sorted((data_copy / "demo").glob("*.csv")):
        raw = path.read_bytes()
        assert b"\r" not in raw, path.name
        raw.decode("utf-8")
        header = raw.split(b"\n", 1)[0].decode("utf-8").split(",")
        assert header == [c.name for c in TABLES_BY_NAME[path.stem].columns]


# --- scale S facts ----------------------------------------------------------------------


@needs_real_data
def test_manifest(data_copy: Path) -> None:
    m = tomllib.loads((data_copy / "demo" / "dataset.toml").read_text(encoding="utf-8"))
    assert m["id"] == "demo" and m["synthetic"] is True and m["order"] == 30
    assert m["licence"] == "CC0 1.0"
    assert "Synteettinen" in m["title_fi"] and "Synthetic" in m["title_en"]
    assert "--scale S --seed 42" in m["description_fi"]
    assert "--scale S --seed 42" in m["description_en"]


@needs_real_data
def test_every_row_is_synthetic_with_a_demo_source(data_copy: Path) -> None:
    demo = data_copy / "demo"
    sources = {r["tunnus"] for r in _rows(demo / "lahteet.csv")}
    assert sources
    for path in sorted(demo.glob("*.csv")):
        if path.stem == "lahteet":
            continue
        for r in _rows(path):
            assert r["varmuus"] == "synteettinen", path.name
            assert set(r["lahde"].split(";")) <= sources, path.name


@needs_real_data
def test_21_workshops_and_no_redefined_keys(data_copy: Path) -> None:
    ws = _workshops(data_copy)
    assert len(ws) == 21
    assert Counter((r["ajankohta"][:4], r["alue"]) for r in ws.values()) == Counter(
        {(str(y), a): 1 for y in (2018, 2019, 2020) for a in "ABCDEFG"})
    public = {r["tunnus"] for r in _rows(data_copy / "elinvoimapajat" / "tapahtumat.csv")}
    demo = {r["tunnus"] for r in _rows(data_copy / "demo" / "tapahtumat.csv")}
    assert not public & demo
    for r in _rows(data_copy / "demo" / "tapahtumat.csv"):
        assert r["tunnus"].startswith("demo-paja-")
        assert "kyt-ry" in r["jarjestajat"].split(";")
        assert f"kunta-{r['kunta']}" in r["jarjestajat"].split(";")
        if r["ajankohta"].startswith("2019"):
            assert "hyvinvointi" in r["teemat"].split(";")


@needs_real_data
def test_participation_totals(data_copy: Path) -> None:
    ws = _workshops(data_copy)
    per_event: Counter[str] = Counter()
    for r in _rows(data_copy / "demo" / "osallistumiset.csv"):
        per_event[r["tapahtuma"]] += int(r["lukumaara"])
        if r["rooli"] == "kuntalainen":
            assert not r["organisaatio"] and r["kunta"]
    assert set(per_event) == set(ws)  # participations at all 21 workshops
    assert 440 <= sum(per_event.values()) <= 460
    by_slot = {(r["ajankohta"][:4], r["alue"]): k for k, r in ws.items()}
    assert per_event[by_slot[("2018", "A")]] == 30
    assert per_event[by_slot[("2019", "B")]] == 20


@needs_real_data
def test_associations(data_copy: Path) -> None:
    orgs = _rows(data_copy / "demo" / "organisaatiot.csv")
    assoc = [r for r in orgs if r["tyyppi"] == "yhdistys"]
    assert 150 <= len(assoc) <= 300
    assert all(not r["y_tunnus"] for r in orgs)
    assert all(int(r["rekisterinumero"].replace(".", "")) >= REGNO_MIN for r in assoc)
    assert len({r["rekisterinumero"] for r in assoc}) == len(assoc)
    assert len({r["nimi"] for r in orgs}) == len(orgs)
    assert all(r["nimi"].endswith(" ry") for r in assoc)
    # heavy-tailed activity: most attending associations come once, a few come often
    keys = {r["tunnus"] for r in assoc}
    visits = Counter(r["organisaatio"] for r in _rows(data_copy / "demo" / "osallistumiset.csv")
                     if r["organisaatio"] in keys)
    spread = Counter(visits.values())
    assert spread[1] > len(visits) / 2
    assert max(visits.values()) >= 4


@needs_real_data
def test_plans(data_copy: Path) -> None:
    public = _rows(data_copy / "elinvoimapajat" / "suunnitelmat.csv")
    demo = _rows(data_copy / "demo" / "suunnitelmat.csv")
    assert not {r["tunnus"] for r in public} & {r["tunnus"] for r in demo}
    years = Counter(r["vuosi"] for r in public + demo)
    assert years["2018"] == 27
    assert years["2019"] > 0 and years["2020"] > 0
    statuses_2018 = Counter(r["tila"] for r in demo if r["vuosi"] == "2018")
    assert statuses_2018["toteutunut"] + statuses_2018["käynnissä"] > len(demo) / 4
    assert statuses_2018["hylätty"] >= 1
    municipalities = {r["kuntanumero"] for r in _rows(data_copy / "reference" / "kunnat.csv")}
    with_plan = {r["kunta"] for r in public + demo}
    assert municipalities - with_plan  # some municipality has no plan at all
    ws = _workshops(data_copy)
    for r in demo:
        assert r["tapahtuma"] in ws and ws[r["tapahtuma"]]["ajankohta"][:4] == r["vuosi"]
    actions = Counter(r["suunnitelma"] for r in _rows(data_copy / "demo" / "toimenpiteet.csv"))
    assert all(1 <= actions[r["tunnus"]] <= 3 for r in demo)
    years_of = {r["tunnus"]: int(r["vuosi"]) for r in demo}
    followed = Counter()
    for r in _rows(data_copy / "demo" / "seurannat.csv"):
        assert int(r["paivamaara"][:4]) >= years_of[r["suunnitelma"]]
        assert r["paivamaara"][:4] in {"2019", "2020"}
        followed[r["suunnitelma"]] += 1
    assert len(followed) > len(demo) / 2


@needs_real_data
def test_demo_validates_with_the_real_datasets(data_copy: Path) -> None:
    records = validate_datasets(discover(data_copy))  # raises SourceDataError if not
    assert [r.info.id for r in records][-1] == "demo"


# --- scales M and L -----------------------------------------------------------------------


def test_scale_m_reduced_validates(tmp_path: Path) -> None:
    out = tmp_path / "m"
    counts = generate("M", 11, out, DATA, size=0.05)
    assert counts["reference/kunnat"] == 309
    assert counts["reference/maakunnat"] == 19
    assert counts["reference/alueet"] == 45
    assert counts["synth/organisaatiot"] >= 1000
    assert counts["synth/suunnitelmat"] > 500
    infos = discover(out)
    assert [i.id for i in infos] == ["synth-reference", "synth"]
    assert all(i.synthetic for i in infos)
    validate_datasets(infos)
    for r in _rows(out / "synth" / "organisaatiot.csv"):
        assert r["tunnus"].startswith("s-") and not r["y_tunnus"]
        if r["rekisterinumero"]:
            assert int(r["rekisterinumero"].replace(".", "")) >= REGNO_MIN


def test_scale_m_needs_an_out_folder_outside_data(tmp_path: Path) -> None:
    with pytest.raises(SettingError):
        generate("M", 1, tmp_path / "demo", tmp_path)
    with pytest.raises(SettingError):
        generate("X", 1, tmp_path / "x", tmp_path)


def test_genitive() -> None:
    assert genitive("Konnevesi") == "Konneveden"
    assert genitive("Multia") == "Multian"
    assert genitive("Pihtipudas") == "Pihtiputaan"
    assert genitive("Kuhmoinen") == "Kuhmoisten"
    assert genitive("Koivulahti") == "Koivulahden"
    assert genitive("Luhanka") == "Luhangan"
