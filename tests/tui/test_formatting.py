"""The small pure helpers behind the screens' text."""

from __future__ import annotations

from tui.formatting import (
    handled_by,
    level_meter,
    milliseconds,
    retry_text,
    short_value,
    state_label,
    time_left,
)
from tui.voice import _first_sentence, engine_name


def test_time_left_counts_down_in_minutes_and_hours() -> None:
    assert time_left(9.2) == "0:10"
    assert time_left(125) == "2:05"
    assert time_left(3723) == "1:02:03"
    assert time_left(-4) == "0:00"


def test_retry_text_counts_down_to_the_next_attempt() -> None:
    assert retry_text(104.2, 100.0) == "trying again in 5 s"
    assert retry_text(100.5, 100.0) == "trying again in 1 s"
    assert retry_text(99.0, 100.0) == "trying again now"


def test_level_meter_is_clamped() -> None:
    assert level_meter(0.5, 4) == "▮▮▯▯"
    assert level_meter(3.0, 4) == "▮▮▮▮"
    assert level_meter(-1.0, 4) == "▯▯▯▯"


def test_handled_by_names_the_intent_source_and_confidence() -> None:
    assert handled_by("timer.set", "rules", 0.978) == "timer.set · rules · 0.98"
    assert handled_by(None, "", 0.0) == "not understood"


def test_state_label_explains_missing_audio() -> None:
    assert state_label("hearing") == "hearing you"
    assert state_label("no-audio", "No microphone is available") == (
        "no voice input: type your requests (No microphone is available)"
    )


def test_values_are_short_and_on_one_line() -> None:
    assert short_value({"a": 1}) == '{"a": 1}'
    assert short_value(None) == "—"
    assert short_value("x" * 100, 10) == "x" * 9 + "…"
    assert milliseconds(12.34) == "12.3 ms" and milliseconds(1500) == "1.50 s"


def test_voice_status_keeps_only_the_reason() -> None:
    detail = (
        "no voice input (No microphone is available (Error querying device -1). Connect one). "
        "Typed requests through the API still work."
    )
    assert _first_sentence(detail) == "No microphone is available"


def test_engine_names_come_from_the_parts_the_loop_uses() -> None:
    class VoskRecognizer:
        pass

    assert engine_name(VoskRecognizer()) == "vosk"
