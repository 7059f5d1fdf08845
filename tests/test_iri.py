from partnergraph.iri import Minter


def test_minted_iris_are_stable_and_safe():
    m = Minter("https://example.org/id/")
    assert str(m.municipality("077")) == "https://example.org/id/place/kunta-077"
    assert str(m.municipality_body("077")) == "https://example.org/id/org/kunta-077"
    assert str(m.participation("p", "o", "roleOfficial")) == \
        "https://example.org/id/participation/p--o--roleOfficial"
    assert str(m.org("a b/<c>")) == "https://example.org/id/org/a%20b%2F%3Cc%3E"
    assert m.local_path("https://example.org/id/org/x") == "org/x"
    assert m.local_path("https://elsewhere/org/x") is None
