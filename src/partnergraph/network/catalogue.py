"""Every network measure: its name, level, value type and what it means, in Finnish and English.

The name is the same everywhere: the CLI column and ``--sort`` key, the JSON key, and the
local name of its IRI ``pgm:<name>`` (``https://w3id.org/partnergraph/def/measure#``). The
metrics graph describes each measure as a ``skos:Concept`` with these labels and definitions;
``docs/metrics.md`` gives the formulas and caveats at length.
"""

from __future__ import annotations

from dataclasses import dataclass

ORGANISATION = "organisation"
MUNICIPALITY = "municipality"
NETWORK = "network"
LEVELS = (ORGANISATION, MUNICIPALITY, NETWORK)


@dataclass(frozen=True)
class Measure:
    name: str
    levels: tuple[str, ...]
    label_fi: str
    label_en: str
    definition_fi: str
    definition_en: str
    value_type: str = "double"  # "double", "integer" (community) or "string" (role)
    per_year_only: bool = False


_O, _M, _N = (ORGANISATION,), (MUNICIPALITY,), (NETWORK,)

MEASURES: tuple[Measure, ...] = (
    # -- organisations (and, where noted, municipalities) ----------------------------------
    Measure("degree", (ORGANISATION, MUNICIPALITY), "asteluku", "degree",
            "Organisaatiolle: niiden organisaatioiden määrä, joiden kanssa sillä on yhteinen paja tai "
            "yhteistyösuunnitelma. Kunnalle: niiden kuntien määrä, joihin sillä on side "
            "(yhteisiä organisaatioita, suunnitelmia tai pajoja).",
            "For an organisation: the number of organisations it shares a workshop or cooperation "
            "plan with. For a municipality: the number of other municipalities it is tied to "
            "(shared organisations, plans or workshops)."),
    Measure("strength", (ORGANISATION, MUNICIPALITY), "vahvuus", "strength",
            "Siteiden painojen summa. Organisaatioilla paino on Newmanin yhteistyöpaino: jokainen "
            "yhteinen paja tai suunnitelma, jossa on d organisaatiota, lisää parille 1/(d−1). Kunnilla "
            "paino on yhteisten organisaatioiden, suunnitelmien ja pajojen määrä.",
            "The sum of tie weights. Between organisations the weight is Newman's collaboration "
            "weight: every shared workshop or plan with d organisations adds 1/(d−1) to the pair. "
            "Between municipalities it is the number of shared organisations, plans and workshops."),
    Measure("municipalities", _O, "kuntia", "municipalities",
            "Eri kuntien määrä, joissa organisaatio on toiminut: sen suunnitelmien kunnat ja sen "
            "pajojen pitopaikat (kotikunta mukaan lukien).",
            "The number of distinct municipalities the organisation worked in: the municipalities "
            "of its plans and the places of its workshops (its home municipality included)."),
    Measure("areas", _O, "alueita", "areas",
            "Eri pajakiertueen alueiden määrä, joiden kunnissa tai pajoissa organisaatio on toiminut.",
            "The number of distinct workshop areas in whose municipalities or workshops the "
            "organisation worked."),
    Measure("participationMunicipality", _O, "osallistumiskerroin (kunnat)",
            "participation coefficient (municipalities)",
            "Guimerà–Amaral-osallistumiskerroin P = 1 − Σ(k_s/k)², jossa k_s on siteiden paino "
            "kunnassa s kotipaikkaisiin organisaatioihin. 0: kaikki kumppanit samasta kunnasta; lähellä "
            "1: kumppanit jakautuvat tasaisesti moneen kuntaan.",
            "Guimerà–Amaral participation coefficient P = 1 − Σ(k_s/k)², k_s the weight of ties to "
            "organisations whose home is municipality s. 0: all partners from one municipality; "
            "near 1: partners spread evenly over many municipalities."),
    Measure("participationArea", _O, "osallistumiskerroin (alueet)", "participation coefficient (areas)",
            "Kuten kuntien osallistumiskerroin, mutta moduuleina kumppaneiden kotikuntien pajakiertueen "
            "alueet.",
            "As the municipal participation coefficient, with the workshop areas of the partners' "
            "home municipalities as modules."),
    Measure("participationCommunity", _O, "osallistumiskerroin (yhteisöt)",
            "participation coefficient (communities)",
            "Osallistumiskerroin Louvain-yhteisöjen yli; Guimerà–Amaral-roolin P.",
            "The participation coefficient over the Louvain communities; the P of the "
            "Guimerà–Amaral role."),
    Measure("withinModuleZ", _O, "yhteisön sisäinen z", "within-module degree z-score",
            "Organisaation yhteisön sisäisten siteiden painon z-arvo oman Louvain-yhteisönsä "
            "organisaatioihin verrattuna; Guimerà–Amaral-roolin z.",
            "The z-score of the weight of the organisation's ties inside its Louvain community, "
            "against the other members of the community; the z of the Guimerà–Amaral role."),
    Measure("betweenness", (ORGANISATION, MUNICIPALITY), "välillisyys", "betweenness",
            "Normalisoitu välillisyyskeskeisyys: kuinka suuri osa kaikkien solmuparien lyhimmistä "
            "poluista kulkee solmun kautta, kun siteen pituus on 1/paino. Suurissa verkoissa arvio "
            "satunnaisotoksesta (otoskoko kerrotaan laskennan parametreissa).",
            "Normalised betweenness centrality: the share of shortest paths between all pairs of "
            "nodes that pass through the node, a tie's length being 1/weight. On large networks "
            "estimated from a seeded sample (its size is in the run's parameters)."),
    Measure("brokerage", _O, "kuntarajat ylittävä välittäjyys", "cross-municipal brokerage",
            "Kuinka suuri osa eri kunnissa kotipaikkaisten organisaatioparien lyhimmistä poluista "
            "kulkee organisaation kautta (keskimäärin parien yli; 0–1).",
            "The share of the shortest paths between pairs of organisations from different home "
            "municipalities that pass through the organisation (averaged over the pairs; 0–1)."),
    Measure("eigenvector", _O, "ominaisvektorikeskeisyys", "eigenvector centrality",
            "Painotettu ominaisvektorikeskeisyys: suuri, kun organisaatiolla on vahvoja siteitä "
            "itsekin keskeisiin organisaatioihin.",
            "Weighted eigenvector centrality: high when the organisation has strong ties to "
            "organisations that are central themselves."),
    Measure("pagerank", _O, "PageRank", "PageRank",
            "Painotettu PageRank (α = 0,85): satunnaiskulkijan pitkän aikavälin osuus solmussa.",
            "Weighted PageRank (α = 0.85): the long-run share of a random walker's time at the node."),
    Measure("constraint", _O, "rajoittuneisuus (Burt)", "constraint (Burt)",
            "Burtin rajoittuneisuus: suuri, kun organisaation siteet kulkevat harvoihin, keskenään "
            "tiiviisti sidottuihin kumppaneihin; pieni, kun se yhdistää muuten erillisiä kumppaneita.",
            "Burt's constraint: high when the organisation's ties go to few partners that are "
            "tied to each other; low when it links partners that are otherwise apart."),
    Measure("effectiveSize", _O, "tehokas koko (Burt)", "effective size (Burt)",
            "Burtin tehokas koko: kumppaneiden määrä vähennettynä niiden keskinäisellä "
            "päällekkäisyydellä (ei-redundantit kumppanit).",
            "Burt's effective size: the number of partners less their redundancy with each other "
            "(the non-redundant partners)."),
    Measure("community", _O, "yhteisö", "community",
            "Louvain-yhteisön numero (siemenluvulla toistettava; 1 = suurin yhteisö).",
            "Number of the Louvain community (reproducible with the seed; 1 = the largest).",
            value_type="integer"),
    Measure("role", _O, "rooli (Guimerà–Amaral)", "role (Guimerà–Amaral)",
            "Guimerà–Amaral-rooli R1–R7 yhteisön sisäisestä z-arvosta ja osallistumiskertoimesta "
            "yhteisöjen yli (tavanomaiset kynnysarvot): R1 hyvin reunalla, R2 reunalla, R3 yhdistäjä, "
            "R4 sitoutumaton, R5 paikallinen keskus, R6 yhdistävä keskus, R7 sitoutumaton keskus.",
            "Guimerà–Amaral role R1–R7 from the within-community z-score and the participation "
            "coefficient over communities (the usual thresholds): R1 ultra-peripheral, "
            "R2 peripheral, R3 connector, R4 kinless, R5 provincial hub, R6 connector hub, "
            "R7 kinless hub.", value_type="string"),
    Measure("tourTies", (ORGANISATION, NETWORK), "kiertueen luomat siteet", "ties the tour created",
            "Siteet, jotka näkyvät aineistossa ensimmäisen kerran pajassa tai pajasta syntyneessä "
            "suunnitelmassa (ensimmäisenä vuonna, jona side esiintyy). Organisaatiolle sen omat "
            "tällaiset siteet; verkolle kaikki.",
            "Ties that first appear in the data in a workshop or in a plan that came out of a "
            "workshop (in the first year the tie appears). For an organisation its own such ties; "
            "for the network all of them."),
    Measure("tourTiesPersisting", (ORGANISATION, NETWORK), "jatkuneet kiertueen siteet",
            "persisting tour ties",
            "Kiertueen luomista siteistä ne, jotka esiintyvät uudelleen jonakin myöhempänä vuonna "
            "(pajassa tai suunnitelmassa).",
            "Of the ties the tour created, those that appear again in a later year (in a workshop "
            "or a plan)."),
    # -- municipalities ---------------------------------------------------------------------
    Measure("partnerOrganisations", _M, "kumppaniorganisaatiot", "partner organisations",
            "Eri organisaatiot, jotka ovat kumppanina tai vastuutahona kunnan yhteistyösuunnitelmissa "
            "(kunnan oma organisaatio pois lukien).",
            "Distinct organisations that are partners or the responsible party of the "
            "municipality's cooperation plans (the municipality's own body left out)."),
    Measure("outsideOrganisations", _M, "ulkopuoliset organisaatiot", "outside organisations",
            "Muissa kunnissa kotipaikkaiset organisaatiot, jotka ovat toimineet kunnassa (sen "
            "suunnitelmissa tai siellä pidetyissä pajoissa).",
            "Organisations with their home in another municipality that worked in this one (in "
            "its plans or in workshops held there)."),
    Measure("plans", _M, "suunnitelmat", "plans", "Kunnan yhteistyösuunnitelmien määrä.",
            "The number of the municipality's cooperation plans."),
    Measure("plansPlanned", _M, "suunnitelmat: suunniteltu", "plans: planned",
            "Kunnan suunnitelmat, joiden tila on suunniteltu.",
            "The municipality's plans with status planned."),
    Measure("plansInProgress", _M, "suunnitelmat: käynnissä", "plans: in progress",
            "Kunnan suunnitelmat, joiden tila on käynnissä.",
            "The municipality's plans with status in progress."),
    Measure("plansDone", _M, "suunnitelmat: toteutunut", "plans: done",
            "Kunnan suunnitelmat, joiden tila on toteutunut.", "The municipality's plans with status done."),
    Measure("plansDropped", _M, "suunnitelmat: luovuttu", "plans: dropped",
            "Kunnan suunnitelmat, joista on luovuttu.", "The municipality's plans with status dropped."),
    Measure("participants", _M, "osallistujat", "participants",
            "Pajojen osallistujat kunnasta (kuntalaiset asuinkunnan, muut organisaationsa kotikunnan "
            "mukaan), kaikki roolit.",
            "Workshop participants from the municipality (residents by where they live, others by "
            "their organisation's home municipality), all roles."),
    Measure("participantsOfficial", _M, "osallistujat: viranhaltijat", "participants: officials",
            "Kunnasta tulleet osallistujat roolissa viranhaltija.",
            "Participants from the municipality as officials."),
    Measure("participantsElected", _M, "osallistujat: luottamushenkilöt", "participants: elected officials",
            "Kunnasta tulleet osallistujat roolissa luottamushenkilö.",
            "Participants from the municipality as elected officials."),
    Measure("participantsAssociation", _M, "osallistujat: järjestöt", "participants: associations",
            "Kunnasta tulleet osallistujat järjestöjen edustajina.",
            "Participants from the municipality representing associations."),
    Measure("participantsResident", _M, "osallistujat: kuntalaiset", "participants: residents",
            "Kunnan asukkaat pajoissa kuntalaisina.",
            "Residents of the municipality taking part as residents."),
    Measure("participantsOther", _M, "osallistujat: muut", "participants: others",
            "Kunnasta tulleet muut osallistujat.", "Other participants from the municipality."),
    Measure("degreeChange", _M, "asteluvun muutos", "change in degree",
            "Asteluvun muutos edellisestä aineiston vuodesta.",
            "Change in degree from the previous year of the data.",
            per_year_only=True),
    Measure("strengthChange", _M, "vahvuuden muutos", "change in strength",
            "Vahvuuden muutos edellisestä aineiston vuodesta.",
            "Change in strength from the previous year of the data.", per_year_only=True),
    # -- the organisation network as a whole -------------------------------------------------
    Measure("organisations", _N, "organisaatiot", "organisations",
            "Aktiiviset organisaatiot (pajoissa tai suunnitelmissa) jaksolla.",
            "Organisations active in workshops or plans in the period."),
    Measure("ties", _N, "siteet", "ties", "Organisaatioparit, joilla on yhteinen paja tai suunnitelma.",
            "Pairs of organisations sharing a workshop or a plan."),
    Measure("density", _N, "tiheys", "density",
            "Siteiden osuus kaikista mahdollisista organisaatiopareista: 2m / (n(n−1)).",
            "The share of possible pairs of organisations that are tied: 2m / (n(n−1))."),
    Measure("largestComponent", _N, "suurin komponentti", "largest component",
            "Organisaatiot verkon suurimmassa yhtenäisessä osassa.",
            "Organisations in the largest connected part of the network."),
    Measure("communities", _N, "yhteisöt", "communities", "Louvain-yhteisöjen määrä.",
            "The number of Louvain communities."),
    Measure("modularity", _N, "modulaarisuus", "modularity",
            "Louvain-jaon modulaarisuus Q (painotettu): kuinka paljon siteitä on yhteisöjen sisällä "
            "verrattuna satunnaiseen.",
            "The modularity Q of the Louvain partition (weighted): how many more ties fall inside "
            "communities than at random."),
    Measure("newTies", _N, "uudet siteet", "new ties",
            "Vuoden siteet, joita ei ollut edellisenä vuonna.",
            "Ties of the year that were not there the year before.",
            per_year_only=True),
    Measure("retainedTies", _N, "säilyneet siteet", "retained ties",
            "Siteet, jotka olivat sekä edellisenä että tänä vuonna.",
            "Ties present both the year before and this year.",
            per_year_only=True),
    Measure("lostTies", _N, "menetetyt siteet", "lost ties",
            "Edellisen vuoden siteet, joita ei ole tänä vuonna.",
            "Ties of the year before that are not there this year.",
            per_year_only=True),
    Measure("firstSeenTies", _N, "ensi kertaa näkyvät siteet", "ties seen for the first time",
            "Vuoden siteet, joita ei ollut minään aiempana vuonna.",
            "Ties of the year that were in no earlier year.",
            per_year_only=True),
)

BY_NAME: dict[str, Measure] = {m.name: m for m in MEASURES}


def measures_of(level: str) -> tuple[Measure, ...]:
    """The measures of one level, in catalogue order.

    >>> [m.name for m in measures_of("network")][:3]
    ['tourTies', 'tourTiesPersisting', 'organisations']
    """
    return tuple(m for m in MEASURES if level in m.levels)
