"""The source tables: their Finnish file and column names, types and references.

This module is the single definition of the import format. The CSV/XLSX templates in
``data/templates/`` and the column reference in ``data/README.md`` are generated from it
(``partnergraph templates``), and the readers and validators use nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from partnergraph.ingest import fields as f
from partnergraph.namespaces import PG


@dataclass(frozen=True)
class Column:
    """One column: Finnish header, English field name, parser and reference target."""

    name: str
    attr: str
    parse: Callable[[str], Any]
    required: bool = False
    ref: str | None = None  # name of the table whose keys this column refers to
    help: str = ""


@dataclass(frozen=True)
class Table:
    """One entity table: ``<name>.csv`` or a sheet ``<name>`` in an XLSX workbook."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # attrs that together identify a row uniquely
    registers: str | None = None  # key namespace this table defines (for references)
    help: str = ""
    aliases: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def key_columns(self) -> str:
        """The Finnish names of the key columns, for messages."""
        return ", ".join(c.name for c in self.columns if c.attr in self.key)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


ORG_TYPES = {
    "yhdistys": PG.RegisteredAssociation,
    "kunta": PG.MunicipalityBody,
    "seurakunta": PG.Parish,
    "sairaanhoitopiiri": PG.WellbeingServicesBody,
    "hyvinvointialue": PG.WellbeingServicesBody,
    "maakuntaliitto": PG.RegionalCouncil,
    "yritys": PG.Company,
    "oppilaitos": PG.EducationalInstitution,
    "muu": PG.OtherOrganisation,
}
ROLES = {
    "viranhaltija": PG.roleOfficial,
    "luottamushenkilö": PG.roleElected,
    "luottamushenkilo": PG.roleElected,
    "järjestö": PG.roleAssociation,
    "jarjesto": PG.roleAssociation,
    "kuntalainen": PG.roleResident,
    "muu": PG.roleOther,
}
STATUSES = {
    "suunniteltu": PG.statusPlanned,
    "käynnissä": PG.statusInProgress,
    "kaynnissa": PG.statusInProgress,
    "toteutunut": PG.statusDone,
    "hylätty": PG.statusDropped,
    "hylatty": PG.statusDropped,
}
CONFIDENCES = {
    "vahvistettu": PG.confirmed,
    "päätelty": PG.inferred,
    "paatelty": PG.inferred,
    "vahvistamaton": PG.unverified,
    "synteettinen": PG.synthetic,
}

_org_type = f.choice(ORG_TYPES)
_role = f.choice(ROLES)
_status = f.choice(STATUSES)
_confidence = f.choice(CONFIDENCES)


def _provenance() -> tuple[Column, ...]:
    return (
        Column("lahde", "sources", f.keys, True, "lahteet", "source keys (lahteet.csv), ';'-separated"),
        Column("varmuus", "confidence", _confidence, True, None,
               "vahvistettu | päätelty | vahvistamaton | synteettinen"),
        Column("huomautus", "note", f.text, False, None, "free note on the row"),
    )


