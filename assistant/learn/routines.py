"""Inferred routines: actions the user does together, in the same order, on several days.

"You often set the lamp to full and start a 25-minute timer together. Want
me to make that a routine?" A sequence qualifies when its steps followed one
another within a few minutes on at least ``min_days`` different days. It is
offered once; a decline is remembered and never asked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.learn.actions import ActionEvent, consecutive_pairs, day_of, usual_text

WINDOW_SECONDS = 5 * 60
"""Steps of a routine follow one another within this long."""
MIN_DAYS = 3


@dataclass
class RoutineCandidate:
    """A sequence of actions done together on several days."""

    keys: list[str]
    texts: list[str]
    """The user's own words for each step, used as the routine's steps."""
    days: int
    times: int
    last_at: float = 0.0
    intents: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return " -> ".join(self.keys)

    def describe(self) -> str:
        """ "set the lamp to full and start a 25 minute timer"."""
        if len(self.texts) <= 2:
            return " and ".join(self.texts)
        return ", ".join(self.texts[:-1]) + " and " + self.texts[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "steps": self.texts,
            "intents": self.intents,
            "days": self.days,
            "times": self.times,
            "last_at": self.last_at,
        }


def _chains(events: list[ActionEvent], window: float, length: int) -> list[list[ActionEvent]]:
    """Runs of ``length`` consecutive actions, each within ``window`` of the one before."""
    runs = []
    for start in range(len(events) - length + 1):
        run = events[start : start + length]
        if all(b.at - a.at <= window and a.key != b.key for a, b in zip(run, run[1:], strict=False)):
            if len({event.key for event in run}) == length:
                runs.append(run)
    return runs


def find_routines(
    events: list[ActionEvent], window_seconds: float = WINDOW_SECONDS, min_days: int = MIN_DAYS
) -> list[RoutineCandidate]:
    """Sequences of two or three actions done together on ``min_days`` days; longest first."""
    found: list[RoutineCandidate] = []
    covered: set[tuple[str, ...]] = set()
    for length in (3, 2):
        runs = (
            _chains(events, window_seconds, length)
            if length == 3
            else [list(pair) for pair in consecutive_pairs(events, window_seconds)]
        )
        by_keys: dict[tuple[str, ...], list[list[ActionEvent]]] = {}
        for run in runs:
            by_keys.setdefault(tuple(event.key for event in run), []).append(run)
        for keys, occurrences in by_keys.items():
            days = {day_of(run[0].at) for run in occurrences}
            if len(days) < min_days or any(_inside(keys, longer) for longer in covered):
                continue
            texts = [usual_text(events, key) for key in keys]
            if any(text is None for text in texts):
                continue  # a step only ever came as the answer to a question: no words to replay
            covered.add(keys)
            found.append(
                RoutineCandidate(
                    keys=list(keys),
                    texts=[text for text in texts if text],
                    days=len(days),
                    times=len(occurrences),
                    last_at=occurrences[-1][-1].at,
                    intents=[run_event.intent for run_event in occurrences[0]],
                )
            )
    found.sort(key=lambda routine: (-len(routine.keys), -routine.days))
    return found


def _inside(keys: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    return any(longer[i : i + len(keys)] == keys for i in range(len(longer) - len(keys) + 1))


def routine_just_done(
    events: list[ActionEvent], candidates: list[RoutineCandidate], window_seconds: float = WINDOW_SECONDS
) -> RoutineCandidate | None:
    """The candidate whose last step is the latest action and whose earlier steps just preceded it."""
    for candidate in candidates:
        size = len(candidate.keys)
        recent = events[-size:]
        if len(recent) < size or [event.key for event in recent] != candidate.keys:
            continue
        if all(b.at - a.at <= window_seconds for a, b in zip(recent, recent[1:], strict=False)):
            return candidate
    return None


def routine_name(answer: str) -> str:
    """The name in "call it focus time" / "yes, focus time" / "focus time"."""
    words = " ".join(answer.replace(",", " ").split()).strip(".!?\u201c\u201d\"'").lower()
    for prefix in ("yes please ", "yes ", "yeah ", "sure ", "ok ", "okay ", "please "):
        if words.startswith(prefix):
            words = words[len(prefix) :]
    for prefix in ("call it ", "name it ", "let's call it ", "lets call it ", "it's called ", "call that "):
        if words.startswith(prefix):
            words = words[len(prefix) :]
    return words.strip(" ,\u201c\u201d\"'")
