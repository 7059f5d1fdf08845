"""Paths and a config factory shared by the test modules (importable by name: conftest modules
are not, since tests/ and tests/browser/ both have one)."""

from __future__ import annotations

from pathlib import Path

from partnergraph.settings import Config, load_config

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TINY = Path(__file__).parent / "data" / "tiny"
TEST_BASE = "https://example.org/id/"

#: A graph that breaks the shapes: a plan with no municipality or year, a municipality with no
#: region (for the validate command and the two validators' agreement).
BROKEN_GRAPH_TTL = (
    "@prefix pg: <https://w3id.org/partnergraph/def#> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "<https://example.org/plan/x> a pg:CooperationPlan ; skos:prefLabel \"X\"@fi .\n"
    "<https://example.org/m/1> a pg:Municipality ; skos:prefLabel \"M\"@fi ; skos:notation \"77\" .\n"
)


def make_config(tmp_path: Path, data_dir: Path, **overrides) -> Config:
    values = {"store_path": str(tmp_path / "store"), "data_dir": str(data_dir), **overrides}
    return load_config(values, environ={})
