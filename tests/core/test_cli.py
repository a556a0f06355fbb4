"""The command line as users type it: options anywhere, help that shows them, quiet endings."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import build_parser
from assistant.config import Home
from tests.commands import HANG_GUARD_SECONDS, HEAVY_MODULES, run_assistant


def _every_parser(
    parser: argparse.ArgumentParser, name: str = "assistant"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child_name, child in action.choices.items():
                yield from _every_parser(child, f"{name} {child_name}")


@pytest.mark.parametrize(
    "argv",
    [
        ["--home", "/h", "ask", "hello"],
        ["ask", "hello", "--home", "/h"],
        ["ask", "--home", "/h", "hello"],
        ["chat", "--home", "/h"],
        ["config", "show", "--home", "/h"],
        ["config", "--home", "/h"],
        ["models", "list", "--home", "/h"],
        ["models", "--home", "/h", "list"],
    ],
)
def test_home_is_taken_before_or_after_the_command(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).home == "/h"


@pytest.mark.parametrize("argv", [["-v", "ask", "x"], ["ask", "x", "-v"], ["models", "list", "--verbose"]])
def test_verbose_is_taken_before_or_after_the_command(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).verbose is True


def test_without_the_options_the_defaults_hold() -> None:
    args = build_parser().parse_args(["ask", "x"])
    assert args.home is None and args.verbose is False


def test_every_commands_help_shows_home_and_verbose() -> None:
    missing = [
        name
        for name, parser in _every_parser(build_parser())
        if "--home DIR" not in parser.format_help() or "--verbose" not in parser.format_help()
    ]
    assert missing == []


def test_ask_help_in_a_real_process_shows_home() -> None:
    done = run_assistant("ask", "--help")
    assert done.returncode == 0
    assert "--home DIR" in done.stdout and "--local" in done.stdout and "--remote" in done.stdout


def test_building_the_command_line_loads_nothing_heavy() -> None:
    probe = (
        "import sys\n"
        "import assistant.cli\n"
        "assistant.cli.build_parser()\n"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, check=True
    )
    assert done.stdout == "[]\n"


@pytest.fixture
def elsewhere(tmp_path: Path) -> dict[str, str]:
    """An environment whose ASSISTANT_HOME is another folder: --home must win over it."""
    return {**os.environ, "ASSISTANT_HOME": str(tmp_path / "elsewhere")}


def test_config_takes_home_after_the_command(home: Home, elsewhere: dict[str, str]) -> None:
    done = run_assistant("config", "show", "--json", "--home", str(home.config_dir), env=elsewhere)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["paths"]["database"] == str(home.database_file)


def test_ask_takes_home_after_the_command(home: Home, elsewhere: dict[str, str]) -> None:
    done = run_assistant("ask", "what is 2 plus 2", "--home", str(home.config_dir), env=elsewhere)
    assert done.returncode == 0, done.stderr
    assert "4" in done.stdout
    assert home.database_file.exists()
    assert not Path(elsewhere["ASSISTANT_HOME"]).exists()


def test_chat_takes_home_after_the_command(home: Home, elsewhere: dict[str, str]) -> None:
    done = run_assistant(
        "chat", "--home", str(home.config_dir), "--json", input="what is 2 plus 2\n", env=elsewhere
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reply"] == "2 plus 2 is 4."
    assert not Path(elsewhere["ASSISTANT_HOME"]).exists()


def test_a_closed_pipe_ends_quietly(home: Home) -> None:
    """``assistant config show | head -1``: the reader leaves before the output is written."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "config", "show", "--home", str(home.config_dir)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdout is not None
        process.stdout.close()  # before the command has printed anything
        code = process.wait(HANG_GUARD_SECONDS)
        errors.seek(0)
        messages = errors.read()
    assert code == 0
    assert "Traceback" not in messages and "BrokenPipeError" not in messages
