"""Per-session dialogue state: the last request, and the question the assistant waits on.

A session lives as long as one conversation (one UI run, one ``chat``,
one ``serve`` client). Nothing here is persisted: what must survive lives in
the database.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

from assistant.turn import ActionRecord, TurnSource

if TYPE_CHECKING:
    from assistant.turn import TurnResult


@dataclass
class Outcome:
    """What answering a question or running a flow produced."""

    reply: str
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    source: TurnSource = TurnSource.DIALOGUE
    actions: list[ActionRecord] = field(default_factory=list)
    success: bool | None = True
    """True success, False failure, None unknown (e.g. a question asked)."""
    failure_stage: str | None = None
    entity: str | None = None


@dataclass
class Request:
    """A request understood from the user's words, as said and as resolved.

    While a slot is asked for it is the request being completed; once run, the
    dialogue keeps it as ``Session.last_request`` with what the run did, so "cancel
    that", "no, ten minutes" and "and one for twenty minutes" know what they refer to.
    """

    text: str
    """The words the request was understood from (after aliases and corrections)."""
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    """Resolved values, as handlers receive them."""
    raw_slots: dict[str, str] = field(default_factory=dict)
    """Each slot's words as said (a correction swaps these)."""
    source: TurnSource = TurnSource.RULES
    confidence: float = 1.0
    ok: bool = False
    """The run succeeded."""
    result: dict[str, Any] = field(default_factory=dict)
    """The run's ``ActionResult.data``: what an undo or a correction needs."""
    entity: str | None = None
    """The thing acted on (``timer:3``, ``light.desk_lamp``)."""
    entity_name: str | None = None
    """That thing in words, for "it" ("desk lamp", "eggs timer")."""
    undone: bool = False
    """Taken back by "cancel that" or replaced by a correction."""
    at: float = field(default_factory=time.time)
    code: str | None = field(default=None, repr=False)
    """A code said for this request ("disarm the security, code 1234", or the answer to "What's
    the code?"): handed to its handler, never put in the slots, stored or shown."""

    def with_slot(self, slot: str, value: Any) -> Request:
        return replace(self, slots={**self.slots, slot: value})


class Expects(Enum):
    """What kind of answer a question takes; decides whether other words are a new request."""

    YES_NO = "yes_no"
    """Only yes or no: anything else that is a request is handled as one."""
    SLOT = "slot"
    """A value for ``PendingQuestion.slot`` of ``PendingQuestion.request``."""
    FREE = "free"
    """Anything (a name, a step of a command); ``allow_commands`` decides about requests."""


AnswerHandler = Callable[[str, "Session"], Outcome]
"""Takes the user's answer; returns the outcome. It may set ``session.pending`` again."""


@dataclass
class PendingQuestion:
    """A question the assistant asked, and who takes the answer.

    Slot questions and confirmations belong to the dialogue: they carry the ``request``
    being completed and no handler, so the answer runs in the turn that gave it.
    Flows (teaching, offers) pass ``on_answer``.
    """

    kind: str
    """slot, confirm, teach, offer, preferences..."""
    prompt: str
    on_answer: AnswerHandler | None = None
    intent: str | None = None
    """The intent the question belongs to, so the understanding stage can expect it."""
    expects: Expects = Expects.FREE
    request: Request | None = None
    """For slot questions and confirmations: the request waiting for the answer."""
    slot: str | None = None
    """For slot questions: the slot asked for."""
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
    secret: bool = False
    """The answer is a code (an alarm's): it goes to the request's handler only, and the turn,
    its trace, the history, the log and the screen show it masked (``dialogue.codes``)."""


@dataclass
class AppliedRewrite:
    """A learned rewrite used for the request in progress (a win or a loss once it ran)."""

    id: int
    target_text: str
    """The words it made of the request (the target template filled in)."""
    source: str = ""
    """The phrasing it fits, a template: "pop a {minutes} minute timer on"."""
    asked: bool = False
    """The user said yes to "Did you mean ...?": it counts whatever the words."""


@dataclass
class OpenOffer:
    """An offer the learning service made and the user has not answered."""

    kind: str
    """"routine" or "suggestion" (the kinds of the offers table)."""
    key: str


@dataclass
class LearningNotes:
    """What the learning service keeps about one conversation."""

    applied_rewrite: AppliedRewrite | None = None
    suggested: bool = False
    """A follow-up was suggested already (at most one per conversation)."""
    open_offer: OpenOffer | None = None


@dataclass
class Session:
    """One conversation's short-term memory."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    pending: PendingQuestion | None = None
    turns: list[TurnResult] = field(default_factory=list)
    """Recent turns, newest last (kept short)."""
    last_request: Request | None = None
    """The newest request that was run, with what it did."""
    last_change: Request | None = None
    """The newest request that changed something and can be undone ("scratch that" after a
    question that failed still means the timer set before it)."""
    last_reply: str = ""
    learning: LearningNotes = field(default_factory=LearningNotes)
    data: dict[str, Any] = field(default_factory=dict)
    """Scratch space for skills and plug-ins, each under keys of its own."""

    MAX_TURNS = 20

    def remember(self, turn: TurnResult) -> None:
        self.turns.append(turn)
        del self.turns[: -self.MAX_TURNS]
        if turn.reply:
            self.last_reply = turn.reply

    def previous_turn(self) -> TurnResult | None:
        return self.turns[-1] if self.turns else None

    def ask(self, question: PendingQuestion) -> None:
        self.pending = question
