"""Our framing of Wyoming events: what the library writes reads back, in any pieces, and
nothing beyond the limits is ever waited for or allocated."""

from __future__ import annotations

import io

import pytest
from wyoming.audio import AudioChunk
from wyoming.event import write_event
from wyoming.tts import Synthesize

from assistant.wyoming.endpoint import WyomingError, parse_endpoint
from assistant.wyoming.framing import EventBuffer, Limits, ProtocolError, encode_event


def library_bytes(*events: object) -> bytes:
    out = io.BytesIO()
    for event in events:
        write_event(event.event(), out)  # type: ignore[attr-defined]
    return out.getvalue()


@pytest.mark.parametrize("cuts", [[1], [2, 3, 5, 7], [50], [13, 1, 1, 40], [500]])
def test_events_written_by_the_library_read_back_in_any_pieces(cuts: list[int]) -> None:
    data = library_bytes(
        Synthesize(text="Timer set. ✓"), AudioChunk(rate=16000, width=2, channels=1, audio=bytes(range(200)))
    )
    buffer, events, offset = EventBuffer(), [], 0
    for cut in cuts * 10:
        buffer.feed(data[offset : offset + cut])
        offset += cut
        while (event := buffer.next_event()) is not None:
            events.append(event)
    buffer.feed(data[offset:])
    while (event := buffer.next_event()) is not None:
        events.append(event)
    assert [event.type for event in events] == ["synthesize", "audio-chunk"]
    assert Synthesize.from_event(events[0]).text == "Timer set. ✓"
    assert AudioChunk.from_event(events[1]).audio == bytes(range(200))


def test_what_we_write_the_library_reads() -> None:
    from wyoming.event import read_event

    event = read_event(io.BytesIO(encode_event(Synthesize(text="hello").event())))
    assert event is not None and Synthesize.from_event(event).text == "hello"


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        (b'{"type": "audio-chunk", "payload_length": 5000001}\n', "announced 5000001 bytes of payload"),
        (b'{"type": "info", "data_length": 2000000}\n', "announced 2000000 bytes of data"),
        (b'{"type": "info", "payload_length": -3}\n', "broken payload_length"),
        (b'{"type": "info", "payload_length": "many"}\n', "broken payload_length"),
        (b'{"data": {}}\n', "without a type"),
        (b"[1, 2]\n", "without a type"),
        (b"\xff\xfe\n", "not a Wyoming event"),
        (b"x" * 70_000, "header longer than"),
    ],
)
def test_a_broken_or_oversized_event_is_refused_at_once(sent: bytes, said: str) -> None:
    buffer = EventBuffer(Limits(header=65536, data=1_000_000, payload=5_000_000))
    buffer.feed(sent)
    with pytest.raises(ProtocolError, match=said):
        buffer.next_event()


@pytest.mark.parametrize(
    ("uri", "host", "port"),
    [
        ("tcp://127.0.0.1:10300", "127.0.0.1", 10300),
        ("wyoming://kitchen.local:10700/", "kitchen.local", 10700),
        ("tcp://[::1]:10200", "::1", 10200),
    ],
)
def test_addresses_read(uri: str, host: str, port: int) -> None:
    endpoint = parse_endpoint(uri)
    assert (endpoint.host, endpoint.port) == (host, port)
    assert parse_endpoint(endpoint.uri) == endpoint


@pytest.mark.parametrize(
    "uri", ["tcp://host", "unix:///tmp/x", "tcp://host:0", "tcp://host:70000", "host:10300"]
)
def test_bad_addresses_say_how_to_write_one(uri: str) -> None:
    with pytest.raises(WyomingError, match="tcp://127.0.0.1:10300"):
        parse_endpoint(uri)
