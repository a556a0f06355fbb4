"""The verdicts of a corpus run and their summary: per turn, per skill, overall."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.wording import count


@dataclass
class TurnVerdict:
    """One scored request: a conversation's ``say`` turn or one sentence of ``tests:``."""

    file: Path
    skill: str
    conversation: str | None
    """The conversation's name; None for a sentence of ``tests:``."""
    number: int
    """Turn number in the conversation, or the case number in ``tests:``."""
    said: str
    reply: str = ""
    intent: str | None = None
    reasons: list[str] = field(default_factory=list)
    """What differed from the expectations, and what is wrong with the reply; empty: right."""

    @property
    def passed(self) -> bool:
        return not self.reasons

    def line(self) -> str:
        """One line: pass/FAIL, where, what was said, what came back, what differed."""
        status = "pass" if self.passed else "FAIL"
        why = "" if self.passed else ": " + "; ".join(self.reasons)
        if self.conversation is None:
            return f"{status}  {self.said}{why}  ({self.file.name} test {self.number}, intent {self.intent})"
        return (
            f"{status}  {self.file.name}: {self.conversation} #{self.number}: \u201c{self.said}\u201d -> "
            f"\u201c{self.reply}\u201d{why}"
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["file"] = str(self.file)
        data["passed"] = self.passed
        return data


@dataclass
class Score:
    right: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        return self.right / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total, "percent": round(100 * self.fraction, 1)}


@dataclass
class Report:
    """Everything one run found."""

    verdicts: list[TurnVerdict] = field(default_factory=list)
    conversations: int = 0
    seconds: float = 0.0

    def failures(self) -> list[TurnVerdict]:
        return [verdict for verdict in self.verdicts if not verdict.passed]

    def by_skill(self) -> dict[str, Score]:
        scores: dict[str, Score] = {}
        for verdict in self.verdicts:
            score = scores.setdefault(verdict.skill, Score())
            score.total += 1
            score.right += verdict.passed
        return dict(sorted(scores.items()))

    def overall(self) -> Score:
        return Score(sum(v.passed for v in self.verdicts), len(self.verdicts))

    def summary(self) -> str:
        """A table: skill, right, total, percent; then overall and the time taken."""
        rows = [f"{'skill':24} {'right':>6} {'total':>6} {'percent':>8}"]
        for skill, score in self.by_skill().items():
            rows.append(f"{skill:24} {score.right:6d} {score.total:6d} {100 * score.fraction:7.1f}%")
        overall = self.overall()
        rows.append(f"{'overall':24} {overall.right:6d} {overall.total:6d} {100 * overall.fraction:7.1f}%")
        rows.append(
            f"{overall.right} passed, {overall.total - overall.right} failed "
            f"({count(self.conversations, 'conversation')}, {self.seconds:.1f} s)"
        )
        return "\n".join(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": [verdict.to_dict() for verdict in self.verdicts],
            "skills": {skill: score.to_dict() for skill, score in self.by_skill().items()},
            "overall": self.overall().to_dict(),
            "conversations": self.conversations,
            "seconds": round(self.seconds, 2),
        }
