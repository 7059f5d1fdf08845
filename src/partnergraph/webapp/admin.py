"""Web import for administrators: ``/-/admin/...``, registered only when ``admin_token`` is set.

Upload CSV/XLSX/Turtle/JSON-LD files for one dataset; they are staged next to a copy of the
other datasets and go through the same validated, atomic build as ``partnergraph build``.
Only when the build succeeds does the dataset folder under ``data_dir`` get replaced (also
atomically), so a failed import changes nothing, in the store or on disk.

Protection: the token (compared in constant time) starts a session; every POST carries a
CSRF token bound to that session; API clients may send ``Authorization: Bearer <token>``
instead (browsers cannot send that header cross-site). Files are limited in number, size and
type, and no path is taken from the user: stored names come from the table names.
"""

from __future__ import annotations

import hmac
import secrets
import shutil
import tempfile
import uuid
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, jsonify, redirect, render_template, request, session

from partnergraph.errors import InvalidInput, PartnergraphError, SourceDataError
from partnergraph.ingest import fields
from partnergraph.ingest.datasets import MANIFEST, read_manifest
from partnergraph.ingest.tables import TABLES_BY_NAME
from partnergraph.rdf.build import build
from partnergraph.webapp.app import settings

bp = Blueprint("admin", __name__, url_prefix="/-/admin")
SUFFIXES = {".csv", ".xlsx", ".ttl", ".jsonld"}
MAX_FILES = 20


def register(app: Flask) -> None:
    """Add the admin routes only if a token is configured (otherwise they do not exist)."""
    cfg = app.config["PG"]
    if not cfg.admin_token:
        return
    if len(cfg.admin_token) < 16:
        raise InvalidInput("Setting admin_token must be at least 16 characters long.")
    app.secret_key = app.secret_key or secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")
    app.register_blueprint(bp)


@bp.before_request
def _upload_limit() -> None:
    # the request-body cap for uploads (the SPARQL endpoint has its own, smaller one)
    request.max_content_length = settings().max_upload_bytes * MAX_FILES + 65536


def _token_ok(given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), settings().admin_token.encode())


def _authorised() -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return _token_ok(header[7:])
    return bool(session.get("admin"))


def _check_csrf() -> None:
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return  # header auth cannot be forged by another site
    sent = request.form.get("csrf", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403, description="Missing or wrong CSRF token: reload the import page and try again.")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    error = None
    if request.method == "POST":
        if _token_ok(request.form.get("token")):
            session.clear()
            session["admin"] = True
            session["csrf"] = secrets.token_urlsafe(32)
            return redirect("/-/admin/import")
        error = "Wrong token."
    return render_template("admin_login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout() -> Response:
    _check_csrf()
    session.clear()
    return redirect("/")


@bp.get("/import")
def import_form() -> Response | str:
    if not _authorised():
        return redirect("/-/admin/login")
    data_dir = Path(settings().data_dir)
    datasets = (
        sorted(p.name for p in data_dir.iterdir() if (p / MANIFEST).is_file()) if data_dir.is_dir() else []
    )
    return render_template(
        "admin_import.html",
        csrf=session.get("csrf", ""),
        datasets=datasets,
        max_bytes=settings().max_upload_bytes,
        tables=sorted(TABLES_BY_NAME),
    )


def _stored_name(filename: str, index: int) -> str:
    """The name a file is stored under, derived from the table it is for (never the user's path)."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            f"{name or '(no name)'}: only .csv, .xlsx, .ttl and .jsonld files can be imported."
        )
    if suffix == ".csv":
        table = Path(name).stem
        if table not in TABLES_BY_NAME:
            raise InvalidInput(
                f"{name}: a CSV file must be named after its table: "
                + ", ".join(f"{t}.csv" for t in sorted(TABLES_BY_NAME))
            )
        return f"{table}.csv"
    return f"upload-{index}{suffix}"


@bp.post("/import")
def do_import() -> Response | tuple[Response, int] | tuple[str, int] | str:
    if not _authorised():
        abort(401, description="Log in at /-/admin/login or send Authorization: Bearer <admin_token>.")
    _check_csrf()
    cfg = settings()
    dataset = (request.form.get("dataset") or "").strip()
    try:
        fields.key(dataset)
    except fields.CellError as e:
        raise InvalidInput(f"dataset: {e.expected}") from None
    files = request.files.getlist("files")
    if not files or not any(f.filename for f in files):
        raise InvalidInput("Choose at least one file to import.")
    if len(files) > MAX_FILES:
        raise InvalidInput(f"At most {MAX_FILES} files at a time.")
    data_dir = Path(cfg.data_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix="pg-import-"))
    try:
        staged_data = staging / "data"
        shutil.copytree(data_dir, staged_data, ignore=shutil.ignore_patterns("templates", "queries"))
        target = staged_data / dataset
        if target.exists():
            manifest = (target / MANIFEST).read_bytes() if (target / MANIFEST).is_file() else None
            shutil.rmtree(target)
            target.mkdir()
            if manifest:
                (target / MANIFEST).write_bytes(manifest)
        else:
            target.mkdir()
        if not (target / MANIFEST).is_file():
            title_fi = (request.form.get("title_fi") or dataset).replace('"', "'")
            title_en = (request.form.get("title_en") or dataset).replace('"', "'")
            (target / MANIFEST).write_text(
                f'id = "{dataset}"\ntitle_fi = "{title_fi}"\ntitle_en = "{title_en}"\n'
                f"synthetic = false\norder = 40\n",
                encoding="utf-8",
            )
        read_manifest(target)
        seen: set[str] = set()
        for i, f in enumerate(files):
            stored = _stored_name(f.filename or "", i)
            if stored in seen:
                raise InvalidInput(f"{f.filename}: two files for the same table.")
            seen.add(stored)
            dest = target / stored
            f.save(dest)
            if dest.stat().st_size > cfg.max_upload_bytes:
                raise InvalidInput(
                    f"{f.filename}: larger than {cfg.max_upload_bytes} bytes (setting max_upload_bytes)."
                )
        result = build(cfg, data_dir=staged_data)
        # the store is replaced; now keep the uploaded dataset for later CLI builds, atomically
        final = data_dir / dataset
        incoming = data_dir / f".incoming-{uuid.uuid4().hex[:8]}"
        shutil.copytree(target, incoming)
        old = data_dir / f".old-{uuid.uuid4().hex[:8]}"
        if final.exists():
            final.replace(old)
        incoming.replace(final)
        shutil.rmtree(old, ignore_errors=True)
    except SourceDataError as e:
        return _result(400, False, e.message, [str(p) for p in e.problems])
    except PartnergraphError as e:
        return _result(400, False, e.message, [])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _result(
        200,
        True,
        f"Imported {dataset}: store version {result.version}.",
        [f"{k}: {v} triples" for k, v in result.triple_counts.items()],
    )


def _result(status: int, ok: bool, message: str, details: list[str]):
    if request.accept_mimetypes.best == "application/json" or request.headers.get("Authorization"):
        return jsonify({"ok": ok, "message": message, "details": details}), status
    return render_template("admin_result.html", ok=ok, message=message, details=details), status
