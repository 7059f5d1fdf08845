"""Deterministic synthetic data in the import format (``partnergraph synth``).

Everything written here is fictional. Two kinds of output:

* **Scale S** – the province demo (``data/demo``): one dataset ``demo`` that completes the
  public record of the Elinvoimapajat tour 2018–2020 in Central Finland with made-up but
  plausible rows: the workshops the public record lacks, participation counts at all 21
  workshops, fictional associations and other bodies, cooperation plans with actions and
  follow-ups. It *reads* the real reference and public-record datasets under ``data_dir``
  (municipalities, areas, themes, known workshops, plans, organisations, reported figures) so
  that it stays consistent with them and never redefines their keys.
* **Scales M and L** – self-contained benchmark data: ``out_dir/reference`` (a synthetic
  country of 19 regions, ~70 sub-regions, 309 municipalities and ~45 workshop areas) and
  ``out_dir/synth`` (~20 000 / ~100 000 organisations, events 2018–2022, participations,
  plans, actions, follow-ups). Rows are streamed to the CSV writers.

Determinism: all randomness comes from one ``random.Random(seed)``; no clock, no global
random state, no iteration over sets. The same seed and the same input files give
byte-identical output (UTF-8, LF line endings, every column of each table in order).
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime as dt
import math
import random
import tomllib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnergraph.errors import RowProblem, SettingError, SourceDataError
from partnergraph.ingest.tables import TABLES, TABLES_BY_NAME

SCALES = ("S", "M", "L")
DEMO_ID = "demo"
CONFIDENCE = "synteettinen"
YEARS_S = (2018, 2019, 2020)
YEARS_ML = (2018, 2019, 2020, 2021, 2022)

# Fictional association register numbers are drawn from 900.000–999.999. Real numbers in
# the Finnish Patent and Registration Office's (PRH) association register are far below
# that range (the register holds roughly 100 000 live associations and the running numbers
# are in the low hundreds of thousands), so a synthetic number cannot be mistaken for a real
# one. No Business ID (y_tunnus) is ever generated: a made-up one could be a real company's.
REGNO_MIN, REGNO_MAX = 900_000, 999_999

# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


class _TableWriter:
    """Writes one ``<table>.csv``: header = the table's columns in order; rows are dicts
    keyed by Finnish column name (missing cells are empty)."""

    def __init__(self, folder: Path, table: str) -> None:
        self.table = TABLES_BY_NAME[table]
        self.names = [c.name for c in self.table.columns]
        self._known = frozenset(self.names)
        self._fh = (folder / f"{table}.csv").open("w", encoding="utf-8", newline="")
        self._w = csv.writer(self._fh, lineterminator="\n")
        self._w.writerow(self.names)
        self.count = 0

    def row(self, cells: dict[str, Any]) -> None:
        for k in cells:
            if k not in self._known:
                raise KeyError(f"{self.table.name}.csv has no column {k!r}")
        self._w.writerow(["" if cells.get(n) is None else str(cells.get(n)) for n in self.names])
        self.count += 1

    def close(self) -> None:
        self._fh.close()


class _Writers:
    """All table writers of one dataset folder, opened lazily, closed together."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: dict[str, _TableWriter] = {}

    def __getitem__(self, table: str) -> _TableWriter:
        if table not in self._open:
            self._open[table] = _TableWriter(self.folder, table)
        return self._open[table]

    def close(self) -> dict[str, int]:
        for w in self._open.values():
            w.close()
        order = [t.name for t in TABLES]
        return {name: self._open[name].count
                for name in sorted(self._open, key=order.index)}


def _prepare_folder(folder: Path) -> None:
    """Create ``folder`` and remove files a previous run of the generator wrote there
    (table CSVs and the manifest); other files are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        p = folder / f"{t.name}.csv"
        if p.is_file():
            p.unlink()
    manifest = folder / "dataset.toml"
    if manifest.is_file():
        manifest.unlink()


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_manifest(folder: Path, fields: dict[str, Any]) -> None:
    lines = []
    for k, v in fields.items():
        if isinstance(v, bool):
            lines.append(f"{k} = {'true' if v else 'false'}")
        elif isinstance(v, int):
            lines.append(f"{k} = {v}")
        else:
            lines.append(f"{k} = {_toml_str(v)}")
    (folder / "dataset.toml").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def _prov(source: str, note: str = "") -> dict[str, str]:
    return {"lahde": source, "varmuus": CONFIDENCE, "huomautus": note}


# --------------------------------------------------------------------------------------
# Reading the real datasets
# --------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of one CSV file as dicts (UTF-8 with or without BOM, ',' or ';')."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return []
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append({h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)})
    return rows


@dataclass
class _Sources:
    """Rows of the real (non-synthetic) datasets, merged per table, plus every key any
    other dataset under data_dir already defines (to avoid clashes). An existing ``demo``
    dataset (wherever it is) is ignored: it is what a new scale-S run replaces."""

    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    taken: dict[str, set[str]] = field(default_factory=dict)

    def rows(self, table: str) -> list[dict[str, str]]:
        return self.tables.get(table, [])

    def is_taken(self, table: str, key: str) -> bool:
        return key in self.taken.get(table, set())


def _read_sources(data_dir: Path, exclude: Path | None) -> _Sources:
    out = _Sources()
    if not data_dir.is_dir():
        return out
    skip = exclude.resolve() if exclude is not None else None
    for folder in sorted(p for p in data_dir.iterdir() if (p / "dataset.toml").is_file()):
        if skip is not None and folder.resolve() == skip:
            continue
        try:
            manifest = tomllib.loads((folder / "dataset.toml").read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            manifest = {}
        if manifest.get("id") == DEMO_ID:  # an earlier demo: the one being replaced
            continue
        synthetic = manifest.get("synthetic") is True
        for t in TABLES:
            rows = _read_csv(folder / f"{t.name}.csv")
            if not rows:
                continue
            key_col = t.columns[0].name
            if t.registers:
                out.taken.setdefault(t.name, set()).update(r.get(key_col, "") for r in rows)
            if not synthetic:
                out.tables.setdefault(t.name, []).extend(rows)
    return out


def _missing(what: str, where: str) -> SourceDataError:
    return SourceDataError([RowProblem(where, None, None, None, what)])


# --------------------------------------------------------------------------------------
# Finnish names
# --------------------------------------------------------------------------------------

_GENITIVES = {
    "Hankasalmi": "Hankasalmen", "Joutsa": "Joutsan", "Jyväskylä": "Jyväskylän",
    "Jämsä": "Jämsän", "Kannonkoski": "Kannonkosken", "Karstula": "Karstulan",
    "Keuruu": "Keuruun", "Kinnula": "Kinnulan", "Kivijärvi": "Kivijärven",
    "Konnevesi": "Konneveden", "Kuhmoinen": "Kuhmoisten", "Kyyjärvi": "Kyyjärven",
    "Laukaa": "Laukaan", "Luhanka": "Luhangan", "Multia": "Multian", "Muurame": "Muuramen",
    "Petäjävesi": "Petäjäveden", "Pihtipudas": "Pihtiputaan", "Saarijärvi": "Saarijärven",
    "Toivakka": "Toivakan", "Uurainen": "Uuraisten", "Viitasaari": "Viitasaaren",
    "Äänekoski": "Äänekosken",
}

_GEN_ENDINGS = (  # (ending, replacement), longest first; for place names
    ("pudas", "putaan"), ("lahti", "lahden"), ("vesi", "veden"), ("mäki", "mäen"),
    ("joki", "joen"), ("lampi", "lammen"), ("inen", "isten"), ("nka", "ngan"),
    ("nkä", "ngän"), ("kka", "kan"), ("kkä", "kän"), ("ppa", "pan"), ("ppä", "pän"),
    ("tta", "tan"), ("ttä", "tän"), ("nta", "nnan"), ("ntä", "nnän"), ("lto", "llon"),
    ("rta", "rran"), ("i", "en"),
)


def genitive(name: str) -> str:
    """Genitive of a Finnish place name: ``Konnevesi`` → ``Konneveden``.

    A table covers the 23 Central Finland municipalities; other names follow common
    endings (good enough for the generated names, which use only these endings).

    >>> genitive("Uurainen"), genitive("Koivulahti"), genitive("Laukaa")
    ('Uuraisten', 'Koivulahden', 'Laukaan')
    """
    if name in _GENITIVES:
        return _GENITIVES[name]
    for end, rep in _GEN_ENDINGS:
        if name.endswith(end):
            return name[: -len(end)] + rep
    return name + "n"


def _body_genitive(name: str, body_name: str) -> str:
    """The genitive as the municipality's own body name spells it (``Luhangan kunta``)."""
    for suffix in (" kunta", " kaupunki"):
        if body_name.endswith(suffix) and body_name[: -len(suffix)].strip():
            return body_name[: -len(suffix)].strip()
    return genitive(name)


