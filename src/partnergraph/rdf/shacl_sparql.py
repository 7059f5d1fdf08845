"""SHACL validation compiled to SPARQL and run on an Oxigraph store.

pySHACL (:mod:`partnergraph.rdf.shacl`) evaluates every shape node by node in Python over an
rdflib graph after materialising the RDFS closure; at scale M (~570 000 triples) that takes
6-7 minutes. This module reads ``ontology/shapes.ttl`` once, refuses at start-up anything
outside the SHACL Core subset it implements (:class:`ShapeCompileError`), and evaluates each
property shape with a few set-at-a-time SPARQL queries over the new store version, before the
version is published. The result is the same :class:`~partnergraph.rdf.shacl.ShapeReport`
(same focus nodes, paths, severities, source shapes and fi/en messages) as pySHACL run with
``inference="rdfs"`` and the ontology as ``ont_graph``; ``tests/test_shacl_sparql.py`` runs
both on the same graphs and compares the result sets.

Supported (everything ``shapes.ttl`` uses): node shapes with ``sh:targetClass``,
``sh:targetObjectsOf``, ``sh:targetSubjectsOf``, ``sh:targetNode`` and ``sh:property``;
property shapes with a predicate or ``sh:inversePath`` path and ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``,
``sh:pattern`` (a safe regex subset), ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:uniqueLang``, ``sh:or`` and ``sh:qualifiedValueShape`` (of shapes made of ``sh:class``,
``sh:datatype``, ``sh:nodeKind``), ``sh:severity``, ``sh:message``, ``sh:name``.

RDFS entailment as pySHACL does it (owlrl's RDFS closure without the literal "same as"
rule): a node is an instance of C when it has ``rdf:type`` D with D ``rdfs:subClassOf*`` C, or
is the subject (object) of a property whose ``rdfs:domain`` (``rdfs:range``) is such a D,
``rdfs:subPropertyOf`` included. The schema is read from the validated graphs themselves
(ontology graph plus data), then expanded into VALUES lists of the queries.

Known differences from pySHACL, all from the store rather than the compiler: Oxigraph keeps
literals in canonical form (``"+05"^^xsd:integer`` is stored as ``"5"``), so two literals that
differ only in lexical form are one value here (it matters for ``sh:maxCount`` and for
``sh:pattern`` on non-string literals); blank-node labels in reports differ.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from partnergraph.rdf import shacl
from partnergraph.rdf.shacl import ShapeReport, ShapeResult, messages_fi_en
from partnergraph.rdf.sinks import literal_text


class ShapeCompileError(ValueError):
    """The shapes use a SHACL feature this validator does not implement."""


RDF_TYPE = str(RDF.type)
RDF_LANGSTRING = str(RDF.langString)
XSD_STRING = str(XSD.string)
RDFS_LITERAL = str(RDFS.Literal)

SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
NODE_KINDS = {
    str(SH.IRI): "isIRI(?v)",
    str(SH.BlankNode): "isBlank(?v)",
    str(SH.Literal): "isLiteral(?v)",
    str(SH.BlankNodeOrIRI): "!isLiteral(?v)",
    str(SH.BlankNodeOrLiteral): "!isIRI(?v)",
    str(SH.IRIOrLiteral): "!isBlank(?v)",
}
_DESCRIPTIVE = {SH.name, SH.description, SH.order, SH.group, SH.message, SH.severity}
_NODE_PARAMS = _DESCRIPTIVE | {SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode,
                               SH.property, SH.deactivated, SH["or"]}
_PROPERTY_PARAMS = _DESCRIPTIVE | {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.hasValue,
    SH.pattern, SH.minInclusive, SH.maxInclusive, SH.uniqueLang, SH["or"], SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.deactivated,
}
_MEMBER_PARAMS = {SH["class"], SH.datatype, SH.nodeKind}
_SHAPE_TRIGGERS = {SH.path, SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode,
                   SH.property}
#: regexes whose meaning is the same in Python ``re`` and SPARQL REGEX, except that Python's
#: ``$`` also matches before a final newline (so SPARQL refuses a superset; see _pattern_fails)
_SAFE_REGEX = re.compile(
    r"(?:[A-Za-z0-9 _\-:/@,;=#%&~!'\"<>]"
    r"|\\[.\-\\/()\[\]{}|?*+^$]"
    r"|\[\^?(?:[A-Za-z0-9_ :/@]|\\[.\-\\\]\[]|[A-Za-z0-9]-[A-Za-z0-9]|-)+\]"
    r"|\{\d+(?:,\d*)?\}"
    r"|[?*+()|^$])*"
)


# ----------------------------------------------------------------------------------------
# The shapes, read once
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShPath:
    iri: str
    inverse: bool = False

    def text(self) -> str:
        """How reports show the path: the IRI, with ``^`` in front for an inverse path."""
        return ("^" if self.inverse else "") + self.iri


@dataclass(frozen=True)
class MemberShape:
    """An anonymous shape inside ``sh:or`` or ``sh:qualifiedValueShape``."""

    classes: tuple[str, ...] = ()
    datatype: str | None = None
    node_kind: str | None = None


@dataclass
class PropertyShape:
    iri: str
    path: ShPath
    severity: str
    message_fi: str
    message_en: str
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    classes: tuple[str, ...] = ()
    node_kind: str | None = None
    in_values: tuple[str, ...] | None = None  # N-Triples text of each term
    has_values: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    min_inclusive: tuple[Literal, ...] = ()
    max_inclusive: tuple[Literal, ...] = ()
    unique_lang: bool = False
    or_lists: tuple[tuple[MemberShape, ...], ...] = ()
    qualified: tuple[tuple[MemberShape, int | None, int | None], ...] = ()

    def datatypes(self) -> set[str]:
        out = {self.datatype} if self.datatype else set()
        for members in self.or_lists:
            out |= {m.datatype for m in members if m.datatype}
        return out


@dataclass
class NodeShape:
    iri: str
    target_classes: tuple[str, ...] = ()
    target_objects_of: tuple[str, ...] = ()
    target_subjects_of: tuple[str, ...] = ()
    target_nodes: tuple[str, ...] = ()  # N-Triples text
    properties: tuple[str, ...] = ()
    # node-level sh:or: each member is a value shape on the focus node itself or a property
    # shape that only says sh:minCount 1 ("has a value on this path")
    or_lists: tuple[tuple[MemberShape | PropertyShape, ...], ...] = ()
    severity: str = "Violation"
    message_fi: str = ""
    message_en: str = ""


@dataclass
class Shapes:
    node_shapes: list[NodeShape]
    property_shapes: dict[str, PropertyShape]


def _nt(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return literal_text(term)
    raise ShapeCompileError(f"blank node {term} where an IRI or literal is needed")


def _iri(g: Graph, node, what: str) -> str:
    if not isinstance(node, URIRef):
        raise ShapeCompileError(f"{what} must be an IRI, got {node!r}")
    return str(node)


def _int(value, what: str) -> int:
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise ShapeCompileError(f"{what} must be an integer, got {value!r}")
    return int(value.value)


def _one(g: Graph, node, pred) -> object | None:
    values = list(g.objects(node, pred))
    if len(values) > 1:
        raise ShapeCompileError(f"{node} has {len(values)} values of {pred}; this validator takes one")
    return values[0] if values else None


def _check_params(g: Graph, node, allowed: set, role: str) -> None:
    name = node if isinstance(node, URIRef) else "a blank-node shape"
    for p in set(g.predicates(node, None)):
        if str(p).startswith(str(SH)) and p not in allowed:
            raise ShapeCompileError(
                f"{name} ({role}) uses {p.n3(g.namespace_manager)}, which the SPARQL SHACL validator "
                f"does not implement; use `partnergraph validate --engine pyshacl` or extend "
                f"partnergraph.rdf.shacl_sparql")
    if (node, SH.deactivated, Literal(True)) in g:
        raise ShapeCompileError(f"{name}: sh:deactivated is not supported")


def _messages(g: Graph, node) -> tuple[str, str]:
    return messages_fi_en(g, node, SH.message)


def _member(g: Graph, node) -> MemberShape:
    _check_params(g, node, _MEMBER_PARAMS | {SH.name, SH.description},
                  "member of sh:or/sh:qualifiedValueShape")
    kinds = [str(k) for k in g.objects(node, SH.nodeKind)]
    dts = [str(d) for d in g.objects(node, SH.datatype)]
    if len(kinds) > 1 or len(dts) > 1:
        raise ShapeCompileError(f"{node}: at most one sh:nodeKind and one sh:datatype")
    member = MemberShape(tuple(sorted(_iri(g, c, "sh:class") for c in g.objects(node, SH["class"]))),
                         dts[0] if dts else None, kinds[0] if kinds else None)
    if member.node_kind is not None and member.node_kind not in NODE_KINDS:
        raise ShapeCompileError(f"{node}: unknown sh:nodeKind {member.node_kind}")
    _check_datatype(member.datatype, node)
    return member


def _check_datatype(dt: str | None, where) -> None:
    if dt == str(RDFS.Datatype):
        raise ShapeCompileError(f"{where}: sh:datatype rdfs:Datatype is not supported")


def _check_regex(pattern: str, where) -> None:
    if "(?" in pattern or not _SAFE_REGEX.fullmatch(pattern):
        raise ShapeCompileError(
            f"{where}: sh:pattern {pattern!r} is outside the regex subset whose meaning is the same in "
            f"SPARQL and Python (literal characters, [classes], quantifiers, groups, | and anchors)")


def _property(g: Graph, node) -> PropertyShape:
    _check_params(g, node, _PROPERTY_PARAMS, "property shape")
    iri = str(node)
    path_node = _one(g, node, SH.path)
    if isinstance(path_node, URIRef):
        path = ShPath(str(path_node))
    elif isinstance(path_node, BNode):
        preds = set(g.predicates(path_node, None))
        inv = _one(g, path_node, SH.inversePath)
        if preds != {SH.inversePath} or not isinstance(inv, URIRef):
            raise ShapeCompileError(f"{iri}: only predicate paths and sh:inversePath of a predicate "
                                    f"are supported")
        path = ShPath(str(inv), inverse=True)
    else:
        raise ShapeCompileError(f"{iri}: a property shape needs one sh:path")
    sev = _one(g, node, SH.severity)
    severity = SEVERITIES.get(str(sev)) if sev is not None else "Violation"
    if severity is None:
        raise ShapeCompileError(f"{iri}: unknown severity {sev}")
    fi, en = _messages(g, node)
    ps = PropertyShape(iri, path, severity, fi, en)
    if (v := _one(g, node, SH.minCount)) is not None:
        ps.min_count = _int(v, f"{iri} sh:minCount")
    if (v := _one(g, node, SH.maxCount)) is not None:
        ps.max_count = _int(v, f"{iri} sh:maxCount")
    if (v := _one(g, node, SH.datatype)) is not None:
        ps.datatype = _iri(g, v, "sh:datatype")
        _check_datatype(ps.datatype, iri)
    ps.classes = tuple(sorted(_iri(g, c, "sh:class") for c in g.objects(node, SH["class"])))
    if (v := _one(g, node, SH.nodeKind)) is not None:
        ps.node_kind = str(v)
        if ps.node_kind not in NODE_KINDS:
            raise ShapeCompileError(f"{iri}: unknown sh:nodeKind {v}")
    if (v := _one(g, node, SH["in"])) is not None:
        ps.in_values = tuple(_nt(t) for t in Collection(g, v))
    ps.has_values = tuple(_nt(t) for t in g.objects(node, SH.hasValue))
    for pat in g.objects(node, SH.pattern):
        _check_regex(str(pat), iri)
        ps.patterns += (str(pat),)
    for p, attr in ((SH.minInclusive, "min_inclusive"), (SH.maxInclusive, "max_inclusive")):
        vals = tuple(g.objects(node, p))
        if any(not isinstance(x, Literal) for x in vals):
            raise ShapeCompileError(f"{iri}: {p} needs a literal")
        setattr(ps, attr, vals)
    if (v := _one(g, node, SH.uniqueLang)) is not None:
        ps.unique_lang = bool(v.toPython()) if isinstance(v, Literal) else False
    ps.or_lists = tuple(tuple(_member(g, m) for m in Collection(g, lst)) for lst in g.objects(node, SH["or"]))
    qvs = list(g.objects(node, SH.qualifiedValueShape))
    if qvs:
        if len(qvs) > 1:
            raise ShapeCompileError(f"{iri}: one sh:qualifiedValueShape per property shape")
        qmin, qmax = _one(g, node, SH.qualifiedMinCount), _one(g, node, SH.qualifiedMaxCount)
        ps.qualified = ((_member(g, qvs[0]),
                         None if qmin is None else _int(qmin, "sh:qualifiedMinCount"),
                         None if qmax is None else _int(qmax, "sh:qualifiedMaxCount")),)
    elif (node, SH.qualifiedMinCount, None) in g or (node, SH.qualifiedMaxCount, None) in g:
        raise ShapeCompileError(f"{iri}: sh:qualifiedMin/MaxCount without sh:qualifiedValueShape")
    return ps


def _path_exists(ps: PropertyShape) -> PropertyShape:
    """A property shape used as a member of a node-level sh:or: only ``sh:minCount 1``."""
    plain = PropertyShape(ps.iri, ps.path, ps.severity, ps.message_fi, ps.message_en, min_count=1)
    if ps != plain:
        raise ShapeCompileError(f"{ps.iri}: as a member of sh:or, a property shape may only say "
                                f"sh:minCount 1")
    return ps


def parse_shapes(g: Graph) -> Shapes:
    """The shapes of ``g``; raises :class:`ShapeCompileError` on anything unsupported."""
    members = {m for lst in g.objects(None, SH["or"]) for m in Collection(g, lst)}
    members |= set(g.objects(None, SH.qualifiedValueShape))
    prop_nodes = set(g.objects(None, SH.property)) | set(g.subjects(RDF.type, SH.PropertyShape))
    prop_nodes |= {s for s in g.subjects(SH.path, None) if s not in members}
    shape_nodes = set(g.subjects(RDF.type, SH.NodeShape))
    for trig in _SHAPE_TRIGGERS - {SH.path}:
        shape_nodes |= set(g.subjects(trig, None))
    shape_nodes -= prop_nodes
    if (None, SH.sparql, None) in g or (None, SH.rule, None) in g:
        raise ShapeCompileError("SHACL-SPARQL and SHACL rules are not supported")
    for cls in g.subjects(RDF.type, RDFS.Class):
        if cls in shape_nodes:
            raise ShapeCompileError(f"{cls}: implicit class targets are not supported")
    props = {str(n): _property(g, n) for n in prop_nodes}
    for n in prop_nodes:
        for t in (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode):
            if (n, t, None) in g:
                raise ShapeCompileError(f"{n}: targets on a property shape are not supported")
    node_shapes = []
    for n in sorted(shape_nodes, key=str):
        _check_params(g, n, _NODE_PARAMS, "node shape")
        if not isinstance(n, URIRef):
            raise ShapeCompileError("node shapes must be IRIs")
        sev = _one(g, n, SH.severity)
        severity = SEVERITIES.get(str(sev)) if sev is not None else "Violation"
        if severity is None:
            raise ShapeCompileError(f"{n}: unknown severity {sev}")
        fi, en = _messages(g, n)
        or_lists = []
        for lst in g.objects(n, SH["or"]):
            members: list[MemberShape | PropertyShape] = []
            for m in Collection(g, lst):
                if str(m) in props:
                    members.append(_path_exists(props[str(m)]))
                else:
                    members.append(_member(g, m))
            or_lists.append(tuple(members))
        node_shapes.append(NodeShape(
            iri=str(n),
            target_classes=tuple(sorted(_iri(g, c, "sh:targetClass") for c in g.objects(n, SH.targetClass))),
            target_objects_of=tuple(sorted(_iri(g, c, "sh:targetObjectsOf")
                                           for c in g.objects(n, SH.targetObjectsOf))),
            target_subjects_of=tuple(sorted(_iri(g, c, "sh:targetSubjectsOf")
                                            for c in g.objects(n, SH.targetSubjectsOf))),
            target_nodes=tuple(sorted(_nt(t) for t in g.objects(n, SH.targetNode))),
            properties=tuple(sorted(str(p) for p in g.objects(n, SH.property))),
            or_lists=tuple(or_lists), severity=severity, message_fi=fi, message_en=en,
        ))
        for p in node_shapes[-1].properties:
            if p not in props:
                raise ShapeCompileError(f"{n}: sh:property {p} is not a property shape")
    return Shapes(node_shapes, props)


@cache
def shipped_shapes() -> Shapes:
    """``ontology/shapes.ttl`` compiled (cached; raises at the first call if unsupported)."""
    return parse_shapes(shacl.shapes_graph())


# ----------------------------------------------------------------------------------------
# The RDFS schema of the validated graphs
# ----------------------------------------------------------------------------------------

SCHEMA_QUERY = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ <{RDFS.subClassOf}> <{RDFS.subPropertyOf}> <{RDFS.domain}> <{RDFS.range}> }}
  ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o)) }}"""


