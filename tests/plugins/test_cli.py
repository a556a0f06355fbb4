"""``assistant plugins`` and ``assistant plugins check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import Home
from tests.plugins.conftest import EXAMPLES


def test_plugins_json_lists_loaded_and_failed(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(EXAMPLES / "desk_lamp_plugin.py", home.plugins_dir)
    (home.plugins_dir / "broken.py").write_text("import nowhere_to_be_found\n")
    assert main(["--home", str(home.config_dir), "plugins", "--json"]) == 0
    listed = {entry["name"]: entry for entry in json.loads(capsys.readouterr().out)}
    assert listed["desk-lamp"]["status"] == "loaded"
    assert listed["broken"]["status"] == "failed"
    assert "nowhere_to_be_found" in listed["broken"]["reason"]


def test_plugins_text_shows_the_folder_and_why(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    (home.plugins_dir / "broken.py").write_text("raise RuntimeError('no luck')\n")
    main(["--home", str(home.config_dir), "plugins"])
    out = capsys.readouterr().out
    assert f"Plug-ins folder: {home.plugins_dir}" in out
    assert "why: RuntimeError: no luck" in out


def test_plugins_check_one_file(tmp_path: Path, home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    lamp = str(EXAMPLES / "desk_lamp_plugin.py")
    assert main(["--home", str(home.config_dir), "plugins", "check", lamp]) == 0
    assert "desk-lamp: loaded" in capsys.readouterr().out
    bad = tmp_path / "bad.py"
    bad.write_text("from assistant.plugins.api import Plugin\nplugin = Plugin('bad')\n")
    assert main(["--home", str(home.config_dir), "plugins", "check", str(bad)]) == 1
    assert "does nothing" in capsys.readouterr().out
