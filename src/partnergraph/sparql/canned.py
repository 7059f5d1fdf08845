"""Canned queries: the library ``data/queries/*.rq`` with titles, descriptions and parameters.

Each file starts with a header of ``# key: value`` comment lines::

    # title_fi: Suunnitelmat kunnittain ja tiloittain
    # title_en: Plans per municipality and status
    # description_fi: …
    # description_en: …
    # param: municipality uri Kunta | Municipality
    # default: municipality {base}place/kunta-179
    # options: municipality pg:Municipality

``param`` declares a parameter: its name (a variable of the query, which must be in the
SELECT projection: pyoxigraph substitutes only projected variables), its kind and its
labels in Finnish and English. ``default`` gives a value used when the request gives
none (``{base}`` is the setting ``base_iri``); a parameter with neither is left unbound,
which usually means "all". ``options`` names a class whose labelled instances the page
offers in a list. Repeated ``description_*`` lines are joined.

Parameter values are never put into the query text: they are validated here, then bound
as whole RDF terms by the engine (``substitutions``), so ``> } ; DROP`` in a value is at
most a literal that matches nothing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from partnergraph import resources
from partnergraph.errors import NotFound, QueryError

KINDS = {
    "uri": "an absolute http(s) IRI",
    "literal": "text",
    "integer": "a whole number",
    "year": "a year YYYY",
}
HEADER_KEYS = ("title_fi", "title_en", "description_fi", "description_en", "param", "default", "options")
REQUIRED_KEYS = ("title_fi", "title_en", "description_fi", "description_en")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: An absolute http(s) IRI with no character that IRIREF forbids (RFC 3987, SPARQL IRIREF).
IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`\x00-\x20]+$")
MAX_VALUE_LENGTH = 2000


class CannedQueryError(ValueError):
    """A file in data/queries breaks the header format (a bug in the shipped library)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    label_fi: str
    label_en: str
    default: str | None = None
    options_class: str | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_fi


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title_fi: str
    title_en: str
    description_fi: str
    description_en: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_fi

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_fi

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse(name: str, text: str) -> CannedQuery:
    """Read the header of one ``.rq`` file; raises :class:`CannedQueryError`."""
    if not NAME.match(name):
        raise CannedQueryError(f"{name}.rq: file names are lowercase letters, digits and '-'.")
    values: dict[str, list[str]] = {k: [] for k in HEADER_KEYS}
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = re.match(r"#\s*([a-z_]+)\s*:\s?(.*)$", stripped)
        if not m:
            continue  # a plain comment
        key, value = m.group(1), m.group(2).strip()
        if key not in HEADER_KEYS:
            raise CannedQueryError(f"{name}.rq:{lineno}: unknown header key {key!r}; "
                                   f"use one of {', '.join(HEADER_KEYS)}.")
        values[key].append(value)
    for key in REQUIRED_KEYS:
        if not values[key] or not all(values[key]):
            raise CannedQueryError(f"{name}.rq: the header needs '# {key}: …'.")
    defaults: dict[str, str] = {}
    for line in values["default"]:
        pname, _, val = line.partition(" ")
        defaults[pname] = val.strip()
    options: dict[str, str] = {}
    for line in values["options"]:
        pname, _, cls = line.partition(" ")
        options[pname] = cls.strip()
    params = []
    for line in values["param"]:
        m = re.match(r"^(\S+)\s+(\S+)\s+(.+?)\s*\|\s*(.+)$", line)
        if not m:
            raise CannedQueryError(f"{name}.rq: write parameters as "
                                   f"'# param: NAME KIND LABEL_FI | LABEL_EN'; got {line!r}.")
        pname, kind, label_fi, label_en = m.groups()
        if not VAR.match(pname):
            raise CannedQueryError(f"{name}.rq: parameter name {pname!r} is not a SPARQL variable name.")
        if kind not in KINDS:
            raise CannedQueryError(f"{name}.rq: parameter {pname} has kind {kind!r}; use one of "
                                   f"{', '.join(KINDS)}.")
        params.append(Param(pname, kind, label_fi, label_en, defaults.pop(pname, None),
                            options.pop(pname, None)))
    if defaults or options:
        extra = sorted(set(defaults) | set(options))
        raise CannedQueryError(f"{name}.rq: default/options for undeclared parameter(s) {extra}.")
    return CannedQuery(
        name=name,
        title_fi=values["title_fi"][0],
        title_en=values["title_en"][0],
        description_fi=" ".join(values["description_fi"]),
        description_en=" ".join(values["description_en"]),
        text=text,
        params=tuple(params),
    )


class Library:
    """The canned queries of one folder, reread when a file changes (cheap to call)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else resources.queries_dir()
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._queries: dict[str, CannedQuery] = {}

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob("*.rq")) if self.directory.is_dir() else []

    def all(self) -> dict[str, CannedQuery]:
        files = self._files()
        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        with self._lock:
            if stamp != self._stamp:
                self._queries = {p.stem: parse(p.stem, p.read_text(encoding="utf-8")) for p in files}
                self._stamp = stamp
            return dict(self._queries)

    def get(self, name: str) -> CannedQuery:
        q = self.all().get(name)
        if q is None:
            raise NotFound(f"There is no canned query {name!r}; see /queries for the list.")
        return q


def validate_value(param: Param, value: str) -> str:
    """``value`` checked against the parameter's kind; raises QueryError naming the rule."""
    value = value.strip()
    if len(value) > MAX_VALUE_LENGTH:
        raise QueryError(f"Parameter {param.name!r} is {len(value)} characters long; "
                         f"at most {MAX_VALUE_LENGTH} are accepted.")
    ok = {
        "uri": lambda v: bool(IRI.match(v)),
        "literal": lambda v: "\x00" not in v,
        "integer": lambda v: bool(re.fullmatch(r"-?\d{1,18}", v)),
        "year": lambda v: bool(re.fullmatch(r"\d{4}", v)),
    }[param.kind](value)
    if not ok:
        example = " (e.g. https://w3id.org/partnergraph/id/place/kunta-179)" if param.kind == "uri" else ""
        raise QueryError(f"Parameter {param.name!r} must be {KINDS[param.kind]}{example}; got "
                         f"{value[:200]!r}. Values are bound as whole terms, never as query text.")
    return value


#: parameter kind -> engine substitution kind
_SUBSTITUTION = {"uri": "uri", "literal": "literal", "integer": "integer", "year": "gYear"}


def bind(query: CannedQuery, given: Mapping[str, str], base_iri: str) -> tuple[dict[str, str],
                                                                                dict[str, tuple[str, str]]]:
    """Validate the request's values; return (values shown, engine substitutions).

    A parameter missing or empty in ``given`` takes its default; without one it stays
    unbound. Unknown request keys are ignored (e.g. ``lang``).
    """
    shown: dict[str, str] = {}
    subs: dict[str, tuple[str, str]] = {}
    for p in query.params:
        raw = given.get(p.name)
        if raw is None or not raw.strip():
            raw = p.default.replace("{base}", base_iri) if p.default else ""
        if not raw:
            shown[p.name] = ""
            continue
        value = validate_value(p, raw)
        shown[p.name] = value
        subs[p.name] = (_SUBSTITUTION[p.kind], value)
    return shown, subs
