"""The one table of settings: name, default, type and help.

Values come, in rising priority, from the defaults below, environment variables
``PARTNERGRAPH_<NAME>`` (upper case) and explicit overrides (CLI ``--setting NAME VALUE``
or ``create_app(test_config=...)``). The table is also what ``/-/settings`` and the
README show, and a test fails when a setting is undocumented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnergraph.errors import SettingError


@dataclass(frozen=True)
class Setting:
    """One setting with its default and a help text for users."""

    name: str
    default: Any
    help: str

    @property
    def kind(self) -> type:
        return type(self.default)

    @property
    def env_var(self) -> str:
        return "PARTNERGRAPH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("store_path", "var/store", "Folder of the embedded Oxigraph store (versions live inside it)."),
    Setting("data_dir", "data", "Folder with the source datasets read by `partnergraph build`."),
    Setting(
        "base_iri",
        "https://w3id.org/partnergraph/id/",
        "Base IRI under which entity IRIs are minted (must end with '/').",
    ),
    Setting("keep_versions", 3, "How many earlier store versions to keep after a build (for rollback)."),
    Setting(
        "query_timeout",
        10.0,
        "Seconds a SPARQL query may run before its worker is killed and the query refused.",
    ),
    Setting("max_rows", 10000, "Most result rows (or triples) a SPARQL query may return."),
    Setting("max_concurrent_queries", 4, "Most SPARQL queries evaluated at the same time."),
    Setting("max_query_length", 100_000, "Longest SPARQL query text accepted, in characters."),
    Setting(
        "query_memory_limit",
        1024,
        "Most memory (MiB) one SPARQL query worker may allocate; a query that needs more is stopped "
        "and refused (0: no limit).",
    ),
    Setting(
        "sampled_betweenness_above",
        2000,
        "Nodes above which betweenness is estimated from a seeded sample of pivots.",
    ),
    Setting("betweenness_sample", 200, "Number of pivots used when betweenness is sampled."),
    Setting(
        "metrics_processes",
        2,
        "Worker processes that compute the metrics of the periods (all years, each year) side by "
        "side, for data of more than 5 000 organisations; the values do not depend on it.",
    ),
    Setting(
        "explorer_max_nodes",
        600,
        "Most nodes the explorer draws one by one; larger selections are shown per municipality.",
    ),
    Setting(
        "explorer_max_edges",
        3000,
        "Most ties the explorer draws; a view with more shows its strongest ties and says so.",
    ),
    Setting(
        "explorer_physics_above",
        300,
        "Nodes above which the explorer starts with physics off and the precomputed layout.",
    ),
    Setting(
        "admin_token",
        "",
        "Token that enables web import at /-/admin (at least 16 characters); empty: no write routes.",
    ),
    Setting("max_upload_bytes", 20 * 1024 * 1024, "Largest file accepted by the web import, in bytes."),
    Setting("random_seed", 42, "Seed for every randomised algorithm (Louvain, sampling, layout)."),
    Setting(
        "store_backend",
        "oxigraph",
        "Where the graph lives: 'oxigraph' (the embedded store under store_path) or 'sparql' (a SPARQL "
        "1.1 endpoint named by the sparql_* settings; see docs/scaling.md).",
    ),
    Setting("sparql_query_url", "", "SPARQL 1.1 Protocol query URL of the remote store (backend sparql)."),
    Setting(
        "sparql_store_url",
        "",
        "Graph Store Protocol URL the build loads graphs with (e.g. Virtuoso's /sparql-graph-crud-auth).",
    ),
    Setting("sparql_update_url", "", "SPARQL 1.1 Update URL for the version pointer (empty: the query URL)."),
    Setting("sparql_user", "", "User name for the remote store's write endpoints (Digest or Basic)."),
    Setting("sparql_password", "", "Password of sparql_user (set it in the environment); never shown."),
)

#: Settings whose values are never shown (``/-/settings``, messages, logs).
SECRET_SETTINGS = frozenset({"sparql_password"})

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    if isinstance(value, setting.kind) and not (setting.kind is int and isinstance(value, bool)):
        return value
    text = str(value).strip()
    try:
        if setting.kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        return setting.kind(text)
    except ValueError:
        raise SettingError(
            f"Setting {setting.name!r} needs a {setting.kind.__name__}, got {value!r}. "
            f"{setting.help}"
        ) from None


@dataclass(frozen=True)
class Config:
    """Resolved settings. Access values as attributes: ``config.query_timeout``."""

    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def store_dir(self) -> Path:
        return Path(self.values["store_path"]).expanduser()

    def with_overrides(self, overrides: Mapping[str, Any]) -> Config:
        return load_config(overrides, base=self.values)


def load_config(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    base: Mapping[str, Any] | None = None,
) -> Config:
    """Resolve settings from defaults, the environment and ``overrides``.

    >>> load_config({"max_rows": "50"}, environ={}).max_rows
    50
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = dict(base) if base else {}
    if not base:
        for s in SETTINGS:
            values[s.name] = s.default
            if s.env_var in env:
                values[s.name] = _coerce(s, env[s.env_var])
    for name, value in (overrides or {}).items():
        key = name.replace("-", "_")
        if key not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise SettingError(f"Unknown setting {name!r}. Known settings: {known}.")
        values[key] = _coerce(_BY_NAME[key], value)
    if not str(values["base_iri"]).endswith(("/", "#")):
        raise SettingError("Setting 'base_iri' must end with '/' or '#'.")
    return Config(values)
