"""Where the project's non-code files are: the ontology, data, web assets.

In a checkout (or an editable install) they sit at the repository root next to ``src/``.
A wheel installs them under ``<prefix>/share/partnergraph``. ``PARTNERGRAPH_HOME``
overrides both.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def home() -> Path:
    """The folder holding ``ontology/``, ``web/`` and ``data/``."""
    env = os.environ.get("PARTNERGRAPH_HOME")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[2], Path(sys.prefix) / "share" / "partnergraph"]
    for c in candidates:
        if (c / "ontology" / "partnergraph.ttl").is_file():
            return c
    raise FileNotFoundError(
        "Cannot find partnergraph's ontology/ folder; set PARTNERGRAPH_HOME to the project folder."
    )


def ontology_file() -> Path:
    return home() / "ontology" / "partnergraph.ttl"


def shapes_file() -> Path:
    return home() / "ontology" / "shapes.ttl"


def web_dir() -> Path:
    return home() / "web"


def queries_dir() -> Path:
    return home() / "data" / "queries"
