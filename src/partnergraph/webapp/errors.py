"""User errors → HTTP status codes: the one place they are mapped."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from jinja2 import TemplateNotFound
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from partnergraph.errors import (
    InvalidInput,
    NotFound,
    PartnergraphError,
    QueryError,
    QueryRefused,
    QueryTimeout,
    ServiceBusy,
    SettingError,
    SourceDataError,
    StoreError,
)

STATUS: list[tuple[type[PartnergraphError], int]] = [
    (QueryTimeout, 503),
    (ServiceBusy, 503),
    (QueryRefused, 400),
    (QueryError, 400),
    (SourceDataError, 400),
    (SettingError, 400),
    (InvalidInput, 400),
    (NotFound, 404),
    (StoreError, 503),
    (PartnergraphError, 500),
]


def http_status(error: PartnergraphError) -> int:
    for cls, code in STATUS:
        if isinstance(error, cls):
            return code
    return 500


def _wants_json() -> bool:
    if request.path.endswith(".json") or request.args.get("format") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "text/plain"])
    return best == "application/json"


def error_response(status: int, title: str, message: str) -> Response:
    """The error as JSON, an HTML page or plain text, whichever the client prefers."""
    if _wants_json():
        resp = jsonify({"ok": False, "status": status, "error": title, "message": message})
    elif request.accept_mimetypes.best == "text/html" or (
        request.accept_mimetypes.best_match(["text/html", "text/plain"]) == "text/html"
        and "text/html" in request.headers.get("Accept", "")
    ):
        try:
            body = render_template("error.html", status=status, title=title, message=message)
        except TemplateNotFound:
            body = f"<!doctype html><title>{escape(title)}</title><p>{escape(message)}</p>"
        resp = make_response(body)
    else:
        resp = make_response(f"{title}: {message}\n")
        resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    resp.status_code = status
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(PartnergraphError)
    def handle_user_error(e: PartnergraphError):
        status = http_status(e)
        resp = error_response(status, type(e).__name__, e.message)
        if isinstance(e, QueryTimeout | ServiceBusy):
            resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(HTTPException)
    def handle_http(e: HTTPException):
        return error_response(e.code or 500, e.name, e.description or "")