def _closure(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@dataclass
class Schema:
    """The RDFS closure of subclass, subproperty, domain and range statements."""

    sub_classes: dict[str, set[str]] = field(default_factory=dict)  # C -> {D | D ⊑* C}
    sub_props: dict[str, set[str]] = field(default_factory=dict)  # q -> {p | p ⊑* q}
    domain_props: dict[str, set[str]] = field(default_factory=dict)  # C -> p whose subjects are C
    range_props: dict[str, set[str]] = field(default_factory=dict)  # C -> p whose objects are C

    @classmethod
    def from_triples(cls, triples: Iterable[tuple[str, str, str]]) -> Schema:
        sup_c: dict[str, set[str]] = {}
        sup_p: dict[str, set[str]] = {}
        domains: list[tuple[str, str]] = []
        ranges: list[tuple[str, str]] = []
        for s, p, o in triples:
            if p == str(RDFS.subClassOf):
                sup_c.setdefault(s, set()).add(o)
            elif p == str(RDFS.subPropertyOf):
                sup_p.setdefault(s, set()).add(o)
            elif p == str(RDFS.domain):
                domains.append((s, o))
            elif p == str(RDFS.range):
                ranges.append((s, o))
        schema = cls()
        classes = set(sup_c) | {c for cs in sup_c.values() for c in cs}
        for d in classes:
            for c in _closure(sup_c, d):
                schema.sub_classes.setdefault(c, set()).add(d)
        props = set(sup_p) | {q for qs in sup_p.values() for q in qs}
        props |= {q for q, _ in domains} | {q for q, _ in ranges}
        for p in props:
            for q in _closure(sup_p, p):
                schema.sub_props.setdefault(q, set()).add(p)
        for pairs, target in ((domains, schema.domain_props), (ranges, schema.range_props)):
            for q, d in pairs:
                for c in _closure(sup_c, d):
                    target.setdefault(c, set()).update(schema.subprops(q))
        return schema

    def subclasses(self, c: str) -> set[str]:
        return self.sub_classes.get(c, set()) | {c}

    def subprops(self, q: str) -> set[str]:
        return self.sub_props.get(q, set()) | {q}


# ----------------------------------------------------------------------------------------
# SPARQL generation
# ----------------------------------------------------------------------------------------


def _values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sorted(terms))} }}"


