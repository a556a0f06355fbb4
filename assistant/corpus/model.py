"""What a conversation corpus file holds, as types: files, conversations, turns, expectations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_START = datetime(2025, 3, 3, 10, 0)
"""Where the fake clock starts when a conversation gives no ``at``: a Monday, 10:00 local."""
SECONDS_PER_TURN = 2.0
"""How far the fake clock moves after each request, as a person takes a breath."""


@dataclass
class Effect:
    """The database after a turn: only what is given is checked."""

    timers: int | None = None
    """Active timers (not yet due)."""
    alarms: int | None = None
    reminders: int | None = None
    lists: dict[str, list[str]] = field(default_factory=dict)
    """A list's items exactly, in any order (case-insensitive)."""
    preferences: dict[str, str | None] = field(default_factory=dict)
    """A preference's value (case-insensitive); None: the preference is not set."""

    def is_empty(self) -> bool:
        return (
            self.timers is None
            and self.alarms is None
            and self.reminders is None
            and not self.lists
            and not self.preferences
        )


@dataclass
class Expectation:
    """What must hold after one request; a field left at its default is not checked."""

    check_intent: bool = False
    """Whether ``intent`` was given (``intent: null`` expects no intent at all)."""
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    """Slot -> value as resolved or as said; a list gives alternatives."""
    reply: list[str] = field(default_factory=list)
    """Each must appear in the reply (case-insensitive)."""
    not_in_reply: list[str] = field(default_factory=list)
    asks: bool | None = None
    """True: the reply is a question waiting for an answer."""
    outcome: str | None = None
    """success, failure or unknown."""
    effect: Effect = field(default_factory=Effect)


@dataclass
class Turn:
    """One step of a conversation: a request (``say``) or time passing (``wait``)."""

    number: int
    """1-based position in the conversation's ``turns`` (``given`` turns count from 1 too)."""
    say: str | None = None
    wait_seconds: float = 0.0
    expect: Expectation = field(default_factory=Expectation)


@dataclass
class Conversation:
    """Requests in one session, from a fresh home and a fake clock."""

    name: str
    file: Path
    skill: str
    start: datetime = DEFAULT_START
    given: list[Turn] = field(default_factory=list)
    """Run first to set the scene; not scored."""
    turns: list[Turn] = field(default_factory=list)

    def scored(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.say is not None]


@dataclass
class SentenceTest:
    """Home Assistant's single-sentence form: one sentence, one expected intent."""

    sentence: str
    file: Path
    skill: str
    number: int
    """1-based position of its case in ``tests:``."""
    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass
class CorpusFile:
    """One YAML file of the corpus."""

    path: Path
    skill: str
    """The name the report groups this file under (``skill:``, else the file's stem)."""
    language: str = "en"
    conversations: list[Conversation] = field(default_factory=list)
    sentence_tests: list[SentenceTest] = field(default_factory=list)
