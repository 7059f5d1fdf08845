"""The Innokylä bundle: files a staff member pastes into and attaches to an Innokylä
toimintamalli page (Innokylä has no import API; see ``shared/reference/innokyla-export.md``).

One zip per selection (the whole tour, one workshop area or one municipality):

* ``innokyla_luonnos_<slug>.md`` / ``.html`` — a Finnish draft in the order of the page:
  Perustiedot, Ratkaisun perusidea, Toimintaympäristö, Kohderyhmä ja asiakasymmärrys,
  Toimivuuden ja käyttöönoton ehdot, and the Kehittämisen polku headings; pre-filled from the
  graph (partners, plans and their status, participation, workshops, network measures);
* ``kumppanuusverkosto_<slug>.png`` / ``.svg`` — the network figure;
* ``kumppanit_kunnittain_<slug>.csv`` / ``.xlsx``, ``suunnitelmat_<slug>.csv`` / ``.xlsx``,
  ``kuntayhteenveto_<slug>.csv`` — tables, safe against formula injection;
* ``verkosto_<slug>.ttl`` / ``.jsonld`` — the selected subgraph;
* ``LUEMINUT.txt`` — data date, sources, licence, how to cite, the synthetic marking.

No personal data: organisations only, never people (not even the authors of pages).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from partnergraph.export import rdf as rdf_export
from partnergraph.export.figure import network_figure
from partnergraph.export.graphs import selection_network
from partnergraph.export.selection import Selection, selected_municipalities
from partnergraph.export.spreadsheet import csv_bytes, xlsx_bytes
from partnergraph.namespaces import sparql_prologue
from partnergraph.rdf.reader import GraphReader

P = sparql_prologue()
DCT_CREATOR = "http://purl.org/dc/terms/creator"

#: Innokylä's field labels; the place field was renamed in 2023 and both are in use (§1d, §8).
PLACE_LABELS = ("Paikkakunta, maakunta tai hyvinvointialue", "Paikkakunta tai maakunta")
SECTIONS = (
    "Perustiedot",
    "Ratkaisun perusidea",
    "Toimintaympäristö",
    "Kohderyhmä ja asiakasymmärrys",
    "Toimivuuden ja käyttöönoton ehdot",
    "Kehittämisen polku",
)
PATH_HEADINGS = (
    "Lähtötilanne ja strategiset liittymäkohdat",
    "Kehitystyön lähtökohtana olevat tarpeet",
    "Kehittäjäjoukon kokoaminen ja yhteiskehittäminen",
    "Tavoiteltu muutos",
    "Muutoksen mittaaminen",
)
TYPE_FI = {
    "RegisteredAssociation": "yhdistys",
    "MunicipalityBody": "kunta",
    "Parish": "seurakunta",
    "WellbeingServicesBody": "sairaanhoitopiiri / hyvinvointialue",
    "RegionalCouncil": "maakuntaliitto",
    "Company": "yritys",
    "EducationalInstitution": "oppilaitos",
    "OtherOrganisation": "muu",
}


def fi_date(d: dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


@dataclass
class BundleData:
    """What the draft and tables say, read from the graph."""

    selection: Selection
    scope_label: str
    municipalities: list[dict[str, Any]]
    partnerships: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    workshops: list[dict[str, Any]]
    participants: list[dict[str, Any]]
    funders: list[str]
    lead: str | None
    sources: list[dict[str, Any]]
    synthetic: bool
    store_version: str
    measures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def associations(self) -> set[str]:
        return {p["org"] for p in self.partnerships if p["type"] == "RegisteredAssociation"}


def _in(values: set[str]) -> str:
    return " ".join(f"<{v}>" for v in sorted(values))


def read_bundle_data(reader: GraphReader, sel: Selection) -> BundleData:
    munis = selected_municipalities(reader, sel)
    vals = _in(munis)
    yf = ""
    if sel.years:
        yf = "FILTER(xsd:integer(STR(?year)) IN (" + ", ".join(map(str, sel.years)) + "))"
    municipalities = reader.select(
        P
        + f"""
        SELECT ?m ?name ?code ?population WHERE {{ VALUES ?m {{ {vals} }}
          ?m skos:prefLabel ?name ; skos:notation ?code . OPTIONAL {{ ?m pg:population ?population }} }}
        ORDER BY ?name"""
    )
    # partnerships: an organisation tied to a municipality by a plan or by a workshop held there
    partnerships = reader.select(
        P
        + f"""
        SELECT DISTINCT ?m ?kunta ?code ?org ?name ?type ?ytunnus ?form ?year ?theme ?yso ?source ?synthetic
        WHERE {{ VALUES ?m {{ {vals} }}
          ?m skos:prefLabel ?kunta ; skos:notation ?code .
          {{ ?x pg:municipality ?m ; a pg:CooperationPlan ; pg:year ?year .
             {{ ?x pg:partner ?org }} UNION {{ ?x pg:responsibleParty ?org }} BIND("suunnitelma" AS ?form) }}
          UNION
          {{ ?x schema:location ?m ; a pg:Workshop ; pg:year ?year .
             {{ ?p pg:event ?x ; pg:participant ?org }} UNION {{ ?x schema:organizer ?org }}
             BIND("elinvoimapaja" AS ?form) }}
          {yf}
          ?org skos:prefLabel ?name ; a ?t . FILTER(STRSTARTS(STR(?t), STR(pg:)) && ?t != pg:Organisation)
          BIND(STRAFTER(STR(?t), "#") AS ?type)
          FILTER(?org != IRI(REPLACE(STR(?m), "/place/kunta-", "/org/kunta-")))
          OPTIONAL {{ ?org adms:identifier/skos:notation ?ytunnus }}
          OPTIONAL {{ ?x dct:subject ?th . ?th skos:prefLabel ?theme FILTER(LANG(?theme) = "fi")
                     OPTIONAL {{ ?th skos:closeMatch ?yso }} }}
          OPTIONAL {{ ?x dct:source/skos:prefLabel ?source }}
          OPTIONAL {{ ?x pg:isSynthetic ?synthetic }}
        }} ORDER BY ?kunta ?name ?year ?form"""
    )
    plans = reader.select(
        P
        + f"""
        SELECT ?plan ?kunta ?title ?year ?status ?synthetic
          (GROUP_CONCAT(DISTINCT ?pname; SEPARATOR="; ") AS ?partners)
          (GROUP_CONCAT(DISTINCT ?tname; SEPARATOR="; ") AS ?themes)
          (COUNT(DISTINCT ?action) AS ?actions) (MAX(?fdate) AS ?last_followup)
        WHERE {{ VALUES ?m {{ {vals} }}
          ?plan pg:municipality ?m ; a pg:CooperationPlan ; skos:prefLabel ?title ; pg:year ?year ;
                adms:status/skos:prefLabel ?status . FILTER(LANG(?status) = "fi") {yf}
          ?m skos:prefLabel ?kunta .
          OPTIONAL {{ ?plan pg:partner/skos:prefLabel ?pname }}
          OPTIONAL {{ ?plan dct:subject/skos:prefLabel ?tname FILTER(LANG(?tname) = "fi") }}
          OPTIONAL {{ ?plan pg:hasAction ?action }}
          OPTIONAL {{ ?plan pg:followUp/dct:date ?fdate }}
          OPTIONAL {{ ?plan pg:isSynthetic ?synthetic }}
        }} GROUP BY ?plan ?kunta ?title ?year ?status ?synthetic ORDER BY ?kunta ?year ?title"""
    )
    area_filter = ""
    if sel.area:
        area_filter = f"UNION {{ ?w pg:area <{reader.minter.area(sel.area)}> }}"
    workshops = reader.select(
        P
        + f"""
        SELECT DISTINCT ?w ?name ?year ?date ?place ?synthetic WHERE {{
          {{ VALUES ?m {{ {vals} }} ?w schema:location ?m }} {area_filter}
          ?w a pg:Workshop ; skos:prefLabel ?name ; pg:year ?year . {yf}
          OPTIONAL {{ ?w schema:startDate ?date }} OPTIONAL {{ ?w schema:location/skos:prefLabel ?place }}
          OPTIONAL {{ ?w pg:isSynthetic ?synthetic }}
        }} ORDER BY ?year ?name"""
    )
    wvals = _in({w["w"] for w in workshops})
    participants = (
        reader.select(
            P
            + f"""
        SELECT ?role ?year (SUM(?n) AS ?people) WHERE {{ VALUES ?w {{ {wvals} }}
          ?p pg:event ?w ; pg:role/skos:prefLabel ?role ; pg:participantCount ?n . ?w pg:year ?year .
          FILTER(LANG(?role) = "fi") }} GROUP BY ?role ?year ORDER BY ?year ?role"""
        )
        if wvals
        else []
    )
    funders = [
        r["name"]
        for r in reader.select(
            P
            + """
        SELECT DISTINCT ?name WHERE { ?project a pg:Project ; pg:funder/skos:prefLabel ?name } ORDER BY ?name"""
        )
    ]
    # the lead: who administers the project that ran the most workshops
    lead_rows = reader.select(
        P
        + """
        SELECT ?name (COUNT(?w) AS ?n) WHERE { ?w a pg:Workshop ; pg:project ?project .
          ?project pg:administeredBy/skos:prefLabel ?name } GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 1"""
    )
    svals = _in({w["w"] for w in workshops} | {p["plan"] for p in plans} | munis)
    sources = (
        reader.select(
            P
            + f"""
        SELECT DISTINCT ?title ?url ?confidence WHERE {{ VALUES ?x {{ {svals} }}
          ?x dct:source ?s . ?s skos:prefLabel ?title . OPTIONAL {{ ?s foaf:page ?url }}
          OPTIONAL {{ ?x pg:confidence/skos:prefLabel ?confidence FILTER(LANG(?confidence) = "fi") }}
        }} ORDER BY ?title"""
        )
        if svals
        else []
    )
    measures = reader.select(
        P
        + f"""
        SELECT ?name ?brokerage ?municipalities WHERE {{
          ?org pgm:brokerage ?brokerage ; skos:prefLabel ?name ; pg:homeMunicipality ?m .
          VALUES ?m {{ {vals} }} OPTIONAL {{ ?org pgm:municipalities ?municipalities }}
        }} ORDER BY DESC(?brokerage) ?name LIMIT 5"""
    )
    if sel.municipality:
        scope = municipalities[0]["name"] if municipalities else sel.municipality
    elif sel.area:
        rows = reader.select(P + f"SELECT ?l WHERE {{ <{reader.minter.area(sel.area)}> skos:prefLabel ?l }}")
        scope = f"alue {sel.area}: {rows[0]['l']}" if rows else f"alue {sel.area}"
    else:
        scope = "Keski-Suomi"
    synthetic = any(r.get("synthetic") for r in partnerships + plans + workshops)
    return BundleData(
        sel,
        scope,
        municipalities,
        partnerships,
        plans,
        workshops,
        participants,
        funders,
        lead_rows[0]["name"] if lead_rows else None,
        sources,
        synthetic,
        reader.version,
        measures,
    )


# -- the draft text ---------------------------------------------------------------------------


def _years(d: BundleData) -> str:
    ys = sorted({int(str(w["year"])) for w in d.workshops} | {int(str(p["year"])) for p in d.plans})
    return f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else (str(ys[0]) if ys else "")


def draft_sections(
    d: BundleData,
    *,
    name: str | None = None,
    author: str | None = None,
    live_url: str | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, list[str]]]:
    """The draft as (heading, paragraphs) pairs, in Innokylä's page order."""
    today = today or dt.date.today()
    n_mun = len(d.municipalities)
    n_assoc = len(d.associations)
    orgs = {p["org"] for p in d.partnerships}
    ties = {(p["m"], p["org"]) for p in d.partnerships}
    status = Counter(p["status"] for p in d.plans)
    themes = Counter(t for p in d.plans for t in (p["themes"] or "").split("; ") if t)
    people = sum(r["people"] for r in d.participants)
    by_role: dict[str, int] = defaultdict(int)
    for r in d.participants:
        by_role[r["role"]] += r["people"]
    years = _years(d)
    fill = "[täydennä]"
    lead = d.lead or "Keski-Suomen Yhteisöjen Tuki ry"
    summary = (
        f"Verkostossa on {len(orgs)} organisaatiota, joista {n_assoc} yhdistystä, ja {len(ties)} "
        f"kunnan ja organisaation välistä kumppanuutta {n_mun} kunnassa ({years})."
    )
    per_mun: dict[str, set[str]] = defaultdict(set)
    for p in d.partnerships:
        per_mun[p["kunta"]].add(p["org"])
    mun_lines = [f"- {k}: {len(v)} kumppaniorganisaatiota" for k, v in sorted(per_mun.items())]
    by_type: dict[str, set[str]] = defaultdict(set)
    for p in d.partnerships:
        by_type[TYPE_FI.get(p["type"], p["type"])].add(f"{p['name']} ({p['kunta']})")
    crowd = [
        f"- {t}: " + ", ".join(sorted(v)[:25]) + (f" ja {len(v) - 25} muuta" if len(v) > 25 else "")
        for t, v in sorted(by_type.items())
    ]
    status_text = ", ".join(f"{s} {n}" for s, n in status.most_common()) or "ei suunnitelmia"
    broker = "; ".join(f"{m['name']} ({float(m['brokerage']):.2f})" for m in d.measures)
    sections: list[tuple[str, list[str]]] = [
        (
            "Perustiedot",
            [
                f"**Toimintamallin nimi:** {name or 'Järjestö-kuntayhteistyön alueelliset elinvoimapajat: ' + d.scope_label}",
                f"**Toimintamallin lyhyt kuvaus:** Alueelliset elinvoimapajat kokosivat kuntien, järjestöjen ja "
                f"muiden toimijoiden edustajat työstämään yhteisiä yhteistyösuunnitelmia ({d.scope_label}, {years}). "
                f"{summary}",
                f"**Toteutuspaikka:** {lead} yhdessä {n_mun} kunnan ja {n_assoc} järjestön kanssa",
                f"**{PLACE_LABELS[0]}** (vanhemmilla sivuilla: {PLACE_LABELS[1]}): "
                + ", ".join(m["name"] for m in d.municipalities)
                + ", Keski-Suomi",
                "**Toimintamallin rahoittaja:** " + (", ".join(d.funders) or fill),
                f"**Tekijä:** {author or fill}",
                "**Liitteet ja linkit:** kumppanuusverkoston kuva, kumppani- ja suunnitelmataulukot, "
                f"LUEMINUT.txt{'; ajantasainen verkosto: ' + live_url if live_url else ''}",
            ],
        ),
        (
            "Ratkaisun perusidea",
            [
                f"{fill} Alueelliset pajat tuovat yhteen eri kuntien ja taustojen toimijat, jotta naapurikuntien "
                "hyvät käytännöt leviävät ja jokaisella kunnalla on yhtäläinen mahdollisuus kehittää järjestöyhteistyötä.",
                f"Verkosto lukuina: {summary}",
            ],
        ),
        (
            "Toimintaympäristö",
            [
                f"Alueella on {n_mun} kuntaa. Pajoihin ja suunnitelmiin osallistui {len(orgs)} organisaatiota, "
                f"joista {n_assoc} yhdistystä. Kumppanuuksia kirjattiin {len(ties)}.",
                "Kumppanit kunnittain:",
                *mun_lines,
                "Yleisimmät teemat: " + (", ".join(f"{t} ({n})" for t, n in themes.most_common(5)) or "–"),
            ],
        ),
        (
            "Kohderyhmä ja asiakasymmärrys",
            [
                f"Pajoihin osallistui yhteensä {people} henkilöä: "
                + (", ".join(f"{r} {n}" for r, n in sorted(by_role.items())) or "–")
                + ".",
                "Kohderyhmänä ovat kuntien viranhaltijat ja luottamushenkilöt, järjestöjen toimijat ja kuntalaiset. "
                f"{fill}",
            ],
        ),
        (
            "Toimivuuden ja käyttöönoton ehdot",
            [
                f"Pajoja järjestettiin {len(d.workshops)} ({years}). Yhteistyösuunnitelmia tehtiin {len(d.plans)}; "
                f"niiden tila: {status_text}.",
                f"{fill} Käyttöönoton edellytykset: kuntien ja järjestöjen nimetyt yhteyshenkilöt, "
                "vuosittain toistuva tapaaminen, suunnitelmien seuranta.",
            ],
        ),
        ("Kehittämisen polku", []),
        (
            "Lähtötilanne ja strategiset liittymäkohdat",
            [
                "Kuntien hyvinvointikertomukset ja järjestöjen rooli kunnan elinvoiman moottoreina. " + fill,
            ],
        ),
        (
            "Kehitystyön lähtökohtana olevat tarpeet",
            [
                "Järjestöyhteistyön järjestelmällisyys ja pitkäjänteisyys kunnissa. " + fill,
            ],
        ),
        (
            "Kehittäjäjoukon kokoaminen ja yhteiskehittäminen",
            [
                f"Kehittäjäjoukkoon kuului {len(orgs)} organisaatiota:",
                *crowd,
            ],
        ),
        (
            "Tavoiteltu muutos",
            [
                f"Yhteistyösuunnitelmia {len(d.plans)}: {status_text}.",
                *[f"- {p['kunta']} {p['year']}: {p['title']} ({p['status']})" for p in d.plans[:40]],
            ],
        ),
        (
            "Muutoksen mittaaminen",
            [
                "Ehdotetut mittarit ja nykyiset arvot:",
                f"- kumppanuudet kunnittain vuosittain (nyt yhteensä {len(ties)})",
                f"- suunnitelmat tilan mukaan ({status_text})",
                f"- pajojen osallistujat rooleittain (yhteensä {people})",
                "- kuntarajat ylittävä välittäjyys (verkostotunnusluku): " + (broker or "ei laskettu"),
            ],
        ),
    ]
    if d.synthetic:
        sections[0][1].insert(
            0,
            "**HUOM: aineistossa on synteettisiä (keksittyjä) esimerkkitietoja; "
            "älä julkaise niitä todellisina.**",
        )
    sections[0][1].append(
        f"Tiedot poimittu partnergraphista {fi_date(today)} (tietovarannon versio {d.store_version})."
    )
    return sections


