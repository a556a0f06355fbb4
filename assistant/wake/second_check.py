"""A second opinion on a keyword-spotting candidate, from any recognizer.

Keyword spotting accepts a candidate only when the phones heard are within a
phone or two of the phrase's; in noise, or in a voice unlike the acoustic
model's, a real wake phrase often lands far outside (the open decoding's phones
are poor there). Every candidate the phones reject is decoded again by a
recognizer (the dictation engine when there is one) and accepted when its words
hold the phrase. "my computer" is then heard as "my computer" and stays rejected.

Measured (benchmarks/wake.py, "hey computer", 27 trials per SNR): misses at 10 dB
81 % without the check, 70 % asking only candidates up to two phones beyond the
tolerance, 44-52 % asking every candidate; no false wake in the miss streams or in
half an hour of distractor speech, at 6 % of a core while people talk.
"""

from __future__ import annotations

from typing import Protocol

from assistant.asr.base import Recognizer, RecognizerError, normalize_words

DICTATION_ENGINES = ("whisper",)
"""Recognizers whose open decoding is good enough to overrule the phone comparison; pocketsphinx's
own open decoding is what the spotter already compared with, so it adds nothing."""


class CandidateCheck(Protocol):
    """Decides whether a candidate window (16 kHz mono s16le) holds the wake phrase."""

    def confirms(self, phrase: str, pcm: bytes) -> bool: ...


class RecognizerCheck:
    """Any :class:`Recognizer` as the second check: transcribe the window openly, look for the phrase.

    The voice loop waits for the wake word or hears a request, never both, so the
    recognizer that hears requests can serve here too without a second model.
    """

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self.asked = 0
        self.confirmed = 0

    def confirms(self, phrase: str, pcm: bytes) -> bool:
        self.asked += 1
        try:
            heard = normalize_words(self.recognizer.transcribe(pcm, None).text)
        except RecognizerError:
            return False  # no second opinion: the spotter's own verdict (a rejection) stands
        wanted = normalize_words(phrase)
        found = any(heard[i : i + len(wanted)] == wanted for i in range(len(heard) - len(wanted) + 1))
        self.confirmed += found
        return found


def second_check_for(recognizer: Recognizer) -> CandidateCheck | None:
    """The second check the voice loop's recognizer can give, or None (the default hybrid
    recognizer gives its dictation half)."""
    dictation: Recognizer = getattr(recognizer, "dictation", recognizer)
    return RecognizerCheck(dictation) if dictation.engine in DICTATION_ENGINES else None
