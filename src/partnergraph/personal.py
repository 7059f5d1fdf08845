"""What counts as personal data, and where it goes.

Names and contact details of people are never in the public graph. The import format has
no column for them, except the author of an Innokylä page (``toimintamallit.tekija``); that
value, and anything about a person in imported Turtle/JSON-LD (a node typed as a person, or
a name/e-mail/phone property), goes into the dataset's private named graph
``…/graph/private-<dataset>``. Private graphs are never offered to ``/sparql``, pages or
exports (:class:`partnergraph.rdf.reader.GraphReader` leaves them out).

A source column that looks like personal data (an e-mail or phone column, a contact
person) is refused with a message that says so, rather than "unknown column".
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

SDO_HTTPS = "https://schema.org/"
SDO_HTTP = "http://schema.org/"
VCARD = "http://www.w3.org/2006/vcard/ns#"

PERSON_CLASSES = {
    str(FOAF.Person),
    SDO_HTTPS + "Person",
    SDO_HTTP + "Person",
    VCARD + "Individual",
    VCARD + "Kind",
}
_PERSONAL_LOCAL = {
    "email",
    "mbox",
    "mbox_sha1sum",
    "phone",
    "telephone",
    "givenName",
    "familyName",
    "firstName",
    "lastName",
    "surname",
    "birthDate",
    "hasEmail",
    "hasTelephone",
    "address",
    "faxNumber",
    "nick",
}
PERSONAL_NAMESPACES = (str(FOAF), SDO_HTTPS, SDO_HTTP, VCARD)

#: source column names that signal personal data (Finnish and English)
PERSONAL_COLUMN = re.compile(
    r"(sahkoposti|sähköposti|e-?mail|puhelin|phone|yhteyshenkil|henkilo|henkilö|etunimi|sukunimi|"
    r"syntym|hetu|osoite|contact)",
    re.I,
)


def is_personal_predicate(iri: str) -> bool:
    return (
        iri.startswith(PERSONAL_NAMESPACES) and iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] in _PERSONAL_LOCAL
    )


def split(graph: Graph) -> tuple[Graph, Graph]:
    """``(public, private)``: people (typed as persons) and personal properties go private."""
    people = {s for s, o in graph.subject_objects(RDF.type) if str(o) in PERSON_CLASSES}
    public, private = Graph(), Graph()
    for s, p, o in graph:
        personal = s in people or (isinstance(o, URIRef) and o in people) or is_personal_predicate(str(p))
        (private if personal else public).add((s, p, o))
    return public, private
