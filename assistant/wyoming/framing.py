"""Reading and writing Wyoming events with limits.

An event is one JSON line (``type``, ``data``, ``data_length``, ``payload_length``),
then that many bytes of extra JSON data, then the payload. The ``wyoming`` library
believes any length a peer announces; a broken or hostile peer could make us wait for,
or allocate, gigabytes. Here every part has a ceiling and breaking it is a ProtocolError.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from wyoming.event import Event

from assistant.wyoming.endpoint import WyomingError

__version_sent__ = "1.10.2"


class ProtocolError(WyomingError):
    """The peer sent something that is not a Wyoming event, or one beyond our limits."""


@dataclass(frozen=True)
class Limits:
    """The largest parts of one event we accept."""

    header: int = 64 * 1024
    data: int = 1024 * 1024
    payload: int = 4 * 1024 * 1024
    """4 MiB is two minutes of 16 kHz audio; real peers send chunks of about 2 KiB."""


LIMITS = Limits()


def encode_event(event: Event) -> bytes:
    """The bytes of one event (header line, data, payload)."""
    header: dict[str, Any] = {"type": event.type, "version": __version_sent__}
    data = json.dumps(event.data, ensure_ascii=False).encode("utf-8") if event.data else b""
    if data:
        header["data_length"] = len(data)
    if event.payload:
        header["payload_length"] = len(event.payload)
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + data + (event.payload or b"")


def parse_header(line: bytes, limits: Limits = LIMITS) -> tuple[dict[str, Any], int, int]:
    """The header's fields, data length and payload length; raises ProtocolError."""
    try:
        header = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"The peer sent something that is not a Wyoming event ({error}).") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise ProtocolError("The peer sent an event without a type.")
    lengths = []
    for name, ceiling in (("data_length", limits.data), ("payload_length", limits.payload)):
        value = header.get(name) or 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProtocolError(f"The peer sent an event with a broken {name} ({value!r}).")
        if value > ceiling:
            raise ProtocolError(
                f"The peer announced {value} bytes of {name.split('_')[0]} (the limit is {ceiling}); "
                "it is not speaking the Wyoming protocol as expected."
            )
        lengths.append(value)
    return header, lengths[0], lengths[1]


def build_event(header: dict[str, Any], data: bytes, payload: bytes) -> Event:
    """The Event from its parts; data sent after the header is merged into the header's data."""
    fields = header.get("data") or {}
    if not isinstance(fields, dict):
        raise ProtocolError("The peer sent an event whose data is not an object.")
    if data:
        try:
            extra = json.loads(data)
        except (ValueError, RecursionError, UnicodeDecodeError) as error:
            raise ProtocolError(f"The peer sent event data that is not JSON ({error}).") from None
        if not isinstance(extra, dict):
            raise ProtocolError("The peer sent event data that is not an object.")
        fields = {**fields, **extra}
    return Event(type=header["type"], data=fields, payload=payload or None)


class EventBuffer:
    """Bytes from a socket in, whole events out (for the blocking client)."""

    def __init__(self, limits: Limits = LIMITS) -> None:
        self.limits = limits
        self._bytes = bytearray()

    def feed(self, data: bytes) -> None:
        self._bytes.extend(data)

    def next_event(self) -> Event | None:
        """The next whole event, or None until more bytes arrive; raises ProtocolError."""
        end = self._bytes.find(b"\n")
        if end < 0:
            if len(self._bytes) > self.limits.header:
                raise ProtocolError(f"The peer sent a header longer than {self.limits.header} bytes.")
            return None
        if end > self.limits.header:
            raise ProtocolError(f"The peer sent a header longer than {self.limits.header} bytes.")
        header, data_length, payload_length = parse_header(bytes(self._bytes[:end]), self.limits)
        start = end + 1
        if len(self._bytes) < start + data_length + payload_length:
            return None
        data = bytes(self._bytes[start : start + data_length])
        payload = bytes(self._bytes[start + data_length : start + data_length + payload_length])
        del self._bytes[: start + data_length + payload_length]
        return build_event(header, data, payload)


async def async_read_event(reader: asyncio.StreamReader, limits: Limits = LIMITS) -> Event | None:
    """The next event from an asyncio stream, None when the peer closed; raises ProtocolError.

    The stream's own ``limit`` should be ``limits.header`` so a line without an end is refused."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as error:
        if error.partial.strip():
            raise ProtocolError("The peer closed the connection in the middle of an event.") from None
        return None
    except asyncio.LimitOverrunError:
        raise ProtocolError(f"The peer sent a header longer than {limits.header} bytes.") from None
    header, data_length, payload_length = parse_header(line, limits)
    try:
        data = await reader.readexactly(data_length) if data_length else b""
        payload = await reader.readexactly(payload_length) if payload_length else b""
    except asyncio.IncompleteReadError:
        raise ProtocolError("The peer closed the connection in the middle of an event.") from None
    return build_event(header, data, payload)
