"""Plug-in code runs only from files and folders the user owns and no one else may change."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from assistant.config import Home
from tests.commands import run_assistant
from tests.privacy.conftest import environment_without_a_home

PLUGIN = textwrap.dedent("""
    from pathlib import Path

    from assistant.plugins.api import Plugin

    Path(__file__).with_suffix(".ran").touch()  # proof the code was run
    plugin = Plugin("shared-tool")


    @plugin.intent("shared.hello", sentences=["say hello shared tool"])
    def hello(request, context):
        return "Hello."
""")

OTHER_UID = 54321
"""Someone else: root may give a file to any uid, even one with no account."""


@pytest.fixture
def plugin(home: Home) -> Path:
    path = home.plugins_dir / "shared_tool.py"
    path.write_text(PLUGIN, encoding="utf-8")
    path.chmod(0o600)
    return path


def _listed(home: Home) -> dict[str, dict[str, str]]:
    done = run_assistant(
        "--home", str(home.config_dir), "plugins", "--json", env=environment_without_a_home()
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return {entry["source"]: entry for entry in json.loads(done.stdout)}


def test_a_group_writable_plug_in_is_refused_with_its_reason_and_not_run(home: Home, plugin: Path) -> None:
    plugin.chmod(0o660)
    entry = _listed(home)[str(plugin)]
    assert entry["status"] == "refused"
    assert f"chmod go-w {plugin}" in entry["reason"]
    assert not plugin.with_suffix(".ran").exists()


def test_the_listing_shows_refused_and_how_to_fix_it(home: Home, plugin: Path) -> None:
    plugin.chmod(0o606)
    done = run_assistant("--home", str(home.config_dir), "plugins", env=environment_without_a_home())
    line = next(line for line in done.stdout.splitlines() if str(plugin) in line)
    assert "refused" in line
    assert (
        f"why: {plugin} can be changed by other users, so it is not run; "
        f"if you trust its contents: chmod go-w {plugin}" in done.stdout
    )


def test_after_chmod_go_w_it_loads(home: Home, plugin: Path) -> None:
    plugin.chmod(0o664)
    assert _listed(home)[str(plugin)]["status"] == "refused"
    plugin.chmod(0o644)
    assert _listed(home)[str(plugin)]["status"] == "loaded"
    assert plugin.with_suffix(".ran").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_plug_in_owned_by_another_user_is_refused(home: Home, plugin: Path) -> None:
    os.chown(plugin, OTHER_UID, -1)
    entry = _listed(home)[str(plugin)]
    assert entry["status"] == "refused"
    assert "not to you" in entry["reason"]
    assert not plugin.with_suffix(".ran").exists()


def test_every_plug_in_of_a_folder_others_may_write_to_is_refused(home: Home, plugin: Path) -> None:
    home.plugins_dir.chmod(0o777)
    entry = _listed(home)[str(plugin)]
    assert entry["status"] == "refused"
    assert f"chmod go-w {home.plugins_dir}" in entry["reason"]
    assert not plugin.with_suffix(".ran").exists()


def test_plugins_check_refuses_a_file_others_may_change(tmp_path: Path) -> None:
    source = tmp_path / "shared_tool.py"
    source.write_text(PLUGIN, encoding="utf-8")
    source.chmod(0o666)
    done = run_assistant(
        "--home", str(tmp_path / "home"), "plugins", "check", str(source), env=environment_without_a_home()
    )
    assert done.returncode == 1
    assert done.stdout.startswith("shared_tool: refused")
    assert f"chmod go-w {source}" in done.stdout


def test_a_loaded_plug_in_leaves_no_bytecode_beside_it(home: Home, plugin: Path) -> None:
    assert _listed(home)[str(plugin)]["status"] == "loaded"
    assert not (home.plugins_dir / "__pycache__").exists()
