"""The local API's wire format: one JSON object per line, both ways.

Requests (an optional ``"id"`` is echoed back in the response):

- ``{"op": "ask", "text": "...", "session": "..."}`` -> ``{"ok": true, "turn": {...}}``
  where ``turn`` is ``TurnResult.to_json()``.
- ``{"op": "say", "text": "..."}`` -> ``{"ok": true}``
- ``{"op": "status"}`` -> ``{"ok": true, "status": {...}}``
- ``{"op": "events"}`` -> ``{"ok": true, "subscribed": true}``, then every event as
  its envelope ``{"type": ..., "data": {...}}`` (audio chunks excluded) until the
  client disconnects. Requests may still be sent on that connection.
- ``{"op": "ping"}`` -> ``{"ok": true, "pong": true}``
- ``{"op": "end_session", "session": "..."}`` -> ``{"ok": true}``: forget that
  conversation (pending question, last request). ``assistant ask`` and ``chat`` use a
  session of their own and end it when they are done, as their own process would.

Any failure -> ``{"ok": false, "error": "..."}``; the connection stays usable.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # only for the service's type: a client needs neither
    from assistant.bus import EventBus
    from assistant.turn import TurnResult

MAX_LINE_BYTES = 1_000_000
"""A request longer than this closes the connection: nobody types a megabyte."""
MAX_TEXT_CHARS = 10_000
OPS = ("ask", "say", "status", "events", "ping", "end_session")


class AssistantService(Protocol):
    """What the API server needs from the assistant (``assistant.core.Assistant`` fits)."""

    bus: EventBus

    def handle_text(self, text: str, session_id: str | None = None) -> TurnResult: ...

    def speak(self, text: str) -> None: ...

    def end_session(self, session_id: str) -> None: ...


class ApiError(Exception):
    """The API cannot start or a request failed; the message says what to do."""


def encode(message: dict[str, Any]) -> bytes:
    """One message as one line of UTF-8 JSON (text that is not valid Unicode, such as a lone
    surrogate from a badly decoded terminal, travels as a JSON escape instead of failing)."""
    return (json.dumps(message, ensure_ascii=False, default=str) + "\n").encode("utf-8", "backslashreplace")


def decode(line: bytes) -> dict[str, Any]:
    """One line to a message; raises ApiError with a reason to send back."""
    try:
        message = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError("The request is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise ApiError(f"The request is not valid JSON: {error.msg} at column {error.colno}.") from None
    if not isinstance(message, dict):
        raise ApiError('The request must be a JSON object like {"op": "ask", "text": "..."}.')
    return message


def session_field(message: dict[str, Any]) -> str | None:
    """The optional ``"session"``: None means the assistant's default conversation."""
    session = message.get("session")
    if session is not None and not isinstance(session, str):
        raise ApiError('"session" must be a string.')
    return session


def text_field(message: dict[str, Any]) -> str:
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(f'"{message.get("op")}" needs a non-empty "text" string.')
    if len(text) > MAX_TEXT_CHARS:
        raise ApiError(f'"text" is longer than {MAX_TEXT_CHARS} characters.')
    return text.strip()
