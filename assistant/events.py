"""Typed events passed between the stages of the assistant.

Every stage takes and gives these small dataclasses. They convert to and from
one generic dict envelope (``{"type": ..., "data": {...}}``) only at the
boundaries: the socket API, the JSON output of the CLI and the UI bridge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

_EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    """Base class: a named, serialisable message between stages."""

    type: ClassVar[str] = "event"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _EVENT_TYPES[cls.type] = cls

    def to_dict(self) -> dict[str, Any]:
        """The generic envelope used at boundaries."""
        return {"type": self.type, "data": dataclasses.asdict(self)}

    @staticmethod
    def from_dict(envelope: dict[str, Any]) -> Event:
        """Rebuild an event from its envelope; raises ValueError if unknown."""
        event_type = envelope.get("type")
        cls = _EVENT_TYPES.get(str(event_type))
        if cls is None:
            raise ValueError(f"Unknown event type: {event_type!r}")
        data = envelope.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError(f"The data of a {event_type} event must be an object")
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Event:
        """The event from its envelope's data (unknown keys are ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def is_type(self, event_type: str) -> bool:
        return self.type == event_type


def event_types() -> dict[str, type[Event]]:
    """All registered event classes by type name."""
    return dict(_EVENT_TYPES)


@dataclass(frozen=True)
class AudioChunk(Event):
    """A piece of 16 kHz mono 16-bit audio."""

    type: ClassVar[str] = "audio-chunk"
    audio: bytes = b""
    """Raw little-endian PCM samples."""
    timestamp: float = 0.0
    """Seconds from the start of the stream to the first sample."""
    rate: int = 16000
    """Samples per second."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "data": {"audio": self.audio.hex(), "timestamp": self.timestamp, "rate": self.rate},
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AudioChunk:
        audio = data.get("audio", "")
        return cls(
            bytes.fromhex(audio) if isinstance(audio, str) else bytes(audio),
            float(data.get("timestamp", 0.0)),
            int(data.get("rate", 16000)),
        )


@dataclass(frozen=True)
class WakeDetected(Event):
    """The wake phrase was heard."""

    type: ClassVar[str] = "wake"
    phrase: str = ""
    """The wake phrase that fired."""
    at: float = 0.0
    """Seconds from the start of the stream to the end of the phrase."""
    score: float = 0.0
    """Detector confidence, 0..1 when the engine gives one."""


@dataclass(frozen=True)
class SpeechStarted(Event):
    """The user started speaking after the wake word (or in follow-up)."""

    type: ClassVar[str] = "speech-started"
    at: float = 0.0


@dataclass(frozen=True)
class SpeechEnded(Event):
    """End of the request: silence window reached, maximum length, or timeout."""

    type: ClassVar[str] = "speech-ended"
    at: float = 0.0
    reason: str = "silence"
    """One of: silence, max-length, timeout, end-of-input."""


@dataclass(frozen=True)
class PartialTranscript(Event):
    """Words recognised so far while the user is speaking."""

    type: ClassVar[str] = "partial-transcript"
    text: str = ""


@dataclass(frozen=True)
class WordInfo:
    """One recognised word with its confidence and position in seconds."""

    word: str
    confidence: float = 1.0
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class Transcript(Event):
    """The final recognition result for one request."""

    type: ClassVar[str] = "transcript"
    text: str = ""
    confidence: float = 0.0
    """Mean word confidence, 0..1."""
    engine: str = ""
    """Which recogniser produced it (vosk, pocketsphinx, ...)."""
    words: list[dict[str, Any]] = field(default_factory=list)
    """Per-word details as dicts of WordInfo fields."""
    alternatives: list[str] = field(default_factory=list)
    """Other hypotheses, best first, when the engine gives them."""
    path: str = ""
    """How the words were decided, e.g. "grammar" (the fast pass for a known command) or
    "dictation:open" / "dictation:prompted" / "dictation:grammar" (Whisper and the hypothesis
    that won); empty for engines with one path."""


@dataclass(frozen=True)
class Understood(Event):
    """The reading of a request the dialogue acts on (published before it acts)."""

    type: ClassVar[str] = "intent"
    text: str = ""
    session_id: str = ""
    intent: str | None = None
    """None when the request is out of scope."""
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    source: str = ""
    """rules, model, fuzzy, command, alias, rewrite, dialogue."""


@dataclass(frozen=True)
class NotRecognized(Event):
    """No reading of a request was confident enough to act on."""

    type: ClassVar[str] = "not-recognized"
    text: str = ""
    session_id: str = ""
    confidence: float = 0.0
    """The best guess's confidence."""
    failure_stage: str = "understanding"
    """understanding, or recognition when the words were probably misheard."""


