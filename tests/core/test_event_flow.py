"""Each turn's events come from one owner each, once: the voice loop (audio side and the
Reply of a spoken turn), the dialogue (what it understood and did), the assistant (the Reply
of a typed turn). Real assistant, real store, real engines on real audio."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.asr import create_recognizer
from assistant.audio import WavFileSource
from assistant.audio.sinks import NullSink
from assistant.config import Home
from assistant.core import Assistant, open_assistant
from assistant.events import Event
from assistant.pipeline import VoiceLoop
from assistant.wake import create_wake_detector
from tests.speechgen import synthesize


def typed(assistant: Assistant, text: str) -> Counter[str]:
    seen: list[Event] = []
    unsubscribe = assistant.bus.subscribe(seen.append)
    try:
        turn = assistant.handle_text(text, "typed")
    finally:
        unsubscribe()
    assert all(getattr(event, "session_id", "typed") == "typed" for event in seen)
    assert turn.reply
    return Counter(event.type for event in seen)


def test_an_acted_on_request_is_understood_done_and_answered_once(home: Home) -> None:
    assistant = open_assistant(home, plugins=False)
    try:
        events = typed(assistant, "set a timer for 5 minutes")
    finally:
        assistant.close()
    assert events == Counter({"intent": 1, "action": 1, "reply": 1})


def test_nonsense_is_not_recognized_and_answered_once(home: Home) -> None:
    assistant = open_assistant(home, plugins=False)
    try:
        events = typed(assistant, "purple monkey dishwasher sideways")
    finally:
        assistant.close()
    assert events == Counter({"not-recognized": 1, "reply": 1})


def test_a_request_that_cannot_be_done_says_not_handled(home: Home) -> None:
    assistant = open_assistant(home, plugins=False)
    try:
        events = typed(assistant, "cancel the pasta timer")
    finally:
        assistant.close()
    assert events == Counter({"intent": 1, "action": 1, "not-handled": 1, "reply": 1})


def test_a_question_is_understood_and_nothing_is_done_until_the_answer(home: Home) -> None:
    assistant = open_assistant(home, plugins=False)
    try:
        asked = typed(assistant, "set a timer")
        answered = typed(assistant, "ten minutes")
    finally:
        assistant.close()
    assert asked == Counter({"intent": 1, "reply": 1})
    assert answered == Counter({"intent": 1, "action": 1, "reply": 1})


def test_a_spoken_turn_publishes_each_event_once(home: Home, tmp_path: Path) -> None:
    request = tmp_path / "request.wav"
    synthesize("hey computer, set a timer for two seconds", request)
    assistant = open_assistant(home, plugins=False)
    seen: list[Event] = []
    assistant.bus.subscribe(seen.append)
    loop = VoiceLoop(
        WavFileSource(request),
        create_recognizer(assistant.settings, home).recognizer,
        assistant.handle_transcript,
        settings=assistant.settings,
        wake=create_wake_detector(assistant.settings, home),
        synthesizer=None,
        sink=NullSink(),
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
    )
    try:
        (turn,) = loop.run()
    finally:
        assistant.close()
    assert turn.intent == "timer.set", turn.to_json()
    counts = Counter(event.type for event in seen)
    for once in ("wake", "speech-started", "speech-ended", "transcript", "intent", "action", "reply"):
        assert counts[once] == 1, (once, counts, turn.text, turn.reply, turn.slots)
    order = [event.type for event in seen if event.type in ("transcript", "intent", "action", "reply")]
    assert order == ["transcript", "intent", "action", "reply"]