# Fictional village and district names: stem + place suffix (with its genitive).
_STEMS = (
    "Koivu", "Kuusi", "Haapa", "Mänty", "Leppä", "Pihlaja", "Tammi", "Kivi", "Kallio",
    "Hiekka", "Savi", "Karhu", "Ilves", "Kettu", "Hirvi", "Joutsen", "Kurki", "Haukka",
    "Kotka", "Lohi", "Hauki", "Ahven", "Siika", "Lumi", "Tuuli", "Päivä", "Kuu", "Tähti",
    "Sammal", "Kanerva", "Kataja", "Paju", "Raita", "Tervas", "Honka", "Petäjä", "Vaski",
    "Rauta", "Kulta", "Hopea", "Mesi", "Marja", "Puolukka", "Mustikka", "Kuikka", "Telkkä",
    "Sotka", "Kiuru", "Peippo", "Tikka", "Pöllö", "Varis", "Kukko", "Vasa", "Orava",
    "Näätä", "Saukko", "Majava", "Hilla", "Ruoho", "Kaisla", "Ruoko", "Vuori", "Harju",
)
_PLACE_SUFFIXES = (
    ("lahti", "lahden"), ("niemi", "niemen"), ("mäki", "mäen"), ("ranta", "rannan"),
    ("vaara", "vaaran"), ("koski", "kosken"), ("järvi", "järven"), ("saari", "saaren"),
    ("salmi", "salmen"), ("joki", "joen"), ("kylä", "kylän"), ("lampi", "lammen"),
    ("virta", "virran"), ("pelto", "pellon"), ("kangas", "kankaan"), ("vesi", "veden"),
)

# Association name patterns; {g} = genitive of the municipality or village.
_ASSOC_PATTERNS = (
    ("{g} Kyläyhdistys ry", "kylatoiminta"), ("{g} Eläkkeensaajat ry", "ikaantyneet"),
    ("{g} Eläkeläiset ry", "ikaantyneet"), ("{g} Seudun Omaishoitajat ry", "hyvinvointi"),
    ("{g} Latu ry", "liikunta"), ("{g} Martat ry", "jarjestotoiminta"),
    ("{g} Mielenterveysyhdistys ry", "hyvinvointi"), ("{g} Sydänyhdistys ry", "hyte"),
    ("{g} Reumayhdistys ry", "hyte"), ("{g} Diabetesyhdistys ry", "hyte"),
    ("{g} Nuorisoseura ry", "kulttuuri"), ("{g} Urheilijat ry", "liikunta"),
    ("{g} Palloseura ry", "liikunta"), ("{g} Kotiseutuyhdistys ry", "kulttuuri"),
    ("{g} Yrittäjät ry", "elinvoima"), ("{g} Vanhempainyhdistys ry", "lapset-ja-perheet"),
    ("{g} Partiolaiset ry", "lapset-ja-perheet"), ("{g} Kuuloyhdistys ry", "hyte"),
    ("{g} Näkövammaiset ry", "hyte"), ("{g} Perheyhdistys ry", "lapset-ja-perheet"),
    ("{g} Vapaaehtoisapu ry", "vapaaehtoistyo"), ("{g} Ystäväpiiri ry", "vapaaehtoistyo"),
    ("{g} Seudun Invalidit ry", "hyte"), ("{g} Kuoroyhdistys ry", "kulttuuri"),
    ("{g} Teatteriyhdistys ry", "kulttuuri"), ("{g} Taideyhdistys ry", "kulttuuri"),
    ("{g} Metsästysseura ry", "kylatoiminta"), ("{g} Hiihtoseura ry", "liikunta"),
    ("{g} Seniorit ry", "ikaantyneet"), ("{g} Asukasyhdistys ry", "osallisuus"),
    ("{g} Seudun Muistiyhdistys ry", "ikaantyneet"), ("{g} Kyläseura ry", "kylatoiminta"),
    ("{g} Seudun Luontoyhdistys ry", "jarjestotoiminta"), ("{g} Voimistelijat ry", "liikunta"),
)
_VILLAGE_PATTERNS = (  # patterns that fit a village or district name
    "{g} Kyläyhdistys ry", "{g} Kyläseura ry", "{g} Nuorisoseura ry", "{g} Urheilijat ry",
    "{g} Asukasyhdistys ry", "{g} Metsästysseura ry", "{g} Martat ry", "{g} Eläkeläiset ry",
    "{g} Vanhempainyhdistys ry", "{g} Maamiesseura ry", "{g} Kylätalo ry",
)

# Other (non-association) bodies: (type, name pattern using a village genitive {v} or
# stem {s}) - names are fictional on purpose.
_OTHER_ORGS = (
    ("seurakunta", "{v} kappeliseurakunta"), ("seurakunta", "{v} diakoniapiiri"),
    ("oppilaitos", "{v} opisto"), ("oppilaitos", "{v} kyläkoulu"),
    ("yritys", "{v} Hoivapalvelut Oy"), ("yritys", "{s}ranta Kahvila Oy"),
    ("yritys", "{s}mäen Kuntosali Oy"), ("muu", "{v} osakaskunta"),
)

# --------------------------------------------------------------------------------------
# Plans, actions
# --------------------------------------------------------------------------------------

# (name, themes, description, actions)
_PLAN_TEMPLATES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("Järjestöilta", ("jarjestoyhteistyo", "kumppanuus"),
     "Kunnan ja järjestöjen yhteinen järjestöilta kerran tai kahdesti vuodessa.",
     ("Illan ajankohdan ja ohjelman sopiminen", "Kutsu kaikille kunnan yhdistyksille",
      "Palautteen kerääminen illan jälkeen")),
    ("Kumppanuuspöytä", ("kumppanuus", "jarjestoyhteistyo"),
     "Säännöllisesti kokoontuva kunnan, järjestöjen ja seurakunnan kumppanuuspöytä.",
     ("Kumppanuuspöydän kokoonpanon sopiminen", "Ensimmäisen kokoontumisen järjestäminen",
      "Yhteisen vuosikellon laatiminen")),
    ("Järjestöyhdyshenkilön nimeäminen", ("jarjestoyhteistyo",),
     "Kunta nimeää järjestöyhdyshenkilön, johon yhdistykset voivat olla yhteydessä.",
     ("Yhdyshenkilön nimeäminen", "Yhteystietojen julkaiseminen kunnan verkkosivuilla")),
    ("Hyvinvointi- ja terveysilta", ("hyvinvointi", "hyte"),
     "Kunnan, järjestöjen ja kuntalaisten yhteinen hyvinvointi- ja terveysilta.",
     ("Illan suunnittelu järjestöjen kanssa", "Kuntalaisille tiedottaminen",
      "Illan toteutus")),
    ("Yhteinen tapahtumakalenteri", ("viestinta", "jarjestotoiminta"),
     "Kunnan ja yhdistysten tapahtumat yhteen verkkokalenteriin.",
     ("Kalenterin valinta ja käyttöönotto", "Yhdistysten ohjeistus tapahtumien ilmoittamiseen")),
    ("Järjestöpalsta paikallislehteen", ("viestinta",),
     "Yhdistykset kirjoittavat vuorollaan palstaa paikallislehteen.",
     ("Palstan sopiminen lehden kanssa", "Kirjoitusvuorojen jakaminen yhdistyksille")),
    ("Kylätalojen yhteiskäyttö", ("kylatoiminta", "osallisuus"),
     "Kylätalot ja kunnan tilat yhdistysten ja kuntalaisten yhteiseen käyttöön.",
     ("Tilojen käyttömahdollisuuksien kartoitus", "Yhteiskäytön pelisääntöjen laatiminen")),
    ("Vapaaehtoistoiminnan koordinointi", ("vapaaehtoistyo",),
     "Yhteinen vapaaehtoisten rekrytointi ja koordinointi kunnan ja järjestöjen kesken.",
     ("Yhteinen rekrytointitilaisuus", "Vapaaehtoistoiminnan yhteyshenkilön nimeäminen")),
    ("Ikäihmisten liikuntaryhmät", ("ikaantyneet", "liikunta"),
     "Järjestöjen vetämät liikuntaryhmät ikäihmisille kunnan tiloissa.",
     ("Ryhmien aikataulun sopiminen", "Vertaisohjaajien koulutus")),
    ("Perhekahvila", ("lapset-ja-perheet", "osallisuus"),
     "Viikoittainen perhekahvila järjestöjen, seurakunnan ja kunnan yhteistyönä.",
     ("Tilan ja vuorojen sopiminen", "Vapaaehtoisten vetäjien löytäminen")),
    ("Järjestöt hyvinvointikertomukseen", ("hyte", "hyvinvointi", "jarjestoyhteistyo"),
     "Järjestöjen tieto ja näkemykset kunnan hyvinvointikertomuksen valmisteluun.",
     ("Järjestöjen kuuleminen hyvinvointikertomusta varten",
      "Järjestöedustaja kunnan hyvinvointiryhmään")),
    ("Yhteinen liikunta- ja kulttuuritapahtuma", ("kulttuuri", "liikunta"),
     "Kunnan ja yhdistysten yhdessä järjestämä koko perheen tapahtuma.",
     ("Tapahtuman työnjaon sopiminen", "Markkinointi", "Tapahtuman toteutus")),
    ("Järjestöavustusten uudistaminen", ("jarjestoyhteistyo", "elinvoima"),
     "Kunnan avustuskriteerit ja haku selkeämmiksi yhdessä yhdistysten kanssa.",
     ("Avustuskriteerien päivittäminen", "Avustushausta tiedottaminen yhdistyksille")),
    ("Yhdistysten esittely kunnan verkkosivuilla", ("viestinta", "jarjestotoiminta"),
     "Kunnan verkkosivuille ajantasainen yhdistysluettelo ja esittelyt.",
     ("Yhdistystietojen kerääminen", "Sivun julkaiseminen")),
    ("Kuntalaisraati", ("osallisuus",),
     "Kuntalaisten ja järjestöjen raati kommentoimaan kunnan päätösvalmistelua.",
     ("Raadin kokoaminen", "Ensimmäinen raatikokous")),
)

