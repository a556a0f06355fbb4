"""One turn of conversation: what was said, what each stage did, what came back.

``TurnResult`` is what ``assistant ask/chat/listen --json`` print, what the UI
shows in History and what the learning code reads.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class TurnOutcome(StrEnum):
    """How a turn ended (equal to its plain string, so JSON and stored rows are unchanged)."""

    SUCCESS = "success"
    FAILURE = "failure"
    UNKNOWN = "unknown"
    """Neither: a question asked, a cancel, a repeat."""


class FailureStage(StrEnum):
    """The first stage that failed in a failed turn."""

    FALSE_WAKE = "false_wake"
    RECOGNITION = "recognition"
    UNDERSTANDING = "understanding"
    RESOLUTION = "resolution"
    """Understood, but what it names was not found ("the pasta timer")."""
    RESULT = "result"
    """Understood and found, but the action failed."""


@dataclass
class StageRecord:
    """What one stage took, gave, how sure it was, and how long it took."""

    stage: str
    """wake, vad, asr, rewrite, alias, nlu, slots, dialogue, action, tts."""
    input: Any = None
    output: Any = None
    confidence: float | None = None
    started_at: float = 0.0
    """Unix time when the stage began."""
    ms: float = 0.0
    ok: bool = True
    error: str | None = None


@dataclass
class TurnTrace:
    """Every stage of a turn, in order."""

    stages: list[StageRecord] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str, input: Any = None) -> Iterator[StageRecord]:
        """Time a stage; the caller fills ``output``/``confidence``/``ok``."""
        record = StageRecord(stage=name, input=input, started_at=time.time())
        began = time.perf_counter()
        try:
            yield record
        finally:
            record.ms = round((time.perf_counter() - began) * 1000, 3)
            self.stages.append(record)

    def add(self, record: StageRecord) -> None:
        self.stages.append(record)

    def find(self, name: str) -> StageRecord | None:
        for record in self.stages:
            if record.stage == name:
                return record
        return None

    def timings(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for record in self.stages:
            result[record.stage] = round(result.get(record.stage, 0.0) + record.ms, 3)
        return result

    def to_list(self) -> list[dict[str, Any]]:
        return [asdict(record) for record in self.stages]

    @classmethod
    def from_list(cls, items: list[dict[str, Any]]) -> TurnTrace:
        return cls([StageRecord(**item) for item in items])


@dataclass
class ActionRecord:
    """One action the turn carried out."""

    name: str
    """Intent or device action name, e.g. ``timer.set`` or ``HassTurnOn``."""
    args: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    error: str | None = None


@dataclass
class TurnResult:
    """The outcome of one request, typed or spoken."""

    text: str
    """What the user said (after recognition), before rewrites."""
    reply: str = ""
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    source: str = ""
    """Which part understood it: rules, model, fuzzy, command, alias, rewrite, dialogue."""
    actions: list[ActionRecord] = field(default_factory=list)
    trace: TurnTrace = field(default_factory=TurnTrace)
    outcome: TurnOutcome = TurnOutcome.UNKNOWN
    failure_stage: FailureStage | None = None
    expects_answer: bool = False
    """The reply is a question; listen for the answer without the wake word."""
    feedback: dict[str, Any] = field(default_factory=dict)
    """Implicit feedback signals: barge_in, cancelled, negated, rephrase_of, ..."""
    notices: list[str] = field(default_factory=list)
    """Extra remarks shown (and spoken) after the reply: suggestions, hunches."""
    turn_id: int | None = None
    """Row id in the history table once stored."""
    rewritten: str | None = None
    """The text actually understood, when a rewrite or alias changed it."""
    started_at: float = field(default_factory=time.time)
    session_id: str = ""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of PRODUCT.md section 7."""
        return {
            "text": self.text,
            "intent": self.intent,
            "slots": self.slots,
            "confidence": round(self.confidence, 4),
            "source": self.source,
            "reply": self.reply,
            "actions": [asdict(action) for action in self.actions],
            "outcome": self.outcome,
            "failure_stage": self.failure_stage,
            "expects_answer": self.expects_answer,
            "notices": self.notices,
            "rewritten": self.rewritten,
            "feedback": self.feedback,
            "turn_id": self.turn_id,
            "timings": self.trace.timings(),
            "trace": self.trace.to_list(),
        }
