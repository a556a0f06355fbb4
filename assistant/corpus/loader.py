"""Read corpus YAML into typed conversations, refusing what it cannot run with a message
that says where (file, conversation, turn) and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.corpus.model import (
    DEFAULT_START,
    Conversation,
    CorpusFile,
    Effect,
    Expectation,
    SentenceTest,
    Turn,
)

FILE_KEYS = {"language", "skill", "conversations", "tests"}
CONVERSATION_KEYS = {"name", "at", "given", "turns"}
SAY_KEYS = {"say", "intent", "slots", "reply", "not_in_reply", "asks", "outcome", "effect"}
EFFECT_KEYS = {"timers", "alarms", "reminders", "list", "preference"}
OUTCOMES = ("success", "failure", "unknown")


class CorpusError(ValueError):
    """A corpus file that cannot be run; the message starts with where the problem is."""


def load_paths(paths: Iterable[str | Path]) -> list[CorpusFile]:
    """Every corpus file named, a folder meaning its ``*.yaml`` files (sorted)."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                raise CorpusError(f"{path}: no .yaml files in this folder")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return [load_file(path) for path in files]


def load_file(path: Path) -> CorpusFile:
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_sentence_loader())  # noqa: S506
    except OSError as error:
        raise CorpusError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text") from error
    except yaml.YAMLError as error:
        raise CorpusError(f"{path}: not valid YAML: {error}") from error
    return parse_corpus(data, path)


def _sentence_loader() -> Any:
    """A safe YAML loader for sentences: ``say: no`` is the word "no", not False (only
    ``true``/``false`` are booleans, as in YAML 1.2)."""
    import re

    import yaml

    class SentenceLoader(yaml.SafeLoader):
        pass

    SentenceLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    SentenceLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return SentenceLoader


def parse_corpus(data: Any, path: Path) -> CorpusFile:
    """A corpus file from its parsed YAML (``path`` names it in errors and the report)."""
    where = str(path)
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: expected a mapping with 'conversations:' and/or 'tests:'")
    _no_unknown_keys(data, FILE_KEYS, where)
    skill = data.get("skill", path.stem)
    if not isinstance(skill, str) or not skill.strip():
        raise CorpusError(f"{where}: 'skill' must be a name")
    language = data.get("language", "en")
    if language != "en":
        raise CorpusError(f"{where}: only language 'en' can be run (got {language!r})")
    if "conversations" not in data and "tests" not in data:
        raise CorpusError(f"{where}: expected 'conversations:' and/or 'tests:'")
    corpus = CorpusFile(path=path, skill=skill.strip(), language=language)
    conversations = _list(data.get("conversations", []), f"{where}: 'conversations'")
    names: set[str] = set()
    for index, item in enumerate(conversations, start=1):
        conversation = _conversation(item, path, corpus.skill, index)
        if conversation.name in names:
            raise CorpusError(f"{where}: two conversations are named {conversation.name!r}")
        names.add(conversation.name)
        corpus.conversations.append(conversation)
    for index, case in enumerate(_list(data.get("tests", []), f"{where}: 'tests'"), start=1):
        corpus.sentence_tests += _sentence_tests(case, path, corpus.skill, index)
    return corpus


def _conversation(item: Any, path: Path, skill: str, index: int) -> Conversation:
    where = f"{path}: conversation {index}"
    if not isinstance(item, dict):
        raise CorpusError(f"{where}: expected a mapping with 'name:' and 'turns:'")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CorpusError(f"{where}: needs a 'name:'")
    where = f"{path}: conversation {name.strip()!r}"
    _no_unknown_keys(item, CONVERSATION_KEYS, where)
    turns = _list(item.get("turns"), f"{where}: 'turns'")
    if not turns:
        raise CorpusError(f"{where}: needs 'turns:' with at least one 'say:'")
    conversation = Conversation(
        name=name.strip(),
        file=path,
        skill=skill,
        start=_start(item.get("at"), where),
        given=[
            _turn(t, f"{where}, given turn {n}", n, scored=False)
            for n, t in enumerate(_list(item.get("given", []), f"{where}: 'given'"), start=1)
        ],
        turns=[_turn(t, f"{where}, turn {n}", n, scored=True) for n, t in enumerate(turns, start=1)],
    )
    if not conversation.scored():
        raise CorpusError(f"{where}: needs at least one 'say:' in 'turns:'")
    return conversation


def _start(value: Any, where: str) -> datetime:
    if value is None:
        return DEFAULT_START
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CorpusError(f"{where}: 'at' must be a local time like \"2025-03-03 10:00\" (got {value!r})")


def _turn(item: Any, where: str, number: int, *, scored: bool) -> Turn:
    if isinstance(item, str):
        return _say(item, where, number)
    if not isinstance(item, dict):
        raise CorpusError(f"{where}: expected 'say: ...' or 'wait: ...'")
    if "wait" in item:
        if len(item) > 1:
            others = ", ".join(sorted(str(k) for k in item if k != "wait"))
            raise CorpusError(f"{where}: 'wait' takes nothing else (also has: {others})")
        return Turn(number=number, wait_seconds=_wait(item["wait"], where))
    if "say" not in item:
        raise CorpusError(f"{where}: expected 'say: ...' or 'wait: ...' (has: {', '.join(map(str, item))})")
    if not scored and len(item) > 1:
        raise CorpusError(f"{where}: 'given' turns are not checked; give only 'say:'")
    _no_unknown_keys(item, SAY_KEYS, where)
    turn = _say(item["say"], where, number)
    turn.expect = _expectation(item, where)
    return turn