TABLES: tuple[Table, ...] = (
    Table(
        "lahteet", "Sources",
        (
            Column("tunnus", "key", f.key, True, help="key referred to by the lahde columns"),
            Column("otsikko", "title", f.text, True, help="title of the document or page"),
            Column("url", "url", f.url, help="web address, if any"),
            Column("julkaisija", "publisher", f.text, help="publisher"),
            Column("julkaistu", "issued", f.date, help="publication date"),
        ),
        key=("key",), registers="lahteet",
        help="Documents and pages the facts come from.",
    ),
    Table(
        "maakunnat", "Regions (maakunta)",
        (
            Column("koodi", "code", f.region_code, True, help="Statistics Finland region code"),
            Column("nimi", "name", f.text, True),
            Column("nuts3", "nuts3", f.text, help="NUTS 3 code, e.g. FI193"),
            Column("iso_3166_2", "iso", f.text, help="ISO 3166-2 code, e.g. FI-08"),
            Column("yso", "yso", f.url, help="YSO place URI"),
            *_provenance(),
        ),
        key=("code",), registers="maakunnat",
    ),
    Table(
        "seutukunnat", "Sub-regions (seutukunta)",
        (
            Column("koodi", "code", f.municipality_code, True, help="sub-region code, e.g. 131"),
            Column("nimi", "name", f.text, True),
            Column("maakunta", "region", f.region_code, True, "maakunnat"),
            *_provenance(),
        ),
        key=("code",), registers="seutukunnat",
    ),
    Table(
        "kunnat", "Municipalities",
        (
            Column("kuntanumero", "code", f.municipality_code, True,
                   help="Statistics Finland municipality code, 3 digits"),
            Column("nimi", "name", f.text, True, help="name in Finnish"),
            Column("organisaation_nimi", "body_name", f.text,
                   help="name of the municipality as an organisation, e.g. Luhangan kunta"),
            Column("seutukunta", "subregion", f.municipality_code, True, "seutukunnat"),
            Column("maakunta", "region", f.region_code, True, "maakunnat"),
            Column("lat", "lat", f.latitude, help="latitude of the centre (WGS84)"),
            Column("lon", "lon", f.longitude, help="longitude of the centre (WGS84)"),
            Column("vakiluku", "population", f.nonneg_int, help="population"),
            Column("vakiluku_vuosi", "population_year", f.year, help="year of the population figure"),
            Column("siirtyi_maakuntaan", "moved_to", f.region_code, False, "maakunnat",
                   help="region the municipality later moved to"),
            Column("siirtymapaiva", "moved_on", f.date, help="date of the move"),
            *_provenance(),
        ),
        key=("code",), registers="kunnat",
    ),
    Table(
        "alueet", "Workshop areas of the tour",
        (
            Column("tunnus", "key", f.key, True, help="area key, e.g. A"),
            Column("nimi", "name", f.text, True),
            *_provenance(),
        ),
        key=("key",), registers="alueet",
    ),
    Table(
        "alueiden_kunnat", "Municipalities of each workshop area",
        (
            Column("alue", "area", f.key, True, "alueet"),
            Column("kuntanumero", "municipality", f.municipality_code, True, "kunnat"),
            *_provenance(),
        ),
        key=("area", "municipality"),
    ),
    Table(
        "teemat", "Themes",
        (
            Column("tunnus", "key", f.key, True),
            Column("nimi_fi", "name_fi", f.text, True),
            Column("nimi_en", "name_en", f.text, True),
            Column("yso", "yso", f.url, help="matching YSO concept URI"),
        ),
        key=("key",), registers="teemat",
    ),
    Table(
        "organisaatiot", "Organisations",
        (
            Column("tunnus", "key", f.key, True, help="stable key (not kunta-NNN: those are built in)"),
            Column("nimi", "name", f.text, True),
            Column("tyyppi", "type", _org_type, True, help=" | ".join(ORG_TYPES)),
            Column("kotikunta", "home", f.municipality_code, False, "kunnat"),
            Column("y_tunnus", "ytunnus", f.ytunnus, help="Business ID with check digit"),
            Column("rekisterinumero", "register_number", f.register_number,
                   help="association register number, e.g. 123.456"),
            Column("kotisivu", "homepage", f.url),
            *_provenance(),
        ),
        key=("key",), registers="organisaatiot",
    ),
    Table(
        "hankkeet", "Projects",
        (
            Column("tunnus", "key", f.key, True),
            Column("nimi", "name", f.text, True),
            Column("hallinnoija", "administrator", f.key, False, "organisaatiot"),
            Column("rahoittaja", "funder", f.key, False, "organisaatiot"),
            Column("alkaa", "start", f.date),
            Column("paattyy", "end", f.date),
            *_provenance(),
        ),
        key=("key",), registers="hankkeet",
    ),
    Table(
        "tapahtumat", "Events and workshops",
        (
            Column("tunnus", "key", f.key, True),
            Column("nimi", "name", f.text, True),
            Column("ajankohta", "when", f.date_or_year, True, help="YYYY-MM-DD or YYYY"),
            Column("alue", "area", f.key, False, "alueet"),
            Column("kunta", "municipality", f.municipality_code, False, "kunnat"),
            Column("paikka", "venue", f.text, help="venue name"),
            Column("teemat", "themes", f.keys, False, "teemat"),
            Column("jarjestajat", "organisers", f.keys, False, "organisaatiot"),
            Column("hanke", "project", f.key, False, "hankkeet"),
            *_provenance(),
        ),
        key=("key",), registers="tapahtumat",
    ),
    Table(
        "osallistumiset", "Participation counts",
        (
            Column("tapahtuma", "event", f.key, True, "tapahtumat"),
            Column("organisaatio", "org", f.key, False, "organisaatiot",
                   help="body the people came from; empty for residents"),
            Column("kunta", "municipality", f.municipality_code, False, "kunnat",
                   help="home municipality of residents without a body"),
            Column("rooli", "role", _role, True, help="viranhaltija | luottamushenkilö | "
                   "järjestö | kuntalainen | muu"),
            Column("lukumaara", "count", f.nonneg_int, True, help="number of people"),
            *_provenance(),
        ),
        key=("event", "org", "municipality", "role"),
    ),
    Table(
        "suunnitelmat", "Cooperation plans",
        (
            Column("tunnus", "key", f.key, True),
            Column("nimi", "title", f.text, True),
            Column("kunta", "municipality", f.municipality_code, True, "kunnat"),
            Column("tapahtuma", "event", f.key, False, "tapahtumat"),
            Column("vuosi", "year", f.year, True),
            Column("tila", "status", _status, True,
                   help="suunniteltu | käynnissä | toteutunut | hylätty"),
            Column("teemat", "themes", f.keys, False, "teemat"),
            Column("kumppanit", "partners", f.keys, False, "organisaatiot"),
            Column("vastuutaho", "responsible", f.key, False, "organisaatiot"),
            Column("kuvaus", "description", f.text),
            *_provenance(),
        ),
        key=("key",), registers="suunnitelmat",
    ),
    Table(
        "toimenpiteet", "Actions of plans",
        (
            Column("tunnus", "key", f.key, True),
            Column("suunnitelma", "plan", f.key, True, "suunnitelmat"),
            Column("kuvaus", "description", f.text, True),
            Column("teema", "theme", f.key, False, "teemat"),
            Column("vastuutaho", "responsible", f.key, False, "organisaatiot"),
            Column("tila", "status", _status, True),
            *_provenance(),
        ),
        key=("key",), registers="toimenpiteet",
    ),
    Table(
        "seurannat", "Follow-ups of plans",
        (
            Column("suunnitelma", "plan", f.key, True, "suunnitelmat"),
            Column("paivamaara", "date", f.date, True),
            Column("tila", "status", _status, True),
            Column("kuvaus", "description", f.text),
            *_provenance(),
        ),
        key=("plan", "date"),
    ),
    Table(
        "luvut", "Reported figures",
        (
            Column("tunnus", "key", f.key, True),
            Column("kuvaus", "description", f.text, True),
            Column("arvo", "value", f.number, True),
            Column("likimaarainen", "approximate", f.boolean, help="kyllä if the figure is approximate"),
            Column("vuosi", "year", f.year),
            Column("hanke", "project", f.key, False, "hankkeet"),
            Column("tapahtuma", "event", f.key, False, "tapahtumat"),
            *_provenance(),
        ),
        key=("key",), registers="luvut",
    ),
    Table(
        "toimintamallit", "Innokylä operating models",
        (
            Column("tunnus", "key", f.key, True),
            Column("nimi", "name", f.text, True),
            Column("url", "url", f.url, True),
            Column("toteuttaja", "implementer", f.key, False, "organisaatiot"),
            Column("rahoittaja", "funder", f.key, False, "organisaatiot"),
            Column("tekija", "author", f.text),
            Column("luotu", "created", f.date),
            Column("muokattu", "modified", f.date),
            Column("hanke", "project", f.key, False, "hankkeet"),
            *_provenance(),
        ),
        key=("key",), registers="toimintamallit",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
