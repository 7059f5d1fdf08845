"""The network explorer's data: a filtered selection of the network, laid out and styled.

A view is described entirely by an :class:`ExplorerQuery` (so every view is a URL). The
selection filters workshops and plans (years, area, municipality, theme, plan status), the
network is built from what is left with the same functions as the metrics
(:mod:`partnergraph.network`), then organisation types and the ego neighbourhood narrow it.
Nodes carry their colour group, size, plain-text tooltip and precomputed position; the
result is a pyvis :class:`~pyvis.network.Network`'s nodes, edges and options, drawn by our own
page (pyvis's stock templates load from CDNs: see ``shared/reference/pitfalls.md`` §1).

Views larger than ``explorer_max_nodes`` are aggregated to municipality level, so no page
ships more graph data than a browser draws comfortably.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pyvis.network import Network

from partnergraph.errors import InvalidInput
from partnergraph.network import bridge
from partnergraph.network.projections import collaboration_projection, municipality_projection
from partnergraph.rdf.reader import GraphReader

MODES = ("organisations", "two-mode", "municipalities")
SIZE_LOCAL = ("degree", "strength")
STATUSES = ("statusPlanned", "statusInProgress", "statusDone", "statusDropped")

#: colour per node group (the legend shows the same), chosen for contrast on white
COLOURS = {
    "MunicipalityBody": "#0b5cad",
    "RegisteredAssociation": "#c2410c",
    "Parish": "#7c3aed",
    "WellbeingServicesBody": "#0f766e",
    "RegionalCouncil": "#1e3a8a",
    "Company": "#a16207",
    "EducationalInstitution": "#be185d",
    "OtherOrganisation": "#4d7c0f",
    "Project": "#4d7c0f",
    "event": "#6d28d9",
    "plan": "#be123c",
    "municipality": "#0b5cad",
}
GROUP_LABELS = {
    "MunicipalityBody": {"fi": "kunta (organisaatio)", "en": "municipality (body)"},
    "RegisteredAssociation": {"fi": "yhdistys", "en": "association"},
    "Parish": {"fi": "seurakunta", "en": "parish"},
    "WellbeingServicesBody": {"fi": "sairaanhoitopiiri / hyvinvointialue", "en": "hospital district"},
    "RegionalCouncil": {"fi": "maakuntaliitto", "en": "regional council"},
    "Company": {"fi": "yritys", "en": "company"},
    "EducationalInstitution": {"fi": "oppilaitos", "en": "educational institution"},
    "OtherOrganisation": {"fi": "muu organisaatio", "en": "other organisation"},
    "Project": {"fi": "hanke", "en": "project"},
    "event": {"fi": "elinvoimapaja", "en": "workshop"},
    "plan": {"fi": "yhteistyösuunnitelma", "en": "cooperation plan"},
    "municipality": {"fi": "kunta", "en": "municipality"},
}


@dataclass(frozen=True)
class ExplorerQuery:
    """One explorer view; :meth:`from_args` parses and checks URL parameters."""

    years: tuple[int, ...] = ()
    area: str | None = None  # workshop area key, e.g. "B"
    municipality: str | None = None  # municipality code, e.g. "435"
    theme: str | None = None  # theme key, e.g. "hyvinvointi"
    org_type: str | None = None  # pg class local name, e.g. "RegisteredAssociation"
    status: str | None = None  # plan status local name, e.g. "statusDone"
    focus: str | None = None  # IRI of the ego node
    depth: int = 1
    mode: str = "organisations"
    size: str = "degree"
    physics: bool | None = None  # None: on for small graphs, off (precomputed layout) for large

    @classmethod
    def from_args(cls, args: Mapping[str, str], measures: tuple[str, ...] = ()) -> ExplorerQuery:
        def bad(name: str, value: str, expected: str) -> InvalidInput:
            return InvalidInput(f"Parameter {name}={value!r} is not allowed: expected {expected}.")

        years: list[int] = []
        for part in (args.get("years") or "").replace(",", " ").split():
            if not (part.isdigit() and len(part) == 4):
                raise bad("years", part, "years like 2018,2019")
            years.append(int(part))
        depth_text = args.get("depth") or "1"
        if depth_text not in ("1", "2"):
            raise bad("depth", depth_text, "1 or 2")
        mode = args.get("mode") or ""
        if mode and mode not in MODES:
            raise bad("mode", mode, " | ".join(MODES))
        size = args.get("size") or "degree"
        if size not in SIZE_LOCAL + measures:
            raise bad("size", size, " | ".join(SIZE_LOCAL + measures))
        status = args.get("status") or None
        if status and status not in STATUSES:
            raise bad("status", status, " | ".join(STATUSES))
        org_type = args.get("type") or None
        if org_type and org_type not in COLOURS:
            raise bad("type", org_type, "an organisation type such as RegisteredAssociation")
        municipality = args.get("municipality") or None
        if municipality and not (municipality.isdigit() and len(municipality) == 3):
            raise bad("municipality", municipality, "a three-digit municipality code")
        for name in ("area", "theme"):
            value = args.get(name)
            if value and not all(c.isalnum() or c in "._-" for c in value):
                raise bad(name, value, "a key of letters, digits, '.', '_' or '-'")
        focus = args.get("focus") or None
        if focus and not focus.startswith(("http://", "https://")):
            raise bad("focus", focus, "an entity IRI")
        physics = args.get("physics")
        if physics not in (None, "", "on", "off"):
            raise bad("physics", physics, "on or off")
        return cls(
            years=tuple(sorted(set(years))),
            area=args.get("area") or None,
            municipality=municipality,
            theme=args.get("theme") or None,
            org_type=org_type,
            status=status,
            focus=focus,
            depth=int(depth_text),
            mode=mode or "organisations",
            size=size,
            physics=None if not physics else physics == "on",
        )

    def as_args(self) -> dict[str, str]:
        """The URL parameters of this view (defaults left out), for links and bookmarks."""
        out: dict[str, str] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v == f.default or v in (None, ()):
                continue
            name = "type" if f.name == "org_type" else f.name
            if f.name == "years":
                out[name] = ",".join(map(str, v))
            elif f.name == "physics":
                out[name] = "on" if v else "off"
            else:
                out[name] = str(v)
        return out


def _key(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def select(
    data: bridge.NetworkData, q: ExplorerQuery, themes: Mapping[str, frozenset[str]]
) -> bridge.NetworkData:
    """The part of ``data`` the filters keep: workshops and plans, and their attendances.

    ``themes`` maps workshop and plan IRIs to their theme keys. A plan-status filter keeps
    plans only (workshops have no status).
    """
    area_munis: set[str] | None = None
    if q.area:
        area_munis = {
            m for m, mun in data.municipalities.items() if any(_key(a) == q.area for a in mun.areas)
        }

    def place_ok(location: str | None, area: str | None = None) -> bool:
        if q.municipality and _key(location) != f"kunta-{q.municipality}":
            return False
        return area_munis is None or location in area_munis or _key(area) == q.area

    def common_ok(iri: str, year: int) -> bool:
        if q.years and year not in q.years:
            return False
        return not (q.theme and q.theme not in themes.get(iri, frozenset()))

    events = (
        {}
        if q.status
        else {i: e for i, e in data.events.items() if common_ok(i, e.year) and place_ok(e.location, e.area)}
    )
    plans = {
        i: p
        for i, p in data.plans.items()
        if common_ok(i, p.year) and place_ok(p.municipality) and (not q.status or p.status == q.status)
    }
    attendances = tuple(a for a in data.attendances if a.event in events)
    return dataclasses.replace(data, events=events, plans=plans, attendances=attendances)


def build_graph(data: bridge.NetworkData, mode: str) -> nx.Graph:
    """The graph of one mode from (selected) network data."""
    if mode == "municipalities":
        return municipality_projection(
            bridge.organisation_municipality(data), bridge.municipality_collaboration(data)
        )
    two_mode = bridge.organisation_collaboration(data)
    if mode == "two-mode":
        return two_mode.graph
    return collaboration_projection(two_mode)


def _group(attrs: Mapping[str, Any]) -> str:
    kind = attrs.get("kind")
    if kind == "organisation":
        return attrs.get("org_type") or "OtherOrganisation"
    return kind or "OtherOrganisation"


@dataclass
class ExplorerView:
    """What the explorer page draws, plus what it tells the user about it."""

    query: ExplorerQuery
    mode: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend: list[dict[str, str]]
    aggregated: bool
    total_nodes: int
    notice: str | None
    total_edges: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query.as_args(),
            "mode": self.mode,
            "nodes": self.nodes,
            "edges": self.edges,
            "options": self.options,
            "legend": self.legend,
            "aggregated": self.aggregated,
            "total_nodes": self.total_nodes,
            "total_edges": self.total_edges,
            "notice": self.notice,
        }


def _layout(G: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """Positions in pixels: a seeded force-directed layout, so the same view looks the same."""
    if not G:
        return {}
    pos = nx.spring_layout(G, weight="weight", seed=seed, iterations=60 if len(G) < 500 else 30)
    scale = 120 * math.sqrt(len(G))
    return {n: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for n, (x, y) in pos.items()}


def render(
    G: nx.Graph,
    q: ExplorerQuery,
    mode: str,
    sizes: Mapping[Any, float],
    lang: str,
    seed: int,
    physics_above: int,
    local_link,
) -> tuple[list, list, dict, list]:
    """pyvis nodes, edges and options for ``G`` (tooltips are plain text, never HTML)."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="remote")
    pos = _layout(G, seed)
    physics = q.physics if q.physics is not None else len(G) <= physics_above
    top = max(sizes.values(), default=0) or 1
    groups: set[str] = set()
    fi = lang == "fi"
    for n in sorted(G.nodes):
        a = G.nodes[n]
        group = _group(a)
        groups.add(group)
        value = sizes.get(n, 0.0)
        tip = [a.get("label") or str(n), GROUP_LABELS.get(group, {}).get(lang, group)]
        if a.get("year"):
            tip.append(str(a["year"]))
        tip.append(f"{q.size}: {value:.3g}")
        if a.get("synthetic"):
            tip.append("synteettinen" if fi else "synthetic")
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            n,
            label=a.get("label") or str(n),
            title="\n".join(tip),
            color=COLOURS.get(group, "#6b7280"),
            size=8 + 32 * math.sqrt(max(value, 0) / top),
            x=x,
            y=y,
            group=group,
            shape="square" if group in ("event", "plan") else "dot",
            link=local_link(n),
            synthetic=bool(a.get("synthetic")),
            kind=a.get("kind"),
            measure=round(float(value), 6),
            borderWidth=3 if n == q.focus else 1,
        )
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        w = float(d.get("weight", 1.0))
        parts = []
        if "events" in d:
            parts.append(f"{'pajoja' if fi else 'workshops'}: {d['events']}")
        if "plans" in d:
            parts.append(f"{'suunnitelmia' if fi else 'plans'}: {d['plans']}")
        if "organisations" in d:
            parts.append(
                f"{'yhteisiä organisaatioita' if fi else 'shared organisations'}: {d['organisations']}"
            )
        net.add_edge(
            u, v, value=round(w, 4), title="\n".join([f"{'paino' if fi else 'weight'} {w:.3g}", *parts])
        )
    nodes, edges, _, _, _, options = net.get_network_data()
    opts = json.loads(options)
    opts["physics"] = {
        "enabled": physics,
        "solver": "forceAtlas2Based",
        "stabilization": {"enabled": True, "iterations": 150, "fit": True},
    }
    opts["interaction"] = {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True}
    opts["edges"] = {
        "color": {"color": "#9aa4b2", "highlight": "#1b1f24"},
        "smooth": False,
        "scaling": {"min": 1, "max": 8},
    }
    opts["nodes"] = {"font": {"size": 12, "color": "#1b1f24"}}
    # vis-network colours nodes by group and would otherwise use its own palette
    opts["groups"] = {
        g: {
            "color": {"background": COLOURS.get(g, "#6b7280"), "border": "#1b1f24"},
            "shape": "square" if g in ("event", "plan") else "dot",
        }
        for g in sorted(groups)
    }
    legend = [
        {"group": g, "label": GROUP_LABELS.get(g, {}).get(lang, g), "colour": COLOURS.get(g, "#6b7280")}
        for g in sorted(groups, key=lambda g: list(COLOURS).index(g) if g in COLOURS else 99)
    ]
    return nodes, edges, opts, legend


