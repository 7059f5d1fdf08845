"""The network explorer: ``/explorer`` (the page) and ``/explorer.json`` (its data twin).

The network data is read once per store version and cached; a rebuild switches to the new
version on the next request.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from partnergraph.entities import EntityService
from partnergraph.explorer import COLOURS, GROUP_LABELS, MODES, STATUSES, ExplorerQuery, explore
from partnergraph.namespaces import PGM, sparql_prologue
from partnergraph.network import bridge
from partnergraph.network.catalogue import MEASURES, MUNICIPALITY, ORGANISATION
from partnergraph.webapp.app import reader, settings

bp = Blueprint("explorer", __name__)

#: measures that can size nodes (numbers computed for organisations or municipalities)
SIZE_MEASURES = tuple(
    m.name
    for m in MEASURES
    if m.value_type == "double"
    and not m.per_year_only
    and m.name not in ("degree", "strength")
    and (ORGANISATION in m.levels or MUNICIPALITY in m.levels)
)
_lock = threading.Lock()


class NetworkCache:
    """Network data and filter choices of one store version."""

    def __init__(
        self,
        version: str,
        data: bridge.NetworkData,
        themes: dict[str, frozenset[str]],
        choices: dict[str, Any],
    ) -> None:
        self.version, self.data, self.themes, self.choices = version, data, themes, choices


def _load(lang: str) -> NetworkCache:
    r = reader()
    version = r.version
    cached: NetworkCache | None = current_app.extensions.get("pg_network")
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = current_app.extensions.get("pg_network")
        if cached is not None and cached.version == version:
            return cached
        graphs = bridge.data_graphs(r.public_graphs, r.minter)
        data = bridge.read_network_data(r.store, graphs)
        themes: dict[str, set[str]] = {}
        for row in r.select(
            sparql_prologue() + "SELECT ?x ?t WHERE { ?x dct:subject/skos:notation ?t . "
            "{ ?x a pg:Workshop } UNION { ?x a pg:CooperationPlan } }"
        ):
            themes.setdefault(row["x"], set()).add(row["t"])
        theme_rows = r.select(
            sparql_prologue() + "SELECT ?key ?fi ?en WHERE { ?t a pg:Theme ; skos:notation ?key ; "
            "skos:prefLabel ?fi FILTER(LANG(?fi) = 'fi') OPTIONAL { ?t skos:prefLabel ?en "
            "FILTER(LANG(?en) = 'en') } } ORDER BY ?fi"
        )
        choices = {
            "years": list(data.years),
            "areas": sorted(((a.rsplit("/", 1)[-1], v.label) for a, v in data.areas.items())),
            "municipalities": sorted(
                ((m.rsplit("-", 1)[-1], v.label) for m, v in data.municipalities.items()),
                key=lambda kv: kv[1],
            ),
            "themes": [(t["key"], t["fi"], t["en"] or t["fi"]) for t in theme_rows],
            "types": sorted({o.org_type for o in data.organisations.values()}),
        }
        cached = NetworkCache(version, data, {k: frozenset(v) for k, v in themes.items()}, choices)
        current_app.extensions["pg_network"] = cached
        return cached


def _stored_measure(name: str) -> dict[str, float]:
    rows = reader().select(sparql_prologue() + f"SELECT ?n ?v WHERE {{ ?n <{PGM[name]}> ?v }}")
    return {r["n"]: r["v"] for r in rows if isinstance(r["v"], int | float)}


def view_for(args) -> Any:
    cache = _load(g.lang)
    q = ExplorerQuery.from_args(args, SIZE_MEASURES)
    cfg = settings()
    svc = EntityService(reader(), g.lang)
    return (
        q,
        cache,
        explore(
            reader(),
            cache.data,
            cache.themes,
            q,
            lang=g.lang,
            max_nodes=cfg.explorer_max_nodes,
            max_edges=cfg.explorer_max_edges,
            physics_above=cfg.explorer_physics_above,
            seed=cfg.random_seed,
            stored_measure=_stored_measure,
            local_link=svc.local_link,
        ),
    )


@bp.get("/explorer")
@bp.get("/explorer.json")
def explorer() -> Response | str:
    q, cache, view = view_for(request.args)
    if request.path.endswith(".json"):
        return jsonify(view.as_json())
    fi = g.lang == "fi"
    types = [(t, GROUP_LABELS.get(t, {}).get(g.lang, t)) for t in cache.choices["types"]]
    statuses = [
        (
            s,
            {
                "statusPlanned": ("suunniteltu", "planned"),
                "statusInProgress": ("käynnissä", "in progress"),
                "statusDone": ("toteutunut", "done"),
                "statusDropped": ("hylätty", "dropped"),
            }[s][0 if fi else 1],
        )
        for s in STATUSES
    ]
    has_synthetic = any(o.synthetic for o in cache.data.organisations.values())
    return render_template(
        "explorer.html",
        q=q,
        view=view,
        choices=cache.choices,
        types=types,
        statuses=statuses,
        modes=MODES,
        sizes=("degree", "strength", *SIZE_MEASURES),
        colours=COLOURS,
        show_synthetic_banner=has_synthetic,
    )
