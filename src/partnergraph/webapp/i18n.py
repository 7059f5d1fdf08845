"""Finnish and English UI text. The language comes from ``?lang=``, then a cookie, then
the browser's Accept-Language; Finnish is the default."""

from __future__ import annotations

from flask import Flask, Response, g, request

LANGS = ("fi", "en")
COOKIE = "pg_lang"

TEXT: dict[str, dict[str, str]] = {
    "app.name": {"fi": "partnergraph", "en": "partnergraph"},
    "app.tagline": {"fi": "Kuntien ja järjestöjen kumppanuusverkosto",
                    "en": "Municipality–association partnership graph"},
    "nav.dashboard": {"fi": "Yleiskuva", "en": "Dashboard"},
    "nav.explorer": {"fi": "Verkosto", "en": "Network"},
    "nav.sparql": {"fi": "SPARQL", "en": "SPARQL"},
    "nav.queries": {"fi": "Valmiit kyselyt", "en": "Canned queries"},
    "nav.exports": {"fi": "Vienti", "en": "Exports"},
    "nav.language": {"fi": "In English", "en": "Suomeksi"},
    "synthetic.banner": {
        "fi": "Osa näytettävistä tiedoista on synteettisiä (keksittyjä) esimerkkitietoja, "
              "ei todellisia havaintoja.",
        "en": "Some of the data shown is synthetic (made-up) example data, not real records.",
    },
    "synthetic.badge": {"fi": "synteettinen", "en": "synthetic"},
    "error.title": {"fi": "Virhe", "en": "Error"},
    "footer.source": {"fi": "Aineisto: Elinvoimapajat 2018–2020, Keski-Suomi",
                      "en": "Data: Elinvoimapajat 2018–2020, Central Finland"},
    "skip": {"fi": "Siirry sisältöön", "en": "Skip to content"},
}


def pick_language() -> str:
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGS:
        return cookie
    return request.accept_languages.best_match(LANGS, default="fi") or "fi"


def t(key: str, **values: object) -> str:
    """The UI text ``key`` in the current language (the key itself if missing)."""
    lang = getattr(g, "lang", "fi")
    entry = TEXT.get(key)
    text = entry.get(lang, entry.get("fi", key)) if entry else key
    return text.format(**values) if values else text


def register(app: Flask) -> None:
    @app.before_request
    def _lang() -> None:
        g.lang = pick_language()

    @app.after_request
    def _remember(resp: Response) -> Response:
        asked = request.args.get("lang")
        if asked in LANGS:
            resp.set_cookie(COOKIE, asked, max_age=365 * 86400, samesite="Lax", httponly=True)
        resp.headers.add("Vary", "Cookie")
        return resp

    app.jinja_env.globals["t"] = t
    app.jinja_env.globals["LANGS"] = LANGS
