"""Front-end libraries installed by npm (``web/package.json``), served from this origin.

Only the files listed here are served, so ``node_modules`` is never browsable. Pages link
them as ``url_for('assets.vendor', name=...)``; nothing is loaded from a CDN.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from partnergraph import resources

VENDOR: dict[str, str] = {
    "yasgui.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.css": "@zazuko/yasgui/build/yasgui.min.css",
    "vis-network.js": "vis-network/standalone/umd/vis-network.min.js",
    "chart.js": "chart.js/dist/chart.umd.min.js",
}

bp = Blueprint("assets", __name__)


@bp.get("/vendor/<name>")
def vendor(name: str):
    rel = VENDOR.get(name)
    if rel is None:
        abort(404)
    path = resources.web_dir() / "node_modules" / rel
    if not path.is_file():
        abort(404, description=f"{name} is not installed: run `npm ci` in web/ (make setup does it).")
    resp = send_file(path, max_age=86400)
    return resp
