"""What an export covers: the whole graph, one workshop area, or one municipality, and years.

A selection of the graph is the set of entities that belong to it: the municipalities (as
areas and bodies), their workshops and plans (with actions and follow-ups), the
participations at those workshops, every organisation that took part or is a party to a
plan, and the themes, sources, areas and datasets these refer to. Reading is done with
SPARQL over the public graphs; the selection's key values are bound as terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from partnergraph.errors import InvalidInput
from partnergraph.namespaces import sparql_prologue
from partnergraph.rdf.reader import GraphReader

P = sparql_prologue()


@dataclass(frozen=True)
class Selection:
    """``area`` (e.g. "B") or ``municipality`` (e.g. "435") or neither (everything); years."""

    area: str | None = None
    municipality: str | None = None
    years: tuple[int, ...] = ()

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Selection:
        area = (args.get("area") or "").strip() or None
        municipality = (args.get("municipality") or "").strip() or None
        if area and municipality:
            raise InvalidInput("Give an area or a municipality, not both.")
        if area and not all(c.isalnum() or c in "._-" for c in area):
            raise InvalidInput(f"Parameter area={area!r} is not allowed: expected an area key such as B.")
        if municipality and not (municipality.isdigit() and len(municipality) == 3):
            raise InvalidInput(
                f"Parameter municipality={municipality!r} is not allowed: expected a three-digit code."
            )
        years = []
        for part in (args.get("years") or "").replace(",", " ").split():
            if not (part.isdigit() and len(part) == 4):
                raise InvalidInput(f"Parameter years={part!r} is not allowed: expected years like 2018,2019.")
            years.append(int(part))
        return cls(area, municipality, tuple(sorted(set(years))))

    @property
    def is_everything(self) -> bool:
        return not (self.area or self.municipality or self.years)

    @property
    def slug(self) -> str:
        """A file-name part: ``keski-suomi``, ``alue-B``, ``kunta-435``, plus years."""
        base = (
            f"alue-{self.area}"
            if self.area
            else f"kunta-{self.municipality}"
            if self.municipality
            else ("kaikki")
        )
        return base + ("-" + "-".join(map(str, self.years)) if self.years else "")

    def as_args(self) -> dict[str, str]:
        out = {}
        if self.area:
            out["area"] = self.area
        if self.municipality:
            out["municipality"] = self.municipality
        if self.years:
            out["years"] = ",".join(map(str, self.years))
        return out


def _iris(reader: GraphReader, query: str, **terms: ox.NamedNode | ox.Literal) -> set[str]:
    return {r["x"] for r in reader.select(P + query, **terms) if r["x"]}


def selected_municipalities(reader: GraphReader, sel: Selection) -> set[str]:
    """IRIs of the municipality areas the selection covers (all, when it names none)."""
    if sel.municipality:
        iri = str(reader.minter.municipality(sel.municipality))
        if not reader.ask(P + f"ASK {{ <{iri}> a pg:Municipality }}"):
            raise InvalidInput(f"No municipality with code {sel.municipality} in the graph.")
        return {iri}
    if sel.area:
        area = str(reader.minter.area(sel.area))
        found = _iris(
            reader,
            "SELECT ?area ?x WHERE { ?area a pg:WorkshopArea ; schema:containsPlace ?x }",
            area=ox.NamedNode(area),
        )
        if not found:
            raise InvalidInput(f"No workshop area {sel.area!r} in the graph.")
        return found
    return _iris(reader, "SELECT ?x WHERE { ?x a pg:Municipality }")


def selected_entities(reader: GraphReader, sel: Selection) -> set[str]:
    """Every entity IRI in the selection (see the module docstring)."""
    munis = selected_municipalities(reader, sel)
    values = " ".join(f"<{m}>" for m in sorted(munis))
    year_filter = ""
    if sel.years:
        year_filter = "FILTER(xsd:integer(STR(?year)) IN (" + ", ".join(map(str, sel.years)) + "))"
    core = _iris(
        reader,
        f"""
        SELECT DISTINCT ?x WHERE {{
          VALUES ?m {{ {values} }}
          {{ BIND(?m AS ?x) }}
          UNION {{ ?x dct:spatial ?m ; a pg:MunicipalityBody }}
          UNION {{ ?x pg:municipality ?m ; a pg:CooperationPlan ; pg:year ?year {year_filter} }}
          UNION {{ ?x schema:location ?m ; a pg:Workshop ; pg:year ?year {year_filter} }}
          UNION {{ ?x pg:municipality ?m ; a pg:AreaAssignment }}
        }}""",
    )
    if sel.area:
        area = str(reader.minter.area(sel.area))
        core.add(area)
        core |= _iris(
            reader,
            f"SELECT ?area ?x WHERE {{ ?x pg:area ?area ; a pg:Workshop ; pg:year ?year {year_filter} }}",
            area=ox.NamedNode(area),
        )
    listed = " ".join(f"<{i}>" for i in sorted(core))
    linked = _iris(
        reader,
        f"""
        SELECT DISTINCT ?x WHERE {{
          VALUES ?c {{ {listed} }}
          {{ ?c a pg:CooperationPlan . {{ ?c pg:hasAction ?x }} UNION {{ ?c pg:followUp ?x }}
             UNION {{ ?c pg:partner ?x }} UNION {{ ?c pg:responsibleParty ?x }} }}
          UNION {{ ?c a pg:Workshop . {{ ?x pg:event ?c ; a pg:Participation }}
             UNION {{ ?c schema:organizer ?x }} UNION {{ ?p pg:event ?c ; pg:participant ?x }} }}
          UNION {{ ?c a pg:Workshop ; pg:area ?x }}
        }}""",
    )
    entities = core | linked
    listed = " ".join(f"<{i}>" for i in sorted(entities))
    refs = _iris(
        reader,
        f"""
        SELECT DISTINCT ?x WHERE {{
          VALUES ?c {{ {listed} }}
          {{ ?c dct:source ?x }} UNION {{ ?c dct:subject ?x }} UNION {{ ?c adms:identifier ?x }}
          UNION {{ ?c rov:registration ?x }} UNION {{ ?c pg:project ?x }}
          UNION {{ ?c schema:containedInPlace ?x }} UNION {{ ?c pg:homeMunicipality ?x }}
        }}""",
    )
    return entities | refs
