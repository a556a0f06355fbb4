"""Choosing between a grammar-biased result and open dictation.

Engines decode each request twice: once constrained to the known phrases (cheap,
and it corrects near-misses like "i'm on the desk while" -> "turn on the desk
lamp") and once with the open language model (so free text still works). The
grammar result is trusted only when it is a complete known phrase and the open
decoding heard mostly the same words; otherwise the grammar forced unrelated
speech onto a command, and the open result wins. Measured in
benchmarks/speech.py ("biasing" section).
"""

from __future__ import annotations

import dataclasses

from assistant.asr.base import normalize_words
from assistant.events import Transcript

MIN_AGREEMENT = 0.5
"""Share of the grammar result's words that the open decoding must also have heard."""


def agreement(biased: str, open_text: str) -> float:
    """Share of ``biased`` words found (as a multiset) in ``open_text``."""
    wanted = normalize_words(biased)
    if not wanted:
        return 0.0
    heard = normalize_words(open_text)
    found = 0
    for word in wanted:
        if word in heard:
            heard.remove(word)
            found += 1
    return found / len(wanted)


def choose(biased: Transcript | None, open_result: Transcript, phrases: set[str]) -> Transcript:
    """The transcript to report, with the other hypothesis kept as an alternative."""
    if biased is None or not biased.text:
        return open_result
    complete = biased.text in phrases
    if complete and agreement(biased.text, open_result.text) >= MIN_AGREEMENT:
        chosen, other = biased, open_result
    else:
        chosen, other = open_result, biased
    alternatives = [text for text in [other.text, *chosen.alternatives, *other.alternatives] if text]
    kept = [text for text in dict.fromkeys(alternatives) if text != chosen.text][:5]
    return dataclasses.replace(chosen, alternatives=kept)