def explore(
    reader: GraphReader,
    data: bridge.NetworkData,
    themes: Mapping[str, frozenset[str]],
    q: ExplorerQuery,
    *,
    lang: str = "fi",
    max_nodes: int = 600,
    max_edges: int = 3000,
    physics_above: int = 300,
    seed: int = 42,
    stored_measure=None,
    local_link=lambda iri: None,
) -> ExplorerView:
    """Build the view for ``q``. ``stored_measure(name) -> {iri: value}`` gives sizes by a
    measure computed by ``partnergraph metrics`` (all years)."""
    mode = q.mode
    focus_kind = None
    if q.focus:
        if q.focus in data.events or q.focus in data.plans:
            focus_kind = "collaboration"
        elif q.focus in data.municipalities:
            focus_kind = "municipality"
        elif q.focus in data.organisations:
            focus_kind = "organisation"
        else:
            raise InvalidInput(
                f"Parameter focus: <{q.focus}> is not a node of the network "
                f"(an organisation, workshop, plan or municipality)."
            )
        if focus_kind == "collaboration" and mode == "organisations":
            mode = "two-mode"
        if focus_kind == "municipality":
            mode = "municipalities"
    selected = select(data, q, themes)
    G = build_graph(selected, mode)
    if q.org_type and mode != "municipalities":
        G = G.subgraph(
            n
            for n, a in G.nodes(data=True)
            if a.get("kind") != "organisation" or a.get("org_type") == q.org_type
        ).copy()
    if q.focus:
        if q.focus not in G:
            G = nx.Graph()
            G.add_node(q.focus, **_focus_attrs(data, q.focus))
        else:
            G = nx.ego_graph(G, q.focus, radius=q.depth)
    total = G.number_of_nodes()
    aggregated = False
    notice = None
    if total > max_nodes and mode != "municipalities":
        aggregated = True
        notice = (
            f"{total} nodes is more than the explorer draws one by one (setting explorer_max_nodes = "
            f"{max_nodes}); showing municipalities instead. Narrow the filters, or pick a focus, "
            f"to see organisations."
        )
        mode = "municipalities"
        G = build_graph(selected, mode)
    if q.size in SIZE_LOCAL:
        sizes = dict(G.degree(weight="weight" if q.size == "strength" else None))
    else:
        stored = stored_measure(q.size) if stored_measure else {}
        sizes = {n: float(stored.get(n, 0.0)) for n in G}
    total_edges = G.number_of_edges()
    if total_edges > max_edges:
        G = strongest_edges(G, max_edges)
        shown = (f"Showing the {max_edges} strongest of its {total_edges} ties (setting "
                 f"explorer_max_edges); sizes count them all. Narrow the filters to see the rest.")
        notice = f"{notice} {shown}" if notice else shown
    nodes, edges, options, legend = render(G, q, mode, sizes, lang, seed, physics_above, local_link)
    return ExplorerView(q, mode, nodes, edges, options, legend, aggregated, total, notice, total_edges)


def strongest_edges(G: nx.Graph, k: int) -> nx.Graph:
    """G with every node but only its ``k`` heaviest edges (by ``weight``; equal weights in
    node order), as Gephi's and Kumu's edge-weight filters do: the browser draws a few thousand
    ties smoothly, and 11 000 municipality ties (scale M) would ship 2.4 MB.

    >>> G = nx.Graph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 3}), ("a", "c", {"weight": 2})])
    >>> sorted(strongest_edges(G, 2).edges)
    [('a', 'c'), ('b', 'c')]
    """
    keep = sorted(G.edges(data=True), key=lambda e: (-float(e[2].get("weight", 1.0)), str(e[0]), str(e[1])))
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(keep[:k])
    return H


def _focus_attrs(data: bridge.NetworkData, iri: str) -> dict[str, Any]:
    if iri in data.organisations:
        o = data.organisations[iri]
        return {"kind": "organisation", "label": o.label, "org_type": o.org_type, "synthetic": o.synthetic}
    if iri in data.municipalities:
        return {"kind": "municipality", "label": data.municipalities[iri].label}
    if iri in data.events:
        return {"kind": "event", "label": data.events[iri].label}
    return {"kind": "plan", "label": data.plans[iri].label}
