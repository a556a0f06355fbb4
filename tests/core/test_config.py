"""Where files live and how settings are read and written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import ConfigError, Home, Settings
from assistant.settings_schema import RULE
from tests.commands import run_assistant


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
    with pytest.raises(ConfigError, match="follow_up_seconds must be a number from 0 to 60"):
        Settings().update(follow_up_seconds="soon")


# --- one schema: every way in checks the same rules ------------------------------------------


def test_every_setting_declares_a_rule_its_default_keeps() -> None:
    from dataclasses import fields

    defaults = Settings()
    for item in fields(Settings):
        rule = item.metadata[RULE]
        assert rule.check(item.name, getattr(defaults, item.name)) == getattr(defaults, item.name)


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("wake_sensitivity", "2", "wake_sensitivity must be a number from 0 to 1"),
        ("wake_sensitivity", "nan", "wake_sensitivity must be a number from 0 to 1"),
        ("understanding_threshold", "high", "understanding_threshold must be a number from 0 to 1"),
        ("silence_window_seconds", "0", "must be a number above 0"),
        ("max_utterance_seconds", "1e309", "must be a number above 0"),
        ("speech_rate", "fast", "speech_rate must be a whole number from 50 to 500"),
        ("quiet_hours", "5", 'quiet_hours must be a time window like "22:00-07:00"'),
        ("quiet_hours", "25:00-07:00", "quiet_hours must be a time window"),
        ("wake_engine", "banana", "wake_engine must be one of auto, pocketsphinx, vosk"),
        ("wake_phrase", " ", "wake_phrase must be a non-empty text"),
        ("extra", "{}", "extra is set in settings.json"),
    ],
)
def test_update_refuses_what_the_rule_does_not_allow(name: str, value: str, said: str) -> None:
    settings = Settings()
    with pytest.raises(ConfigError, match=said):
        settings.update(**{name: value})
    assert getattr(settings, name) == getattr(Settings(), name)


def test_update_reads_words_and_changes_all_or_nothing() -> None:
    settings = Settings().update(asr_engine="Vosk", speech_rate="200", quiet_hours="23:00 - 06:30")
    assert (settings.asr_engine, settings.speech_rate, settings.quiet_hours) == ("vosk", 200, "23:00-06:30")
    with pytest.raises(ConfigError):
        settings.update(wake_phrase="hey desk", wake_sensitivity="2")
    assert settings.wake_phrase == "hey computer"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ({"understanding_threshold": "high"}, "understanding_threshold must be a number from 0 to 1"),
        ({"quiet_hours": 5}, "quiet_hours must be a time window"),
        ({"wake_sensitivity": True}, "wake_sensitivity must be a number"),
        ({"speech_rate": 1.5}, "speech_rate must be a whole number"),
        ({"tts_engine": "espeak"}, "tts_engine must be one of auto, pyttsx3, piper"),
        ({"extra": {"lights": 5}}, "extra.lights must be an object"),
        ({"voice": ["a"]}, "voice must be a text"),
    ],
)
def test_a_settings_file_with_wrong_values_is_explained(
    home: Home, content: dict[str, object], said: str
) -> None:
    home.settings_file.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ConfigError, match=said) as caught:
        Settings.load(home)
    assert "settings.json" in str(caught.value) and "delete it" in str(caught.value)


def test_every_problem_in_the_file_is_named_at_once(home: Home) -> None:
    home.settings_file.write_text('{"understanding_threshold": "high", "quiet_hours": 5}', encoding="utf-8")
    with pytest.raises(ConfigError, match="understanding_threshold .*; quiet_hours"):
        Settings.load(home)


def test_nan_in_the_settings_file_is_refused(home: Home) -> None:
    home.settings_file.write_text('{"wake_sensitivity": NaN}', encoding="utf-8")
    with pytest.raises(ConfigError, match="NaN"):
        Settings.load(home)


def test_config_set_refuses_an_out_of_range_value(home: Home) -> None:
    done = run_assistant("config", "set", "wake_sensitivity", "2")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "assistant: wake_sensitivity must be a number from 0 to 1 (0 strict … 1 eager), not '2'."
    )
    assert not home.settings_file.exists()
    assert run_assistant("config", "set", "wake_sensitivity", "0.8").returncode == 0
    assert Settings.load(home).wake_sensitivity == 0.8


def test_a_wrong_type_in_the_file_is_one_line_not_a_traceback(home: Home) -> None:
    home.settings_file.write_text('{"understanding_threshold": "high"}', encoding="utf-8")
    done = run_assistant("ask", "--local", "what time is it")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("assistant: The settings in ") and "understanding_threshold" in line
