"""The project's own documentation (``docs/*.md``) rendered as pages: ``/docs/<name>``."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Blueprint, render_template

from partnergraph import resources
from partnergraph.errors import NotFound

bp = Blueprint("docs", __name__, url_prefix="/docs")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@lru_cache(maxsize=32)
def _render(name: str, mtime: float) -> tuple[str, str]:
    import markdown

    text = (resources.home() / "docs" / f"{name}.md").read_text(encoding="utf-8")
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), name)
    # Our own files (not user input); raw HTML in them is escaped all the same.
    md = markdown.Markdown(extensions=["tables", "fenced_code", "toc"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return title, md.convert(text)


@bp.get("/<name>")
def page(name: str) -> str:
    path = resources.home() / "docs" / f"{name}.md"
    if not _NAME.match(name) or not path.is_file():
        raise NotFound(f"No documentation page {name!r}.")
    title, body = _render(name, path.stat().st_mtime)
    return render_template("doc.html", title=title, body=body)