def _values2(v1: str, v2: str, pairs: Iterable[tuple[str, str]]) -> str:
    rows = " ".join(f"({a} {b})" for a, b in sorted(pairs))
    return f"VALUES (?{v1} ?{v2}) {{ {rows} }}"


class _Vars:
    def __init__(self) -> None:
        self._n = itertools.count()

    def __call__(self, stem: str) -> str:
        return f"_{stem}{next(self._n)}"


class Compiler:
    """Turns shapes + schema into SPARQL text."""

    def __init__(self, shapes: Shapes, schema: Schema, bad_literals: dict[str, list[str]]) -> None:
        self.shapes = shapes
        self.schema = schema
        self.bad = bad_literals  # datatype -> N-Triples of its ill-typed literals in the data
        self.vars = _Vars()

    # -- terms of a type
    def _typed_pattern(self, var: str, types: set[str]) -> str:
        tp = self.schema.subprops(RDF_TYPE)
        t = self.vars("t")
        if tp == {RDF_TYPE}:
            return f"{_values(t, (f'<{c}>' for c in types))} ?{var} a ?{t} ."
        p = self.vars("tp")
        return (f"{_values(t, (f'<{c}>' for c in types))} {_values(p, (f'<{x}>' for x in tp))} "
                f"?{var} ?{p} ?{t} .")

    def instance_of(self, var: str, cls: str) -> str:
        """A group pattern that matches when ``?var`` is an instance of ``cls`` (RDFS)."""
        branches = [self._typed_pattern(var, self.schema.subclasses(cls))]
        dom = set().union(*(self.schema.domain_props.get(c, set()) for c in self.schema.subclasses(cls)))
        rng = set().union(*(self.schema.range_props.get(c, set()) for c in self.schema.subclasses(cls)))
        if dom:
            p, x = self.vars("dp"), self.vars("dx")
            branches.append(f"{_values(p, (f'<{q}>' for q in dom))} ?{var} ?{p} ?{x} .")
        if rng:
            p, x = self.vars("rp"), self.vars("rx")
            branches.append(f"{_values(p, (f'<{q}>' for q in rng))} ?{x} ?{p} ?{var} .")
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    def focus(self, ps: PropertyShape) -> str:
        """``?ns ?f``: each node shape that uses ``ps`` with each of its focus nodes."""
        return self.focus_of([ns for ns in self.shapes.node_shapes if ps.iri in ns.properties])

    def focus_of(self, node_shapes: list[NodeShape]) -> str:
        """``?ns ?f``: each of ``node_shapes`` with each of its focus nodes, computed from the
        target definitions with RDFS entailment, as a DISTINCT sub-select."""
        typed: set[tuple[str, str]] = set()
        subj: set[tuple[str, str]] = set()
        obj: set[tuple[str, str]] = set()
        nodes: set[tuple[str, str]] = set()
        for ns in node_shapes:
            n = f"<{ns.iri}>"
            for c in ns.target_classes:
                typed |= {(f"<{d}>", n) for d in self.schema.subclasses(c)}
                for d in self.schema.subclasses(c):
                    subj |= {(f"<{p}>", n) for p in self.schema.domain_props.get(d, ())}
                    obj |= {(f"<{p}>", n) for p in self.schema.range_props.get(d, ())}
            for q in ns.target_subjects_of:
                subj |= {(f"<{p}>", n) for p in self.schema.subprops(q)}
            for q in ns.target_objects_of:
                obj |= {(f"<{p}>", n) for p in self.schema.subprops(q)}
            nodes |= {(t, n) for t in ns.target_nodes}
        branches = []
        if typed:
            tp = self.schema.subprops(RDF_TYPE)
            t = self.vars("t")
            if tp == {RDF_TYPE}:
                branches.append(f"{_values2(t, 'ns', typed)} ?f a ?{t} .")
            else:
                p = self.vars("tp")
                branches.append(f"{_values2(t, 'ns', typed)} {_values(p, (f'<{x}>' for x in tp))} "
                                f"?f ?{p} ?{t} .")
        if subj:
            p, x = self.vars("sp"), self.vars("sx")
            branches.append(f"{_values2(p, 'ns', subj)} ?f ?{p} ?{x} .")
        if obj:
            p, x = self.vars("op"), self.vars("ox")
            branches.append(f"{_values2(p, 'ns', obj)} ?{x} ?{p} ?f .")
        if nodes:
            branches.append(_values2("f", "ns", nodes))
        if not branches:
            return ""
        # a sub-select: Oxigraph joins it with the value patterns far better than a bare UNION
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?ns ?f WHERE {{ {union} }} }}"

    def distinct_values(self, ps: PropertyShape) -> str:
        """``?v``: every distinct value of the path, whatever its subject."""
        return f"{{ SELECT DISTINCT ?v WHERE {{ {self.value(ps, focus='?' + self.vars('s'))} }} }}"

    def value(self, ps: PropertyShape, focus: str = "?f", value: str = "?v") -> str:
        """Triple pattern from ``focus`` along the path to ``value``."""
        preds = self.schema.subprops(ps.path.iri)
        if len(preds) == 1:
            p = f"<{ps.path.iri}>"
        else:
            var = self.vars("vp")
            p = f"?{var}"
        triple = f"{value} {p} {focus} ." if ps.path.inverse else f"{focus} {p} {value} ."
        if len(preds) > 1:
            triple = f"{_values(var, (f'<{q}>' for q in preds))} {triple}"
        return triple

    # -- value tests: SPARQL expressions over ?v, true when the value passes
    def datatype_ok(self, dt: str) -> str:
        if dt == RDF_LANGSTRING:
            return '(isLiteral(?v) && LANG(?v) != "")'
        if dt == RDFS_LITERAL:
            return "isLiteral(?v)"
        expr = f"isLiteral(?v) && DATATYPE(?v) = <{dt}>"
        bad = self.bad.get(dt)
        if bad:
            expr += " && !(" + " || ".join(f"sameTerm(?v, {b})" for b in bad) + ")"
        return f"({expr})"

    def instances(self, classes: Iterable[str]) -> str:
        """``?v``: every non-literal instance of any of ``classes``, as a DISTINCT sub-select."""
        union = " UNION ".join(f"{{ {self.instance_of('v', c)} }}" for c in sorted(classes))
        return f"{{ SELECT DISTINCT ?v WHERE {{ {union} FILTER(!isLiteral(?v)) }} }}"

    def member_ok(self, m: MemberShape | PropertyShape) -> str:
        """Expression: ``?v`` conforms to ``m`` (class members use EXISTS: for small sets only)."""
        if isinstance(m, PropertyShape):  # node-level sh:or member: "has a value on this path"
            return f"EXISTS {{ {self.value(m, focus='?v', value='?' + self.vars('w'))} }}"
        parts = [f"(!isLiteral(?v) && EXISTS {{ {self.instance_of('v', c)} }})" for c in m.classes]
        if m.datatype:
            parts.append(self.datatype_ok(m.datatype))
        if m.node_kind:
            parts.append(f"({NODE_KINDS[m.node_kind]})")
        return "(" + " && ".join(parts or ["true"]) + ")"

    def cheap_tests(self, ps: PropertyShape) -> list[tuple[str, object]]:
        """``(failure expression over ?v alone, python re-check or None)`` for the per-value
        constraints that need no join: datatype, nodeKind, in, pattern, ranges, and sh:or
        lists without sh:class members."""
        tests: list[tuple[str, object]] = []
        if ps.datatype:
            tests.append((f"!{self.datatype_ok(ps.datatype)}", None))
        if ps.node_kind:
            tests.append((f"!({NODE_KINDS[ps.node_kind]})", None))
        if ps.in_values is not None:
            same = " || ".join(f"sameTerm(?v, {t})" for t in ps.in_values) or "false"
            tests.append((f"!({same})", None))
        for pat in ps.patterns:
            regex = f"REGEX(STR(?v), {literal_text(Literal(pat))})"
            tests.append((f"(isBlank(?v) || !{regex})", ("pattern", pat)))
        for lit in ps.min_inclusive:
            tests.append((f"!COALESCE(?v >= {literal_text(lit)}, false)", ("min", lit)))
        for lit in ps.max_inclusive:
            tests.append((f"!COALESCE(?v <= {literal_text(lit)}, false)", ("max", lit)))
        for members in ps.or_lists:
            if not any(m.classes for m in members):
                ok = " || ".join(self.member_ok(m) for m in members) or "false"
                tests.append((f"!({ok})", None))
        return tests

    def implied_by_path(self, ps: PropertyShape, classes: Iterable[str]) -> bool:
        """True when RDFS makes every non-literal value of the path an instance of one of
        ``classes`` (the path's ``rdfs:range``, or ``rdfs:domain`` for an inverse path), so the
        sh:class test reduces to "is not a literal" (e.g. ``pg:partner`` → ``org:Organization``)."""
        by = self.schema.domain_props if ps.path.inverse else self.schema.range_props
        return any(ps.path.iri in by.get(d, ()) for c in classes for d in self.schema.subclasses(c))

    def class_tests(self, ps: PropertyShape) -> list[tuple[set[str], str]]:
        """``(classes, other-members expression)``: a value fails when it is not an instance of
        any of ``classes`` and the expression (the sh:or members without a class) is false.
        One entry per sh:class and per sh:or list with class-only members."""
        out: list[tuple[set[str], str]] = [({c}, "false") for c in ps.classes]
        for members in ps.or_lists:
            if any(m.classes for m in members):
                simple = [m for m in members if m.classes and len(m.classes) == 1
                          and m.datatype is None and m.node_kind is None]
                rest = [m for m in members if m not in simple]
                classes = {m.classes[0] for m in simple}
                out.append((classes, " || ".join(self.member_ok(m) for m in rest) or "false"))
        return out


