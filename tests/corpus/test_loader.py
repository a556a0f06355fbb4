"""Reading corpus files: what a file holds, and bad input refused with where and what."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from assistant.corpus.loader import CorpusError, load_file, load_paths

GOOD = """
language: en
skill: timers
conversations:
  - name: cancel that
    at: "2025-03-04 08:30"
    given: [add milk to my shopping list]
    turns:
      - say: set a timer for 10 minutes
        intent: timer.set
        slots: {duration: 600}
        reply: "10 minutes"
        asks: false
        outcome: success
        effect: {timers: 1, list: {shopping: [milk]}, preference: {name: null}}
      - wait: 5 minutes
      - cancel that
tests:
  - sentences: ["what time is it", "what's the time"]
    intent: {name: time.now}
"""


def write(tmp_path: Path, text: str, name: str = "corpus.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_becomes_conversations_turns_and_sentence_tests(tmp_path: Path) -> None:
    corpus = load_file(write(tmp_path, GOOD))
    assert corpus.skill == "timers"
    (conversation,) = corpus.conversations
    assert conversation.start == datetime(2025, 3, 4, 8, 30)
    assert [t.say for t in conversation.given] == ["add milk to my shopping list"]
    first, wait, last = conversation.turns
    assert first.expect.check_intent and first.expect.intent == "timer.set"
    assert first.expect.reply == ["10 minutes"] and first.expect.asks is False
    assert first.expect.effect.timers == 1 and first.expect.effect.lists == {"shopping": ["milk"]}
    assert first.expect.effect.preferences == {"name": None}
    assert wait.say is None and wait.wait_seconds == 300
    assert last.say == "cancel that" and not last.expect.check_intent
    assert [(t.number, t.say) for t in conversation.scored()] == [(1, first.say), (3, "cancel that")]
    assert [t.sentence for t in corpus.sentence_tests] == ["what time is it", "what's the time"]


def test_the_skill_defaults_to_the_file_name_and_the_clock_to_monday_ten(tmp_path: Path) -> None:
    corpus = load_file(write(tmp_path, "conversations: [{name: a, turns: [hello]}]", "lists.yaml"))
    assert corpus.skill == "lists"
    assert corpus.conversations[0].start == datetime(2025, 3, 3, 10, 0)


def test_intent_null_expects_no_intent(tmp_path: Path) -> None:
    corpus = load_file(write(tmp_path, "conversations: [{name: a, turns: [{say: blorp, intent: null}]}]"))
    expect = corpus.conversations[0].turns[0].expect
    assert expect.check_intent and expect.intent is None


def test_a_folder_means_its_yaml_files(tmp_path: Path) -> None:
    write(tmp_path, "conversations: [{name: a, turns: [hi]}]", "b.yaml")
    write(tmp_path, "conversations: [{name: a, turns: [hi]}]", "a.yaml")
    write(tmp_path, "not a corpus", "notes.txt")
    assert [f.path.name for f in load_paths([tmp_path])] == ["a.yaml", "b.yaml"]


def conversation(**turn: object) -> str:
    return yaml.safe_dump({"conversations": [{"name": "the one", "turns": [{"say": "hi", **turn}]}]})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list", "expected a mapping"),
        ("language: en\n", "expected 'conversations:' and/or 'tests:'"),
        ("language: de\ntests: []", "only language 'en'"),
        ("conversation: []", "unknown key 'conversation'"),
        ("conversations: [{turns: [hi]}]", "conversation 1: needs a 'name:'"),
        ("conversations: [{name: x}]", "conversation 'x': needs 'turns:'"),
        ("conversations: [{name: x, turns: hi}]", "conversation 'x': 'turns' must be a list"),
        ("conversations: [{name: x, turns: []}]", "needs 'turns:' with at least one 'say:'"),
        ("conversations: [{name: x, turns: [{wait: 5 minutes}]}]", "needs at least one 'say:'"),
        (
            "conversations: [{name: x, turns: [hi]}, {name: x, turns: [hi]}]",
            "two conversations are named 'x'",
        ),
        ("conversations: [{name: x, at: tomorrow, turns: [hi]}]", "'at' must be a local time"),
        ("conversations: [{name: x, given: [{say: hi, intent: a}], turns: [hi]}]", "given turn 1"),
        (conversation(intnet="timer.set"), "conversation 'the one', turn 1: unknown key 'intnet'"),
        (conversation(asks="yes"), "turn 1: 'asks' must be true or false"),
        (conversation(outcome="ok"), "turn 1: 'outcome' must be success | failure | unknown"),
        (conversation(slots=["duration"]), "turn 1: 'slots' must be a mapping"),
        (conversation(effect={"timer": 1}), "turn 1: 'effect': unknown key 'timer'"),
        (conversation(effect={"timers": "one"}), "'timers' must be a count"),
        (conversation(effect={"list": {"shopping": "milk"}}), "list 'shopping' must be a list of items"),
        (conversation(reply={"a": 1}), "'reply' must be a text or a list of texts"),
        ("conversations: [{name: x, turns: [{say: ''}]}]", "turn 1: 'say' must be the words said"),
        ("conversations: [{name: x, turns: [hi, {wait: soon}]}]", "turn 2: 'wait' must be a duration"),
        ("conversations: [{name: x, turns: [hi, {wait: 5, say: hi}]}]", "'wait' takes nothing else"),
        ("conversations: [{name: x, turns: [{ask: hi}]}]", "expected 'say: ...' or 'wait: ...'"),
        ("tests: [{intent: {name: a}}]", "test 1 needs 'sentences: [...]'"),
        ("tests: [{sentences: [hi], intent: time.now}]", "test 1: 'intent' must be a mapping"),
        ("tests: [{sentences: [hi]}, {sentences: [hi], intent: {name: a, slots: [x]}}]", "test 2"),
    ],
)
def test_bad_input_is_refused_saying_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CorpusError) as raised:
        load_file(path)
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        load_paths([tmp_path / "missing.yaml"])
    with pytest.raises(CorpusError, match="not valid YAML"):
        load_file(write(tmp_path, "conversations: [unclosed"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no .yaml files"):
        load_paths([tmp_path / "empty"])


def test_yes_and_no_are_words_not_booleans(tmp_path: Path) -> None:
    text = "conversations: [{name: x, turns: [{say: no, asks: false}, {say: yes}, {say: off}]}]"
    turns = load_file(write(tmp_path, text)).conversations[0].turns
    assert [t.say for t in turns] == ["no", "yes", "off"]
    assert turns[0].expect.asks is False
    with pytest.raises(CorpusError, match="'asks' must be true or false"):
        load_file(write(tmp_path, "conversations: [{name: x, turns: [{say: hi, asks: yes}]}]"))
