"""System pages under the reserved ``/-/`` prefix: health, settings, graphs, version."""

from __future__ import annotations

from flask import Blueprint, jsonify

from partnergraph import __version__
from partnergraph.errors import StoreError
from partnergraph.settings import SECRET_SETTINGS, SETTINGS
from partnergraph.webapp.app import engine, reader, settings

bp = Blueprint("system", __name__, url_prefix="/-")


@bp.get("/health")
@bp.get("/health.json")
def health():
    """200 with the store version when the store opens; 503 with the reason otherwise."""
    try:
        version = reader().version
    except StoreError as e:
        return jsonify({"ok": False, "error": e.message}), 503
    return jsonify({"ok": True, "store_version": version, "version": __version__,
                    "query_workers": engine().workers, "workers_killed": engine().killed})


@bp.get("/settings")
@bp.get("/settings.json")
def settings_page():
    cfg = settings()
    return jsonify([{"name": s.name, "value": "(set)" if s.name in SECRET_SETTINGS and cfg.values[s.name]
                     else cfg.values[s.name], "default": s.default, "help": s.help} for s in SETTINGS])


@bp.get("/graphs")
@bp.get("/graphs.json")
def graphs():
    r = reader()
    return jsonify({"store_version": r.version, "graphs": list(r.public_graphs)})
