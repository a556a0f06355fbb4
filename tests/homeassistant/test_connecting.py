"""Connecting to a real Home Assistant: the UI's guided connect, the command, the setting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from textual.widgets import Input, Static

from assistant.cli import main as assistant_main
from assistant.config import Home, Settings
from tests.homeassistant.conftest import PLUGIN_SOURCE, Owner
from tests.tui.helpers import make_app, started, wait_for
from tui.screens.settings import SettingsScreen

ROOT = Path(__file__).resolve().parents[2]


def fresh_home(tmp_path: Path) -> Home:
    return Home(config_dir=tmp_path / "home", data_dir=tmp_path / "home").ensure()


def status_text(app: object) -> str:
    return str(app.screen.query_one("#ha-status", Static).render())  # type: ignore[attr-defined]


async def test_the_settings_screen_checks_then_saves_the_connection(
    plugin_entry_point: None, owner: Owner, tmp_path: Path
) -> None:
    home = fresh_home(tmp_path)
    token = owner.server.long_lived_token(owner.token, "ui connect")
    app = make_app(home)
    async with app.run_test(size=(120, 60)) as pilot:
        await started(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#ha-url", Input).value = owner.server.url
        app.screen.query_one("#ha-token", Input).value = "not-a-token"
        app.screen.connect_homeassistant()  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: "refused the token" in status_text(app), timeout=30)
        assert "homeassistant" not in Settings.load(home).extra  # nothing saved that does not work
        app.screen.query_one("#ha-token", Input).value = token
        app.screen.connect_homeassistant()  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: "Connected to Home Assistant 2024.3.3" in status_text(app), timeout=30)
        assert app.screen.query_one("#ha-token", Input).value == ""  # not left on screen
    saved = Settings.load(home).extra["homeassistant"]
    assert saved["url"] == owner.server.url
    token_file = Path(saved["token_file"])
    assert token_file.read_text().strip() == token
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert token not in home.settings_file.read_text()


def test_the_connect_command_reads_the_token_from_stdin_and_never_prints_it(
    owner: Owner, tmp_path: Path
) -> None:
    home = fresh_home(tmp_path)
    token = owner.server.long_lived_token(owner.token, "cli connect")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PLUGIN_SOURCE), str(ROOT)])}
    command = [sys.executable, "-m", "assistant_homeassistant", "--home", str(home.config_dir)]
    done = subprocess.run(
        [*command, "connect", "--url", owner.server.url], input=token + "\n", capture_output=True, text=True,
        env=environment, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Connected to Home Assistant 2024.3.3" in done.stdout
    assert token not in done.stdout + done.stderr
    checked = subprocess.run([*command, "check"], capture_output=True, text=True, env=environment, timeout=60)
    assert checked.returncode == 0 and "entities" in checked.stdout
    wrong = subprocess.run(
        [*command, "connect", "--url", "http://127.0.0.1:9"], input="x\n", capture_output=True, text=True,
        env=environment, timeout=60,
    )  # fmt: skip
    assert wrong.returncode == 1
    assert "I can't reach http://127.0.0.1:9" in wrong.stdout


def test_config_set_keeps_a_plugin_setting(tmp_path: Path, capsys: object) -> None:
    home = fresh_home(tmp_path)
    assert (
        assistant_main(
            ["--home", str(home.config_dir), "config", "set", "homeassistant.url", "http://ha:8123"]
        )
        == 0
    )
    assert (
        assistant_main(
            ["--home", str(home.config_dir), "config", "set", "homeassistant.reconnect_max_seconds", "5"]
        )
        == 0
    )
    extra = json.loads(home.settings_file.read_text())["extra"]["homeassistant"]
    assert extra == {"url": "http://ha:8123", "reconnect_max_seconds": 5}


def test_without_an_address_the_plugin_is_disabled_and_says_how_to_connect(
    plugin_entry_point: None, tmp_path: Path
) -> None:
    from assistant.core import Assistant

    running = Assistant(fresh_home(tmp_path))
    try:
        [status] = [s for s in running.plugin_statuses if s.name == "homeassistant"]
        assert status.status == "disabled"
        assert "assistant-homeassistant connect" in status.reason
    finally:
        running.close()
