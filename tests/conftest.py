"""Shared fixtures: configs pointing at temporary stores, tiny datasets, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg_testing import DATA, TEST_BASE, TINY, make_config

from partnergraph.settings import Config


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/tiny (two datasets)."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target, ignore=shutil.ignore_patterns("*.trig"))
    return target


@pytest.fixture
def tiny_config(tmp_path: Path, tiny_dir: Path) -> Config:
    return make_config(tmp_path, tiny_dir, base_iri=TEST_BASE)


@pytest.fixture
def shipped_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped data/ datasets."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("templates", "queries"))
    return target


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The shipped data built once per session (read-only use only)."""
    from partnergraph.rdf.build import build

    tmp = tmp_path_factory.mktemp("shipped")
    cfg = make_config(tmp, DATA)
    build(cfg)
    return cfg


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
