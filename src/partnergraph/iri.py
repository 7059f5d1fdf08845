"""The one place where entity IRIs are minted.

IRIs are built from natural keys (municipality codes, the ``tunnus`` keys of the source
files, register numbers) under a configurable base, so rebuilding from the same sources
gives the same IRIs. Keys are validated at import (``[A-Za-z0-9._-]``), so they are safe
path segments; :func:`Minter.segment` is the guard for anything else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

#: Kinds of entity and the path segment their IRIs live under (also the web routes).
KINDS = {
    "place": "place",
    "area": "area",
    "org": "org",
    "project": "project",
    "event": "event",
    "participation": "participation",
    "plan": "plan",
    "action": "action",
    "followup": "followup",
    "theme": "theme",
    "source": "source",
    "figure": "figure",
    "model": "model",
    "identifier": "identifier",
    "assignment": "assignment",
    "dataset": "dataset",
    "graph": "graph",
    "metrics": "metrics",
}


@dataclass(frozen=True)
class Minter:
    """Mints IRIs under ``base`` (which ends with ``/`` or ``#``).

    >>> m = Minter("https://example.org/id/")
    >>> str(m.municipality("077"))
    'https://example.org/id/place/kunta-077'
    >>> str(m.org("kyt-ry"))
    'https://example.org/id/org/kyt-ry'
    """

    base: str

    @staticmethod
    def segment(key: str) -> str:
        """A key as a path segment: kept as is when safe, percent-encoded otherwise."""
        return key if _SAFE.match(key) else quote(key, safe="")

    def mint(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}{KINDS[kind]}/{self.segment(key)}")

    # places
    def municipality(self, code: str) -> URIRef:
        return self.mint("place", f"kunta-{code}")

    def subregion(self, code: str) -> URIRef:
        return self.mint("place", f"seutukunta-{code}")

    def region(self, code: str) -> URIRef:
        return self.mint("place", f"maakunta-{code}")

    def area(self, key: str) -> URIRef:
        return self.mint("area", key)

    def area_assignment(self, area: str, code: str) -> URIRef:
        return self.mint("assignment", f"{area}-{code}")

    # organisations and their identifiers
    def municipality_body(self, code: str) -> URIRef:
        return self.mint("org", f"kunta-{code}")

    def org(self, key: str) -> URIRef:
        return self.mint("org", key)

    def ytunnus(self, value: str) -> URIRef:
        return self.mint("identifier", f"ytunnus-{value}")

    def register_number(self, digits: str) -> URIRef:
        return self.mint("identifier", f"yhdistys-{digits}")

    # activities
    def project(self, key: str) -> URIRef:
        return self.mint("project", key)

    def event(self, key: str) -> URIRef:
        return self.mint("event", key)

    def participation(self, event: str, who: str, role: str) -> URIRef:
        return self.mint("participation", f"{event}--{who}--{role}")

    def plan(self, key: str) -> URIRef:
        return self.mint("plan", key)

    def action(self, key: str) -> URIRef:
        return self.mint("action", key)

    def followup(self, target: str, date: str) -> URIRef:
        return self.mint("followup", f"{target}--{date}")

    # record and concepts
    def theme(self, key: str) -> URIRef:
        return self.mint("theme", key)

    def source(self, key: str) -> URIRef:
        return self.mint("source", key)

    def figure(self, key: str) -> URIRef:
        return self.mint("figure", key)

    def model(self, key: str) -> URIRef:
        return self.mint("model", key)

    def dataset(self, key: str) -> URIRef:
        return self.mint("dataset", key)

    def graph(self, key: str) -> URIRef:
        """The named graph holding one dataset (or ``metrics``, ``ontology``)."""
        return self.mint("graph", key)

    def metrics_run(self, key: str) -> URIRef:
        return self.mint("metrics", key)

    def measurement(self, run: str, node: str, measure: str, year: int | None = None) -> URIRef:
        """One value of ``measure`` for ``node`` (an IRI) in ``year`` (None: all years) of ``run``.

        >>> str(Minter("https://example.org/id/").measurement("run-1", "https://example.org/id/org/a",
        ...                                                  "degree", 2019))
        'https://example.org/id/metrics/run-1--degree-2019--ed3796cd1a540cba'
        """
        digest = hashlib.sha256(f"{node}\n{measure}\n{year or ''}".encode()).hexdigest()[:16]
        return self.mint("metrics", f"{run}--{measure}-{year or 'all'}--{digest}")

    def network(self, key: str) -> URIRef:
        """A network as a whole (e.g. ``organisations``), as the node of network-level measures."""
        return self.mint("metrics", f"network-{key}")

    def local_path(self, iri: str) -> str | None:
        """The path of ``iri`` below the base (``org/kyt-ry``), or None if not ours."""
        if not iri.startswith(self.base):
            return None
        return iri[len(self.base) :]
