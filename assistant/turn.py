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


class TurnSource(StrEnum):
    """Which part understood a request."""

    NONE = ""
    RULES = "rules"
    """A sentence template matched exactly."""
    MODEL = "model"
    FUZZY = "fuzzy"
    """A template matched with a slot value close to a known name."""
    ASR_ALTERNATIVE = "asr-alternative"
    """A template matched the recognizer's next guess."""
    DIALOGUE = "dialogue"
    ALIAS = "alias"
    REWRITE = "rewrite"
    SUGGESTION = "suggestion"

    @classmethod
    def read(cls, stored: object) -> TurnSource:
        """A stored value back (NONE for one this version does not know)."""
        return cls(str(stored)) if stored in set(cls) else cls.NONE


class DefectSignal(StrEnum):
    """A reaction that says a turn did not give the user what they wanted."""

    CANCELLED = "cancelled"
    NEGATED = "negated"
    CORRECTED = "corrected"
    BARGE_IN = "barge_in"
    REPHRASED = "rephrased"


class TurnRole(StrEnum):
    """What a turn was in the conversation; only a REQUEST can be a rephrase or be rephrased."""

    REQUEST = "request"
    ANSWER = "answer"
    """The answer to a question the assistant asked (a slot, "are you sure?", an offer)."""
    CORRECTION = "correction"
    """ "no, ten minutes", "no, that's wrong": a fix of the last request, not a new wording of it."""
    CANCEL = "cancel"
    """ "cancel", "stop", "undo that"."""
    FOLLOW_ON = "follow_on"
    """Builds on the last request: "again", "and one for twenty minutes", "turn it off"."""
    CONVERSATION = "conversation"
    """ "say that again": about the talk itself."""


class RewriteCount(StrEnum):
    WIN = "win"
    LOSS = "loss"


@dataclass
class AsrEvidence:
    """What the recognizer said about a spoken turn beyond its best words."""

    confidence: float | None = None
    alternatives: list[str] = field(default_factory=list)
    """Its next-best transcripts (at most three)."""


@dataclass
class TurnFeedback:
    """What is known about a turn beyond its reply: the recognizer's evidence, the user's
    reactions (a later "no", a rephrase, talking over the reply) and what learning did.

    Stored as one JSON object with the keys of its fields (``asr_confidence`` and
    ``asr_alternatives`` for the evidence), only those set, so older rows read back."""

    asr: AsrEvidence | None = None
    wake_score: float | None = None
    signals: set[DefectSignal] = field(default_factory=set)
    rephrase_of: int | None = None
    """The earlier turn this one said again differently (its row id)."""
    rephrase_of_text: str | None = None
    rephrase_likeness: float | None = None
    rephrase_template: str | None = None
    """This turn's words as the template learned from the rephrase (``rephrase_of_text``
    is the repaired request's template): "set a timer for {minutes} minutes"."""
    rewrite_id: int | None = None
    """The learned rewrite applied in this turn."""
    rewrite_counted: RewriteCount | None = None
    result_data: dict[str, Any] | None = None
    """What the action returned (ids of what it changed, for undo and tests)."""

    @property
    def alternatives(self) -> list[str]:
        return self.asr.alternatives if self.asr is not None else []

    @property
    def says_defect(self) -> bool:
        return bool(self.signals)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.asr is not None:
            data["asr_confidence"] = self.asr.confidence
            data["asr_alternatives"] = self.asr.alternatives
        data.update({signal.value: True for signal in sorted(self.signals)})
        for name in _OPTIONAL_FEEDBACK:
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.rewrite_counted is not None:
            data["rewrite_counted"] = self.rewrite_counted.value
        return data

    @classmethod
    def from_json(cls, data: Any) -> TurnFeedback:
        """Read a stored object back; unknown keys and values of the wrong kind are dropped."""
        if not isinstance(data, dict):
            return cls()
        feedback = cls(signals={s for s in DefectSignal if data.get(s.value) is True})
        if "asr_confidence" in data or "asr_alternatives" in data:
            confidence = data.get("asr_confidence")
            alternatives = data.get("asr_alternatives")
            feedback.asr = AsrEvidence(
                float(confidence) if isinstance(confidence, (int, float)) else None,
                [str(a) for a in alternatives] if isinstance(alternatives, list) else [],
            )
        for name, kinds in _OPTIONAL_FEEDBACK.items():
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, kinds):
                continue
            if float in kinds and isinstance(value, int | float):
                value = float(value)
            setattr(feedback, name, value)
        counted = data.get("rewrite_counted")
        if counted in set(RewriteCount):
            feedback.rewrite_counted = RewriteCount(counted)
        return feedback


_OPTIONAL_FEEDBACK: dict[str, tuple[type, ...]] = {
    "wake_score": (int, float),
    "rephrase_of": (int,),
    "rephrase_of_text": (str,),
    "rephrase_likeness": (int, float),
    "rephrase_template": (str,),
    "rewrite_id": (int,),
    "result_data": (dict,),
}
"""Feedback fields stored as they are, and the kinds a stored value may have
(``asr``, ``signals`` and ``rewrite_counted`` are read and written on their own)."""


@dataclass
class TurnResult:
    """The outcome of one request, typed or spoken."""

    text: str
    """What the user said (after recognition), before rewrites."""
    reply: str = ""
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    source: TurnSource = TurnSource.NONE
    actions: list[ActionRecord] = field(default_factory=list)
    trace: TurnTrace = field(default_factory=TurnTrace)
    outcome: TurnOutcome = TurnOutcome.UNKNOWN
    failure_stage: FailureStage | None = None
    expects_answer: bool = False
    """The reply is a question; listen for the answer without the wake word."""
    expects_code: bool = False
    """The question asks for a code: show and keep the next answer masked (``dialogue.codes``)."""
    feedback: TurnFeedback = field(default_factory=TurnFeedback)
    notices: list[str] = field(default_factory=list)
    """Extra remarks shown (and spoken) after the reply: suggestions, hunches."""
    turn_id: int | None = None
    """Row id in the history table once stored."""
    rewritten: str | None = None
    """The text actually understood, when a rewrite or alias changed it."""
    started_at: float = field(default_factory=time.time)
    session_id: str = ""
    role: TurnRole = TurnRole.REQUEST
    learned_rewrite: str | None = None
    """The request as a learned rewrite or a taught alias reworded it (also in ``rewritten``)."""
    learned_from: str | None = None
    """Which learned thing reworded it: the rewrite's or the alias's phrasing (a template)."""
    resolved_reference: str | None = None
    """The request with "it", "that" or "another one" resolved (also in ``rewritten``)."""

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
            "expects_code": self.expects_code,
            "notices": self.notices,
            "rewritten": self.rewritten,
            "learned_rewrite": self.learned_rewrite,
            "learned_from": self.learned_from,
            "resolved_reference": self.resolved_reference,
            "role": self.role,
            "feedback": self.feedback.to_json(),
            "turn_id": self.turn_id,
            "timings": self.trace.timings(),
            "trace": self.trace.to_list(),
        }