# ----------------------------------------------------------------------------------------
# Python checks with pySHACL's exact semantics (run on few values only)
# ----------------------------------------------------------------------------------------


def _to_rdflib(term) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == XSD_STRING else URIRef(dt))


@cache
def _conversions() -> dict[str, object]:
    """Lexical-to-value functions per datatype, as pySHACL has them: owlrl's stricter
    functions (``AltXSDToPYTHON``, installed into rdflib by pySHACL's RDFS inference and left
    there) over rdflib's defaults. Built once, without changing rdflib's global table."""
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from rdflib.term import XSDToPython

    table = {str(k): v for k, v in XSDToPython.items() if k is not None}
    table.update({str(k): v for k, v in AltXSDToPYTHON.items()})
    return table


def _lexical_value(lex: str, dt: str) -> tuple[bool, object]:
    """``(ill-typed, value)`` of ``lex``^^``dt`` by rdflib's rules with :func:`_conversions`."""
    from rdflib.term import _check_well_formed_types, _well_formed_by_value

    table = _conversions()
    if dt not in table:
        return False, None  # not a recognised datatype: never ill-typed
    conv = table[dt]
    if conv is None:
        value: object = lex
    else:
        try:
            value = conv(lex)  # type: ignore[operator]
        except Exception:
            value = None
    checker = _check_well_formed_types.get(URIRef(dt), _well_formed_by_value)
    return not checker(lex, value), value


