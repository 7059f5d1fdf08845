"""Paths and a config factory shared by the test modules (importable by name: conftest modules
are not, since tests/ and tests/browser/ both have one)."""

from __future__ import annotations

from pathlib import Path

from partnergraph.settings import Config, load_config

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TINY = Path(__file__).parent / "data" / "tiny"
TEST_BASE = "https://example.org/id/"


def make_config(tmp_path: Path, data_dir: Path, **overrides) -> Config:
    values = {"store_path": str(tmp_path / "store"), "data_dir": str(data_dir), **overrides}
    return load_config(values, environ={})
