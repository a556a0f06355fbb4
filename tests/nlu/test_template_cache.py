"""Parsed sentence files are kept for the next assistant in the process, never stale."""

from __future__ import annotations

from pathlib import Path

from assistant.nlu.templates import RuleSet

SENTENCES = """
language: en
intents:
  Greet:
    data:
      - sentences: ["hello [there]"]
"""


def test_a_file_added_again_reuses_its_parsed_templates(tmp_path: Path) -> None:
    path = tmp_path / "greet.yaml"
    path.write_text(SENTENCES)
    first, second = RuleSet(), RuleSet()
    first.add("greet", path)
    second.add("greet", path)
    assert first.merged.intents["Greet"] is second.merged.intents["Greet"]
    assert second.sources() == ["greet"] and second.version == first.version


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "greet.yaml"
    path.write_text(SENTENCES)
    RuleSet().add("greet", path)
    path.write_text(SENTENCES.replace("hello [there]", "howdy [there]"))  # same size, same second
    rules = RuleSet()
    rules.add("greet", path)
    sentences = [s.text for d in rules.merged.intents["Greet"].data for s in d.sentences]
    assert sentences == ["howdy [there]"]
