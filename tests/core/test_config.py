"""Where files live and how settings are read and written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import ConfigError, Home, Settings


def test_home_argument_puts_everything_in_one_folder(tmp_path: Path) -> None:
    home = Home.locate(tmp_path / "h")
    assert home.database_file.parent == tmp_path / "h"
    assert home.plugins_dir == tmp_path / "h" / "plugins"


def test_environment_variable_chooses_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "env"))
    assert Home.locate().config_dir == tmp_path / "env"


def test_default_home_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    home = Home.locate()
    assert home.config_dir.is_relative_to(tmp_path / "cfg")
    assert home.data_dir.is_relative_to(tmp_path / "data")


def test_settings_round_trip(home: Home) -> None:
    Settings().update(wake_phrase="hey desk", follow_up_seconds="2.5").save(home)
    loaded = Settings.load(home)
    assert loaded.wake_phrase == "hey desk"
    assert loaded.follow_up_seconds == 2.5


def test_broken_settings_file_says_how_to_fix(home: Home) -> None:
    home.settings_file.write_text("{not json")
    with pytest.raises(ConfigError, match="delete it to start from the defaults"):
        Settings.load(home)


def test_unknown_setting_is_named(home: Home) -> None:
    home.settings_file.write_text(json.dumps({"wake_phrse": "x"}))
    with pytest.raises(ConfigError, match="wake_phrse"):
        Settings.load(home)


def test_setting_with_wrong_type_is_refused() -> None:
    with pytest.raises(ConfigError, match="must be a float"):
        Settings().update(follow_up_seconds="soon")
