"""Whisper decoding of one whole utterance: encode once, decode openly and with a prompt, score.

Whisper's encoder always sees a fixed window (30 s, 3000 feature frames), which costs about
2 s on a busy 2-core machine for a 2 s request. CTranslate2 accepts a shorter window, so the
audio is padded only to ``context_frames(seconds)`` (measured in benchmarks/speech.py: the
same words at a tenth of the cost; much shorter windows start to drop first words).

``score`` is the language-neutral judge between hypotheses: the mean log probability the
model gives a text's tokens for this audio *without* any prompt (CTranslate2's ``align``),
so a biased hypothesis, a grammar result and the open one are compared on the same terms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100
MIN_CONTEXT_SECONDS = 10.0
"""Shortest encoder window. Measured on Piper and eSpeak requests: at 4 s first words go
("ad bread"), at 10 s the transcripts equal the 30 s ones at a quarter of the cost or less."""
MAX_CONTEXT_FRAMES = 3000
PROMPT_TOKENS = 200
"""Whisper takes at most 223 prompt tokens; the most useful words go last (nearest the audio)."""
MAX_NEW_TOKENS = 120
NO_SCORE = -10.0
TOKENS_BASE = 10
TOKENS_PER_SECOND = 8
"""Token cap for an utterance: fast speech is about 4 words, 5-6 tokens a second."""
BEAM_SIZE = 4
"""Beam of the open decoding. Measured on 120 eSpeak requests (benchmarks/spoken_requests.py):
79 % acted on correctly with greedy decoding, 85 % with a beam of 4 for the open decoding
(greedily "remind me to stretch in an hour" was "stretch it on our"); Piper's 60 unchanged at 90 %. It
costs about 36 ms more CPU; the prompted decoding stays greedy (a beam there added ~70 ms to
the reply and nothing right)."""
MIN_REPEAT_WORDS = 3


@dataclass(frozen=True)
class Hypothesis:
    """One decoded or scored text for an utterance."""

    text: str
    """In the recognizers' spoken form (see spoken_form)."""
    score: float
    """Mean log probability of its tokens given the audio, without a prompt (higher is better)."""
    total: float = 0.0
    """The sum of those log probabilities."""
    no_speech: float = 0.0
    """Whisper's probability that the window holds no speech."""
    source: str = "open"
    """open, prompted, or where a scored candidate came from."""
    runaway: bool = False
    """Decoding hit the token cap for the audio's length: Whisper repeating itself ("break
    time break time ..."), which short encoder windows sometimes do."""

    @property
    def confidence(self) -> float:
        return round(min(1.0, max(0.0, math.exp(self.score))), 4)


def context_frames(seconds: float) -> int:
    """Encoder window for an utterance of ``seconds``: at least MIN_CONTEXT_SECONDS, at most 30 s."""
    wanted = max(MIN_CONTEXT_SECONDS, seconds + 1.0) * FRAMES_PER_SECOND
    return int(min(MAX_CONTEXT_FRAMES, wanted))