def datatype_matches(lex: str, dt: str) -> bool:
    """pySHACL's DatatypeConstraintComponent on the literal ``lex``^^``dt``."""
    ill_typed, value = _lexical_value(lex, dt)
    if ill_typed:
        return False
    checks = {
        str(XSD.integer): lambda: isinstance(value, int),
        str(XSD.float): lambda: isinstance(value, float),
        str(XSD.decimal): lambda: type(value).__name__ == "Decimal",
        str(XSD.boolean): lambda: isinstance(value, bool),
        str(XSD.date): lambda: type(value).__name__ == "date",
        str(XSD.time): lambda: type(value).__name__ == "time",
        str(XSD.dateTime): lambda: type(value).__name__ == "datetime",
    }
    check = checks.get(dt)
    return check() if check else True


def _pattern_fails(term, pattern: str) -> bool:
    v = _to_rdflib(term)
    if isinstance(v, BNode):
        return True
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        text = str(v.value)
    else:
        text = str(v)
    return re.compile(pattern).search(text) is None


def _range_fails(term, bound: Literal, kind: str) -> bool:
    from pyshacl.rdfutil.compare import compare_literal

    v = _to_rdflib(term)
    if not isinstance(v, Literal):
        return True
    bound_is_str, v_is_str = isinstance(bound.value, str), isinstance(v.value, str)
    if bound_is_str != v_is_str:
        return True
    try:
        cmp = compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return True
    return not (cmp >= 0 if kind == "min" else cmp <= 0)


