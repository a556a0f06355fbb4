"""Which hypothesis of an utterance wins: the audio decides first, then the understanding stage.

Every hypothesis (Whisper's open decoding, its decoding with the assistant's vocabulary as a
prompt, the grammar pass's result) gets the same acoustic score (see whisper_decoder.score).
Only hypotheses close to the best open one are *eligible*: at most a quarter of its words
changed (one at least), and the audio not against the change by more than MAX_COST_PER_EDIT
per changed word; or the audio supports it better than the open one, with no fewer words. So a
prompt or a grammar may fix a near-miss ("add" heard as "and", "desk lamp" as "best lamp"), or
a worse open guess ("coleman" for "call mom"), never replace what was said ("add the report to
my list" for "add bread to my shopping list" changes half the words). Among the eligible ones a
reading the understanding stage matches exactly (a template) beats the others, and among those
about as confident the audio decides; when none is exact, the open decoding stays (biasing
never changes free speech).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

MAX_EDIT_SHARE = 0.25
CONFIDENCE_MARGIN = 0.05
"""Understanding confidences closer than this are a tie, broken by the audio."""
MAX_COST_PER_EDIT = 6.0
"""Total log probability (nats) an eligible hypothesis may lose to the best open one per changed
word. Measured on synthesized requests (benchmarks/spoken_requests.py): tiny.en hears a Piper
"add" at the start as "and" with ~5.7 nats to spare; unrelated words cost 8-20 each."""


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


@runtime_checkable
class Understander(Protocol):
    """A judge that also knows the words requests start with (for first-word repairs)."""

    def __call__(self, text: str) -> Reading | None: ...

    def request_starts(self) -> list[str]: ...


@dataclass(frozen=True)
class Candidate:
    """A hypothesis in the recognizers' text form with its acoustic score."""

    text: str
    score: float
    """Mean log probability per token."""
    source: str
    """open, prompted, grammar."""
    total: float = 0.0
    """Total log probability."""


@dataclass(frozen=True)
class Verdict:
    chosen: Candidate
    eligible: list[Candidate]
    reading: Reading | None


def word_edits(first: str, second: str) -> int:
    """Word-level Levenshtein distance."""
    a, b = first.split(), second.split()
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1]


def close_to(candidate: Candidate, best: Candidate) -> bool:
    if candidate.text == best.text:
        return True
    # The audio supports it better than the open decoding, with no fewer words (dropping words
    # always raises the total): Whisper's open guess was the worse hearing ("coleman" for the
    # prompted "call mom", "12th time 7" for "12 times seven"), however many words differ.
    if candidate.total >= best.total and len(candidate.text.split()) >= len(best.text.split()):
        return True
    edits = word_edits(candidate.text, best.text)
    allowed = max(1, int(MAX_EDIT_SHARE * len(best.text.split())))
    return edits <= allowed and best.total - candidate.total <= MAX_COST_PER_EDIT * edits


def arbitrate(candidates: list[Candidate], judge: Judge | None) -> Verdict | None:
    """The winner among ``candidates`` (None when there are none with text)."""
    with_text = [candidate for candidate in candidates if candidate.text]
    if not with_text:
        return None
    open_ones = [candidate for candidate in with_text if candidate.source == "open"] or with_text
    best = max(open_ones, key=lambda candidate: candidate.total)
    eligible = [best] + [c for c in with_text if c.text != best.text and close_to(c, best)]
    distinct = list({candidate.text: candidate for candidate in reversed(eligible)}.values())[::-1]
    if judge is None or len(distinct) == 1:
        return Verdict(distinct[0], distinct, judge(distinct[0].text) if judge else None)
    readings = [(candidate, judge(candidate.text)) for candidate in distinct]
    # only an exact template match may change words; the model's guesses read almost anything
    # as something ("a computed the totals by hand")
    understood = [item for item in readings if item[1] is not None and item[1].exact]
    pool = understood or readings
    top = max(_confidence(reading) for _candidate, reading in pool)
    # Confidences a hair apart say nothing ("convert i km to miles" 0.9684 against "convert 5 km
    # to miles" 0.9683): among readings about as confident, the audio decides. Free speech nobody
    # understands keeps Whisper's open words: a prompt or grammar may only change what was heard
    # toward a request ("grew wild" stays, not "grew while").
    close = [item for item in pool if _confidence(item[1]) >= top - CONFIDENCE_MARGIN]
    chosen, reading = max(close, key=lambda item: (item[0] is best, item[0].total))
    return Verdict(chosen, distinct, reading)


def _confidence(reading: Reading | None) -> float:
    return reading.confidence if reading is not None else 0.0
