"""SHACL validation of built graphs against ``ontology/shapes.ttl``.

pySHACL mutates the shapes graph it is given (pitfalls §3), so each validation parses a
fresh copy from the cached Turtle text. Validation uses RDFS inference over the ontology
so that subclass targets work; violations fail a build, warnings are reported only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from partnergraph import resources


@cache
def _text(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def ontology_graph() -> Graph:
    """A fresh parse of the ontology."""
    return Graph().parse(data=_text(str(resources.ontology_file())), format="turtle")


def shapes_graph() -> Graph:
    """A fresh parse of the SHACL shapes (never share one across validations)."""
    return Graph().parse(data=_text(str(resources.shapes_file())), format="turtle")


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL result, flattened for people."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    value: str | None
    message_fi: str
    message_en: str
    shape: str

    def __str__(self) -> str:
        where = self.focus + (f" {self.path}" if self.path else "")
        val = f" (value {self.value})" if self.value is not None else ""
        return f"[{self.severity}] {where}{val}\n    fi: {self.message_fi}\n    en: {self.message_en}"


@dataclass(frozen=True)
class ShapeReport:
    conforms: bool
    results: list[ShapeResult]

    @property
    def violations(self) -> list[ShapeResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ShapeResult]:
        return [r for r in self.results if r.severity == "Warning"]

    def text(self, limit: int = 50) -> str:
        shown = sorted(self.results, key=lambda r: (r.severity != "Violation", r.focus))[:limit]
        lines = [str(r) for r in shown]
        if len(self.results) > limit:
            lines.append(f"... and {len(self.results) - limit} more")
        return "\n".join(lines)


def messages_fi_en(graph: Graph, node, predicate=SH.resultMessage) -> tuple[str, str]:
    """The Finnish and English messages of ``node`` (either falls back to an untagged one)."""
    fi = en = other = ""
    for msg in graph.objects(node, predicate):
        lang = msg.language if isinstance(msg, Literal) else None
        if lang == "fi":
            fi = str(msg)
        elif lang == "en":
            en = str(msg)
        else:
            other = str(msg)
    return fi or other, en or other


def _path_text(results: Graph, path) -> str | None:
    """A result path as text: the predicate IRI, or ``^IRI`` for an inverse path (not a blank
    node label), the same as :mod:`partnergraph.rdf.shacl_sparql` reports it."""
    if path is None:
        return None
    inverse = results.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return f"^{inverse}" if inverse is not None else str(path)


def validate_graph(data: Graph) -> ShapeReport:
    """Validate ``data`` (the union of the dataset graphs) against the shapes."""
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="rdfs",
        allow_warnings=True,
        advanced=False,
    )
    out: list[ShapeResult] = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        sev = results.value(node, SH.resultSeverity)
        fi, en = messages_fi_en(results, node)
        path = results.value(node, SH.resultPath)
        value = results.value(node, SH.value)
        out.append(ShapeResult(
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
            focus=str(results.value(node, SH.focusNode)),
            path=_path_text(results, path),
            value=str(value) if value is not None else None,
            message_fi=fi, message_en=en,
            shape=str(results.value(node, SH.sourceShape)),
        ))
    out.sort(key=lambda r: (r.severity, r.focus, r.path or "", r.value or ""))
    return ShapeReport(bool(conforms), out)
