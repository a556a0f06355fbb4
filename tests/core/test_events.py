"""Every event survives a round trip through the generic envelope (wyoming's test_eventable)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from assistant.events import AudioChunk, Event, event_types

SAMPLES: dict[Any, Any] = {
    "str": "sample",
    "str | None": "sample",
    "float": 1.5,
    "int": 7,
    "bool": True,
    "bytes": b"\x01\x02\xff",
    "dict[str, Any]": {"key": "value", "n": 2},
    "list[str]": ["one", "two"],
    "list[dict[str, Any]]": [{"word": "hi"}],
}


def sample(cls: type[Event]) -> Event:
    """An event with every field set away from its default, so a dropped field shows."""
    values = {}
    for field in dataclasses.fields(cls):
        if field.type not in SAMPLES:
            raise AssertionError(f"{cls.__name__}.{field.name}: no sample for {field.type!r}")
        values[field.name] = SAMPLES[field.type]
    return cls(**values)


@pytest.mark.parametrize("cls", list(event_types().values()), ids=lambda cls: cls.type)
def test_event_round_trips_through_json(cls: type[Event]) -> None:
    event = sample(cls)
    envelope = json.loads(json.dumps(event.to_dict()))
    assert Event.from_dict(envelope) == event
    assert event != cls(), "the sample must differ from the defaults"


@pytest.mark.parametrize("cls", list(event_types().values()), ids=lambda cls: cls.type)
def test_events_are_frozen(cls: type[Event]) -> None:
    event = cls()
    for field in dataclasses.fields(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(event, field.name, SAMPLES[field.type])


def test_audio_travels_as_hex() -> None:
    envelope = AudioChunk(audio=b"\x01\x02\xff", timestamp=1.5).to_dict()
    assert envelope["data"]["audio"] == "0102ff"


def test_unknown_event_type_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown event type"):
        Event.from_dict({"type": "no-such-thing", "data": {}})


def test_event_data_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValueError, match="must be an object"):
        Event.from_dict({"type": "reply", "data": ["not", "an", "object"]})