@dataclass(frozen=True)
class ActionDone(Event):
    """One action carried out (or attempted) for a request."""

    type: ClassVar[str] = "action"
    name: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    error: str | None = None
    session_id: str = ""


@dataclass(frozen=True)
class NotHandled(Event):
    """An understood request that could not be done (nothing found, or its action failed)."""

    type: ClassVar[str] = "not-handled"
    intent: str = ""
    reason: str = ""
    """What the user was told."""
    failure_stage: str = "result"
    """resolution (nothing called that) or result (the action failed)."""
    session_id: str = ""


@dataclass(frozen=True)
class Reply(Event):
    """What the assistant answers, shown and spoken."""

    type: ClassVar[str] = "reply"
    text: str = ""
    session_id: str = ""
    expects_answer: bool = False
    """True when the assistant asked a question and listens without wake word."""
    expects_code: bool = False
    """The question asks for a code: whoever shows or keeps the answer masks it."""


@dataclass(frozen=True)
class SpeakingStarted(Event):
    """Speech output began."""

    type: ClassVar[str] = "speaking-started"
    text: str = ""


@dataclass(frozen=True)
class SpeakingStopped(Event):
    """Speech output ended, finished or interrupted (barge-in)."""

    type: ClassVar[str] = "speaking-stopped"
    interrupted: bool = False


@dataclass(frozen=True)
class TimerFired(Event):
    """A timer, alarm or reminder became due."""

    type: ClassVar[str] = "timer-fired"
    timer_id: int = 0
    kind: str = "timer"
    """timer, alarm or reminder."""
    label: str = ""
    message: str = ""
    missed: bool = False
    """It came due while nothing ran; a "While you were away" notice tells of it."""


@dataclass(frozen=True)
class StatusChanged(Event):
    """The voice loop changed state (for the UI's status line)."""

    type: ClassVar[str] = "status"
    state: str = "idle"
    """idle, listening, hearing, thinking, speaking, no-audio."""
    detail: str = ""
    level: float = 0.0
    """Microphone level 0..1 for the meter."""


@dataclass(frozen=True)
class SatelliteChanged(Event):
    """A satellite the assistant serves changed state (for the UI's satellite panel)."""

    type: ClassVar[str] = "satellite"
    uri: str = ""
    """The address in the ``satellites`` setting; it names the satellite until it answers."""
    name: str = ""
    """The satellite's own name, from its info (empty until it answered)."""
    area: str = ""
    """Its room, from its info."""
    state: str = "connecting"
    """connecting, connected (waiting for the wake word), listening (hearing a request),
    thinking, speaking, or unreachable."""
    detail: str = ""
    """Why it is unreachable (the rest of the time, empty)."""
    retry_at: float = 0.0
    """Unix time of the next attempt to reach it, when unreachable."""


@dataclass(frozen=True)
class Notice(Event):
    """Something the user should see that is not a reply (hunch, suggestion, info)."""

    type: ClassVar[str] = "notice"
    text: str = ""
    severity: str = "information"
    """information, warning or error."""


@dataclass(frozen=True)
class Error(Event):
    """A stage failed; the loop goes on."""

    type: ClassVar[str] = "error"
    text: str = ""
    code: str = ""
    stage: str = ""
