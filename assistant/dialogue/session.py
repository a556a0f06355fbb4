"""Per-session dialogue state and the questions the assistant is waiting on.

A session lives as long as one conversation (one UI run, one ``chat``,
one ``serve`` client). Nothing here is persisted: what must survive lives in
the database.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.turn import ActionRecord

if TYPE_CHECKING:
    from assistant.turn import TurnResult


@dataclass
class Outcome:
    """What answering a question or running a flow produced."""

    reply: str
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    source: str = "dialogue"
    actions: list[ActionRecord] = field(default_factory=list)
    success: bool | None = True
    """True success, False failure, None unknown (e.g. a question asked)."""
    failure_stage: str | None = None
    entity: str | None = None


AnswerHandler = Callable[[str, "Session"], Outcome]
"""Takes the user's answer; returns the outcome. It may set ``session.pending`` again."""


@dataclass
class PendingQuestion:
    """A question the assistant asked and the code that takes the answer."""

    kind: str
    """slot, confirm, teach, offer, preferences..."""
    prompt: str
    on_answer: AnswerHandler
    intent: str | None = None
    """The intent the question belongs to, so the understanding stage can expect it."""
    asked_at: float = field(default_factory=time.time)
    allow_commands: bool = False
    """When True, an answer that is clearly a new request is handled as one instead."""
    retry: bool = False
    """Asked again because the last answer could not be used ("Say it another way?")."""
    give_up: str = ""
    """What to say when the dialogue stops waiting (too many answers that did not fit, or
    the user moved on); empty: inherited from the question this one follows."""
    misses: int = 0
    """Answers in a row that did not move the conversation on (set by the dialogue)."""
    answers: int = 0
    """Answers already given in this conversation of questions (set by the dialogue)."""


@dataclass
class Session:
    """One conversation's short-term memory."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    pending: PendingQuestion | None = None
    turns: list[TurnResult] = field(default_factory=list)
    """Recent turns, newest last (kept short)."""
    last_intent: str | None = None
    last_slots: dict[str, Any] = field(default_factory=dict)
    last_entity: str | None = None
    last_reply: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    """Scratch space for multi-turn flows (teaching, offers made this session...)."""

    MAX_TURNS = 20

    def remember(self, turn: TurnResult) -> None:
        self.turns.append(turn)
        del self.turns[: -self.MAX_TURNS]
        if turn.reply:
            self.last_reply = turn.reply
        if turn.intent and turn.outcome == "success" and not turn.intent.startswith("dialogue."):
            self.last_intent = turn.intent
            self.last_slots = dict(turn.slots)

    def previous_turn(self) -> TurnResult | None:
        return self.turns[-1] if self.turns else None

    def ask(self, question: PendingQuestion) -> None:
        self.pending = question