class EncodedUtterance:
    """The encoder's output for one utterance, decoded and scored as many times as needed."""

    def __init__(self, model: Any, samples: np.ndarray, full_window: bool = False) -> None:
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        self.tokenizer = Tokenizer(
            model.hf_tokenizer,
            model.model.is_multilingual,
            task="transcribe",
            language="en" if model.model.is_multilingual else None,
        )
        seconds = len(samples) / SAMPLE_RATE
        frames = MAX_CONTEXT_FRAMES if full_window else context_frames(seconds)
        self.full_window = frames >= MAX_CONTEXT_FRAMES
        self.max_tokens = int(min(MAX_NEW_TOKENS, TOKENS_BASE + TOKENS_PER_SECOND * seconds))
        # Pad with silent *audio*, not zero features: Whisper's features are normalized against
        # the loudest frame, and zeros there are not silence (the 10 s window lost a third of the words).
        padded = np.zeros(frames * SAMPLE_RATE // FRAMES_PER_SECOND, dtype=np.float32)
        padded[: min(len(samples), len(padded))] = samples[: len(padded)]
        features = model.feature_extractor(padded)[:, :frames]
        self.content_frames = min(int(seconds * FRAMES_PER_SECOND) + 1, frames)
        self.encoded = model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], dtype=np.float32)),
            to_cpu=False,
        )

    def decode(self, prompt: str = "") -> Hypothesis:
        """Greedy decoding, with ``prompt`` as previous text when given."""
        tokens = [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]
        if prompt:
            prompt_tokens = self.tokenizer.encode(" " + prompt.strip())[-PROMPT_TOKENS:]
            tokens = [self.tokenizer.sot_prev, *prompt_tokens, *tokens]
        result = self.model.model.generate(
            self.encoded,
            [tokens],
            beam_size=1 if prompt else BEAM_SIZE,
            max_length=len(tokens) + self.max_tokens,  # CTranslate2 counts the prompt too
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        generated = result.sequences_ids[0]
        text = without_echo(spoken_form(self.tokenizer.decode(generated)))
        no_speech = float(getattr(result, "no_speech_prob", 0.0))
        runaway = len(generated) >= self.max_tokens - 1
        mean, total = self.score(text)  # in spoken form, like every candidate it is compared with
        return Hypothesis(text, mean, total, no_speech, "prompted" if prompt else "open", runaway)

    def score(self, text: str) -> tuple[float, float]:
        """Mean and total log probability of ``text``'s tokens for this audio, without a prompt."""
        tokens = self.tokenizer.encode(" " + text.strip()) if text.strip() else []
        if not tokens:
            return NO_SCORE, NO_SCORE
        result = self.model.model.align(
            self.encoded, self.tokenizer.sot_sequence, [tokens], self.content_frames
        )[0]
        logs = [math.log(max(float(p), 1e-9)) for p in result.text_token_probs]
        if not logs:
            return NO_SCORE, NO_SCORE
        return sum(logs) / len(logs), sum(logs)


_NUMBER_PUNCTUATION = re.compile(r"(?<=\d)[.:,](?=\d)")
_NUMBER_WITH_UNIT = re.compile(r"(?<=\d)(?!(?:st|nd|rd|th|s)\b)(?=[a-z]+\b)")
"""A number written against its unit ("5km", "7pm"), said as two words; ordinals and decades
("12th", "1990s") stay one."""
_WORD = re.compile(r"\d+(?:[\x01\x02]\d+)*%?(?![^\W_])|[^\W_]+(?:'[^\W_]+)*")


def spoken_form(text: str) -> str:
    """Whisper's written text in the recognizers' form: lower case, no punctuation, with numbers'
    own marks kept ("10:30", "2.5", "50%"), words joined by hyphens split ("ill-disposed"), a
    unit written against its number apart ("5km")."""
    protected = _NUMBER_PUNCTUATION.sub(
        lambda match: {".": "\x01", ":": "\x02", ",": ""}[match.group()], text
    )
    protected = _NUMBER_WITH_UNIT.sub(" ", protected.lower())
    words = _WORD.findall(protected.replace("-", " ").replace("’", "'"))
    return " ".join(words).replace("\x01", ".").replace("\x02", ":")


def without_echo(text: str) -> str:
    """Whisper sometimes starts the utterance again once it has been said ("add 2 pints of milk
    add 2 pints of"): a tail of at least MIN_REPEAT_WORDS words that only repeats what came
    just before it is cut."""
    words = text.split()
    for end in range(MIN_REPEAT_WORDS, len(words) - MIN_REPEAT_WORDS + 1):
        tail = words[end:]
        for start in range(end - MIN_REPEAT_WORDS, -1, -1):
            span = words[start:end]
            repeated = (span * (len(tail) // len(span) + 1))[: len(tail)]
            if tail == repeated:
                return " ".join(words[:end])
    return text
