"""Application factory (``create_app``) and the per-app services it holds."""

from __future__ import annotations

import atexit
from typing import Any

from flask import Flask, g

from partnergraph import resources
from partnergraph.rdf.reader import GraphReader
from partnergraph.settings import Config, load_config


def create_app(test_config: dict[str, Any] | None = None, config: Config | None = None) -> Flask:
    """Build the app. ``test_config`` overrides settings (as ``--setting`` does)."""
    cfg = config or load_config(test_config or {})
    web = resources.web_dir()
    app = Flask(
        "partnergraph",
        template_folder=str(web / "templates"),
        static_folder=str(web / "static"),
        static_url_path="/static",
    )
    app.config["PG"] = cfg
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["pg_reader"] = GraphReader.from_config(cfg)
    from partnergraph.webapp import admin

    admin.register(app)  # write routes exist only when admin_token is set

    from partnergraph.sparql.engine import QueryEngine

    engine = QueryEngine(cfg)
    app.extensions["pg_engine"] = engine
    atexit.register(engine.close)

    from partnergraph.webapp import assets, docs, errors, i18n, system

    i18n.register(app)
    errors.register(app)
    app.register_blueprint(system.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(docs.bp)
    for name in ("sparql", "queries", "pages", "explorer", "exports"):
        try:
            module = __import__(f"partnergraph.webapp.{name}", fromlist=["bp"])
        except ModuleNotFoundError as e:
            if e.name != f"partnergraph.webapp.{name}":
                raise
            continue
        app.register_blueprint(module.bp)

    @app.after_request
    def security_headers(resp):
        # No outside origin anywhere: scripts, styles, images and fetches are same-origin.
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'self'; form-action 'self'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    return app


def reader() -> GraphReader:
    """The app's read-only graph view (for views)."""
    from flask import current_app

    return current_app.extensions["pg_reader"]


def settings() -> Config:
    from flask import current_app

    return current_app.config["PG"]


def engine():
    from flask import current_app

    return current_app.extensions["pg_engine"]


__all__ = ["create_app", "engine", "g", "reader", "settings"]
