"""The benchmark command completes (correctness only: no timings are checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "data" / "tiny"


@pytest.mark.slow
def test_quick_benchmark_completes(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--scales", "S", "--quick", "--data-dir", str(TINY),
         "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(next(tmp_path.glob("results-*.json")).read_text())
    scale = report["scales"][0]
    assert scale["build"]["data_triples"] > 100 and "validate" in scale["build"]["phases_s"]
    assert len(scale["queries"]) == len(list((ROOT / "data" / "queries").glob("*.rq")))
    for q in scale["queries"].values():
        assert q["rows_engine"] == q["rows_raw"]  # the engine and raw pyoxigraph agree
    assert scale["explorer"]["views"]["default"]["status"] == 200
    md = next(tmp_path.glob("results-*.md")).read_text()
    assert "| **build without metrics (s)**" in md and "## Canned queries at S" in md