def _say(text: Any, where: str, number: int) -> Turn:
    if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not str(text).strip():
        raise CorpusError(f"{where}: 'say' must be the words said (got {text!r})")
    return Turn(number=number, say=str(text).strip())


def _wait(value: Any, where: str) -> float:
    from assistant.nlu.numbers import RefusedReading
    from assistant.nlu.times import parse_duration

    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)  # plain numbers are seconds
    seconds = None
    if isinstance(value, str):
        try:
            seconds = parse_duration(value, strict=True)
        except RefusedReading:
            seconds = None
    if seconds is None:
        raise CorpusError(f"{where}: 'wait' must be a duration like \"5 minutes\" (got {value!r})")
    return float(seconds)


def _expectation(item: dict[str, Any], where: str) -> Expectation:
    expect = Expectation()
    if "intent" in item:
        intent = item["intent"]
        if intent is not None and (not isinstance(intent, str) or not intent.strip()):
            raise CorpusError(f"{where}: 'intent' must be an intent name or null (got {intent!r})")
        expect.check_intent = True
        expect.intent = intent.strip() if isinstance(intent, str) else None
    slots = item.get("slots", {})
    if not isinstance(slots, dict):
        raise CorpusError(f"{where}: 'slots' must be a mapping of slot: value")
    expect.slots = dict(slots)
    expect.reply = _texts(item.get("reply", []), f"{where}: 'reply'")
    expect.not_in_reply = _texts(item.get("not_in_reply", []), f"{where}: 'not_in_reply'")
    if "asks" in item:
        if not isinstance(item["asks"], bool):
            raise CorpusError(f"{where}: 'asks' must be true or false (got {item['asks']!r})")
        expect.asks = item["asks"]
    if "outcome" in item:
        if item["outcome"] not in OUTCOMES:
            wanted = " | ".join(OUTCOMES)
            raise CorpusError(f"{where}: 'outcome' must be {wanted} (got {item['outcome']!r})")
        expect.outcome = item["outcome"]
    if "effect" in item:
        expect.effect = _effect(item["effect"], f"{where}: 'effect'")
    return expect


def _effect(value: Any, where: str) -> Effect:
    if not isinstance(value, dict) or not value:
        raise CorpusError(f"{where} must be a mapping (timers:, alarms:, reminders:, list:, preference:)")
    _no_unknown_keys(value, EFFECT_KEYS, where)
    effect = Effect()
    for key in ("timers", "alarms", "reminders"):
        if key in value:
            count = value[key]
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise CorpusError(f"{where}: '{key}' must be a count (got {count!r})")
            setattr(effect, key, count)
    if "list" in value:
        lists = value["list"]
        if not isinstance(lists, dict) or not lists:
            raise CorpusError(f"{where}: 'list' must map a list's name to its items")
        for name, items in lists.items():
            items = [] if items is None else items
            if not isinstance(items, list) or not all(isinstance(i, (str, int, float)) for i in items):
                raise CorpusError(f"{where}: list {name!r} must be a list of items (got {items!r})")
            effect.lists[str(name)] = [str(i) for i in items]
    if "preference" in value:
        preferences = value["preference"]
        if not isinstance(preferences, dict) or not preferences:
            raise CorpusError(f"{where}: 'preference' must map a key to its value (null: not set)")
        effect.preferences = {str(k): None if v is None else str(v) for k, v in preferences.items()}
    return effect


def _sentence_tests(case: Any, path: Path, skill: str, index: int) -> list[SentenceTest]:
    where = f"{path}: test {index}"
    if not isinstance(case, dict) or not isinstance(case.get("sentences"), list) or not case["sentences"]:
        raise CorpusError(f"{where} needs 'sentences: [...]'")
    expected = case.get("intent")
    name: Any = None
    slots: Any = {}
    if expected is None:
        pass
    elif isinstance(expected, dict):
        name = expected.get("name")
        slots = expected.get("slots") or {}
        if name is not None and not isinstance(name, str):
            raise CorpusError(f"{where}: 'intent: name' must be an intent name")
        if not isinstance(slots, dict):
            raise CorpusError(f"{where}: 'intent: slots' must be a mapping")
    else:
        raise CorpusError(f"{where}: 'intent' must be a mapping with 'name:' (and 'slots:')")
    tests = []
    for sentence in case["sentences"]:
        if not isinstance(sentence, (str, int, float)) or not str(sentence).strip():
            raise CorpusError(f"{where}: every sentence must be text (got {sentence!r})")
        tests.append(SentenceTest(str(sentence).strip(), path, skill, index, name, dict(slots)))
    return tests


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CorpusError(f"{where} must be a list")
    return value


def _texts(value: Any, where: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, (str, int, float)) for i in items):
        raise CorpusError(f"{where} must be a text or a list of texts")
    return [str(i) for i in items]


def _no_unknown_keys(item: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in item if key not in known)
    if unknown:
        raise CorpusError(
            f"{where}: unknown key {unknown[0]!r} (expected one of: {', '.join(sorted(known))})"
        )