_STATUS_FLOW = ("suunniteltu", "käynnissä", "toteutunut")


def _status_path(rng: random.Random, final: str, n: int) -> list[str]:
    """``n`` follow-up statuses that progress to ``final``."""
    if n <= 0:
        return []
    if final == "hylätty":
        before = [rng.choice(("suunniteltu", "käynnissä")) for _ in range(n - 1)]
        return [*sorted(before, key=_STATUS_FLOW.index), "hylätty"]
    top = _STATUS_FLOW.index(final)
    steps = sorted(rng.randint(0, top) for _ in range(n - 1))
    if steps and steps[-1] < top - 1:  # no jump from planned straight to done
        steps[-1] = top - 1
    return [_STATUS_FLOW[i] for i in steps] + [final]


def _action_statuses(rng: random.Random, plan_status: str, n: int) -> list[str]:
    out = []
    for _ in range(n):
        if plan_status == "toteutunut":
            out.append("toteutunut" if rng.random() < 0.85 else "hylätty")
        elif plan_status == "käynnissä":
            out.append(rng.choice(("suunniteltu", "käynnissä", "käynnissä", "toteutunut")))
        elif plan_status == "hylätty":
            out.append(rng.choice(("hylätty", "hylätty", "suunniteltu")))
        else:
            out.append("suunniteltu")
    return out


def _pick_status(rng: random.Random, weights: dict[str, float]) -> str:
    names = list(weights)
    return rng.choices(names, [weights[n] for n in names])[0]


