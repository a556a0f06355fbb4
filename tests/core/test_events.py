"""Every event survives a round trip through the generic envelope (wyoming's test_eventable)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from assistant.events import AudioChunk, Event, event_types


@pytest.mark.parametrize("cls", [c for c in event_types().values() if c is not AudioChunk])
def test_event_round_trips_through_json(cls: type[Event]) -> None:
    event = cls()
    for field in dataclasses.fields(cls):
        if field.type in ("str", str):
            setattr(event, field.name, f"sample {field.name}")
    envelope = json.loads(json.dumps(event.to_dict()))
    assert Event.from_dict(envelope) == event


def test_audio_chunk_round_trips_as_hex() -> None:
    chunk = AudioChunk(audio=b"\x01\x02\xff", timestamp=1.5)
    envelope = json.loads(json.dumps(chunk.to_dict()))
    assert AudioChunk.from_hex(envelope["data"]) == chunk


def test_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown event type"):
        Event.from_dict({"type": "no-such-thing", "data": {}})
