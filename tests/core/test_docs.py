"""The README stays in step with the code: every command and built-in intent is documented."""

from __future__ import annotations

import argparse

from assistant.cli import build_parser
from assistant.config import Home
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(parser: argparse.ArgumentParser, prefix: str = "assistant") -> list[str]:
    names: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names.append(f"{prefix} {name}")
                names.extend(_commands(sub, f"{prefix} {name}"))
    return names


def test_every_top_level_command_is_in_the_readme() -> None:
    top_level = [name for name in _commands(build_parser()) if name.count(" ") == 1]
    missing = [name for name in top_level if f"`{name}" not in README]
    assert not missing, f"README does not document: {missing}"


def test_every_built_in_intent_is_in_the_readme(home: Home) -> None:
    from assistant.core import open_assistant

    assistant = open_assistant(home, plugins=False)
    try:
        built_in = [
            spec.name
            for skill in assistant.skills.skills()
            if skill.source == "built-in"
            for spec in skill.intents
        ]
    finally:
        assistant.close()
    missing = [name for name in built_in if f"`{name}`" not in README]
    assert not missing, f"README does not list these built-in intents: {missing}"