def _weekdays(start: dt.date, end: dt.date, days: Sequence[int] = (1, 2, 3)) -> list[dt.date]:
    """Dates from start to end (inclusive) falling on the given weekdays (Mon = 0)."""
    out, d = [], start
    while d <= end:
        if d.weekday() in days:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _themes_ok(keys: Iterable[str], known: Sequence[str], rng: random.Random) -> list[str]:
    out = [k for k in keys if k in known]
    if not out and known:
        out = [rng.choice(list(known))]
    return out


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    base = [int(x) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base


# ======================================================================================
# Scale S: the province demo
# ======================================================================================

_S_TOUR_TITLES = {2018: "Hyppää mukaan hyvän kierteeseen!"}
_S_YEAR_THEMES = {  # preferred theme keys per year; filtered by teemat.csv
    2018: ("jarjestoyhteistyo", "elinvoima"),
    2019: ("hyvinvointi", "hyte"),
    2020: ("osallisuus", "kumppanuus"),
}
# Windows for the generated workshop dates (Tue–Thu). 2018: after the first paja (10.4.)
# into early June; 2019: spring; 2020: before the COVID-19 restrictions of mid-March.
_S_DATE_WINDOWS = {
    2018: (dt.date(2018, 4, 11), dt.date(2018, 6, 7)),
    2019: (dt.date(2019, 2, 5), dt.date(2019, 5, 16)),
    2020: (dt.date(2020, 1, 21), dt.date(2020, 3, 12)),
}
_S_KNOWN_COUNTS = {(2018, "A"): 30, (2019, "B"): 20}  # fallback if luvut.csv lacks them
_S_PLANS_2018 = 27


@dataclass
class _Muni:
    code: str
    name: str
    gen: str
    body: str
    subregion: str
    population: int
    lat: float | None
    lon: float | None
    area: str = ""


@dataclass
class _Org:
    key: str
    name: str
    type: str
    home: str
    area: str
    topic: str = ""


@dataclass
class _Workshop:
    key: str
    year: int
    area: str
    date: dt.date
    host: str
    public: bool
    title: str = ""
    target: int = 0
    rows: list[tuple[str, str, str, int]] = field(default_factory=list)  # org, kunta, role, n


def _parse_date(text: str, year: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.date(year, 6, 30)


def _generate_s(rng: random.Random, seed: int, out_dir: Path, data_dir: Path) -> dict[str, int]:
    src = _read_sources(data_dir, exclude=out_dir)
    where = str(data_dir)

    # --- reference: municipalities, areas, themes ------------------------------------
    munis: dict[str, _Muni] = {}
    for r in sorted(src.rows("kunnat"), key=lambda r: r.get("kuntanumero", "")):
        code = r.get("kuntanumero", "").zfill(3)
        if not code.strip("0") and code != "000":
            continue
        name = r.get("nimi", "")
        pop = int(r["vakiluku"]) if r.get("vakiluku", "").isdigit() else 1000
        lat = float(r["lat"]) if r.get("lat") else None
        lon = float(r["lon"]) if r.get("lon") else None
        munis[code] = _Muni(code, name, _body_genitive(name, r.get("organisaation_nimi", "")),
                            r.get("organisaation_nimi", ""), r.get("seutukunta", ""),
                            pop, lat, lon)
    area_keys = sorted(r["tunnus"] for r in src.rows("alueet") if r.get("tunnus"))
    area_munis: dict[str, list[str]] = {a: [] for a in area_keys}
    for r in sorted(src.rows("alueiden_kunnat"), key=lambda r: (r.get("alue", ""),
                                                                 r.get("kuntanumero", ""))):
        a, code = r.get("alue", ""), r.get("kuntanumero", "").zfill(3)
        if a in area_munis and code in munis and not munis[code].area:
            area_munis[a].append(code)
            munis[code].area = a
    area_keys = [a for a in area_keys if area_munis[a]]
    themes = sorted(r["tunnus"] for r in src.rows("teemat") if r.get("tunnus"))
    if not munis or not area_keys:
        raise _missing("the reference dataset (kunnat.csv, alueet.csv, alueiden_kunnat.csv) "
                       "to read before generating the demo", where)
    tour_munis = [c for c in munis if munis[c].area]  # municipalities of the tour

    # --- public record: organisations, projects, workshops, plans, figures ------------
    orgs_public = {r["tunnus"]: r for r in src.rows("organisaatiot") if r.get("tunnus")}
    kyt = "kyt-ry" if "kyt-ry" in orgs_public else next(
        (k for k, r in sorted(orgs_public.items())
         if "KYT" in r.get("nimi", "") or "Yhteisöjen Tuki" in r.get("nimi", "")), None)
    if kyt is None:
        raise _missing("KYT ry in organisaatiot.csv of the public record (elinvoimapajat)", where)
    hospital = next((k for k, r in sorted(orgs_public.items())
                     if r.get("tyyppi") == "sairaanhoitopiiri"), None)
    project = next((r["tunnus"] for r in sorted(src.rows("hankkeet"), key=lambda r: r["tunnus"])
                    if r.get("hallinnoija") == kyt), "")

    workshops: dict[tuple[int, str], _Workshop] = {}
    for r in sorted(src.rows("tapahtumat"), key=lambda r: r.get("tunnus", "")):
        a, when = r.get("alue", ""), r.get("ajankohta", "")
        if a not in area_munis or len(when) < 4 or not when[:4].isdigit():
            continue
        y = int(when[:4])
        if y in YEARS_S and (y, a) not in workshops:
            host = r.get("kunta", "").zfill(3) if r.get("kunta") else area_munis[a][0]
            workshops[(y, a)] = _Workshop(r["tunnus"], y, a, _parse_date(when, y), host, True)

    public_plans = src.rows("suunnitelmat")
    public_2018 = sum(1 for r in public_plans if r.get("vuosi") == "2018")
    public_plan_munis = sorted({r.get("kunta", "").zfill(3) for r in public_plans})
    public_counts: dict[str, int] = {}
    for r in src.rows("osallistumiset"):
        if r.get("lukumaara", "").isdigit():
            public_counts[r["tapahtuma"]] = public_counts.get(r["tapahtuma"], 0) + int(
                r["lukumaara"])
    reported: dict[str, int] = {}
    for r in src.rows("luvut"):
        text = (r.get("tunnus", "") + " " + r.get("kuvaus", "")).lower()
        if r.get("tapahtuma") and "osallistuj" in text:
            with contextlib.suppress(ValueError):
                reported[r["tapahtuma"]] = round(float(r.get("arvo", "").replace(",", ".")))

    source = "demo-synth"
    if src.is_taken("lahteet", source):
        raise _missing(f"no other dataset defining the source key {source}", where)

    def free_key(table: str, key: str) -> str:
        base, n = key, 2
        while src.is_taken(table, key):
            key, n = f"{base}-{n}", n + 1
        return key

    w = _Writers(out_dir)
    w["lahteet"].row({"tunnus": source, "otsikko": f"partnergraph synth, seed {seed}",
                      "julkaisija": "partnergraph (synteettinen aineisto)"})

    # --- the missing workshops ---------------------------------------------------------
    for y in YEARS_S:
        taken_dates = {ws.date for (yy, _), ws in workshops.items() if yy == y}
        missing = [a for a in area_keys if (y, a) not in workshops]
        cands = [d for d in _weekdays(*_S_DATE_WINDOWS[y]) if d not in taken_dates]
        dates = sorted(rng.sample(cands, len(missing)))
        order = missing[:]
        rng.shuffle(order)
        for a, d in zip(order, dates, strict=True):
            workshops[(y, a)] = _Workshop(free_key("tapahtumat", f"demo-paja-{y}-{a}"), y, a, d,
                                          "", False)
    for a in area_keys:  # hosts: rotate through the area's municipalities
        used = [workshops[(y, a)].host for y in YEARS_S if workshops[(y, a)].public]
        for y in YEARS_S:
            ws = workshops[(y, a)]
            if ws.public:
                continue
            cands = [c for c in area_munis[a] if c not in used] or area_munis[a]
            ws.host = rng.choices(cands, [munis[c].population ** 0.5 for c in cands])[0]
            used.append(ws.host)
    ws_order = sorted(workshops.values(), key=lambda ws: (ws.date, ws.key))

    venues = ("{g} {talo}", "{g} {talo}", "{g} kirjasto", "{g} seurakuntatalo",
              "{g} koulukeskus", "{g} nuorisotila")
    for ws in ws_order:
        if ws.public:
            continue
        m = munis[ws.host]
        talo = "kaupungintalo" if m.body.endswith("kaupunki") else "kunnantalo"
        venue = rng.choice(venues).format(g=m.gen, talo=talo)
        names = ", ".join(munis[c].name for c in area_munis[ws.area])
        title = f"Elinvoimapaja {ws.year} {names}"
        if ws.year in _S_TOUR_TITLES:
            title += f": {_S_TOUR_TITLES[ws.year]}"
        organisers = [kyt]
        if ws.year == 2019 and hospital:
            organisers.append(hospital)
        organisers.append(f"kunta-{ws.host}")
        w["tapahtumat"].row({
            "tunnus": ws.key, "nimi": title, "ajankohta": ws.date.isoformat(), "alue": ws.area,
            "kunta": ws.host, "paikka": venue,
            "teemat": ";".join(_themes_ok(_S_YEAR_THEMES[ws.year], themes, rng)),
            "jarjestajat": ";".join(organisers), "hanke": project,
            **_prov(source, "Synteettinen: päivämäärä, paikka ja isäntäkunta ovat keksittyjä."),
        })

    # --- neighbouring areas (by distance of the areas' centres) -------------------------
    centre: dict[str, tuple[float, float]] = {}
    for a in area_keys:
        pts = [(munis[c].lat, munis[c].lon) for c in area_munis[a]
               if munis[c].lat is not None and munis[c].lon is not None]
        if pts:
            centre[a] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    neighbours: dict[str, list[str]] = {}
    for i, a in enumerate(area_keys):
        others = [b for b in area_keys if b != a]
        if a in centre:
            def dist(b: str, a: str = a) -> float:
                if b not in centre:
                    return 1e9
                (la, lo), (lb, ob) = centre[a], centre[b]
                return math.hypot(la - lb, (lo - ob) * math.cos(math.radians(la)))
            others.sort(key=lambda b: (dist(b), b))
        else:
            others = [area_keys[(i - 1) % len(area_keys)], area_keys[(i + 1) % len(area_keys)]]
        neighbours[a] = others[:2]

    # --- fictional associations and other bodies ----------------------------------------
    n_assoc = rng.randint(190, 230)
    base_per_muni = 4
    alloc = {c: base_per_muni for c in tour_munis}
    for c in rng.choices(tour_munis, [munis[c].population ** 0.75 for c in tour_munis],
                         k=n_assoc - base_per_muni * len(tour_munis)):
        alloc[c] += 1
    used_names: set[str] = {r.get("nimi", "") for r in orgs_public.values()}
    villages_used: set[str] = set()

    def village(rng: random.Random) -> tuple[str, str]:
        for _ in range(200):
            stem = rng.choice(_STEMS)
            suf, gsuf = rng.choice(_PLACE_SUFFIXES)
            name = stem + suf
            if name not in villages_used and name not in _GENITIVES:
                villages_used.add(name)
                return name, stem + gsuf
        return name, stem + gsuf  # pragma: no cover - 1 000+ combinations

    associations: list[_Org] = []
    others: list[_Org] = []
    regnos = rng.sample(range(REGNO_MIN, REGNO_MAX + 1), n_assoc)
    org_rows: list[dict[str, Any]] = []
    for code in tour_munis:
        m = munis[code]
        patterns = list(_ASSOC_PATTERNS)
        rng.shuffle(patterns)
        for _ in range(alloc[code]):
            name = topic = ""
            while patterns and (not name or name in used_names):
                pat, topic = patterns.pop()
                name = pat.format(g=m.gen)
            if not name or name in used_names:  # municipality patterns used up: a village
                _, vgen = village(rng)
                name = rng.choice(_VILLAGE_PATTERNS).format(g=vgen)
                topic = "kylatoiminta"
            used_names.add(name)
            associations.append(_Org("", name, "yhdistys", code, m.area, topic))
    rng.shuffle(associations)
    for i, o in enumerate(associations):
        o.key = free_key("organisaatiot", f"demo-yhd-{i + 1:03d}")
        rn = regnos[i]
        org_rows.append({"tunnus": o.key, "nimi": o.name, "tyyppi": "yhdistys",
                         "kotikunta": o.home, "rekisterinumero": f"{rn // 1000}.{rn % 1000:03d}",
                         **_prov(source, "Kuvitteellinen yhdistys: nimi ja rekisterinumero "
                                         "ovat keksittyjä (numerot 900.000–999.999).")})
    for a in area_keys:
        for _ in range(rng.randint(1, 3)):
            code = rng.choice(area_munis[a])
            typ, pat = rng.choice(_OTHER_ORGS)
            _, vgen = village(rng)
            name = pat.format(v=vgen, s=rng.choice(_STEMS))
            if name in used_names:
                continue
            used_names.add(name)
            others.append(_Org(free_key("organisaatiot", f"demo-org-{len(others) + 1:03d}"),
                               name, typ, code, a))
    for o in others:
        org_rows.append({"tunnus": o.key, "nimi": o.name, "tyyppi": o.type, "kotikunta": o.home,
                         **_prov(source, "Kuvitteellinen organisaatio.")})
    for row in sorted(org_rows, key=lambda r: r["tunnus"]):
        w["organisaatiot"].row(row)

    # --- participation totals per workshop ----------------------------------------------
    grand = rng.randint(442, 449)  # "lähes 450" (nearly 450)
    fixed = 0
    free: list[_Workshop] = []
    for ws in ws_order:
        known = reported.get(ws.key)
        if known is None and ws.public:
            known = _S_KNOWN_COUNTS.get((ws.year, ws.area))
        if known is not None:
            ws.target = max(0, known - public_counts.get(ws.key, 0))
            fixed += known
        else:
            free.append(ws)
    fixed += sum(public_counts.get(ws.key, 0) for ws in free)
    year_factor = {2018: 1.15, 2019: 1.0, 2020: 0.85}
    weights = []
    for ws in free:
        pop = sum(munis[c].population for c in area_munis[ws.area])
        weights.append(pop ** 0.25 * year_factor[ws.year] * rng.uniform(0.8, 1.25))
    remaining = grand - fixed
    base = 12
    shares = _apportion(max(0, remaining - base * len(free)), weights)
    for ws, s in zip(free, shares, strict=True):
        ws.target = max(0, base + s - public_counts.get(ws.key, 0))

    # --- who came: chronological, new associations vs. returning ones --------------------
    attended: dict[str, int] = {}  # association key -> workshops attended (insertion order)
    by_key = {o.key: o for o in associations}
    unattended: dict[str, list[str]] = {a: [] for a in area_keys}
    for o in associations:
        unattended[o.area].append(o.key)
    others_by_area: dict[str, list[_Org]] = {a: [o for o in others if o.area == a]
                                             for a in area_keys}
    p_return = 0.3

    def pick_association(ws: _Workshop, present: set[str]) -> str | None:
        near = [ws.area, *neighbours[ws.area]]
        returning = [k for k in attended if k not in present and by_key[k].area in near]
        rw = [attended[k] ** 2.0 * (1.0 if by_key[k].area == ws.area else 0.12)
              for k in returning]
        own_new = [k for k in unattended[ws.area] if k not in present]
        if returning and (rng.random() < p_return or not own_new):
            return rng.choices(returning, rw)[0]
        if own_new and rng.random() < 0.92:
            return rng.choice(own_new)
        nb_new = [k for b in neighbours[ws.area] for k in unattended[b] if k not in present]
        if nb_new:
            return rng.choice(nb_new)
        if own_new:
            return rng.choice(own_new)
        rest = [o.key for o in associations if o.key not in present]
        return rng.choice(rest) if rest else None

    for ws in ws_order:
        reps_only = ws.public  # the known pajat: "municipal and association representatives"
        rows: list[list[Any]] = []  # [org, kunta, role, count, trim priority]
        rows.append([kyt, "", "järjestö", rng.randint(1, 2), 2])
        if ws.year == 2019 and hospital and not reps_only:
            rows.append([hospital, "", "muu", 1, 4])
        host_first = [ws.host] + [c for c in area_munis[ws.area] if c != ws.host]
        for c in host_first:
            is_host = c == ws.host
            rows.append([f"kunta-{c}", "", "viranhaltija", 1, 0 if is_host else 1])
            if (is_host or munis[c].population > 15000) and rng.random() < 0.6:
                rows.append([f"kunta-{c}", "", "viranhaltija", 1, 3])  # merged below
            if rng.random() < (0.55 if is_host else 0.35):
                rows.append([f"kunta-{c}", "", "luottamushenkilö", rng.randint(1, 2), 4])
        if not reps_only:
            for o in others_by_area[ws.area]:
                if rng.random() < 0.4:
                    rows.append([o.key, "", "muu", 1, 5])
            if rng.random() < 0.6:
                kunta = ws.host if rng.random() < 0.7 else rng.choice(area_munis[ws.area])
                rows.append(["", kunta, "kuntalainen", rng.randint(1, 3), 6])
        min_assoc = max(3, round(0.4 * ws.target))
        while sum(r[3] for r in rows) > ws.target - min_assoc:
            trimmable = [r for r in rows if r[4] > 0]
            if not trimmable:
                break
            worst = max(trimmable, key=lambda r: r[4])
            worst[3] -= 1
            if worst[3] == 0:
                rows.remove(worst)
        merged: dict[tuple[str, str, str], int] = {}
        for org, kunta, role, n, _ in rows:
            merged[(org, kunta, role)] = merged.get((org, kunta, role), 0) + n
        budget = ws.target - sum(merged.values())
        present: set[str] = set()
        assoc_rows: list[tuple[str, str, str, int]] = []
        while budget > 0:
            k = pick_association(ws, present)
            if k is None:
                break
            n = min(budget, rng.choices((1, 2, 3), (80, 17, 3))[0])
            present.add(k)
            attended[k] = attended.get(k, 0) + 1
            if k in unattended[by_key[k].area]:
                unattended[by_key[k].area].remove(k)
            assoc_rows.append((k, "", "järjestö", n))
            budget -= n
        if budget > 0:  # no association left to add: the organiser brings more people
            merged[(kyt, "", "järjestö")] += budget
        ws.rows = [(o, k, r, n) for (o, k, r), n in merged.items()] + assoc_rows
        note = "Synteettinen osallistujamäärä."
        for org, kunta, role, n in ws.rows:
            w["osallistumiset"].row({"tapahtuma": ws.key, "organisaatio": org, "kunta": kunta,
                                     "rooli": role, "lukumaara": n, **_prov(source, note)})

    # --- plans ---------------------------------------------------------------------------
    # A few small municipalities without any public plan get no plan at all.
    no_plan_cands = sorted((c for c in tour_munis if c not in public_plan_munis),
                           key=lambda c: (munis[c].population, c))[:8]
    no_plan = sorted(rng.sample(no_plan_cands, min(2, len(no_plan_cands))))
    planful = [c for c in tour_munis if c not in no_plan]
    n2018 = max(0, _S_PLANS_2018 - public_2018)
    have_2018 = [r.get("kunta", "").zfill(3) for r in public_plans if r.get("vuosi") == "2018"]
    plan_munis_2018 = [c for c in planful if c not in have_2018][:n2018]
    if len(plan_munis_2018) < n2018:
        plan_munis_2018 += rng.choices(planful, [munis[c].population ** 0.5 for c in planful],
                                       k=n2018 - len(plan_munis_2018))
    n2019, n2020 = rng.randint(16, 22), rng.randint(10, 15)
    pw = [munis[c].population ** 0.5 for c in planful]
    plan_specs = ([(2018, c) for c in sorted(plan_munis_2018)]
                  + [(2019, c) for c in sorted(rng.choices(planful, pw, k=n2019))]
                  + [(2020, c) for c in sorted(rng.choices(planful, pw, k=n2020))])
    final_weights = {
        2018: {"toteutunut": 45, "käynnissä": 30, "suunniteltu": 12, "hylätty": 13},
        2019: {"toteutunut": 30, "käynnissä": 35, "suunniteltu": 25, "hylätty": 10},
        2020: {"toteutunut": 10, "käynnissä": 40, "suunniteltu": 45, "hylätty": 5},
    }
    seq: dict[tuple[int, str], int] = {}
    used_templates: dict[str, list[int]] = {}
    for year, code in plan_specs:
        m = munis[code]
        ws = workshops[(year, m.area)]
        seq[(year, code)] = seq.get((year, code), 0) + 1
        key = free_key("suunnitelmat", f"demo-suunnitelma-{year}-{code}-{seq[(year, code)]}")
        tw = [(3.0 if year == 2019 and "hyvinvointi" in t[1] else 1.0)
              * (0.1 if i in used_templates.get(code, []) else 1.0)
              for i, t in enumerate(_PLAN_TEMPLATES)]
        ti = rng.choices(range(len(_PLAN_TEMPLATES)), tw)[0]
        used_templates.setdefault(code, []).append(ti)
        tname, tthemes, tdesc, tactions = _PLAN_TEMPLATES[ti]
        plan_themes = _themes_ok(tthemes, themes, rng)
        if year == 2019 and "hyvinvointi" in themes and "hyvinvointi" not in plan_themes:
            plan_themes.append("hyvinvointi")
        came = [o for o, _, role, _ in ws.rows if role == "järjestö" and o in by_key]
        local = [k for k in came if by_key[k].home == code]
        pool = local + [k for k in came if k not in local]
        partners = pool[: rng.randint(1, 3)] if pool else []
        if rng.random() < 0.25:
            extra = [o for o, _, role, _ in ws.rows if role == "muu" and o not in partners
                     and o != hospital]
            if extra:
                partners.append(rng.choice(extra))
        responsible = (f"kunta-{code}" if rng.random() < 0.75 or not partners
                       else partners[0])
        final = _pick_status(rng, final_weights[year])
        # follow-ups at the next years' workshops of the area, and in autumn 2020
        dates = [workshops[(y, m.area)].date for y in YEARS_S if y > year]
        if rng.random() < 0.5 or not dates:
            dates.append(_random_date(rng, dt.date(2020, 9, 1), dt.date(2020, 11, 30)))
        dates = sorted(d for d in dates if d.year >= year)
        if rng.random() < 0.2 and year < 2020:
            dates = dates[:1]
        if rng.random() < 0.15:  # no follow-up recorded at all
            dates = []
            final = "suunniteltu" if year == 2020 else final
        statuses = _status_path(rng, final, len(dates))
        w["suunnitelmat"].row({
            "tunnus": key, "nimi": f"{tname} ({m.name})", "kunta": code, "tapahtuma": ws.key,
            "vuosi": year, "tila": final, "teemat": ";".join(plan_themes),
            "kumppanit": ";".join(partners), "vastuutaho": responsible, "kuvaus": tdesc,
            **_prov(source, "Synteettinen yhteistyösuunnitelma."),
        })
        n_act = rng.randint(1, min(3, len(tactions)))
        for j, (text, st) in enumerate(zip(tactions[:n_act],
                                           _action_statuses(rng, final, n_act), strict=True)):
            w["toimenpiteet"].row({
                "tunnus": free_key("toimenpiteet", f"{key}-t{j + 1}"), "suunnitelma": key,
                "kuvaus": text + ".", "teema": plan_themes[j % len(plan_themes)]
                if plan_themes else "",
                "vastuutaho": responsible if j == 0 or not partners else rng.choice(
                    [responsible, *partners]),
                "tila": st, **_prov(source),
            })
        for d, st in zip(dates, statuses, strict=True):
            text = {"suunniteltu": "Ei vielä aloitettu.", "käynnissä": "Työ on käynnissä.",
                    "toteutunut": "Toteutunut.", "hylätty": "Suunnitelmasta luovuttiin."}[st]
            w["seurannat"].row({"suunnitelma": key, "paivamaara": d.isoformat(), "tila": st,
                                "kuvaus": text, **_prov(source)})

    counts = w.close()
    _write_manifest(out_dir, {
        "id": DEMO_ID,
        "title_fi": "Synteettinen esimerkkiaineisto: Keski-Suomen elinvoimapajat 2018–2020",
        "title_en": "Synthetic example data: Central Finland elinvoimapajat 2018–2020",
        "synthetic": True,
        "licence": "CC0 1.0",
        "order": 30,
        "description_fi": (
            "KUVITTEELLINEN aineisto, jonka on tuottanut komento `partnergraph synth --scale S "
            f"--seed {seed}`. Se täydentää julkista aineistoa keksityillä riveillä: puuttuvat "
            "pajat, osallistujamäärät kaikkiin 21 pajaan (yhteensä lähes 450), kuvitteelliset "
            "yhdistykset ja muut organisaatiot (rekisterinumerot 900.000–999.999, ei Y-tunnuksia), "
            "yhteistyösuunnitelmat toimenpiteineen ja seurantoineen. Mikään rivi ei kuvaa "
            "todellista yhdistystä, suunnitelmaa tai osallistujaa; kaikkien varmuus on "
            "synteettinen."),
        "description_en": (
            "FICTIONAL data generated by `partnergraph synth --scale S "
            f"--seed {seed}`. It completes the public record with made-up rows: the missing "
            "workshops, participant counts at all 21 workshops (nearly 450 in total), fictional "
            "associations and other bodies (register numbers 900.000–999.999, no Business IDs), "
            "cooperation plans with actions and follow-ups. No row describes a real "
            "association, plan or participant; every row's confidence is synthetic."),
    })
    return counts


# ======================================================================================
# Scales M and L: a synthetic country
# ======================================================================================

_ML_PARAMS = {
    # organisations, extra events (besides the area workshops), plans per municipality at
    # a workshop (mean extra), plans per extra event (mean), association slots per event
    # (multiplier of a heavy-tailed count)
    "M": {"orgs": 20_000, "extra_events": 160, "plans_ws": 1.5, "plans_ev": 1.5, "slots": 1.5},
    "L": {"orgs": 100_000, "extra_events": 1_200, "plans_ws": 4.0, "plans_ev": 4.0,
          "slots": 2.5},
}
_ML_N_REGIONS, _ML_N_SUBREGIONS, _ML_N_MUNIS, _ML_N_AREAS = 19, 70, 309, 45
_LAT_MIN, _LAT_MAX, _LON_MIN, _LON_MAX = 59.8, 70.0, 20.6, 31.5
_REGION_PREFIXES = ("Pohjois-", "Etelä-", "Itä-", "Länsi-", "Keski-", "Ylä-", "Ala-")
_REGION_STEMS = ("Koivu", "Kuusi", "Haapa", "Mänty", "Kallio", "Karhu", "Joutsen", "Kurki",
                 "Lohi", "Hilla", "Kanerva", "Kataja", "Honka", "Ilves", "Saukko", "Majava")
_EVENT_KINDS = (
    ("Kumppanuuspöytä", ("kumppanuus", "jarjestoyhteistyo")),
    ("Järjestöilta", ("jarjestoyhteistyo", "jarjestotoiminta")),
    ("Hyte-seminaari", ("hyte", "hyvinvointi")),
    ("Kyläilta", ("kylatoiminta", "osallisuus")),
    ("Vapaaehtoistoiminnan messut", ("vapaaehtoistyo",)),
    ("Kulttuuri- ja liikuntafoorumi", ("kulttuuri", "liikunta")),
)
_ML_YEAR_THEMES = {2018: ("jarjestoyhteistyo", "elinvoima"), 2019: ("hyvinvointi", "hyte"),
                   2020: ("osallisuus", "kumppanuus"), 2021: ("vapaaehtoistyo", "viestinta"),
                   2022: ("lapset-ja-perheet", "ikaantyneet")}
_FALLBACK_THEMES = (
    ("hyvinvointi", "hyvinvointi", "well-being", "http://www.yso.fi/onto/yso/p22036"),
    ("jarjestoyhteistyo", "järjestöyhteistyö", "cooperation with associations",
     "http://www.yso.fi/onto/yso/p6334"),
    ("kumppanuus", "kumppanuus", "partnership", "http://www.yso.fi/onto/yso/p7050"),
    ("osallisuus", "osallisuus", "inclusion (osallisuus)", "http://www.yso.fi/onto/yso/p5164"),
    ("vapaaehtoistyo", "vapaaehtoistyö", "volunteer work", "http://www.yso.fi/onto/yso/p3050"),
    ("jarjestotoiminta", "järjestötoiminta", "organisational activities",
     "http://www.yso.fi/onto/yso/p4785"),
    ("viestinta", "viestintä", "communication", ""),
    ("hyte", "hyvinvoinnin ja terveyden edistäminen (hyte)", "health and well-being promotion",
     ""),
    ("liikunta", "liikunta", "physical activity and sport", ""),
    ("kulttuuri", "kulttuuri", "culture", ""),
    ("kylatoiminta", "kylätoiminta", "village activities", ""),
    ("lapset-ja-perheet", "lapset ja perheet", "children and families", ""),
    ("ikaantyneet", "ikääntyneet", "older people", ""),
    ("elinvoima", "elinvoima", "local vitality", ""),
)


class _Sampler:
    """Weighted sampling from a fixed list of indices (cumulative weights + bisect)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[int], weights: Sequence[float]) -> None:
        self.items = array("i", items)
        self.cum = array("d")
        s = 0.0
        for x in weights:
            s += x
            self.cum.append(s)
        self.total = s

    def __len__(self) -> int:
        return len(self.items)

    def pick(self, rng: random.Random) -> int:
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


def _clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _generate_ml(rng: random.Random, seed: int, scale: str, out_dir: Path, data_dir: Path,
                 size: float) -> dict[str, int]:
    params = _ML_PARAMS[scale]
    n_orgs = max(200, round(params["orgs"] * size))
    n_extra = max(5, round(params["extra_events"] * size))
    ref_dir, syn_dir = out_dir / "reference", out_dir / "synth"
    _prepare_folder(ref_dir)
    _prepare_folder(syn_dir)
    source = "s-synth"
    real_names = {r.get("nimi", "") for r in _read_csv(data_dir / "reference" / "kunnat.csv")}

    # ---------------- reference: regions, sub-regions, municipalities, areas -----------
    ref = _Writers(ref_dir)
    ref["lahteet"].row({"tunnus": source, "otsikko": f"partnergraph synth --scale {scale}, "
                        f"seed {seed}", "julkaisija": "partnergraph (synteettinen aineisto)"})
    region_names: list[str] = []
    combos = [p + s + "maa" for p in _REGION_PREFIXES for s in _REGION_STEMS]
    for name in rng.sample(combos, _ML_N_REGIONS):
        region_names.append(name)
    region_centres = []
    for _ in range(_ML_N_REGIONS):
        lat = 60.2 + 8.3 * rng.random() ** 1.7
        lon = rng.uniform(24.0, 29.5) if lat > 66 else rng.uniform(21.8, 30.5)
        region_centres.append((lat, lon))
    region_codes = [f"{i + 1:02d}" for i in range(_ML_N_REGIONS)]
    for code, name in zip(region_codes, region_names, strict=True):
        ref["maakunnat"].row({"koodi": code, "nimi": name, **_prov(source)})

    sub_counts = [2] * _ML_N_REGIONS
    for r in rng.choices(range(_ML_N_REGIONS), k=_ML_N_SUBREGIONS - 2 * _ML_N_REGIONS):
        sub_counts[r] += 1
    sub_region: list[int] = []  # sub-region index -> region index
    sub_centres = []
    for r, k in enumerate(sub_counts):
        for _ in range(k):
            sub_region.append(r)
            la, lo = region_centres[r]
            sub_centres.append((la + rng.gauss(0, 0.35), lo + rng.gauss(0, 0.7)))
    sub_codes = [f"{101 + j:03d}" for j in range(_ML_N_SUBREGIONS)]

    muni_counts = [1] * _ML_N_SUBREGIONS
    sub_w = [rng.uniform(0.3, 1.7) for _ in range(_ML_N_SUBREGIONS)]
    for j in rng.choices(range(_ML_N_SUBREGIONS), sub_w, k=_ML_N_MUNIS - _ML_N_SUBREGIONS):
        muni_counts[j] += 1
    muni_codes = sorted(rng.sample(range(1, 1000), _ML_N_MUNIS))
    rng.shuffle(muni_codes)
    used: set[str] = set(real_names)
    m_code: list[str] = []
    m_name: list[str] = []
    m_gen: list[str] = []
    m_sub = array("i")
    m_pop = array("i")
    m_lat = array("d")
    m_lon = array("d")
    for j, k in enumerate(muni_counts):
        for i in range(k):
            for _ in range(500):
                stem = rng.choice(_STEMS)
                suf, gsuf = rng.choice(_PLACE_SUFFIXES)
                if stem + suf not in used:
                    break
            used.add(stem + suf)
            m_code.append(f"{muni_codes[len(m_code)]:03d}")
            m_name.append(stem + suf)
            m_gen.append(stem + gsuf)
            m_sub.append(j)
            pop = rng.lognormvariate(math.log(5200), 1.05) * (6.0 if i == 0 else 1.0)
            m_pop.append(int(round(_clip(pop, 90, 700_000), -1)))
            la, lo = sub_centres[j]
            m_lat.append(_clip(la + rng.gauss(0, 0.18), _LAT_MIN, _LAT_MAX))
            m_lon.append(_clip(lo + rng.gauss(0, 0.35), _LON_MIN, _LON_MAX))
    n_m = len(m_code)
    for j in range(_ML_N_SUBREGIONS):
        main = next(i for i in range(n_m) if m_sub[i] == j)
        ref["seutukunnat"].row({"koodi": sub_codes[j], "nimi": f"{m_gen[main]} seutukunta",
                                "maakunta": region_codes[sub_region[j]], **_prov(source)})
    for i in sorted(range(n_m), key=lambda i: m_code[i]):
        body = "kaupunki" if m_pop[i] >= 10_000 else "kunta"
        ref["kunnat"].row({
            "kuntanumero": m_code[i], "nimi": m_name[i], "organisaation_nimi":
            f"{m_gen[i]} {body}", "seutukunta": sub_codes[m_sub[i]],
            "maakunta": region_codes[sub_region[m_sub[i]]], "lat": f"{m_lat[i]:.5f}",
            "lon": f"{m_lon[i]:.5f}", "vakiluku": m_pop[i], "vakiluku_vuosi": 2020,
            **_prov(source)})

    # areas: each region's municipalities, ordered by sub-region and longitude, in chunks
    region_munis: list[list[int]] = [[] for _ in range(_ML_N_REGIONS)]
    for i in range(n_m):
        region_munis[sub_region[m_sub[i]]].append(i)
    k_per_region = [max(1, round(_ML_N_AREAS * len(ms) / n_m)) for ms in region_munis]
    while sum(k_per_region) != _ML_N_AREAS:
        diff = 1 if sum(k_per_region) < _ML_N_AREAS else -1
        cands = [r for r in range(_ML_N_REGIONS)
                 if diff > 0 or k_per_region[r] > 1]
        r = max(cands, key=lambda r: (len(region_munis[r]) / k_per_region[r]) * diff)
        k_per_region[r] += diff
    areas: list[list[int]] = []
    m_area = array("i", [0] * n_m)
    for r, ms in enumerate(region_munis):
        ms = sorted(ms, key=lambda i: (m_sub[i], m_lon[i]))
        k = min(k_per_region[r], len(ms))
        bounds = [round(len(ms) * t / k) for t in range(k + 1)]
        for t in range(k):
            chunk = ms[bounds[t]:bounds[t + 1]]
            for i in chunk:
                m_area[i] = len(areas)
            areas.append(chunk)
    area_keys = [f"s-alue-{a + 1:02d}" for a in range(len(areas))]
    for a, ms in enumerate(areas):
        names = [m_name[i] for i in ms]
        label = ", ".join(names[:3]) + (f" ja {len(names) - 3} muuta" if len(names) > 3 else "")
        ref["alueet"].row({"tunnus": area_keys[a], "nimi": label, **_prov(source)})
    for a, ms in enumerate(areas):
        for i in sorted(ms, key=lambda i: m_code[i]):
            ref["alueiden_kunnat"].row({"alue": area_keys[a], "kuntanumero": m_code[i],
                                        **_prov(source)})
    theme_rows = _read_csv(data_dir / "reference" / "teemat.csv")
    if theme_rows:
        for r in theme_rows:
            ref["teemat"].row({c.name: r.get(c.name, "") for c in TABLES_BY_NAME["teemat"].columns})
        themes = [r["tunnus"] for r in theme_rows]
    else:
        for k, fi, en, yso in _FALLBACK_THEMES:
            ref["teemat"].row({"tunnus": k, "nimi_fi": fi, "nimi_en": en, "yso": yso})
        themes = [t[0] for t in _FALLBACK_THEMES]
    counts = {f"reference/{k}": v for k, v in ref.close().items()}
    _write_manifest(ref_dir, {
        "id": "synth-reference",
        "title_fi": f"Synteettinen viiteaineisto (mittakaava {scale})",
        "title_en": f"Synthetic reference data (scale {scale})",
        "synthetic": True, "licence": "CC0 1.0", "order": 10,
        "description_fi": (
            "KUVITTEELLINEN maa suorituskykytestejä varten: 19 maakuntaa, 70 seutukuntaa, "
            "309 kuntaa ja 45 paja-aluetta. Nimet, koodit, sijainnit ja väkiluvut ovat keksittyjä; "
            f"tuottanut `partnergraph synth --scale {scale} --seed {seed}`."),
        "description_en": (
            "A FICTIONAL country for benchmarks: 19 regions, 70 sub-regions, 309 municipalities "
            "and 45 workshop areas. Names, codes, locations and populations are made up; "
            f"generated by `partnergraph synth --scale {scale} --seed {seed}`."),
    })

    # ---------------- synth: organisations -----------------------------------------------
    syn = _Writers(syn_dir)
    org_w = syn["organisaatiot"]
    region_gen = [n + "n" for n in region_names]
    # register numbers: a bijection n -> 900000 + (a*n + b) mod 100000 (a coprime to 10)
    reg_a = rng.choice([x for x in range(30_011, 30_211) if x % 2 and x % 5])
    reg_b = rng.randrange(100_000)
    reg_span = REGNO_MAX - REGNO_MIN + 1
    n_assoc = 0

    def next_regno() -> str:
        nonlocal n_assoc
        n_assoc += 1
        if n_assoc > reg_span:  # more associations than fictional numbers: leave it empty
            return ""
        rn = REGNO_MIN + (reg_a * (n_assoc - 1) + reg_b) % reg_span
        return f"{rn // 1000}.{rn % 1000:03d}"

    support: list[str] = []  # regional association support body per region
    for r in range(_ML_N_REGIONS):
        capital = max(region_munis[r], key=lambda i: (m_pop[i], m_code[i]))
        key = f"s-tuki-{region_codes[r]}"
        support.append(key)
        org_w.row({"tunnus": key, "nimi": f"{region_gen[r]} Yhteisöjen Tuki ry",
                   "tyyppi": "yhdistys", "kotikunta": m_code[capital],
                   "rekisterinumero": next_regno(), **_prov(source)})
        org_w.row({"tunnus": f"s-shp-{region_codes[r]}", "nimi":
                   f"{region_gen[r]} sairaanhoitopiiri", "tyyppi": "sairaanhoitopiiri",
                   "kotikunta": m_code[capital], **_prov(source)})
        org_w.row({"tunnus": f"s-liitto-{region_codes[r]}", "nimi": f"{region_gen[r]} liitto",
                   "tyyppi": "maakuntaliitto", "kotikunta": m_code[capital], **_prov(source)})

    home_sampler = _Sampler(range(n_m), [m_pop[i] ** 0.8 for i in range(n_m)])
    o_home = array("i")
    o_weight = array("d")
    o_assoc = bytearray()
    types = ("yhdistys", "seurakunta", "oppilaitos", "yritys", "muu")
    type_w = (86, 3, 4, 6, 1)
    for i in range(n_orgs):
        h = home_sampler.pick(rng)
        typ = rng.choices(types, type_w)[0]
        o_home.append(h)
        o_weight.append(min(rng.paretovariate(1.2), 300.0))
        o_assoc.append(1 if typ == "yhdistys" else 0)
        g = m_gen[h] if rng.random() < 0.7 else (
            rng.choice(_STEMS) + rng.choice(_PLACE_SUFFIXES)[1])
        if typ == "yhdistys":
            name = rng.choice(_ASSOC_PATTERNS)[0].format(g=g)
            regno = next_regno()
        else:
            pat = rng.choice([p for t, p in _OTHER_ORGS if t == typ])
            name = pat.format(v=g, s=rng.choice(_STEMS))
            regno = ""
        org_w.row({"tunnus": f"s-org-{i + 1:06d}", "nimi": name, "tyyppi": typ,
                   "kotikunta": m_code[h], "rekisterinumero": regno, **_prov(source)})

    # pools for locality: associations (and other bodies) per sub-region and region
    sub_members: list[list[int]] = [[] for _ in range(_ML_N_SUBREGIONS)]
    sub_other: list[list[int]] = [[] for _ in range(_ML_N_SUBREGIONS)]
    for i in range(n_orgs):
        (sub_members if o_assoc[i] else sub_other)[m_sub[o_home[i]]].append(i)
    reg_members: list[list[int]] = [[] for _ in range(_ML_N_REGIONS)]
    for j in range(_ML_N_SUBREGIONS):
        reg_members[sub_region[j]].extend(sub_members[j])
    all_assoc = [i for i in range(n_orgs) if o_assoc[i]]
    sub_pool = [_Sampler(ms, [o_weight[i] for i in ms]) for ms in sub_members]
    sub_other_pool = [_Sampler(ms, [o_weight[i] for i in ms]) for ms in sub_other]
    reg_pool = [_Sampler(ms, [o_weight[i] for i in ms]) for ms in reg_members]
    nat_pool = _Sampler(all_assoc, [o_weight[i] for i in all_assoc])
    del sub_members, sub_other, reg_members, all_assoc

    # ---------------- synth: events ------------------------------------------------------
    events: list[tuple[dt.date, str, int, int, str, tuple[str, ...], bool]] = []
    # (date, key, host municipality, area, title, themes, is workshop)
    for y in YEARS_ML:
        for a, ms in enumerate(areas):
            host = rng.choices(ms, [m_pop[i] ** 0.5 for i in ms])[0]
            d = _random_date(rng, dt.date(y, 2, 1), dt.date(y, 5, 31))
            title = f"Elinvoimapaja {y}: {m_name[host]} ({len(ms)} kuntaa)"
            events.append((d, f"s-paja-{y}-{a + 1:02d}", host, a, title,
                           _ML_YEAR_THEMES[y], True))
    ev_sampler = _Sampler(range(n_m), [m_pop[i] ** 0.7 for i in range(n_m)])
    for k in range(n_extra):
        host = ev_sampler.pick(rng)
        y = rng.choice(YEARS_ML)
        kind, kth = rng.choice(_EVENT_KINDS)
        d = _random_date(rng, dt.date(y, 1, 10), dt.date(y, 12, 10))
        events.append((d, f"s-tap-{k + 1:05d}", host, m_area[host], f"{kind}, {m_name[host]}",
                       kth, False))
    events.sort(key=lambda e: (e[0], e[1]))

    ev_w, part_w = syn["tapahtumat"], syn["osallistumiset"]
    plan_w, act_w, fu_w = syn["suunnitelmat"], syn["toimenpiteet"], syn["seurannat"]
    n_plans = 0
    last_day = dt.date(2023, 12, 31)
    final_by_age = {  # years since the plan -> final-status weights
        0: {"suunniteltu": 50, "käynnissä": 40, "toteutunut": 5, "hylätty": 5},
        1: {"suunniteltu": 25, "käynnissä": 40, "toteutunut": 25, "hylätty": 10},
        2: {"suunniteltu": 12, "käynnissä": 30, "toteutunut": 45, "hylätty": 13},
    }
    for d, key, host, a, title, ev_themes, is_ws in events:
        r = sub_region[m_sub[host]]
        organisers = [support[r], f"kunta-{m_code[host]}"]
        if is_ws and rng.random() < 0.3:
            organisers.insert(1, f"s-shp-{region_codes[r]}")
        ev_w.row({"tunnus": key, "nimi": title, "ajankohta": d.isoformat(),
                  "alue": area_keys[a], "kunta": m_code[host],
                  "teemat": ";".join(_themes_ok(ev_themes, themes, rng)),
                  "jarjestajat": ";".join(organisers), **_prov(source)})
        # participations
        munis_here = areas[a] if is_ws else [host]
        part_w.row({"tapahtuma": key, "organisaatio": support[r], "rooli": "järjestö",
                    "lukumaara": rng.randint(1, 3), **_prov(source)})
        for i in munis_here:
            part_w.row({"tapahtuma": key, "organisaatio": f"kunta-{m_code[i]}",
                        "rooli": "viranhaltija", "lukumaara": rng.randint(1, 3), **_prov(source)})
            if rng.random() < 0.4:
                part_w.row({"tapahtuma": key, "organisaatio": f"kunta-{m_code[i]}",
                            "rooli": "luottamushenkilö", "lukumaara": rng.randint(1, 2),
                            **_prov(source)})
        if rng.random() < 0.5:
            part_w.row({"tapahtuma": key, "kunta": m_code[host], "rooli": "kuntalainen",
                        "lukumaara": rng.randint(1, 6), **_prov(source)})
        sp = sub_other_pool[m_sub[host]]
        present: set[int] = set()
        for _ in range(rng.randint(0, 3) if len(sp) else 0):
            o = sp.pick(rng)
            if o not in present:
                present.add(o)
                part_w.row({"tapahtuma": key, "organisaatio": f"s-org-{o + 1:06d}",
                            "rooli": "muu", "lukumaara": 1, **_prov(source)})
        n_slots = round(params["slots"] * (6 + min(rng.paretovariate(1.6) * 5, 80) if is_ws
                                           else 2 + min(rng.paretovariate(1.3) * 3, 150)))
        came: list[int] = []
        for _ in range(n_slots):
            u = rng.random()
            pool = (sub_pool[m_sub[host]] if u < 0.6 else reg_pool[r] if u < 0.9 else nat_pool)
            if not len(pool):
                pool = nat_pool
            if not len(pool):
                break
            for _try in range(4):
                o = pool.pick(rng)
                if o not in present:
                    break
            else:
                continue
            present.add(o)
            came.append(o)
            part_w.row({"tapahtuma": key, "organisaatio": f"s-org-{o + 1:06d}",
                        "rooli": "järjestö", "lukumaara": rng.choices((1, 2, 3), (80, 17, 3))[0],
                        **_prov(source)})
        # plans of this event
        plan_munis: list[int] = []
        if is_ws:
            for i in munis_here:
                plan_munis += [i] * (int(rng.random() < 0.8)
                                     + min(int(rng.expovariate(1 / params["plans_ws"])), 12))
        else:
            plan_munis = [host] * min(int(rng.expovariate(1 / params["plans_ev"])), 30)
        for i in plan_munis:
            n_plans += 1
            pkey = f"s-plan-{n_plans:06d}"
            tname, tthemes, tdesc, tactions = rng.choice(_PLAN_TEMPLATES)
            pthemes = _themes_ok(tthemes, themes, rng)
            local = [o for o in came if o_home[o] == i]
            pool_p = local + [o for o in came if o_home[o] != i]
            partners = [f"s-org-{o + 1:06d}" for o in pool_p[: rng.randint(1, 4)]]
            responsible = (f"kunta-{m_code[i]}" if rng.random() < 0.7 or not partners
                           else partners[0])
            age = min(2, 2022 - d.year)
            final = _pick_status(rng, final_by_age[age])
            n_fu = rng.choices((0, 1, 2, 3), (20, 40, 30, 10))[0]
            fdates = sorted({_random_date(rng, d, last_day) for _ in range(n_fu)})
            statuses = _status_path(rng, final, len(fdates))
            plan_w.row({"tunnus": pkey, "nimi": f"{tname} ({m_name[i]})", "kunta": m_code[i],
                        "tapahtuma": key, "vuosi": d.year, "tila": final,
                        "teemat": ";".join(pthemes), "kumppanit": ";".join(partners),
                        "vastuutaho": responsible, "kuvaus": tdesc, **_prov(source)})
            n_act = rng.randint(1, min(3, len(tactions)))
            for j, st in enumerate(_action_statuses(rng, final, n_act)):
                act_w.row({"tunnus": f"{pkey}-t{j + 1}", "suunnitelma": pkey,
                           "kuvaus": tactions[j] + ".", "teema": pthemes[j % len(pthemes)]
                           if pthemes else "", "vastuutaho": responsible, "tila": st,
                           **_prov(source)})
            for fd, st in zip(fdates, statuses, strict=True):
                fu_w.row({"suunnitelma": pkey, "paivamaara": fd.isoformat(), "tila": st,
                          **_prov(source)})

    counts.update({f"synth/{k}": v for k, v in syn.close().items()})
    _write_manifest(syn_dir, {
        "id": "synth",
        "title_fi": f"Synteettinen kumppanuusaineisto (mittakaava {scale})",
        "title_en": f"Synthetic partnership data (scale {scale})",
        "synthetic": True, "licence": "CC0 1.0", "order": 30,
        "description_fi": (
            f"KUVITTEELLINEN suorituskykytestiaineisto: {n_orgs} organisaatiota, tapahtumat "
            "2018–2022, osallistumiset, yhteistyösuunnitelmat, toimenpiteet ja seurannat "
            "synteettisen viiteaineiston kunnissa. Kaikki nimet ja numerot ovat keksittyjä "
            "(rekisterinumerot 900.000–999.999, ei Y-tunnuksia); tuottanut "
            f"`partnergraph synth --scale {scale} --seed {seed}`."),
        "description_en": (
            f"FICTIONAL benchmark data: {n_orgs} organisations, events 2018–2022, "
            "participations, cooperation plans, actions and follow-ups in the municipalities of "
            "the synthetic reference dataset. All names and numbers are made up (register "
            "numbers 900.000–999.999, no Business IDs); generated by "
            f"`partnergraph synth --scale {scale} --seed {seed}`."),
    })
    return counts


# ======================================================================================
# Entry point
# ======================================================================================


def generate(scale: str, seed: int, out_dir: Path, data_dir: Path,
             size: float = 1.0) -> dict[str, int]:
    """Write synthetic data for ``scale`` (S, M or L) with ``seed``; return rows per table.

    S writes one dataset folder ``out_dir`` (normally ``data/demo``) and reads the real
    datasets under ``data_dir``. M and L write ``out_dir/reference`` and ``out_dir/synth``
    (a self-contained synthetic country) and must not be written into ``data_dir``, whose
    real reference data they would clash with. ``size`` scales the organisation and
    extra-event counts of M and L (for tests); it does not affect S.
    """
    scale = scale.upper()
    if scale not in SCALES:
        raise SettingError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)}.")
    if not (size > 0):
        raise SettingError("The size factor must be greater than 0.")
    out_dir, data_dir = Path(out_dir), Path(data_dir)
    rng = random.Random(seed)
    if scale == "S":
        _prepare_folder(out_dir)
        return _generate_s(rng, seed, out_dir, data_dir)
    out_r, data_r = out_dir.resolve(), data_dir.resolve()
    if out_r == data_r or data_r in out_r.parents:
        raise SettingError(
            f"Scale {scale} writes a self-contained synthetic country (its own reference data) "
            f"and must not go inside the data folder {data_dir}: give --out, e.g. "
            f"`partnergraph synth --scale {scale} --out /tmp/synth-{scale.lower()}`.")
    return _generate_ml(rng, seed, scale, out_dir, data_dir, size)