def draft_markdown(sections: list[tuple[str, list[str]]], title: str) -> str:
    out = [f"# {title}", ""]
    for heading, paras in sections:
        level = "###" if heading in PATH_HEADINGS else "##"
        out += [f"{level} {heading}", ""]
        in_list = False
        for p in paras:
            is_item = p.startswith("- ")
            if in_list and not is_item:
                out.append("")  # a list ends with a blank line
            out.append(p)
            if not is_item:
                out.append("")
            in_list = is_item
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def draft_html(sections: list[tuple[str, list[str]]], title: str) -> str:
    """The same draft as a self-contained HTML page, every value escaped."""

    def inline(text: str) -> str:
        parts = html.escape(text).split("**")
        return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))

    out = [
        "<!doctype html>",
        '<html lang="fi"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, paras in sections:
        tag = "h3" if heading in PATH_HEADINGS else "h2"
        out.append(f"<{tag}>{html.escape(heading)}</{tag}>")
        items: list[str] = []
        for p in [*paras, ""]:
            if p.startswith("- "):
                items.append(f"<li>{inline(p[2:])}</li>")
                continue
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if p:
                out.append(f"<p>{inline(p)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- tables -------------------------------------------------------------------------------------

PARTNER_HEADER = [
    "kunta",
    "kuntanumero",
    "maakunta",
    "hyvinvointialue",
    "jarjesto",
    "y_tunnus",
    "jarjeston_tyyppi",
    "yhteistyon_muoto",
    "teema",
    "teema_yso_uri",
    "alkuvuosi",
    "lahde",
    "paivitetty",
]
PLAN_HEADER = [
    "kunta",
    "suunnitelma",
    "vuosi",
    "tila",
    "teemat",
    "kumppanit",
    "toimenpiteita",
    "viimeisin_seuranta",
    "synteettinen",
]
SUMMARY_HEADER = [
    "kunta",
    "jarjestoja",
    "kumppanuuksia",
    "suunnitelmia",
    "yleisimmat_teemat",
    "muutos_edellisesta",
]


def partner_rows(d: BundleData, updated: str) -> list[list[Any]]:
    first: dict[tuple, dict] = {}
    for p in d.partnerships:
        key = (p["code"], p["org"], p["form"], p["theme"])
        year = int(str(p["year"]))
        if key not in first or year < first[key]["year"]:
            first[key] = {**p, "year": year}
    return [
        [
            p["kunta"],
            p["code"],
            "Keski-Suomi",
            "Keski-Suomen hyvinvointialue",
            p["name"],
            p["ytunnus"],
            TYPE_FI.get(p["type"], p["type"]),
            p["form"],
            p["theme"],
            p["yso"],
            p["year"],
            p["source"],
            updated,
        ]
        for p in sorted(first.values(), key=lambda p: (p["kunta"], p["name"], p["form"], p["theme"] or ""))
    ]


def plan_rows(d: BundleData) -> list[list[Any]]:
    return [
        [
            p["kunta"],
            p["title"],
            int(str(p["year"])),
            p["status"],
            p["themes"],
            p["partners"],
            p["actions"],
            p["last_followup"],
            "kyllä" if p["synthetic"] else "ei",
        ]
        for p in d.plans
    ]


def summary_rows(d: BundleData) -> list[list[Any]]:
    rows = []
    for m in d.municipalities:
        ps = [p for p in d.partnerships if p["m"] == m["m"]]
        plans = [p for p in d.plans if p["kunta"] == m["name"]]
        themes = Counter(t for p in plans for t in (p["themes"] or "").split("; ") if t)
        per_year = Counter(int(str(p["year"])) for p in ps)
        years = sorted(per_year)
        change = per_year[years[-1]] - per_year[years[-2]] if len(years) > 1 else ""
        rows.append(
            [
                m["name"],
                len({p["org"] for p in ps if p["type"] == "RegisteredAssociation"}),
                len({p["org"] for p in ps}),
                len(plans),
                ", ".join(t for t, _ in themes.most_common(3)),
                change,
            ]
        )
    return rows


def readme_text(d: BundleData, today: dt.date, files: list[str]) -> str:
    lines = [
        f"partnergraph: Innokylä-aineistopaketti – {d.scope_label}",
        "=" * 60,
        "",
        f"Tiedot poimittu: {fi_date(today)} (tietovarannon versio {d.store_version})",
        "Aineisto: Elinvoimapajat 2018–2020, Keski-Suomi; Keski-Suomen kunnat 2018–2020.",
        "Yhteystaho: Keski-Suomen Yhteisöjen Tuki KYT ry (organisaatio, ei henkilö).",
        "Lisenssi: CC BY 4.0 (julkinen aineisto); synteettinen esimerkkiaineisto CC0 1.0.",
        f"Viittaa näin: partnergraph – {d.scope_label}, poimittu {fi_date(today)}.",
        "",
    ]
    if d.synthetic:
        lines += [
            "HUOM: paketissa on SYNTEETTISIÄ (keksittyjä) esimerkkitietoja, jotka on merkitty",
            "sarakkeella 'synteettinen' ja kuvan alalaidassa. Älä julkaise niitä todellisina.",
            "",
        ]
    lines += ["Henkilötietoja ei ole: paketissa on vain organisaatioita.", "", "Tiedostot:"]
    lines += [f"  {f}" for f in files] + ["", "Lähteet:"]
    lines += [
        f"  - {s['title']}"
        + (f" <{s['url']}>" if s.get("url") else "")
        + (f" (varmuus: {s['confidence']})" if s.get("confidence") else "")
        for s in d.sources
    ]
    return "\n".join(lines) + "\n"


def build_bundle(
    reader: GraphReader,
    sel: Selection,
    *,
    name: str | None = None,
    author: str | None = None,
    live_url: str | None = None,
    today: dt.date | None = None,
) -> tuple[str, bytes]:
    """The zip's file name and bytes."""
    today = today or dt.date.today()
    d = read_bundle_data(reader, sel)
    slug = sel.slug if not sel.is_everything else "keski-suomi"
    sections = draft_sections(d, name=name, author=author, live_url=live_url, today=today)
    title = name or f"Järjestö-kuntayhteistyön alueelliset elinvoimapajat: {d.scope_label}"
    files: dict[str, bytes] = {}
    files[f"innokyla_luonnos_{slug}.md"] = draft_markdown(sections, title).encode()
    files[f"innokyla_luonnos_{slug}.html"] = draft_html(sections, title).encode()
    G = selection_network(reader, sel, "organisations")
    png, svg = network_figure(
        G,
        title=f"Kumppanuusverkosto – {d.scope_label}",
        footer=f"Lähde: partnergraph, tiedot {fi_date(today)}"
        + (" · sisältää synteettisiä esimerkkitietoja" if d.synthetic else ""),
    )
    files[f"kumppanuusverkosto_{slug}.png"] = png
    files[f"kumppanuusverkosto_{slug}.svg"] = svg
    updated = today.isoformat()
    partners = partner_rows(d, updated)
    plans = plan_rows(d)
    files[f"kumppanit_kunnittain_{slug}.csv"] = csv_bytes(PARTNER_HEADER, partners)
    files[f"kumppanit_kunnittain_{slug}.xlsx"] = xlsx_bytes({"kumppanit": (PARTNER_HEADER, partners)})
    files[f"suunnitelmat_{slug}.csv"] = csv_bytes(PLAN_HEADER, plans)
    files[f"suunnitelmat_{slug}.xlsx"] = xlsx_bytes({"suunnitelmat": (PLAN_HEADER, plans)})
    files[f"kuntayhteenveto_{slug}.csv"] = csv_bytes(SUMMARY_HEADER, summary_rows(d))
    # people are never in a bundle: drop author names (dct:creator) the public record may hold
    quads = [q for q in rdf_export.selection_quads(reader, sel) if q.predicate.value != DCT_CREATOR]
    files[f"verkosto_{slug}.ttl"] = rdf_export.serialize(quads, "turtle")
    files[f"verkosto_{slug}.jsonld"] = rdf_export.serialize(quads, "jsonld")
    files["LUEMINUT.txt"] = readme_text(d, today, [*sorted(files), "LUEMINUT.txt"]).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fname in sorted(files):
            z.writestr(fname, files[fname])
    return f"innokyla_{slug}.zip", buf.getvalue()
