"""The ontology is code: every PG term is declared in the ontology file and vice versa."""

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from partnergraph import resources
from partnergraph.namespaces import PG, PG_IRI, WGS


def test_typo_fails():
    with pytest.raises(AttributeError):
        PG.Municipalty  # noqa: B018


def test_pg_terms_match_the_ontology_file():
    g = Graph().parse(resources.ontology_file())
    declared = {str(s)[len(PG_IRI):] for s in g.subjects(RDF.type, None)
                if str(s).startswith(PG_IRI) and str(s) != PG_IRI}
    in_code = set(PG.__annotations__)
    assert in_code - declared == set(), "terms in namespaces.py missing from the ontology"
    assert declared - in_code == set(), "terms in the ontology missing from namespaces.py"


def test_every_term_has_finnish_and_english_labels():
    g = Graph().parse(resources.ontology_file())
    for name in PG.__annotations__:
        langs = {lit.language for lit in g.objects(PG[name], RDFS.label)}
        assert {"fi", "en"} <= langs, name


def test_wgs_namespace_is_http():
    assert str(WGS).startswith("http://www.w3.org/2003/01/geo/wgs84_pos#")
