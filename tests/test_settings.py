from pathlib import Path

import pytest

from partnergraph.errors import SettingError
from partnergraph.settings import SETTINGS, load_config

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_env_and_overrides():
    cfg = load_config(environ={"PARTNERGRAPH_MAX_ROWS": "7"})
    assert cfg.max_rows == 7
    assert load_config({"max-rows": 9}, environ={}).max_rows == 9
    assert load_config(environ={}).query_timeout == 10.0


def test_bad_settings_are_named():
    with pytest.raises(SettingError, match="max_rows"):
        load_config({"max_rows": "many"}, environ={})
    with pytest.raises(SettingError, match="Unknown setting 'nope'"):
        load_config({"nope": 1}, environ={})
    with pytest.raises(SettingError, match="base_iri"):
        load_config({"base_iri": "https://x.example/id"}, environ={})


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == []
