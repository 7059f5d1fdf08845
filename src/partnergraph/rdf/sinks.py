"""Where :class:`partnergraph.rdf.triples.GraphBuilder` puts its triples.

The mapping from records to triples is defined once, in ``triples.py``; the builder only
calls ``sink.add((s, p, o))``. Two kinds of sink take that call:

* an rdflib :class:`~rdflib.Graph` (it has ``add``): tests, ``partnergraph validate
  --engine pyshacl`` and anything that wants an in-memory graph;
* :class:`NQuadsWriter`: the build. It writes each triple at once as one N-Quads line of a
  named graph, with no rdflib graph (and its indexes) in between; the file is then
  bulk-loaded into the new store version by Oxigraph. At scale M this replaces about
  80 s of rdflib graph building with a few seconds of string formatting.

Duplicate triples are written as often as they are added; the store keeps each quad once.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TripleSink(Protocol):
    """Anything with ``add((s, p, o))``: an rdflib Graph or an :class:`NQuadsWriter`."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def literal_text(lit: Literal) -> str:
    """``lit`` in N-Triples/N-Quads syntax."""
    lex = str(lit)
    if '"' in lex or "\\" in lex or "\n" in lex or "\r" in lex:
        lex = lex.translate(_ESCAPES)
    if lit.language:
        return f'"{lex}"@{lit.language}'
    dt = lit.datatype
    if dt is None or str(dt) == XSD_STRING:
        return f'"{lex}"'
    return f'"{lex}"^^<{dt}>'


def term_text(t: Node) -> str:
    """An rdflib term in N-Triples/N-Quads syntax."""
    if type(t) is URIRef:
        return f"<{t}>"
    if isinstance(t, Literal):
        return literal_text(t)
    if isinstance(t, BNode):
        return f"_:b{t}"
    if isinstance(t, URIRef):
        return f"<{t}>"
    raise TypeError(f"cannot write {t!r} as an N-Quads term")


class NQuadsWriter:
    """A sink writing the triples of one named graph as N-Quads lines to ``out``."""

    def __init__(self, out: TextIO, graph: str) -> None:
        self._write = out.write
        self._graph = f" <{graph}> .\n"
        self.count = 0  # triples written (duplicates included)

    def add(self, triple: tuple[Node, Node, Node], /) -> None:
        s, p, o = triple
        st = f"<{s}>" if type(s) is URIRef else term_text(s)
        pt = f"<{p}>" if type(p) is URIRef else term_text(p)
        ot = f"<{o}>" if type(o) is URIRef else term_text(o)
        self._write(f"{st} {pt} {ot}{self._graph}")
        self.count += 1

    def __len__(self) -> int:
        return self.count