# ----------------------------------------------------------------------------------------
# Running it
# ----------------------------------------------------------------------------------------


def _text(term) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


#: most candidate focus nodes looked up with VALUES; above this a query joins the whole focus set
MAX_CANDIDATES = 2000
#: datatypes rdflib parses (so pySHACL can find ill-typed literals of them); others always match
_PARSED_DATATYPES = {str(XSD[x]) for x in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "gYear",
    "gYearMonth", "duration", "dayTimeDuration", "yearMonthDuration", "hexBinary", "base64Binary")}


class SparqlValidator:
    """Validates the union of some named graphs of an Oxigraph store against the shapes.

    Strategy: most data conforms, so each constraint first looks for *candidate* violations
    over the whole path (every subject, no focus nodes: cheap scans and group-bys that
    usually return nothing), and only candidates are joined with the focus nodes of the
    node shapes. Cardinalities are counted once per path for all property shapes.
    """

    def __init__(self, shapes: Shapes | None = None) -> None:
        self.shapes = shapes if shapes is not None else shipped_shapes()
        self.queries = 0  # queries run by the last validate() (for benchmarks)

    def _query(self, st: ox.Store, graphs: list[ox.NamedNode], text: str) -> Iterator:
        self.queries += 1
        return iter(st.query(text, default_graph=graphs))

    def schema(self, st: ox.Store, graphs: list[ox.NamedNode]) -> Schema:
        rows = self._query(st, graphs, SCHEMA_QUERY)
        return Schema.from_triples((r["s"].value, r["p"].value, r["o"].value) for r in rows)

    def bad_literals(self, st: ox.Store, graphs: list[ox.NamedNode], schema: Schema) -> dict[str, list[str]]:
        """Literals of each checked datatype that pySHACL would call ill-typed."""
        preds: dict[str, set[str]] = {}
        for ps in self.shapes.property_shapes.values():
            if ps.path.inverse:
                continue  # values of an inverse path are subjects, never literals
            for dt in ps.datatypes():
                if dt in _PARSED_DATATYPES:
                    preds.setdefault(dt, set()).update(schema.subprops(ps.path.iri))
        bad: dict[str, list[str]] = {}
        for dt, ps_preds in sorted(preds.items()):
            q = (f"SELECT DISTINCT ?v WHERE {{ {_values('p', (f'<{p}>' for p in ps_preds))} ?s ?p ?v "
                 f"FILTER(isLiteral(?v) && DATATYPE(?v) = <{dt}>) }}")
            for row in self._query(st, graphs, q):
                if not datatype_matches(row["v"].value, dt):
                    bad.setdefault(dt, []).append(str(row["v"]))
        return bad

    def validate(self, st: ox.Store, graphs: Iterable[str]) -> ShapeReport:
        """Validate the union of ``graphs`` (dataset graphs plus the ontology graph); read-only."""
        self.queries = 0
        self._cache: dict[tuple, list] = {}
        g = [ox.NamedNode(x) for x in graphs]
        schema = self.schema(st, g)
        comp = Compiler(self.shapes, schema, self.bad_literals(st, g, schema))
        out: list[ShapeResult] = []
        for ps in sorted(self.shapes.property_shapes.values(), key=lambda p: p.iri):
            focus = comp.focus(ps)
            if focus:
                out += self._check_property(st, g, comp, ps, focus)
        for ns in self.shapes.node_shapes:
            for members in ns.or_lists:
                out += self._check_node_or(st, g, comp, ns, members)
        out.sort(key=lambda r: (r.severity, r.focus, r.path or "", r.value or ""))
        return ShapeReport(not any(r.severity == "Violation" for r in out), out)

    def _result(self, ps: PropertyShape, focus, value=None) -> ShapeResult:
        return ShapeResult(
            severity=ps.severity, focus=_text(focus), path=ps.path.text(),
            value=None if value is None else _text(value),
            message_fi=ps.message_fi, message_en=ps.message_en, shape=ps.iri)

    def _check_node_or(self, st: ox.Store, g: list[ox.NamedNode], comp: Compiler, ns: NodeShape,
                       members: tuple[MemberShape | PropertyShape, ...]) -> list[ShapeResult]:
        """Node-level sh:or: the focus node itself must conform to one of ``members``."""
        focus = comp.focus_of([ns])
        if not focus:
            return []
        # "has a value on the path" members: anti-joins; other members: a filter
        minus = " ".join(f"MINUS {{ {comp.value(m)} }}" for m in members if isinstance(m, PropertyShape))
        rest = [m for m in members if not isinstance(m, PropertyShape)]
        ok = " || ".join(comp.member_ok(m) for m in rest) or "false"
        q = f"SELECT DISTINCT ?f WHERE {{ {focus} {minus} BIND(?f AS ?v) FILTER(!COALESCE({ok}, false)) }}"
        return [ShapeResult(severity=ns.severity, focus=_text(r["f"]), path=None, value=_text(r["f"]),
                            message_fi=ns.message_fi, message_en=ns.message_en, shape=ns.iri)
                for r in self._query(st, g, q)]

    def _rows(self, st: ox.Store, g: list[ox.NamedNode], q: str, cols: tuple[str, ...] = ("f",)) -> list:
        return [tuple(r[c] for c in cols) for r in self._query(st, g, q)]

    @staticmethod
    def _values_of(terms: Iterable) -> str | None:
        """VALUES body for ``terms``, or None when they are too many or include a blank node."""
        terms = list(terms)
        uniq = {str(t) for t in terms}
        if len(uniq) > MAX_CANDIDATES or any(isinstance(t, ox.BlankNode) for t in terms):
            return None
        return " ".join(sorted(uniq))

    def _per_path(self, st: ox.Store, g: list[ox.NamedNode], key: tuple, q: str,
                  cols: tuple[str, ...]) -> list:
        """Rows of a whole-path query, computed once per validation for every property shape
        on the same path (``skos:notation`` has eight)."""
        if key not in self._cache:
            self._cache[key] = self._rows(st, g, q, cols)
        return self._cache[key]

    def _check_property(self, st: ox.Store, g: list[ox.NamedNode], comp: Compiler, ps: PropertyShape,
                        focus: str) -> list[ShapeResult]:
        out: list[ShapeResult] = []
        value = comp.value(ps)
        path_key = (ps.path.iri, ps.path.inverse)

        def rows(q: str, cols: tuple[str, ...] = ("f",)) -> list:
            return self._rows(st, g, q, cols)

        def targeted(nodes: Iterable, full: str) -> dict[str, int]:
            """How many of ``ps``'s node shapes target each of ``nodes``; ``full`` is a query
            ``?ns ?f`` that joins all candidates with the focus nodes, for when they are many."""
            nodes = list(nodes)
            hits: dict[str, int] = {}
            if not nodes:
                return hits
            vals = self._values_of(nodes)
            q = f"SELECT ?ns ?f WHERE {{ VALUES ?f {{ {vals} }} {focus} }}" if vals is not None else full
            for (f,) in rows(q):
                hits[str(f)] = hits.get(str(f), 0) + 1
            return hits

        lo, hi = ps.min_count or 0, ps.max_count
        # sh:minCount 1: focus nodes with no value (MINUS is a hash anti-join in Oxigraph;
        # FILTER NOT EXISTS runs once per row and is ~40x slower at scale M)
        if lo == 1:
            q = f"SELECT DISTINCT ?ns ?f WHERE {{ {focus} MINUS {{ {value} }} }}"
            out += [self._result(ps, f) for (f,) in rows(q)]
        elif lo > 1:
            q = (f"SELECT ?ns ?f WHERE {{ {focus} OPTIONAL {{ {value} }} }} "
                 f"GROUP BY ?ns ?f HAVING (COUNT(DISTINCT ?v) < {lo})")
            out += [self._result(ps, f) for (f,) in rows(q)]
        # sh:maxCount: subjects with more than hi values on the whole path (COUNT(*) is cheaper
        # than COUNT(DISTINCT) and never smaller), counted once per path; then exactly
        if hi is not None:
            many = self._per_path(st, g, ("count", *path_key, hi), (
                f"SELECT ?f WHERE {{ {value} }} GROUP BY ?f HAVING (COUNT(?v) > {hi})"), ("f",))
            exact = f"{{ SELECT ?f WHERE {{ {value} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {hi}) }}"
            if many:
                vals = self._values_of(f for (f,) in many)
                if vals is not None:
                    exact = (f"{{ SELECT ?f WHERE {{ VALUES ?f {{ {vals} }} {value} }} GROUP BY ?f "
                             f"HAVING (COUNT(DISTINCT ?v) > {hi}) }}")
                out += [self._result(ps, f) for (f,) in rows(f"SELECT ?ns ?f WHERE {{ {exact} {focus} }}")]
        # per-value constraints without joins: each distinct value of the path is tested once
        tests = comp.cheap_tests(ps)
        if tests:
            binds = " ".join(f"BIND(COALESCE({expr}, true) AS ?c{i})" for i, (expr, _) in enumerate(tests))
            cols = tuple(f"c{i}" for i in range(len(tests)))
            cond = " || ".join(f"?{c}" for c in cols)
            flags = " ".join("?" + c for c in cols)
            failing = f"SELECT ?v {flags} WHERE {{ {comp.distinct_values(ps)} {binds} FILTER({cond}) }}"
            found = rows(f"{failing} LIMIT {MAX_CANDIDATES + 1}", ("v", *cols))
            if len(found) > MAX_CANDIDATES:
                # the path is shared with classes whose values fail here (skos:notation of
                # organisations under the region shape): start from few focus nodes (one index
                # lookup each), or hash-join many with the failing values
                small = len(rows(f"SELECT ?f WHERE {focus} LIMIT {MAX_CANDIDATES + 1}")) <= MAX_CANDIDATES
                bad = f"{value} {binds} FILTER({cond})"
                q = (f"SELECT DISTINCT ?f ?v {flags} WHERE {{ {focus} {bad} }}" if small else
                     f"SELECT DISTINCT ?f ?v {flags} WHERE {{ {{ SELECT ?f ?v {flags} WHERE {{ {bad} }} }} "
                     f"{{ SELECT DISTINCT ?f WHERE {focus} }} }}")
                pairs = rows(q, ("f", "v", *cols))
            else:
                pairs = []
                if found:
                    vals = self._values_of(r[0] for r in found)
                    where = (f"VALUES ?v {{ {vals} }} {value}" if vals is not None
                             else f"{{ {failing} }} {value}")
                    by_value = {str(r[0]): r[1:] for r in found}
                    found_pairs = rows(f"SELECT DISTINCT ?f ?v WHERE {{ {where} }}", ("f", "v"))
                    pairs = [(f, v, *by_value[str(v)]) for f, v in found_pairs]
            confirmed = []
            for r in pairs:
                for i, (_, check) in enumerate(tests):
                    flag = r[2 + i]
                    if flag is None or flag.value != "true":
                        continue
                    if check is not None:
                        kind, arg = check  # type: ignore[misc]
                        v = r[1]
                        fails = _pattern_fails(v, arg) if kind == "pattern" else _range_fails(v, arg, kind)
                        if not fails:
                            continue
                    confirmed.append((r[0], r[1]))
            hits = targeted((f for f, _ in confirmed), f"SELECT ?ns ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE "
                                                       f"{{ {{ {failing} }} {value} }} }} {focus} }}")
            out += [self._result(ps, f, v) for f, v in confirmed for _ in range(hits.get(str(f), 0))]
        # sh:class (and sh:or of classes): distinct values of the path minus the instances,
        # an anti-join; failing values are then joined back to their focus nodes
        for classes, other_ok in comp.class_tests(ps):
            distinct = comp.distinct_values(ps)
            if comp.implied_by_path(ps, classes):  # only literal values can fail
                failing = (f"SELECT ?v WHERE {{ {distinct} "
                           f"FILTER(isLiteral(?v) && !COALESCE({other_ok}, false)) }}")
            else:
                # few values (organisers of workshops): test each one; many (the register
                # numbers of all associations): anti-join with every instance of the classes
                sample = rows(f"SELECT ?v WHERE {distinct} LIMIT {MAX_CANDIDATES + 1}", ("v",))
                few = self._values_of(v for (v,) in sample)
                if few is not None:
                    instance = " UNION ".join(f"{{ {comp.instance_of('v', c)} }}" for c in sorted(classes))
                    failing = (f"SELECT ?v WHERE {{ VALUES ?v {{ {few} }} FILTER(isLiteral(?v) || NOT EXISTS "
                               f"{{ {instance} }}) FILTER(!COALESCE({other_ok}, false)) }}")
                else:
                    failing = (f"SELECT ?v WHERE {{ {distinct} MINUS {comp.instances(classes)} "
                               f"FILTER(!COALESCE({other_ok}, false)) }}")
            if rows(failing, ("v",)):
                pairs = f"{{ SELECT ?f ?v WHERE {{ {value} }} }}"
                q = f"SELECT DISTINCT ?ns ?f ?v WHERE {{ {{ {failing} }} {pairs} {focus} }}"
                out += [self._result(ps, f, v) for f, v in rows(q, ("f", "v"))]
        # sh:hasValue
        for hv in ps.has_values:
            q = f"SELECT DISTINCT ?ns ?f WHERE {{ {focus} MINUS {{ {comp.value(ps, value=hv)} }} }}"
            out += [self._result(ps, f) for (f,) in rows(q)]
        # sh:uniqueLang: one result per language used twice (grouped once per path)
        if ps.unique_lang:
            dup = (f"SELECT ?f ?l WHERE {{ {value} FILTER(isLiteral(?v) && LANG(?v) != \"\") }} "
                   f"GROUP BY ?f (LCASE(LANG(?v)) AS ?l) HAVING (COUNT(DISTINCT ?v) > 1)")
            found = self._per_path(st, g, ("lang", *path_key), dup, ("f", "l"))
            hits = targeted((f for f, _ in found), f"SELECT ?ns ?f WHERE {{ {{ SELECT DISTINCT ?f WHERE "
                                                   f"{{ {{ {dup} }} }} }} {focus} }}")
            out += [self._result(ps, f) for f, _ in found for _ in range(hits.get(str(f), 0))]
        # sh:qualifiedValueShape: count the conforming values of each focus node
        for member, qmin, qmax in ps.qualified:
            if len(member.classes) == 1 and member.datatype is None and member.node_kind is None:
                conforming = f"{value} {comp.instances(member.classes)}"
            else:
                conforming = f"{value} FILTER({comp.member_ok(member)})"
            if qmax is not None:
                q = (f"SELECT ?ns ?f WHERE {{ {{ SELECT ?f WHERE {{ {conforming} }} GROUP BY ?f "
                     f"HAVING (COUNT(DISTINCT ?v) > {qmax}) }} {focus} }}")
                out += [self._result(ps, f) for (f,) in rows(q)]
            if qmin is not None and qmin > 0:
                if qmin == 1:
                    q = f"SELECT DISTINCT ?ns ?f WHERE {{ {focus} MINUS {{ {conforming} }} }}"
                else:
                    q = (f"SELECT ?ns ?f WHERE {{ {focus} OPTIONAL {{ {conforming} }} }} "
                         f"GROUP BY ?ns ?f HAVING (COUNT(DISTINCT ?v) < {qmin})")
                out += [self._result(ps, f) for (f,) in rows(q)]
        return out


def validate_store(st: ox.Store, graphs: Iterable[str]) -> ShapeReport:
    """Validate the union of ``graphs`` of ``st`` against ``ontology/shapes.ttl``."""
    return SparqlValidator().validate(st, graphs)


DATA_GRAPH = "urn:x-partnergraph:validate:data"
ONTOLOGY_GRAPH = "urn:x-partnergraph:validate:ontology"


def validate_graph(data: Graph) -> ShapeReport:
    """Like :func:`partnergraph.rdf.shacl.validate_graph` (pySHACL), on an in-memory Oxigraph
    store holding ``data`` and the ontology."""
    from partnergraph import resources
    from partnergraph.rdf.sinks import term_text

    st = ox.Store()
    text = "".join(f"{term_text(s)} {term_text(p)} {term_text(o)} <{DATA_GRAPH}> .\n" for s, p, o in data)
    st.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    st.load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    return validate_store(st, [DATA_GRAPH, ONTOLOGY_GRAPH])
