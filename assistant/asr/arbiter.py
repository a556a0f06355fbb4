"""Which hypothesis of an utterance wins: the audio decides first, then the understanding stage.

Every hypothesis (Whisper's open decoding, its decoding with the assistant's vocabulary as a
prompt, the grammar pass's result) gets the same acoustic score (see whisper_decoder.score).
Only hypotheses the audio supports about as well as the best open one are *eligible*: a prompt
or a grammar may fix a near-miss ("desk lamp" for "best lamp"), never replace what was clearly
said. Among the eligible ones, a reading the understanding stage is sure of beats one it is
not, so "turn on the best lamp" loses to "turn on the desk lamp" when both sound alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SCORE_MARGIN = 0.15
"""How much lower (mean log probability per token) an eligible hypothesis may score than the
best open one. Measured in benchmarks/speech.py: prompted near-misses of commands score within
~0.1 of the open text; stand-in slot values and unrelated commands score 0.5-3 lower."""


@dataclass(frozen=True)
class Reading:
    """What the understanding stage makes of a hypothesis (without acting on it)."""

    intent: str
    confidence: float
    exact: bool
    """A template matched (not only the learned model's guess)."""
    free_text: bool
    """It fills a slot that takes any words (a list item, a note, a reminder's text)."""


Judge = Callable[[str], "Reading | None"]
"""Text -> its confident reading, None when it means nothing to the assistant."""


@dataclass(frozen=True)
class Candidate:
    """A hypothesis in the recognizers' text form with its acoustic score."""

    text: str
    score: float
    source: str
    """open, prompted, grammar."""


@dataclass(frozen=True)
class Verdict:
    chosen: Candidate
    eligible: list[Candidate]
    reading: Reading | None


def arbitrate(candidates: list[Candidate], judge: Judge | None) -> Verdict | None:
    """The winner among ``candidates`` (None when there are none with text)."""
    with_text = [candidate for candidate in candidates if candidate.text]
    if not with_text:
        return None
    open_scores = [candidate.score for candidate in with_text if candidate.source == "open"]
    best = max(open_scores) if open_scores else max(candidate.score for candidate in with_text)
    eligible = sorted(
        (candidate for candidate in with_text if candidate.score >= best - SCORE_MARGIN),
        key=lambda candidate: -candidate.score,
    )
    distinct = list({candidate.text: candidate for candidate in reversed(eligible)}.values())[::-1]
    if judge is None or len(distinct) == 1:
        return Verdict(distinct[0], distinct, judge(distinct[0].text) if judge else None)
    readings = [(candidate, judge(candidate.text)) for candidate in distinct]

    def rank(item: tuple[Candidate, Reading | None]) -> tuple[int, float, float]:
        candidate, reading = item
        understood = 0 if reading is None else (2 if reading.exact else 1)
        return (understood, reading.confidence if reading else 0.0, candidate.score)

    chosen, reading = max(readings, key=rank)
    return Verdict(chosen, distinct, reading)
