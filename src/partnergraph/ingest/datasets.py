"""Datasets: folders of source files with a ``dataset.toml``; each becomes one named graph."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from partnergraph.errors import RowProblem, SourceDataError
from partnergraph.ingest import fields

MANIFEST = "dataset.toml"
GRAPH_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


@dataclass(frozen=True)
class DatasetInfo:
    """What ``dataset.toml`` says about one dataset folder."""

    id: str
    path: Path
    title_fi: str
    title_en: str
    synthetic: bool = False
    licence: str = ""
    order: int = 50
    description_fi: str = ""
    description_en: str = ""


def read_manifest(folder: Path) -> DatasetInfo:
    """Read and check ``folder/dataset.toml``; problems raise :class:`SourceDataError`."""
    path = folder / MANIFEST
    shown = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise SourceDataError([RowProblem(shown, None, None, None, f"valid UTF-8 TOML ({e})")]) from None
    problems = []
    for name in ("id", "title_fi", "title_en"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            problems.append(RowProblem(shown, None, name, None, "a non-empty text value"))
    if isinstance(raw.get("id"), str):
        try:
            fields.key(raw["id"])
        except fields.CellError as e:
            problems.append(RowProblem(shown, None, "id", raw["id"], e.expected))
    if not isinstance(raw.get("synthetic", False), bool):
        problems.append(RowProblem(shown, None, "synthetic", str(raw["synthetic"]), "true or false"))
    if not isinstance(raw.get("order", 50), int):
        problems.append(RowProblem(shown, None, "order", str(raw["order"]), "a whole number"))
    known = set(DatasetInfo.__dataclass_fields__) - {"path"}
    for name in raw:
        if name not in known:
            problems.append(RowProblem(shown, None, name, None,
                                       "only these keys: " + ", ".join(sorted(known))))
    if problems:
        raise SourceDataError(problems)
    return DatasetInfo(path=folder, **{k: v for k, v in raw.items() if k in known})


def discover(data_dir: Path) -> list[DatasetInfo]:
    """Every dataset folder directly under ``data_dir``, in build order.

    Folders without a ``dataset.toml`` (templates, queries) are not datasets.
    """
    if not data_dir.is_dir():
        raise SourceDataError([RowProblem(str(data_dir), None, None, None,
                                          "a folder of datasets (see data/README.md)")])
    infos: list[DatasetInfo] = []
    problems: list[RowProblem] = []
    for folder in sorted(p for p in data_dir.iterdir() if (p / MANIFEST).is_file()):
        try:
            infos.append(read_manifest(folder))
        except SourceDataError as e:
            problems += e.problems
    seen: dict[str, Path] = {}
    for info in infos:
        if info.id in seen:
            problems.append(RowProblem(str(info.path / MANIFEST), None, "id", info.id,
                                       f"a dataset id not used already by {seen[info.id]}"))
        seen[info.id] = info.path
    if problems:
        raise SourceDataError(problems)
    return sorted(infos, key=lambda i: (i.order, i.id))
